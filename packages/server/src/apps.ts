import { X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import type { IndexedApp, IndexedDirectory } from '@claimc/runtime/internal';
import { EntraError } from './errors.js';
import { secretMatches } from './seal.js';

/** The platform a redirect URI is registered under: it decides PKCE and client authentication. */
export type RedirectPlatform = 'web' | 'spa' | 'publicClient';

/**
 * An application by appId or identifier URI, or Entra's `AADSTS700016`.
 *
 * @example
 * findClient(directory, '3f4e5d6c-7b8a-4912-8a3b-1c2d3e4f5a6b').appId
 */
export function findClient(directory: IndexedDirectory, clientId: string): IndexedApp {
  const app = directory.appsByAppId.get(clientId) ?? directory.appsByIdentifierUri.get(clientId);
  if (app === undefined) {
    throw new EntraError(
      'unauthorized_client',
      'AADSTS700016',
      `Application with identifier '${clientId}' was not found in the directory '${directory.organization.id}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  }
  return app;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Registered and requested URI equal, except that an http loopback URI matches on any port (RFC 8252, as Entra does). */
function redirectMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  let a: URL;
  let b: URL;
  try {
    a = new URL(registered);
    b = new URL(requested);
  } catch {
    return false;
  }
  if (a.protocol !== 'http:' || b.protocol !== 'http:' || !loopbackHosts.has(a.hostname) || a.hostname !== b.hostname) return false;
  return a.pathname === b.pathname && a.search === b.search && a.hash === '' && b.hash === '' && a.username === '' && b.username === '' && a.password === '' && b.password === '';
}

/**
 * The app's registered redirect URIs by platform.
 *
 * @example
 * redirectUris(app) // [{ uri: 'http://localhost:3000/auth/callback', platform: 'web' }, …]
 */
export function redirectUris(app: IndexedApp): readonly { readonly uri: string; readonly platform: RedirectPlatform }[] {
  const out: { uri: string; platform: RedirectPlatform }[] = [];
  for (const platform of ['web', 'spa', 'publicClient'] as const) for (const uri of app.application?.[platform]?.redirectUris ?? []) out.push({ uri, platform });
  return out;
}

/**
 * Checks a requested redirect URI against the registration: exact match (loopback port aside), never a prefix or
 * a pattern, so no open redirect. Absent: the app's first web URI. Otherwise `AADSTS50011` / `AADSTS500113`.
 *
 * @example
 * matchRedirectUri(app, 'http://127.0.0.1:61234/auth/callback') // { uri: '…', platform: 'web' } (loopback: any port)
 */
export function matchRedirectUri(app: IndexedApp, requested: string | undefined): { readonly uri: string; readonly platform: RedirectPlatform } {
  const registered = redirectUris(app);
  if (registered.length === 0) throw new EntraError('invalid_request', 'AADSTS500113', 'No reply address is registered for the application.');
  if (requested === undefined) {
    const web = registered.filter((r) => r.platform === 'web');
    if (web.length > 0) return web[0]!;
    throw new EntraError('invalid_request', 'AADSTS900971', 'No reply address provided.');
  }
  const found = registered.find((r) => redirectMatches(r.uri, requested));
  if (found === undefined) {
    throw new EntraError(
      'invalid_request',
      'AADSTS50011',
      `The redirect URI '${requested}' specified in the request does not match the redirect URIs configured for the application '${app.appId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
    );
  }
  return { uri: requested, platform: found.platform };
}

const inWindow = (start: string | null | undefined, end: string | null | undefined, now: number): boolean =>
  (start == null || Date.parse(start) / 1000 <= now) && (end == null || now < Date.parse(end) / 1000);

/** The client secrets of an app valid at `now`. */
function validSecrets(app: IndexedApp, now: number): string[] {
  return (app.application?.passwordCredentials ?? []).filter((c) => typeof c.secretText === 'string' && inWindow(c.startDateTime, c.endDateTime, now)).map((c) => c.secretText!);
}

/** Public keys of the app's client certificates (`keyCredentials` with usage Verify) valid at `now`. */
function verifyKeys(app: IndexedApp, now: number): KeyObject[] {
  const out: KeyObject[] = [];
  for (const credential of app.application?.keyCredentials ?? []) {
    if (typeof credential.key !== 'string' || (credential.usage != null && credential.usage !== 'Verify') || !inWindow(credential.startDateTime, credential.endDateTime, now)) continue;
    const der = Buffer.from(credential.key, 'base64');
    try {
      out.push(new X509Certificate(der).publicKey);
    } catch {
      try {
        out.push(createPublicKey({ key: der, format: 'der', type: 'spki' }));
      } catch {
        // an unreadable key never authenticates anyone
      }
    }
  }
  return out;
}

/** How a client proved who it is at the token endpoint. */
export type ClientAuthentication = 'secret' | 'assertion' | 'none';

/** What the token endpoint received: `client_id`, and a secret (post or basic) or an assertion. */
export interface PresentedCredentials {
  readonly clientId: string | undefined;
  readonly secret: string | undefined;
  readonly assertion: string | undefined;
  readonly assertionType: string | undefined;
}

/** Reads `client_secret_basic`, `client_secret_post` and `private_key_jwt` from a token request. */
export function presentedCredentials(form: ReadonlyMap<string, string>, authorization: string | undefined): PresentedCredentials {
  let clientId = form.get('client_id');
  let secret = form.get('client_secret');
  if (authorization !== undefined && /^basic /i.test(authorization)) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      // RFC 6749 2.3.1: both halves are form-urlencoded
      const decode = (text: string): string => decodeURIComponent(text.replace(/\+/g, ' '));
      try {
        clientId ??= decode(decoded.slice(0, colon));
        secret ??= decode(decoded.slice(colon + 1));
      } catch {
        throw new EntraError('invalid_client', 'AADSTS7000215', 'Invalid client secret provided.', 401);
      }
    }
  }
  return { clientId, secret, assertion: form.get('client_assertion'), assertionType: form.get('client_assertion_type') };
}

