// Real clients against createServer on loopback: openid-client (code + PKCE, client credentials, refresh),
// jose's remote JWKS for every token, and the token endpoint's refusals in Entra's shape.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { SignJWT, createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { assembleToken } from '@claimc/runtime/internal';
import { defaultIds, defaultSnapshot, demoClientSecrets } from '../../cli/src/demo/tenant.js';
import { createServer, type ClaimcServer, type RequestLogEntry } from '../src/index.js';
import { demoDirectory, demoKey, stableClaims } from './helpers.js';

const tid = defaultIds.tenant;
const callbackPath = '/auth/callback';
// frozen for the whole file: the clients check exp against the wall clock, so freeze at the start
const frozenAt = Math.floor(Date.now() / 1000);

// a copy of the demo tenant whose web app also trusts a client certificate (private_key_jwt)
const certificate = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const snapshot = structuredClone(defaultSnapshot) as unknown as { applications: Record<string, unknown>[] };
snapshot.applications = snapshot.applications.map((app) =>
  app['appId'] === defaultIds.webApp
    ? { ...app, keyCredentials: [{ keyId: 'c0000000-0000-4000-8000-000000000001', type: 'AsymmetricX509Cert', usage: 'Verify', key: certificate.publicKey.export({ format: 'der', type: 'spki' }).toString('base64') }] }
    : app,
);

let clock = frozenAt;
let server: ClaimcServer;
let base: string;
const logs: RequestLogEntry[] = [];

beforeAll(async () => {
  server = createServer({ directory: demoDirectory(snapshot), key: demoKey, now: () => clock, log: (entry) => logs.push(entry) });
  base = await server.listen(0);
});
afterAll(async () => {
  await server.close();
});

const discoveryFor = (appId?: string): URL => new URL(`${base}/${tid}/v2.0/.well-known/openid-configuration${appId !== undefined ? `?appid=${appId}` : ''}`);

async function webAppConfig(): Promise<client.Configuration> {
  // an app with a custom signing key discovers with ?appid= (its tokens are signed with that key)
  return client.discovery(discoveryFor(defaultIds.webApp), defaultIds.webApp, { [client.clockSkew]: 0 } as client.ClientMetadata, client.ClientSecretPost(demoClientSecrets.webApp), {
    execute: [client.allowInsecureRequests],
  });
}

/** Follows the authorize redirect the way a browser with a session would: login_hint signs in at once. */
async function authorizeCode(url: URL): Promise<URL> {
  const answer = await fetch(url, { redirect: 'manual' });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location')!);
}

async function verifyWithRemoteJwks(jwt: string, jwksUri: string): Promise<Record<string, unknown>> {
  const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(jwksUri)), { currentDate: new Date(clock * 1000) });
  return payload;
}

