import type { JWK } from 'jose';
import { keyThumbprint, type KeyDescription } from './keys.js';

/**
 * A JWKS document with the public keys (HMAC secrets are never published); a key with a certificate carries its
 * thumbprint as `x5t` and its chain as `x5c`, as Entra's keys do.
 *
 * @example
 * jwks([tenantKey]) // { keys: [{ kty: 'RSA', use: 'sig', kid: '…', x5t: '…', n: '…', e: 'AQAB', alg: 'RS256' }] }
 */
export function jwks(keys: readonly KeyDescription[]): { keys: JWK[] } {
  const out: JWK[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    if (key.publicJwk === undefined || seen.has(key.kid)) continue;
    seen.add(key.kid);
    const x5c = key.certificate !== undefined ? { x5c: [...key.certificate.x5c] } : {};
    out.push({ ...key.publicJwk, use: 'sig', kid: key.kid, x5t: keyThumbprint(key), ...x5c, alg: key.alg } as JWK);
  }
  return { keys: out };
}

/** Options of the OpenID configuration document. */
export interface OpenIdConfigurationOptions {
  readonly version?: 1 | 2;
  /** An application with a custom signing key: the `?appid=` form (D19). */
  readonly appId?: string;
  /** Signing algorithms advertised (default RS256). */
  readonly algorithms?: readonly string[];
  /** Authority host (default login.microsoftonline.com). */
  readonly authority?: string;
  /** The tenant's region (`tenantRegionScope(organization)`): the same value as the `tenant_region_scope` optional claim; null when unknown. */
  readonly tenantRegionScope?: string | null;
}

/**
 * The OpenID Connect discovery document Entra serves at `/{tenant}/v2.0/.well-known/openid-configuration`
 * (v1: without `/v2.0`), including the `?appid=` form whose `jwks_uri` lists an app's custom key.
 *
 * @example
 * openidConfiguration(tenantId, { appId: webAppId }).jwks_uri // 'https://login.microsoftonline.com/<tid>/discovery/v2.0/keys?appid=<appId>'
 */
export function openidConfiguration(tenantId: string, options: OpenIdConfigurationOptions = {}): Record<string, unknown> {
  const authority = options.authority ?? 'https://login.microsoftonline.com';
  const v2 = (options.version ?? 2) === 2;
  const base = `${authority}/${tenantId}`;
  const query = options.appId !== undefined ? `?appid=${encodeURIComponent(options.appId)}` : '';
  return {
    // the v1 issuer is Entra's sts host unless a local authority serves both versions (then `iss` is `{authority}/{tid}/`)
    issuer: v2 ? `${base}/v2.0` : options.authority !== undefined ? `${base}/` : `https://sts.windows.net/${tenantId}/`,
    authorization_endpoint: v2 ? `${base}/oauth2/v2.0/authorize` : `${base}/oauth2/authorize`,
    token_endpoint: v2 ? `${base}/oauth2/v2.0/token` : `${base}/oauth2/token`,
    jwks_uri: (v2 ? `${base}/discovery/v2.0/keys` : `${base}/discovery/keys`) + query,
    end_session_endpoint: v2 ? `${base}/oauth2/v2.0/logout` : `${base}/oauth2/logout`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: [...(options.algorithms ?? ['RS256'])],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'auth_time', 'nonce', 'name', 'family_name', 'given_name', 'preferred_username', 'email', 'oid', 'tid', 'ver', 'roles', 'groups', 'wids'],
    tenant_region_scope: options.tenantRegionScope ?? null,
    cloud_instance_name: 'microsoftonline.com',
  };
}
