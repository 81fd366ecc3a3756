// @azure/msal-node against the local endpoint. MSAL refuses an http authority outright (authorityUriInsecure), so
// the server runs with a loopback TLS certificate made here by openssl, and MSAL's network client trusts exactly
// that certificate. Authority metadata comes from knownAuthorities + the local discovery document.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfidentialClientApplication, CryptoProvider, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import { createRemoteJWKSet, customFetch, jwtVerify } from 'jose';
import { defaultIds, defaultSnapshot, demoClientSecrets } from '../../cli/src/demo/tenant.js';
import { createServer, type ClaimcServer } from '../src/index.js';
import { demoDirectory, demoKey } from './helpers.js';

const tid = defaultIds.tenant;
const frozenAt = Math.floor(Date.now() / 1000);
let server: ClaimcServer;
let base: string;
let ca: string;
let clientCertPem: string;
let clientKeyPem: string;

/** HTTPS requests that trust only the test's certificate (MSAL's INetworkModule). */
function send(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions = {}): Promise<{ status: number; headers: Record<string, string>; text: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const body = options.body;
    const request = httpsRequest(url, { method, ca, headers: { ...(options.headers ?? {}), ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers[name] = value;
        resolve({ status: response.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8'), ...(typeof response.headers.location === 'string' ? { location: response.headers.location } : {}) });
      });
    });
    request.on('error', reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

const networkClient: INetworkModule = {
  async sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const answer = await send('GET', url, options);
    return { status: answer.status, headers: answer.headers, body: JSON.parse(answer.text) as T };
  },
  async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const answer = await send('POST', url, options);
    return { status: answer.status, headers: answer.headers, body: JSON.parse(answer.text) as T };
  },
};

beforeAll(async () => {
  const folder = mkdtempSync(join(tmpdir(), 'claimc-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem')], { stdio: 'ignore' });
  ca = readFileSync(join(folder, 'cert.pem'), 'utf8');
  // the daemon also trusts a client certificate (private_key_jwt); MSAL signs its assertion with RSA
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=contoso-daemon', '-keyout', join(folder, 'client-key.pem'), '-out', join(folder, 'client-cert.pem')], { stdio: 'ignore' });
  clientCertPem = readFileSync(join(folder, 'client-cert.pem'), 'utf8');
  clientKeyPem = readFileSync(join(folder, 'client-key.pem'), 'utf8');
  const certificate = new X509Certificate(clientCertPem);
  const snapshot = structuredClone(defaultSnapshot) as unknown as { applications: Record<string, unknown>[] };
  snapshot.applications = snapshot.applications.map((app) =>
    app['appId'] === defaultIds.daemon
      ? { ...app, keyCredentials: [{ keyId: 'c0000000-0000-4000-8000-000000000002', type: 'AsymmetricX509Cert', usage: 'Verify', key: certificate.raw.toString('base64'), customKeyIdentifier: certificate.fingerprint.replace(/:/g, '') }] }
      : app,
  );
  server = createServer({ directory: demoDirectory(snapshot), key: demoKey, now: () => frozenAt, tls: { key: readFileSync(join(folder, 'key.pem'), 'utf8'), cert: ca } });
  base = await server.listen(0);
});
afterAll(async () => {
  await server.close();
});

function msalApp(clientId: string, credential: string | { thumbprintSha256: string; privateKey: string }): ConfidentialClientApplication {
  const host = new URL(base).host;
  return new ConfidentialClientApplication({
    auth: {
      clientId,
      ...(typeof credential === 'string' ? { clientSecret: credential } : { clientCertificate: credential }),
      authority: `${base}/${tid}`,
      knownAuthorities: [host],
      cloudDiscoveryMetadata: JSON.stringify({ tenant_discovery_endpoint: `${base}/${tid}/v2.0/.well-known/openid-configuration`, 'api-version': '1.1', metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }] }),
    },
    system: { networkClient },
  });
}