describe('openid-client against the local endpoint', () => {
  it('runs the authorization code flow with PKCE and validates the ID token; the claims are those assembleToken gives', async () => {
    clock = frozenAt;
    const config = await webAppConfig();
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const redirectUri = `http://127.0.0.1:3999${callbackPath}`;
    const authorizeUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
      state,
      login_hint: 'adelev@contoso.com',
    });
    const callback = await authorizeCode(authorizeUrl);
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state, idTokenExpected: true });
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(`${base}/${tid}/v2.0`);
    expect(claims.aud).toBe(defaultIds.webApp);
    expect(claims.nonce).toBe(nonce);
    expect(claims['preferred_username']).toBe('adelev@contoso.com');

    const expected = assembleToken(demoDirectory(snapshot), { token: 'id', client: defaultIds.webApp, user: 'adelev@contoso.com', scope: 'openid profile email offline_access', now: clock, nonce }, { authority: base });
    expect(expected.format === 'jwt' && stableClaims(claims as Record<string, unknown>)).toEqual(expected.format === 'jwt' && stableClaims({ ...expected.payload }));

    const metadata = config.serverMetadata();
    const idPayload = await verifyWithRemoteJwks(tokens.id_token!, metadata.jwks_uri!);
    expect(idPayload['oid']).toBe(claims['oid']);
    // the access token is for the client itself here (no resource scope), signed with its custom key
    const accessPayload = await verifyWithRemoteJwks(tokens.access_token, metadata.jwks_uri!);
    expect(accessPayload['aud']).toBe(defaultIds.webApp);

    // refresh: a new access token for the Tasks API, verified with the tenant keys
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!, { scope: `api://${defaultIds.api}/Tasks.Read openid` });
    const apiPayload = await verifyWithRemoteJwks(refreshed.access_token, `${base}/${tid}/discovery/v2.0/keys`);
    expect(apiPayload['aud']).toBe(defaultIds.api);
    expect(apiPayload['scp']).toBe('Tasks.Read');
    expect(apiPayload['JoinedData']).toBe('retail.sandbox');
  });

  it('runs client credentials for the daemon: an app-only token with its application role', async () => {
    const config = await client.discovery(discoveryFor(), defaultIds.daemon, {}, client.ClientSecretBasic(demoClientSecrets.daemon), { execute: [client.allowInsecureRequests] });
    const tokens = await client.clientCredentialsGrant(config, { scope: `api://${defaultIds.api}/.default` });
    const payload = await verifyWithRemoteJwks(tokens.access_token, config.serverMetadata().jwks_uri!);
    expect(payload['roles']).toEqual(['Tasks.Read.All']);
    expect(payload['idtyp']).toBe('app');
    expect(payload['iss']).toBe(`${base}/${tid}/v2.0`);
    expect(tokens.expires_in).toBe(3600);
  });

  it('accepts a client assertion signed by a registered certificate (private_key_jwt)', async () => {
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(defaultIds.webApp)
      .setSubject(defaultIds.webApp)
      .setAudience(`${base}/${tid}/oauth2/v2.0/token`)
      .setJti(randomBytes(8).toString('hex'))
      .setIssuedAt(clock)
      .setExpirationTime(clock + 300)
      .sign(certificate.privateKey);
    const answer = await postToken({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion, scope: `${defaultIds.api}/.default` });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { access_token: string };
    expect(decodeJwt(body.access_token)['azp']).toBe(defaultIds.webApp);

    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setIssuer(defaultIds.webApp).setSubject(defaultIds.webApp).setAudience(`${base}/${tid}/oauth2/v2.0/token`).setExpirationTime(clock + 300).sign(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    const refused = await postToken({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: forged, scope: `${defaultIds.api}/.default` });
    await expectEntraError(refused, 401, 'invalid_client', 'AADSTS700027');
  });

  it('exchanges a user token on behalf of the user (jwt-bearer) for a downstream API', async () => {
    // the web app gets a token for the Tasks API, the API exchanges it for a Legacy API token
    const code = await codeFor({ scope: `api://${defaultIds.api}/Tasks.Read openid`, redirect: `http://127.0.0.1:4000${callbackPath}`, user: 'isaiahl@contoso.com' });
    const first = await postToken({ grant_type: 'authorization_code', client_id: defaultIds.webApp, client_secret: demoClientSecrets.webApp, code, redirect_uri: `http://127.0.0.1:4000${callbackPath}` });
    const apiToken = ((await first.json()) as { access_token: string }).access_token;
    const obo = await postToken({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      client_id: defaultIds.api,
      client_secret: demoClientSecrets.api,
      assertion: apiToken,
      requested_token_use: 'on_behalf_of',
      scope: 'https://legacy.contoso.com/user_impersonation',
    });
    expect(obo.status).toBe(200);
    const downstream = await verifyWithRemoteJwks(((await obo.json()) as { access_token: string }).access_token, `${base}/${tid}/discovery/v2.0/keys`);
    expect(downstream['aud']).toBe('https://legacy.contoso.com');
    expect(downstream['appid']).toBe(defaultIds.api);
    // a token for another audience cannot be exchanged by the API
    const misuse = await postToken({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', client_id: defaultIds.daemon, client_secret: demoClientSecrets.daemon, assertion: apiToken, requested_token_use: 'on_behalf_of', scope: `${defaultIds.api}/.default` });
    await expectEntraError(misuse, 400, 'invalid_grant', 'AADSTS500131');
  });
});

async function postToken(fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/${tid}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields) });
}

