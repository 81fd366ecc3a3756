import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { jwks, tokenIssuer, type IndexedApp, type IndexedUser } from '@claimc/runtime/internal';
import { authenticateClient, findClient, presentedCredentials, type RedirectPlatform } from './apps.js';
import { corsHeaders, issue, signedInUser, type EndpointContext, type Exchange, type Serving } from './context.js';
import { EntraError, missingParameter } from './errors.js';
import { sendJson } from './http.js';
import { resolveScopes } from './scopes.js';

// The token endpoint (v1 and v2): authorization_code (PKCE), refresh_token, client_credentials and on-behalf-of.

const refreshLifetime = 90 * 24 * 3600;

/** `/{tenant}/oauth2/v2.0/token` (and v1): every refusal is thrown as an EntraError and answered as JSON by the server. */
export async function token(ctx: EndpointContext, request: IncomingMessage, response: ServerResponse, exchange: Exchange, state: Serving, form: Map<string, string>, version: 1 | 2): Promise<void> {
  const at = exchange.ids.now;
  const grant = form.get('grant_type');
  if (grant === undefined) throw missingParameter('grant_type');
  exchange.grant = grant;
  const presented = presentedCredentials(form, request.headers.authorization);
  const clientId = presented.clientId ?? clientIdOfAssertion(presented.assertion);
  if (clientId === undefined) throw missingParameter('client_id');
  exchange.client = clientId;
  const app = findClient(state.directory, clientId);
  const tokenEndpoint = `${ctx.authority}/${state.directory.organization.id}/oauth2/${version === 2 ? 'v2.0/' : ''}token`;
  const wantsClientInfo = form.get('client_info') === '1';
  const cors = corsHeaders(request);

  switch (grant) {
    case 'authorization_code': {
      const code = form.get('code');
      if (code === undefined) throw missingParameter('code');
      const sealed = ctx.sealer.open('code', code);
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
      if (!(await ctx.consumeOnce(grantData.j, grantData.e, at))) {
        throw new EntraError('invalid_grant', 'AADSTS54005', 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
      }
      const user = signedInUser(state, grantData.u);
      return sendJson(response, 200, userTokens(ctx, state, { app, user, scope: form.get('scope') ?? grantData.s, nonce: grantData.n, version, resourceParam: form.get('resource') ?? grantData.res, platform: grantData.p, wantsClientInfo, at }), cors);
    }
    case 'refresh_token': {
      const refresh = form.get('refresh_token');
      if (refresh === undefined) throw missingParameter('refresh_token');
      const sealed = ctx.sealer.open('refresh', refresh) as { c: string; u: string; s: string; p: RedirectPlatform; e: number } | undefined;
      if (sealed === undefined) throw new EntraError('invalid_grant', 'AADSTS9002313', "Invalid request. Request is malformed or invalid: the 'refresh_token' parameter is not a refresh token of this endpoint.");
      if (sealed.e <= at) throw new EntraError('invalid_grant', 'AADSTS700082', 'The refresh token has expired due to inactivity.');
      if (sealed.c !== app.appId) throw new EntraError('invalid_grant', 'AADSTS70000', 'The provided refresh token was issued to a different client.');
      await authenticateFor(sealed.p, request, app, presented, tokenEndpoint, at);
      const user = signedInUser(state, sealed.u);
      return sendJson(response, 200, userTokens(ctx, state, { app, user, scope: form.get('scope') ?? sealed.s, nonce: undefined, version, resourceParam: form.get('resource'), platform: sealed.p, wantsClientInfo, at }), cors);
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
      const userId = await verifyUserAssertion(ctx, state, app, assertion, at);
      const user = signedInUser(state, userId);
      return sendJson(response, 200, userTokens(ctx, state, { app, user, scope: form.get('scope') ?? '', nonce: undefined, version, resourceParam: form.get('resource'), platform: 'web', wantsClientInfo, at, onBehalfOf: true }), cors);
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
  ctx: EndpointContext,
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
  if (scopes.oidc.has('offline_access')) extra['refresh_token'] = ctx.sealer.seal('refresh', { c: app.appId, u: user.user.id, s: grant.scope, p: grant.platform, e: at + refreshLifetime });
  if (grant.wantsClientInfo) extra['client_info'] = Buffer.from(JSON.stringify({ uid: user.user.id, utid: state.directory.organization.id })).toString('base64url');
  return { ...tokenResponse(version, access, at, { scope: granted.join(' '), resource: resourceKey }), ...extra };
}

/** The user of an on-behalf-of assertion: an access token this endpoint issued to the calling app. */
async function verifyUserAssertion(ctx: EndpointContext, state: Serving, app: IndexedApp, assertion: string, at: number): Promise<string> {
  const keys = createLocalJWKSet(jwks([state.ring.tenant, ...(state.ring.applications?.values() ?? [])]) as Parameters<typeof createLocalJWKSet>[0]);
  const tid = state.directory.organization.id;
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(assertion, keys, { issuer: [tokenIssuer(tid, 2, { authority: ctx.authority }), tokenIssuer(tid, 1, { authority: ctx.authority })], currentDate: new Date(at * 1000) }));
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
