import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  ClaimcRuntimeError,
  TokenRefusedError,
  createTokenIssuer,
  jwks,
  keyRingFor,
  openidConfiguration,
  tokenIssuer,
  validCustomKey,
  type IndexedApp,
  type IndexedDirectory,
  type IndexedUser,
  type KeyRing,
  type TokenIssuer,
  type TokenRequest,
} from '@claimc/runtime';
import { signJwtSync, type NodeSigningKey } from '@claimc/runtime/node';
import { authenticateClient, findClient, matchRedirectUri, presentedCredentials, type RedirectPlatform } from './apps.js';
import { EntraError, entraTimestamp, errorBody, internalError, missingParameter, type ErrorIds } from './errors.js';
import { cookies, formParams, readBody, sendHtml, sendJson, sendRedirect } from './http.js';
import { autoPostPage, errorPage, signInPage } from './page.js';
import { buildSamlResponse, buildWsFedResult, parseAuthnRequest } from './saml.js';
import { createSealer, memoryConsumeOnce, type ConsumeOnce } from './seal.js';
import { resolveScopes } from './scopes.js';

/** One line of the request log. */
export interface RequestLogEntry {
  readonly time: string;
  readonly method: string;
  /** The path only: queries carry codes and tokens. */
  readonly path: string;
  readonly status: number;
  readonly ms: number;
  readonly client?: string;
  readonly grant?: string;
  readonly error?: string;
  readonly correlationId: string;
}

/** What the server serves: the directory and the signing key; replaced whole on hot reload. */
export interface ServingContent {
  readonly directory: IndexedDirectory;
  /** Signs every token (the tenant key and, under their key ids, apps' custom keys). */
  readonly key: NodeSigningKey;
}

