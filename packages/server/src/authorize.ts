import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IndexedApp, IndexedUser, TokenRequest } from '@claimc/runtime/internal';
import { findClient, matchRedirectUri, type RedirectPlatform } from './apps.js';
import { entraRefusal, refusalPage, issue, sessionCookie, signedInUser, type EndpointContext, type Exchange, type Serving } from './context.js';
import { EntraError, entraTimestamp, internalError, missingParameter } from './errors.js';
import { cookies, sendHtml, sendRedirect } from './http.js';
import { autoPostPage, signInPage } from './page.js';
import { resolveScopes } from './scopes.js';

// The authorize endpoint (v1 and v2): checks the app and its redirect URI, picks the user (page, login_hint,
// session), issues a code and/or an ID token, and answers by query, fragment or form_post. Also logout.

const codeLifetime = 600;

/** `/{tenant}/oauth2/v2.0/authorize` (and v1): refusals before the redirect URI is trusted are shown on a page. */
export async function authorize(ctx: EndpointContext, request: IncomingMessage, response: ServerResponse, exchange: Exchange, state: Serving, params: Map<string, string>, version: 1 | 2, action: string): Promise<void> {
  const ids = exchange.ids;
  let app: IndexedApp;
  let redirect: { uri: string; platform: RedirectPlatform };
  try {
    const clientId = params.get('client_id');
    if (clientId === undefined) throw missingParameter('client_id');
    exchange.client = clientId;
    app = findClient(state.directory, clientId);
    redirect = matchRedirectUri(app, params.get('redirect_uri'));
  } catch (error) {
    // nothing goes back to an unverified redirect URI: the refusal is shown here
    return refusalPage(response, exchange, error instanceof EntraError ? error : internalError());
  }
  const responseType = (params.get('response_type') ?? '').split(/\s+/).filter((t) => t !== '').sort().join(' ');
  const wantsIdToken = responseType === 'id_token' || responseType === 'code id_token';
  const mode = params.get('response_mode') ?? (wantsIdToken ? 'fragment' : 'query');
  const stateParam = params.get('state');
  const reply = (fields: Record<string, string>): void => deliver(response, redirect.uri, mode === 'query' || mode === 'fragment' || mode === 'form_post' ? mode : 'query', { ...fields, ...(stateParam !== undefined ? { state: stateParam } : {}) });
  try {
    if (responseType !== 'code' && !wantsIdToken) {
      throw new EntraError('unsupported_response_type', 'AADSTS700054', `response_type '${params.get('response_type') ?? ''}' is not supported: use code, id_token or code id_token.`);
    }
    if (mode !== 'query' && mode !== 'fragment' && mode !== 'form_post') throw new EntraError('invalid_request', 'AADSTS90009', `response_mode '${mode}' is not supported: use query, fragment or form_post.`);
    if (wantsIdToken && mode === 'query') throw new EntraError('invalid_request', 'AADSTS90009', "response_mode 'query' is not allowed when the response type contains id_token: use fragment or form_post.");
    const scope = version === 2 ? params.get('scope') : params.get('scope') ?? 'openid';
    if (scope === undefined) throw missingParameter('scope');
    const scopes = resolveScopes(state.directory, scope);
    if (wantsIdToken && !scopes.oidc.has('openid')) throw new EntraError('invalid_request', 'AADSTS900144', "The request body must contain the following parameter: 'scope' with 'openid' for an id_token.");
    const nonce = params.get('nonce');
    if (wantsIdToken && nonce === undefined) throw missingParameter('nonce');
    if (wantsIdToken && app.application?.web?.['implicitGrantSettings'] !== undefined && (app.application.web['implicitGrantSettings'] as { enableIdTokenIssuance?: unknown } | null)?.enableIdTokenIssuance !== true) {
      throw new EntraError('unsupported_response_type', 'AADSTS700054', `response_type 'id_token' is not enabled for the application.`);
    }
    const challenge = params.get('code_challenge');
    const method = params.get('code_challenge_method') ?? (challenge !== undefined ? 'plain' : undefined);
    if (method !== undefined && method !== 'S256' && method !== 'plain') throw new EntraError('invalid_request', 'AADSTS501491', `Invalid size of Code_Challenge parameter or unsupported code_challenge_method '${method}'.`);
    if (redirect.platform === 'spa' && responseType.includes('code') && (challenge === undefined || method !== 'S256')) {
      throw new EntraError('invalid_request', 'AADSTS9002325', 'Proof Key for Code Exchange is required for cross-origin authorization code redemption: a single-page application must send code_challenge with code_challenge_method S256.');
    }
    if (challenge !== undefined && !/^[A-Za-z0-9._~-]{43,128}$/.test(challenge)) throw new EntraError('invalid_request', 'AADSTS501491', 'Invalid size of Code_Challenge parameter.');

    // who signs in: the page's choice, login_hint, or the session (prompt=none needs one of the last two)
    const prompt = params.get('prompt');
    const chosen = params.get('claimc_user');
    const hint = params.get('login_hint');
    const session = ctx.sealer.open('session', cookies(request).get(sessionCookie) ?? '');
    const sessionUser = typeof session?.['u'] === 'string' ? session['u'] : undefined;
    const interactive = prompt === 'login' || prompt === 'select_account' || prompt === 'consent';
    let userKey = chosen ?? (interactive ? undefined : hint ?? sessionUser);
    if (userKey !== undefined && chosen === undefined && hint !== undefined && state.directory.usersByUpn.get(hint.toLowerCase()) === undefined && !state.directory.usersById.has(hint)) {
      if (prompt === 'none') throw new EntraError('login_required', 'AADSTS50058', `A silent sign-in request was sent but the login_hint '${hint}' names no user of this directory.`);
      userKey = undefined;
    }
    if (userKey === undefined) {
      if (prompt === 'none') throw new EntraError('login_required', 'AADSTS50058', 'A silent sign-in request was sent but no user is signed in.');
      return sendHtml(response, 200, signInPage(state.directory, { action, params, appName: app.application?.displayName ?? app.servicePrincipal.displayName ?? app.appId, ...(hint !== undefined ? { hint } : {}) }));
    }
    let user: IndexedUser;
    try {
      user = signedInUser(state, userKey);
    } catch (error) {
      if (!(error instanceof EntraError) || prompt === 'none' || chosen === undefined) throw error;
      // a disabled or vanished account picked on the page: say so on the page
      return sendHtml(response, 200, signInPage(state.directory, { action, params, appName: app.application?.displayName ?? app.appId, message: `${error.aadsts}: ${error.description}` }));
    }
    exchange.grant = `authorize:${responseType.replace(' ', '+')}`;
    const fields: Record<string, string> = {};
    const idRequest: TokenRequest = { token: 'id', client: app.appId, user: user.user.id, version, scope: [...scopes.oidc].join(' '), now: ids.now, flow: wantsIdToken ? 'implicit' : 'code', ...(nonce !== undefined ? { nonce } : {}) };
    // the ID token is assembled even for code: refusals (assignment, signing key) show at sign-in as in Entra
    const idToken = scopes.oidc.has('openid') || wantsIdToken ? issue(state, idRequest) : undefined;
    if (responseType.includes('code')) {
      fields['code'] = ctx.sealer.seal('code', {
        j: randomUUID(),
        c: app.appId,
        r: redirect.uri,
        p: redirect.platform,
        u: user.user.id,
        s: scope,
        v: version,
        e: ids.now + codeLifetime,
        ...(nonce !== undefined ? { n: nonce } : {}),
        ...(challenge !== undefined ? { cc: challenge, cm: method } : {}),
        ...(version === 1 && params.get('resource') !== undefined ? { res: params.get('resource') } : {}),
      });
    }
    if (wantsIdToken && idToken !== undefined) fields['id_token'] = idToken.jwt;
    if (version === 2) fields['session_state'] = createHash('sha256').update(`${user.user.id}|${app.appId}`).digest('hex').slice(0, 32);
    response.setHeader('set-cookie', `${sessionCookie}=${ctx.sealer.seal('session', { u: user.user.id, t: ids.now })}; Path=/; HttpOnly; SameSite=Lax`);
    reply(fields);
  } catch (error) {
    const refusal = error instanceof EntraError ? error : entraRefusal(error);
    exchange.error = refusal.aadsts;
    const timestamp = entraTimestamp(ids.now);
    reply({
      error: refusal.error,
      error_description: `${refusal.aadsts}: ${refusal.description} Trace ID: ${ids.traceId} Correlation ID: ${ids.correlationId} Timestamp: ${timestamp}`,
      error_uri: `${ctx.authority}/error?code=${refusal.aadsts.replace('AADSTS', '')}`,
    });
  }
}