async function verify(jwt: string, appId?: string): Promise<Record<string, unknown>> {
  // jose's remote JWKS over the same trusted TLS connection
  const jwksUri = `${base}/${tid}/discovery/v2.0/keys${appId !== undefined ? `?appid=${appId}` : ''}`;
  const set = createRemoteJWKSet(new URL(jwksUri), {
    [customFetch]: async (url: string) => {
      const answer = await send('GET', url);
      return new Response(answer.text, { status: answer.status, headers: answer.headers });
    },
  });
  const { payload } = await jwtVerify(jwt, set, { currentDate: new Date(frozenAt * 1000), issuer: `${base}/${tid}/v2.0` });
  return payload;
}

describe('@azure/msal-node against claimc serve (loopback TLS)', () => {
  it('acquires an app-only token by client credentials', async () => {
    const result = await msalApp(defaultIds.daemon, demoClientSecrets.daemon).acquireTokenByClientCredential({ scopes: [`api://${defaultIds.api}/.default`] });
    expect(result?.accessToken).toBeTruthy();
    const payload = await verify(result!.accessToken);
    expect(payload['roles']).toEqual(['Tasks.Read.All']);
    expect(payload['aud']).toBe(defaultIds.api);
  });

  it('acquires an app-only token with a client certificate (private_key_jwt checked against the registered certificate)', async () => {
    const thumbprintSha256 = new X509Certificate(clientCertPem).fingerprint256.replace(/:/g, '');
    const result = await msalApp(defaultIds.daemon, { thumbprintSha256, privateKey: clientKeyPem }).acquireTokenByClientCredential({ scopes: [`${defaultIds.api}/.default`] });
    expect((await verify(result!.accessToken))['roles']).toEqual(['Tasks.Read.All']);
    // the same client with a key it did not register is refused
    const stranger = execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], { encoding: 'utf8' });
    await expect(msalApp(defaultIds.daemon, { thumbprintSha256, privateKey: stranger }).acquireTokenByClientCredential({ scopes: [`${defaultIds.api}/.default`] })).rejects.toThrow(/AADSTS700027/);
  });

  it('acquires tokens by authorization code with PKCE; the account is the signed-in user', async () => {
    const app = msalApp(defaultIds.webApp, demoClientSecrets.webApp);
    const pkce = await new CryptoProvider().generatePkceCodes();
    const redirectUri = 'http://127.0.0.1:3000/auth/callback';
    const scopes = [`api://${defaultIds.api}/Tasks.Read`];
    const authorizeUrl = await app.getAuthCodeUrl({ scopes, redirectUri, loginHint: 'isaiahl@contoso.com', codeChallenge: pkce.challenge, codeChallengeMethod: 'S256', state: 'msal-state' });
    expect(authorizeUrl.startsWith(`${base}/${tid}/oauth2/v2.0/authorize?`)).toBe(true);
    const answer = await send('GET', authorizeUrl);
    expect(answer.status).toBe(302);
    const callback = new URL(answer.location!);
    expect(callback.searchParams.get('state')).toBe('msal-state');
    const result = await app.acquireTokenByCode({ code: callback.searchParams.get('code')!, scopes, redirectUri, codeVerifier: pkce.verifier });
    expect(result.account?.username).toBe('isaiahl@contoso.com');
    expect(result.account?.homeAccountId).toBe(`${String((result.idTokenClaims as Record<string, unknown>)['oid'])}.${tid}`);
    const access = await verify(result.accessToken);
    expect(access['scp']).toBe('Tasks.Read');
    expect(access['roles']).toEqual(['Tasks.Read']);
    const id = await verify(result.idToken, defaultIds.webApp);
    expect(id['aud']).toBe(defaultIds.webApp);
    // MSAL's cache answers silently with the refresh token it got (offline_access is added by MSAL)
    const silent = await app.acquireTokenSilent({ account: result.account!, scopes, forceRefresh: true });
    expect((await verify(silent.accessToken))['oid']).toBe(access['oid']);
  });
});