/** Options of {@link createServer}. */
export interface ServerOptions extends ServingContent {
  /** The clock in Unix seconds (default: the wall clock); codes, tokens and credentials' validity use it. */
  readonly now?: () => number;
  /** 32 bytes sealing codes, refresh tokens and the session cookie; workers of one cluster share it (default: random). */
  readonly secret?: Uint8Array;
  /** Single use of authorization codes (default: in memory). */
  readonly consumeOnce?: ConsumeOnce;
  /** Called once per request after the answer is written. */
  readonly log?: (entry: RequestLogEntry) => void;
  /** Largest request body in bytes (default 64 KiB). */
  readonly maxBodyBytes?: number;
  /** Largest request head in bytes (default 16 KiB). */
  readonly maxHeaderBytes?: number;
  /** Serve HTTPS with this PEM key and certificate (default: HTTP). */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** The base URL tokens and metadata name (default: the listening address, e.g. http://127.0.0.1:8080). */
  readonly authority?: string;
}

/** A running (or ready) local sign-in endpoint. */
export interface ClaimcServer {
  /** Binds and returns the base URL; port 0 picks a free port. Host defaults to 127.0.0.1. */
  listen(port?: number, host?: string): Promise<string>;
  /** The base URL once listening. */
  readonly url: string;
  /** Swaps the directory and key (hot reload): requests already running finish on the old content. */
  update(content: ServingContent): void;
  /** Stops accepting connections and resolves when the open ones are done. */
  close(): Promise<void>;
  /** The request handler, for embedding in another node:http server. */
  readonly handle: (request: IncomingMessage, response: ServerResponse) => void;
}

interface Serving {
  readonly directory: IndexedDirectory;
  readonly key: NodeSigningKey;
  readonly issuer: TokenIssuer;
  ring: KeyRing<NodeSigningKey>;
  ringAt: number;
}

/** Per request: the ids an error carries and what the log line reports. */
interface Exchange {
  readonly ids: ErrorIds;
  client?: string;
  grant?: string;
  error?: string;
}

const codeLifetime = 600;
const refreshLifetime = 90 * 24 * 3600;
const sessionCookie = 'claimc_session';
const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A local Entra sign-in endpoint over a directory snapshot: OpenID discovery and keys (v1 and v2, `?appid=`),
 * authorize with a server-rendered sign-in page, the token endpoint (authorization code with PKCE, client
 * credentials, refresh token, on-behalf-of), SAML 2.0 and WS-Federation sign-in; refusals carry Entra's AADSTS codes.
 *
 * @example
 * const server = createServer({ directory, key: importNodeSigningKey(demoSigningJwk) });
 * const url = await server.listen(0); // 'http://127.0.0.1:54321'
 * // authority for apps: `${url}/${directory.organization.id}/v2.0`
 * await server.close();
 */
export function createServer(options: ServerOptions): ClaimcServer {
  const now = options.now ?? ((): number => Math.floor(Date.now() / 1000));
  const sealer = createSealer(options.secret ?? randomBytes(32));
  const consumeOnce = options.consumeOnce ?? memoryConsumeOnce();
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  let authority = options.authority ?? '';
  let content: ServingContent = { directory: options.directory, key: options.key };
  let serving: Serving | undefined;

  const current = (): Serving => {
    const at = now();
    if (serving === undefined) {
      const issuer = createTokenIssuer(content.directory, authority === '' ? {} : { authority });
      serving = { directory: content.directory, key: content.key, issuer, ring: keyRingFor(content.directory, content.key, at), ringAt: at };
    } else if (Math.abs(at - serving.ringAt) > 3600) {
      // apps' custom keys come and go with their validity windows
      serving.ring = keyRingFor(serving.directory, serving.key, at);
      serving.ringAt = at;
    }
    return serving;
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const started = process.hrtime.bigint();
    const clientRequestId = request.headers['client-request-id'];
    const exchange: Exchange = {
      ids: { traceId: randomUUID(), correlationId: typeof clientRequestId === 'string' && guidPattern.test(clientRequestId) ? clientRequestId : randomUUID(), now: now() },
    };
    const log = options.log;
    if (log !== undefined) response.on('finish', () => {
      const path = (request.url ?? '/').split('?')[0]!;
      log({
        time: new Date(exchange.ids.now * 1000).toISOString(),
        method: request.method ?? 'GET',
        path,
        status: response.statusCode,
        ms: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
        ...(exchange.client !== undefined ? { client: exchange.client } : {}),
        ...(exchange.grant !== undefined ? { grant: exchange.grant } : {}),
        ...(exchange.error !== undefined ? { error: exchange.error } : {}),
        correlationId: exchange.ids.correlationId,
      });
    });
    route(request, response, exchange).catch((error: unknown) => {
      const refusal = error instanceof EntraError ? error : internalError();
      exchange.error = refusal.aadsts;
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendJson(response, refusal.status, errorBody(refusal, exchange.ids, authority), corsHeaders(request));
    });
  };

  async function route(request: IncomingMessage, response: ServerResponse, exchange: Exchange): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const state = current();
    const tid = state.directory.organization.id;
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...corsHeaders(request), 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': 'content-type, client-request-id, x-client-sku, x-client-ver, x-client-os, x-client-cpu, x-ms-lib-capability', 'access-control-max-age': '600' });
      response.end();
      return;
    }
    if (segments.length === 0) return sendJson(response, 200, { tenant: tid, authority: `${authority}/${tid}/v2.0`, discovery: `${authority}/${tid}/v2.0/.well-known/openid-configuration` });
    const tenantSegment = segments[0]!;
    const rest = segments.slice(1).join('/');
    if (rest === 'discovery/instance' && (tenantSegment === 'common' || tenantSegment === tid)) return sendJson(response, 200, instanceDiscovery(tid), corsHeaders(request));
    if (!isThisTenant(state.directory, tenantSegment)) {
      throw new EntraError('invalid_tenant', 'AADSTS90002', `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    const params = request.method === 'POST' ? formParams(await readBody(request, maxBodyBytes)) : formParams(url.search.slice(1));
    const appId = url.searchParams.get('appid') ?? undefined;
    switch (rest) {
      case 'v2.0/.well-known/openid-configuration':
      case '.well-known/openid-configuration':
        return sendJson(response, 200, discovery(state, rest.startsWith('v2.0') ? 2 : 1, appId), corsHeaders(request));
      case 'discovery/v2.0/keys':
      case 'discovery/keys':
        return sendJson(response, 200, publishedKeys(state, appId), corsHeaders(request));
      case 'oauth2/v2.0/authorize':
      case 'oauth2/authorize':
        return authorize(request, response, exchange, state, params, rest.includes('v2.0') ? 2 : 1, url.pathname);
      case 'oauth2/v2.0/token':
      case 'oauth2/token':
        if (request.method !== 'POST') throw new EntraError('invalid_request', 'AADSTS900561', `The endpoint only accepts POST, OPTIONS requests. Received a ${request.method ?? 'GET'} request.`);
        return token(request, response, exchange, state, params, rest.includes('v2.0') ? 2 : 1);
      case 'oauth2/v2.0/logout':
      case 'oauth2/logout':
        return logout(response, state, params);
      case 'saml2':
        return saml2(request, response, exchange, state, params, url.pathname);
      case 'wsfed':
        return wsfed(request, response, exchange, state, params, url.pathname);
      default:
        return sendJson(response, 404, errorBody(new EntraError('invalid_request', 'AADSTS90100', `The path '${url.pathname}' is not an endpoint of this tenant.`), exchange.ids, authority));
    }
  }

  function discovery(state: Serving, version: 1 | 2, appId: string | undefined): Record<string, unknown> {
    const document = openidConfiguration(state.directory.organization.id, { version, algorithms: [state.key.alg], authority, ...(appId !== undefined ? { appId } : {}) });
    return { ...document, token_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256'], code_challenge_methods_supported: ['S256', 'plain'], grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer'], frontchannel_logout_supported: true, http_logout_supported: true, request_uri_parameter_supported: false };
  }

  function publishedKeys(state: Serving, appId: string | undefined): Record<string, unknown> {
    const app = appId === undefined ? undefined : state.directory.appsByAppId.get(appId);
    const appKey = app !== undefined && validCustomKey(app, now()) !== undefined ? state.ring.applications?.get(app.appId) : undefined;
    return jwks([appKey ?? state.ring.tenant]);
  }

  function instanceDiscovery(tid: string): Record<string, unknown> {
    const host = new URL(authority).host;
    return { tenant_discovery_endpoint: `${authority}/${tid}/v2.0/.well-known/openid-configuration`, 'api-version': '1.1', metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }] };
  }

  /** Issues one JWT, turning the runtime's refusals into Entra errors. */
  function issue(state: Serving, request: TokenRequest): { readonly jwt: string; readonly payload: Readonly<Record<string, unknown>> } {
    try {
      const assembled = state.issuer.assemble(request);
      if (assembled.format !== 'jwt') throw internalError();
      return { jwt: signJwtSync(assembled, state.ring), payload: assembled.payload };
    } catch (error) {
      throw entraRefusal(error);
    }
  }

  function signedInUser(state: Serving, userKey: string): IndexedUser {
    const user = state.directory.usersById.get(userKey) ?? state.directory.usersByUpn.get(userKey.toLowerCase());
    if (user === undefined) throw new EntraError('invalid_grant', 'AADSTS50034', `The user account ${userKey} does not exist in the ${state.directory.organization.id} directory.`);
    if (user.user.accountEnabled === false) throw new EntraError('invalid_grant', 'AADSTS50057', 'The user account is disabled.');
    return user;
  }

  // ---------------------------------------------------------------- authorize

  async function authorize(request: IncomingMessage, response: ServerResponse, exchange: Exchange, state: Serving, params: Map<string, string>, version: 1 | 2, action: string): Promise<void> {
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
      const refusal = error instanceof EntraError ? error : internalError();
      exchange.error = refusal.aadsts;
      return sendHtml(response, 400, errorPage(refusal.aadsts, refusal.description, ids.traceId, ids.correlationId, entraTimestamp(ids.now)));
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
      const session = sealer.open('session', cookies(request).get(sessionCookie) ?? '');
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
        fields['code'] = sealer.seal('code', {
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
      response.setHeader('set-cookie', `${sessionCookie}=${sealer.seal('session', { u: user.user.id, t: ids.now })}; Path=/; HttpOnly; SameSite=Lax`);
      reply(fields);
    } catch (error) {
      const refusal = error instanceof EntraError ? error : entraRefusal(error);
      exchange.error = refusal.aadsts;
      const timestamp = entraTimestamp(ids.now);
      reply({
        error: refusal.error,
        error_description: `${refusal.aadsts}: ${refusal.description} Trace ID: ${ids.traceId} Correlation ID: ${ids.correlationId} Timestamp: ${timestamp}`,
        error_uri: `${authority}/error?code=${refusal.aadsts.replace('AADSTS', '')}`,
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

  function logout(response: ServerResponse, state: Serving, params: Map<string, string>): void {
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

  // ---------------------------------------------------------------- token

  async function token(request: IncomingMessage, response: ServerResponse, exchange: Exchange, state: Serving, form: Map<string, string>, version: 1 | 2): Promise<void> {
    const at = exchange.ids.now;
    const grant = form.get('grant_type');
    if (grant === undefined) throw missingParameter('grant_type');
    exchange.grant = grant;
    const presented = presentedCredentials(form, request.headers.authorization);
    const clientId = presented.clientId ?? clientIdOfAssertion(presented.assertion);
    if (clientId === undefined) throw missingParameter('client_id');
    exchange.client = clientId;
    const app = findClient(state.directory, clientId);
    const tokenEndpoint = `${authority}/${state.directory.organization.id}/oauth2/${version === 2 ? 'v2.0/' : ''}token`;
    const wantsClientInfo = form.get('client_info') === '1';
    const cors = corsHeaders(request);

    switch (grant) {
      case 'authorization_code': {
        const code = form.get('code');
        if (code === undefined) throw missingParameter('code');
        const sealed = sealer.open('code', code);
        if (sealed === undefined) throw new EntraError('invalid_grant', 'AADSTS9002313', "Invalid request. Request is malformed or invalid: the 'code' parameter is not a code of this endpoint.");
        const grantData = sealed as { j: string; c: string; r: string; p: RedirectPlatform; u: string; s: string; v: 1 | 2; e: number; n?: string; cc?: string; cm?: string; res?: string };
        if (grantData.e <= at) throw new EntraError('invalid_grant', 'AADSTS70008', 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
        if (grantData.c !== app.appId) throw new EntraError('invalid_grant', 'AADSTS70000', 'The provided authorization code was issued to a different client.');
        const redirectUri = form.get('redirect_uri');
        if (redirectUri !== grantData.r) throw new EntraError('invalid_grant', 'AADSTS500112', `The reply address '${redirectUri ?? ''}' does not match the reply address '${grantData.r}' provided when requesting Authorization code.`);
        await authenticateFor(grantData.p, request, app, presented, tokenEndpoint, at);
        if (grantData.cc !== undefined) {
          const verifier = form.get('code_verifier');
          if (verifier === undefined) throw missingParameter('code_verifier');
          const derived = grantData.cm === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
          if (!sameText(derived, grantData.cc)) throw new EntraError('invalid_grant', 'AADSTS501481', 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
        }
        if (!(await consumeOnce(grantData.j, grantData.e, at))) {
          throw new EntraError('invalid_grant', 'AADSTS54005', 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
        }
        const user = signedInUser(state, grantData.u);
        return sendJson(response, 200, userTokens(state, { app, user, scope: form.get('scope') ?? grantData.s, nonce: grantData.n, version, resourceParam: form.get('resource') ?? grantData.res, platform: grantData.p, wantsClientInfo, at }), cors);
      }
      case 'refresh_token': {
        const refresh = form.get('refresh_token');
        if (refresh === undefined) throw missingParameter('refresh_token');
        const sealed = sealer.open('refresh', refresh) as { c: string; u: string; s: string; p: RedirectPlatform; e: number } | undefined;
        if (sealed === undefined) throw new EntraError('invalid_grant', 'AADSTS9002313', "Invalid request. Request is malformed or invalid: the 'refresh_token' parameter is not a refresh token of this endpoint.");
        if (sealed.e <= at) throw new EntraError('invalid_grant', 'AADSTS700082', 'The refresh token has expired due to inactivity.');
        if (sealed.c !== app.appId) throw new EntraError('invalid_grant', 'AADSTS70000', 'The provided refresh token was issued to a different client.');
        await authenticateFor(sealed.p, request, app, presented, tokenEndpoint, at);
        const user = signedInUser(state, sealed.u);
        return sendJson(response, 200, userTokens(state, { app, user, scope: form.get('scope') ?? sealed.s, nonce: undefined, version, resourceParam: form.get('resource'), platform: sealed.p, wantsClientInfo, at }), cors);
      }
      case 'client_credentials': {
        await authenticateClient(app, presented, tokenEndpoint, at);
        let resourceKey: string;
        let scope: string | undefined;
        if (version === 2) {
          scope = form.get('scope');
          if (scope === undefined) throw missingParameter('scope');
          const parts = scope.split(/\s+/).filter((s) => s !== '');
          if (parts.length !== 1 || !parts[0]!.endsWith('/.default')) {
            throw new EntraError('invalid_scope', 'AADSTS1002012', `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
          }
          const resolved = resolveScopes(state.directory, scope);
          resourceKey = resolved.resource!.key;
        } else {
          const resource = form.get('resource');
          if (resource === undefined) throw missingParameter('resource');
          resourceKey = resource;
        }
        const access = issue(state, { token: 'access', client: app.appId, resource: resourceKey, now: at, ...(scope !== undefined ? { scope } : {}) });
        return sendJson(response, 200, tokenResponse(version, access, at, { scope: scope ?? '', resource: resourceKey }), cors);
      }
      case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
        await authenticateClient(app, presented, tokenEndpoint, at);
        if (form.get('requested_token_use') !== 'on_behalf_of') throw new EntraError('invalid_request', 'AADSTS70003', "The app requested an unsupported grant type: jwt-bearer needs requested_token_use=on_behalf_of.");
        const assertion = form.get('assertion');
        if (assertion === undefined) throw missingParameter('assertion');
        const userId = await verifyUserAssertion(state, app, assertion, at);
        const user = signedInUser(state, userId);
        return sendJson(response, 200, userTokens(state, { app, user, scope: form.get('scope') ?? '', nonce: undefined, version, resourceParam: form.get('resource'), platform: 'web', wantsClientInfo, at, onBehalfOf: true }), cors);
      }
      default:
        throw new EntraError('unsupported_grant_type', 'AADSTS70003', `The app requested an unsupported grant type '${grant}'.`);
    }
  }

  /** Web apps authenticate; SPA codes are redeemed cross-origin only; public clients send no secret. */
  async function authenticateFor(platform: RedirectPlatform, request: IncomingMessage, app: IndexedApp, presented: ReturnType<typeof presentedCredentials>, tokenEndpoint: string, at: number): Promise<void> {
    if (platform === 'web') {
      await authenticateClient(app, presented, tokenEndpoint, at);
      return;
    }
    if (platform === 'spa' && request.headers.origin === undefined) {
      throw new EntraError('invalid_request', 'AADSTS9002327', "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.");
    }
    if (presented.secret !== undefined || presented.assertion !== undefined) {
      throw new EntraError('invalid_request', 'AADSTS700025', 'Client is public so neither client_assertion nor client_secret should be presented.');
    }
  }

  /** A user's access token (and ID and refresh tokens by the OIDC scopes) for the resource the scopes name. */
  function userTokens(
    state: Serving,
    grant: { app: IndexedApp; user: IndexedUser; scope: string; nonce: string | undefined; version: 1 | 2; resourceParam: string | undefined; platform: RedirectPlatform; wantsClientInfo: boolean; at: number; onBehalfOf?: boolean },
  ): Record<string, unknown> {
    const { app, user, version, at } = grant;
    const scopes = resolveScopes(state.directory, grant.scope);
    // no resource named: the token is for the client itself (Entra would answer for Microsoft Graph)
    const resourceKey = version === 1 ? (grant.resourceParam ?? scopes.resource?.key ?? app.appId) : (scopes.resource?.key ?? app.appId);
    const resourceScope = [...grant.scope.split(/\s+/)].filter((s) => s !== '' && !scopes.oidc.has(s)).join(' ');
    if (grant.onBehalfOf === true && resourceScope === '') throw missingParameter('scope');
    const access = issue(state, { token: 'access', client: app.appId, resource: resourceKey, user: user.user.id, now: at, ...(resourceScope !== '' ? { scope: resourceScope } : {}) });
    const granted = resourceScope === '' ? [...scopes.oidc] : [...String(access.payload['scp'] ?? '').split(' ').filter((s) => s !== '').map((s) => `${resourceKey}/${s}`), ...scopes.oidc];
    const extra: Record<string, unknown> = {};
    if (scopes.oidc.has('openid') && grant.onBehalfOf !== true) {
      extra['id_token'] = issue(state, { token: 'id', client: app.appId, user: user.user.id, version, scope: [...scopes.oidc].join(' '), now: at, ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}) }).jwt;
    }
    if (scopes.oidc.has('offline_access')) extra['refresh_token'] = sealer.seal('refresh', { c: app.appId, u: user.user.id, s: grant.scope, p: grant.platform, e: at + refreshLifetime });
    if (grant.wantsClientInfo) extra['client_info'] = Buffer.from(JSON.stringify({ uid: user.user.id, utid: state.directory.organization.id })).toString('base64url');
    return { ...tokenResponse(version, access, at, { scope: granted.join(' '), resource: resourceKey }), ...extra };
  }

  /** The user of an on-behalf-of assertion: an access token this endpoint issued to the calling app. */
  async function verifyUserAssertion(state: Serving, app: IndexedApp, assertion: string, at: number): Promise<string> {
    const keys = createLocalJWKSet(jwks([state.ring.tenant, ...(state.ring.applications?.values() ?? [])]) as Parameters<typeof createLocalJWKSet>[0]);
    const tid = state.directory.organization.id;
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(assertion, keys, { issuer: [tokenIssuer(tid, 2, { authority }), tokenIssuer(tid, 1, { authority })], currentDate: new Date(at * 1000) }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') throw new EntraError('invalid_grant', 'AADSTS500133', 'Assertion is not within its valid time range.');
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' || code === 'ERR_JWKS_NO_MATCHING_KEY') throw new EntraError('invalid_grant', 'AADSTS50013', 'Assertion failed signature validation.');
      throw new EntraError('invalid_request', 'AADSTS50027', 'JWT token is invalid or malformed.');
    }
    const audiences = new Set([app.appId, ...(app.application?.identifierUris ?? [])]);
    if (typeof payload['aud'] !== 'string' || !audiences.has(payload['aud'])) throw new EntraError('invalid_grant', 'AADSTS500131', 'Assertion audience does not match the Client app presenting the assertion.');
    if (typeof payload['oid'] !== 'string' || payload['idtyp'] === 'app') throw new EntraError('invalid_grant', 'AADSTS50027', 'JWT token is invalid or malformed: an on-behalf-of assertion must be a user token.');
    return payload['oid'];
  }

  function entraRefusal(error: unknown): EntraError {
    if (error instanceof EntraError) return error;
    if (error instanceof TokenRefusedError) {
      return new EntraError(error.aadsts === 'AADSTS50105' ? 'invalid_grant' : 'invalid_request', error.aadsts, error.message.replace(/^AADSTS\d+: /, ''));
    }
    if (error instanceof ClaimcRuntimeError) {
      if (error.code === 'ERR_REQUEST_INVALID') return new EntraError('invalid_request', 'AADSTS9002313', `Invalid request. ${error.message}`);
      return new EntraError('server_error', 'AADSTS50000', `There was an error issuing a token: ${error.message}`, 500);
    }
    return internalError();
  }

  // ---------------------------------------------------------------- SAML and WS-Federation

  async function saml2(request: IncomingMessage, response: ServerResponse, exchange: Exchange, state: Serving, params: Map<string, string>, action: string): Promise<void> {
    const ids = exchange.ids;
    const encoded = params.get('SAMLRequest');
    let app: IndexedApp;
    let acs: string;
    let requestId: string;
    try {
      if (encoded === undefined) throw new EntraError('invalid_request', 'AADSTS750054', 'SAMLRequest or SAMLResponse must be present as query string parameters in HTTP request for SAML Redirect binding, or as form parameters for SAML POST binding.');
      const authn = parseAuthnRequest(encoded);
      requestId = authn.id;
      exchange.client = authn.issuer;
      app = findClient(state.directory, authn.issuer);
      acs = matchRedirectUri(app, authn.assertionConsumerServiceUrl).uri;
    } catch (error) {
      const refusal = error instanceof EntraError ? error : internalError();
      exchange.error = refusal.aadsts;
      return sendHtml(response, 400, errorPage(refusal.aadsts, refusal.description, ids.traceId, ids.correlationId, entraTimestamp(ids.now)));
    }
    return samlSignIn(request, response, exchange, state, params, action, app, (assertion) => {
      const fields = new Map([['SAMLResponse', Buffer.from(buildSamlResponse(assertion, { destination: acs, inResponseTo: requestId })).toString('base64')]]);
      const relayState = params.get('RelayState');
      if (relayState !== undefined) fields.set('RelayState', relayState);
      return { action: acs, fields };
    });
  }

  async function wsfed(request: IncomingMessage, response: ServerResponse, exchange: Exchange, state: Serving, params: Map<string, string>, action: string): Promise<void> {
    const ids = exchange.ids;
    const wa = params.get('wa');
    if (wa === 'wsignout1.0' || wa === 'wsignoutcleanup1.0') return logout(response, state, new Map());
    let app: IndexedApp;
    let reply: string;
    const realm = params.get('wtrealm') ?? '';
    try {
      if (wa !== 'wsignin1.0') throw new EntraError('invalid_request', 'AADSTS50049', `Unknown or invalid wa parameter '${wa ?? ''}': use wsignin1.0 or wsignout1.0.`);
      if (realm === '') throw missingParameter('wtrealm');
      exchange.client = realm;
      app = findClient(state.directory, realm);
      reply = matchRedirectUri(app, params.get('wreply')).uri;
    } catch (error) {
      const refusal = error instanceof EntraError ? error : internalError();
      exchange.error = refusal.aadsts;
      return sendHtml(response, 400, errorPage(refusal.aadsts, refusal.description, ids.traceId, ids.correlationId, entraTimestamp(ids.now)));
    }
    return samlSignIn(request, response, exchange, state, params, action, app, (assertion) => {
      const fields = new Map([
        ['wa', 'wsignin1.0'],
        ['wresult', buildWsFedResult(assertion, realm, reply)],
      ]);
      const context = params.get('wctx');
      if (context !== undefined) fields.set('wctx', context);
      return { action: reply, fields };
    });
  }

  /** The user picks an account (or the session or login hint names one); the assertion goes back by an auto-posting form. */
  function samlSignIn(
    request: IncomingMessage,
    response: ServerResponse,
    exchange: Exchange,
    state: Serving,
    params: Map<string, string>,
    action: string,
    app: IndexedApp,
    deliverTo: (assertion: Parameters<typeof buildSamlResponse>[0]) => { action: string; fields: Map<string, string> },
  ): void {
    const ids = exchange.ids;
    const chosen = params.get('claimc_user');
    const session = sealer.open('session', cookies(request).get(sessionCookie) ?? '');
    const userKey = chosen ?? (typeof session?.['u'] === 'string' ? session['u'] : undefined);
    const appName = app.application?.displayName ?? app.appId;
    if (userKey === undefined) return sendHtml(response, 200, signInPage(state.directory, { action, params, appName }));
    try {
      const user = signedInUser(state, userKey);
      const assembled = state.issuer.assemble({ token: 'saml', client: app.appId, user: user.user.id, now: ids.now });
      if (assembled.format !== 'saml') throw internalError();
      const out = deliverTo(assembled);
      const nonce = randomBytes(16).toString('base64');
      exchange.grant = 'saml';
      response.setHeader('set-cookie', `${sessionCookie}=${sealer.seal('session', { u: user.user.id, t: ids.now })}; Path=/; HttpOnly; SameSite=Lax`);
      return sendHtml(response, 200, autoPostPage(out.action, out.fields, nonce), nonce);
    } catch (error) {
      const refusal = entraRefusal(error);
      exchange.error = refusal.aadsts;
      return sendHtml(response, 400, errorPage(refusal.aadsts, refusal.description, ids.traceId, ids.correlationId, entraTimestamp(ids.now)));
    }
  }

  // ---------------------------------------------------------------- lifecycle

  const server: Server = options.tls !== undefined
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert, maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024, requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, handle)
    : createHttpServer({ maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024, requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, handle);
  // a malformed or oversized request head: a bare status, never an error page with internals
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });

  return {
    async listen(port = 0, host = '127.0.0.1') {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      if (options.authority === undefined) {
        const address = server.address() as AddressInfo;
        const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        authority = `${options.tls !== undefined ? 'https' : 'http'}://${host === 'localhost' ? 'localhost' : shownHost}:${address.port}`;
        serving = undefined;
      }
      return authority;
    },
    get url() {
      return authority;
    },
    update(next) {
      content = next;
      serving = undefined;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
    handle,
  };
}