function deliver(response: ServerResponse, redirectUri: string, mode: 'query' | 'fragment' | 'form_post', fields: Record<string, string>): void {
  if (mode === 'form_post') {
    const nonce = randomBytes(16).toString('base64');
    return sendHtml(response, 200, autoPostPage(redirectUri, new Map(Object.entries(fields)), nonce), nonce);
  }
  const target = new URL(redirectUri);
  if (mode === 'query') {
    for (const [name, value] of Object.entries(fields)) target.searchParams.set(name, value);
    return sendRedirect(response, target.href);
  }
  target.hash = new URLSearchParams(fields).toString();
  return sendRedirect(response, target.href);
}

export function logout(response: ServerResponse, state: Serving, params: Map<string, string>): void {
  const clear = { 'set-cookie': `${sessionCookie}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` };
  const target = params.get('post_logout_redirect_uri');
  const clientId = params.get('client_id');
  if (target !== undefined && clientId !== undefined) {
    const app = state.directory.appsByAppId.get(clientId);
    // only a registered URI of the named app: no open redirect
    if (app !== undefined) {
      try {
        const matched = matchRedirectUri(app, target);
        return sendRedirect(response, matched.uri, clear);
      } catch {
        // fall through to the signed-out page
      }
    }
  }
  sendHtml(response, 200, '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signed out</title></head><body><p>You signed out of your account.</p></body></html>', undefined, clear);
}