async function expectEntraError(answer: Response, status: number, error: string, aadsts: string): Promise<Record<string, unknown>> {
  expect(answer.status).toBe(status);
  const body = (await answer.json()) as Record<string, unknown>;
  expect(body['error']).toBe(error);
  expect(String(body['error_description'])).toMatch(new RegExp(`^${aadsts}: `));
  expect(body['error_codes']).toEqual([Number(aadsts.slice(6))]);
  expect(body['trace_id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(body['correlation_id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(body['timestamp']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  return body;
}

async function codeFor(request: { scope: string; redirect: string; user: string; challenge?: string; clientId?: string }): Promise<string> {
  const url = new URL(`${base}/${tid}/oauth2/v2.0/authorize`);
  url.search = new URLSearchParams({
    client_id: request.clientId ?? defaultIds.webApp,
    response_type: 'code',
    redirect_uri: request.redirect,
    scope: request.scope,
    login_hint: request.user,
    ...(request.challenge !== undefined ? { code_challenge: request.challenge, code_challenge_method: 'S256' } : {}),
  }).toString();
  const location = await authorizeCode(url);
  const code = location.searchParams.get('code');
  expect(code, location.href).not.toBeNull();
  return code!;
}

describe('v1 endpoints', () => {
  it('discovery, authorize with resource, and the token endpoint answer as Entra v1 does', async () => {
    const discovery = (await (await fetch(`${base}/${tid}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(discovery['issuer']).toBe(`${base}/${tid}/`);
    expect(discovery['token_endpoint']).toBe(`${base}/${tid}/oauth2/token`);
    const redirect = `http://127.0.0.1:4200${callbackPath}`;
    const location = await authorizeCode(new URL(`${base}/${tid}/oauth2/authorize?${new URLSearchParams({ client_id: defaultIds.webApp, response_type: 'code', redirect_uri: redirect, resource: 'https://legacy.contoso.com', login_hint: 'alexw@contoso.com' })}`));
    const answer = await fetch(`${base}/${tid}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: defaultIds.webApp, client_secret: demoClientSecrets.webApp, code: location.searchParams.get('code')!, redirect_uri: redirect, resource: 'https://legacy.contoso.com' }),
    });
    const body = (await answer.json()) as Record<string, string>;
    expect(answer.status, JSON.stringify(body)).toBe(200);
    expect(body['resource']).toBe('https://legacy.contoso.com');
    expect(body['expires_in']).toBe('3600');
    const access = await verifyWithRemoteJwks(body['access_token']!, `${base}/${tid}/discovery/keys`);
    expect(access['ver']).toBe('1.0');
    expect(access['iss']).toBe(`${base}/${tid}/`);
    expect(access['aud']).toBe('https://legacy.contoso.com');
    const id = await verifyWithRemoteJwks(body['id_token']!, `${base}/${tid}/discovery/keys?appid=${defaultIds.webApp}`);
    expect(id['ver']).toBe('1.0');
    expect(id['unique_name']).toBe('alexw@contoso.com');
  });
});

describe('refusals in Entra shape', () => {
  const redirect = `http://127.0.0.1:4100${callbackPath}`;
  const redeem = (code: string, extra: Record<string, string> = {}): Promise<Response> =>
    postToken({ grant_type: 'authorization_code', client_id: defaultIds.webApp, client_secret: demoClientSecrets.webApp, code, redirect_uri: redirect, ...extra });

  it('a wrong client secret is AADSTS7000215 (401), a missing one AADSTS7000218', async () => {
    await expectEntraError(await postToken({ grant_type: 'client_credentials', client_id: defaultIds.daemon, client_secret: 'nope', scope: `${defaultIds.api}/.default` }), 401, 'invalid_client', 'AADSTS7000215');
    await expectEntraError(await postToken({ grant_type: 'client_credentials', client_id: defaultIds.daemon, scope: `${defaultIds.api}/.default` }), 401, 'invalid_client', 'AADSTS7000218');
    await expectEntraError(await postToken({ grant_type: 'client_credentials', client_id: defaultIds.daemon, client_secret: demoClientSecrets.daemon, scope: `${defaultIds.api}/Tasks.Read` }), 400, 'invalid_scope', 'AADSTS1002012');
    await expectEntraError(await postToken({ grant_type: 'client_credentials', client_id: 'a-missing-app', client_secret: 'x', scope: `${defaultIds.api}/.default` }), 400, 'unauthorized_client', 'AADSTS700016');
  });

  it('codes are single use, bound to the redirect URI and expire after 10 minutes on the injected clock', async () => {
    clock = frozenAt;
    const code = await codeFor({ scope: 'openid', redirect, user: 'alexw@contoso.com' });
    await expectEntraError(await redeem(code, { redirect_uri: `http://127.0.0.1:4100/other` }), 400, 'invalid_grant', 'AADSTS500112');
    expect((await redeem(code)).status).toBe(200);
    await expectEntraError(await redeem(code), 400, 'invalid_grant', 'AADSTS54005');

    const late = await codeFor({ scope: 'openid', redirect, user: 'alexw@contoso.com' });
    clock = frozenAt + 600;
    await expectEntraError(await redeem(late), 400, 'invalid_grant', 'AADSTS70008');
    clock = frozenAt;
    await expectEntraError(await redeem('not-a-code-of-this-endpoint-xxxxxxxxxxxxxxxxxxxxxxxxxxxx'), 400, 'invalid_grant', 'AADSTS9002313');
  });

  it('PKCE: a wrong verifier is AADSTS501481; a SPA must use S256 and redeem cross-origin', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const code = await codeFor({ scope: 'openid', redirect, user: 'alexw@contoso.com', challenge });
    await expectEntraError(await redeem(code, { code_verifier: randomBytes(32).toString('base64url') }), 400, 'invalid_grant', 'AADSTS501481');

    const spaRedirect = 'http://127.0.0.1:5200/spa/';
    const noPkce = await authorizeCode(new URL(`${base}/${tid}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: defaultIds.webApp, response_type: 'code', redirect_uri: spaRedirect, scope: 'openid', login_hint: 'alexw@contoso.com', state: 'st' })}`));
    expect(noPkce.searchParams.get('error')).toBe('invalid_request');
    expect(noPkce.searchParams.get('error_description')).toMatch(/^AADSTS9002325: /);
    expect(noPkce.searchParams.get('state')).toBe('st');

    const spaCode = await codeFor({ scope: 'openid', redirect: spaRedirect, user: 'alexw@contoso.com', challenge });
    const spaFields = { grant_type: 'authorization_code', client_id: defaultIds.webApp, code: spaCode, redirect_uri: spaRedirect, code_verifier: verifier };
    await expectEntraError(await postToken(spaFields), 400, 'invalid_request', 'AADSTS9002327');
    const crossOrigin = await postToken(spaFields, { origin: 'http://127.0.0.1:5200' });
    expect(crossOrigin.status).toBe(200);
    expect(crossOrigin.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5200');
  });

  it('an unregistered redirect URI is refused on a page (AADSTS50011), never redirected to', async () => {
    for (const evil of ['http://evil.example/auth/callback', 'http://127.0.0.1:4100/auth/callback/../x', 'http://127.0.0.1:4100/auth/callbackx', 'https://127.0.0.1/auth/callback']) {
      const answer = await fetch(`${base}/${tid}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: defaultIds.webApp, response_type: 'code', redirect_uri: evil, scope: 'openid', login_hint: 'alexw@contoso.com' })}`, { redirect: 'manual' });
      expect(answer.status, evil).toBe(400);
      expect(answer.headers.get('location')).toBeNull();
      expect(await answer.text()).toContain('AADSTS50011');
    }
    const unknownTenant = await fetch(`${base}/not-a-tenant/v2.0/.well-known/openid-configuration`);
    await expectEntraError(unknownTenant, 400, 'invalid_tenant', 'AADSTS90002');
  });

  it('response modes: id_token by fragment and form_post; prompt=none without a session is login_required', async () => {
    const params = { client_id: defaultIds.webApp, redirect_uri: redirect, scope: 'openid profile', nonce: 'n-1', state: 's-1', login_hint: 'meganb@contoso.com' };
    const fragment = await authorizeCode(new URL(`${base}/${tid}/oauth2/v2.0/authorize?${new URLSearchParams({ ...params, response_type: 'id_token' })}`));
    const fields = new URLSearchParams(fragment.hash.slice(1));
    expect(decodeJwt(fields.get('id_token')!)['nonce']).toBe('n-1');
    expect(fields.get('state')).toBe('s-1');

    const posted = await fetch(`${base}/${tid}/oauth2/v2.0/authorize?${new URLSearchParams({ ...params, response_type: 'code id_token', response_mode: 'form_post' })}`);
    const page = await posted.text();
    expect(page).toContain(`action="${redirect}"`);
    expect(page).toMatch(/name="code" value="[A-Za-z0-9_-]+"/);
    expect(page).toMatch(/name="id_token" value="ey/);
    expect(posted.headers.get('content-security-policy')).toContain("script-src 'nonce-");

    const silent = await authorizeCode(new URL(`${base}/${tid}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: defaultIds.webApp, redirect_uri: redirect, scope: 'openid', response_type: 'code', prompt: 'none' })}`));
    expect(silent.searchParams.get('error')).toBe('login_required');
    expect(silent.searchParams.get('error_description')).toMatch(/^AADSTS50058: /);

    const page2 = await fetch(`${base}/${tid}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: defaultIds.webApp, redirect_uri: redirect, scope: 'openid', response_type: 'code' })}`);
    const html = await page2.text();
    expect(html).toContain('adelev@contoso.com');
    expect(html).not.toContain('<script');
  });

  it('a sign-in leaves a session: prompt=none then signs the same user in silently, until logout', async () => {
    const params = { client_id: defaultIds.webApp, redirect_uri: redirect, scope: 'openid profile', response_type: 'code' };
    const first = await fetch(`${base}/${tid}/oauth2/v2.0/authorize?${new URLSearchParams({ ...params, login_hint: 'joni' + 's@contoso.com' })}`, { redirect: 'manual' });
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toMatch(/^claimc_session=/);
    const silent = await fetch(`${base}/${tid}/oauth2/v2.0/authorize?${new URLSearchParams({ ...params, prompt: 'none' })}`, { redirect: 'manual', headers: { cookie } });
    const code = new URL(silent.headers.get('location')!).searchParams.get('code')!;
    const tokens = (await (await redeem(code)).json()) as { id_token: string };
    expect(decodeJwt(tokens.id_token)['preferred_username']).toBe('jonis@contoso.com');
    const forced = await fetch(`${base}/${tid}/oauth2/v2.0/authorize?${new URLSearchParams({ ...params, prompt: 'login' })}`, { redirect: 'manual', headers: { cookie } });
    expect(forced.status).toBe(200);
    expect(await forced.text()).toContain('Pick an account');
    const logout = await fetch(`${base}/${tid}/oauth2/v2.0/logout?${new URLSearchParams({ client_id: defaultIds.webApp, post_logout_redirect_uri: redirect })}`, { redirect: 'manual', headers: { cookie } });
    expect(logout.headers.get('location')).toBe(redirect);
    expect(logout.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const away = await fetch(`${base}/${tid}/oauth2/v2.0/logout?${new URLSearchParams({ client_id: defaultIds.webApp, post_logout_redirect_uri: 'http://evil.example/' })}`, { redirect: 'manual' });
    expect(away.headers.get('location')).toBeNull();
  });

  it('limits the body, answers a disabled account with AADSTS50057 and logs one entry per request without queries', async () => {
    const big = await postToken({ grant_type: 'client_credentials', padding: 'x'.repeat(70 * 1024) });
    expect(big.status).toBe(413);
    const disabled = await authorizeCode(new URL(`${base}/${tid}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: defaultIds.webApp, redirect_uri: redirect, scope: 'openid', response_type: 'code', login_hint: 'diegos@contoso.com' })}`));
    expect(disabled.searchParams.get('error_description')).toMatch(/^AADSTS50057: /);
    const head = await fetch(`${base}/${tid}/discovery/v2.0/keys`, { headers: { 'x-big': 'y'.repeat(20 * 1024) } });
    expect(head.status).toBe(431);
    expect(await head.text()).toBe('');
    expect(logs.length).toBeGreaterThan(10);
    expect(logs.every((entry) => !entry.path.includes('?'))).toBe(true);
    expect(logs.some((entry) => entry.error === 'AADSTS7000215')).toBe(true);
  });
});