function isThisTenant(directory: IndexedDirectory, segment: string): boolean {
  const lower = segment.toLowerCase();
  if (lower === directory.organization.id.toLowerCase() || lower === 'organizations' || lower === 'common') return true;
  return (directory.organization.verifiedDomains ?? []).some((d) => d.name?.toLowerCase() === lower);
}

function corsHeaders(request: IncomingMessage): Record<string, string> {
  const origin = request.headers.origin;
  return origin === undefined ? {} : { 'access-control-allow-origin': origin, vary: 'Origin' };
}

function clientIdOfAssertion(assertion: string | undefined): string | undefined {
  if (assertion === undefined) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The token endpoint's success body (v2; v1 adds `resource`, `expires_on`, `not_before` as strings). */
function tokenResponse(version: 1 | 2, access: { jwt: string; payload: Readonly<Record<string, unknown>> }, at: number, granted: { scope: string; resource: string }): Record<string, unknown> {
  const exp = typeof access.payload['exp'] === 'number' ? access.payload['exp'] : at + 3600;
  const expiresIn = exp - at;
  if (version === 2) return { token_type: 'Bearer', scope: granted.scope, expires_in: expiresIn, ext_expires_in: expiresIn, access_token: access.jwt };
  return { token_type: 'Bearer', expires_in: String(expiresIn), ext_expires_in: String(expiresIn), expires_on: String(exp), not_before: String(at), resource: granted.resource, access_token: access.jwt, ...(granted.scope !== '' ? { scope: granted.scope } : {}) };
}