const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Authenticates a confidential client against its registration: a secret compared in constant time with the
 * app's valid `passwordCredentials`, or a client assertion signed by one of its certificates, addressed to this
 * token endpoint, issued and subject = the client, within its validity per the injected clock.
 */
export async function authenticateClient(app: IndexedApp, presented: PresentedCredentials, tokenEndpoint: string, now: number): Promise<ClientAuthentication> {
  if (presented.assertion !== undefined) {
    if (presented.assertionType !== assertionType) {
      throw new EntraError('invalid_request', 'AADSTS50027', `client_assertion_type must be '${assertionType}'.`);
    }
    const keys = verifyKeys(app, now);
    if (keys.length === 0) throw new EntraError('invalid_client', 'AADSTS700027', `Client assertion failed signature validation: no certificate is registered for the application '${app.appId}'.`, 401);
    let lastProblem = 'the signature does not match any registered certificate';
    for (const key of keys) {
      try {
        await jwtVerify(presented.assertion, key, { audience: tokenEndpoint, issuer: app.appId, subject: app.appId, currentDate: new Date(now * 1000), clockTolerance: 300 });
        return 'assertion';
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ERR_JWT_EXPIRED') throw new EntraError('invalid_client', 'AADSTS700024', 'Client assertion is not within its valid time range.', 401);
        if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') lastProblem = `the assertion's ${(error as { claim?: string }).claim ?? 'claims'} does not match (aud must be ${tokenEndpoint}, iss and sub the client id)`;
      }
    }
    throw new EntraError('invalid_client', 'AADSTS700027', `Client assertion failed signature validation: ${lastProblem}.`, 401);
  }
  if (presented.secret !== undefined) {
    if (secretMatches(presented.secret, validSecrets(app, now))) return 'secret';
    throw new EntraError('invalid_client', 'AADSTS7000215', `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`, 401);
  }
  throw new EntraError('invalid_client', 'AADSTS7000218', "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", 401);
}
