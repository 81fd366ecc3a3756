import { calculateJwkThumbprint, exportJWK, importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { ClaimcRuntimeError } from '../errors.js';
import { base64url } from '../token/sha256.js';

/** Signature algorithms claimc signs with (RS256 is Entra's; threats K1 binds each key to one). */
export type SigningAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'EdDSA' | 'HS256' | 'HS384' | 'HS512';

/** What the key loaders learn from key material before importing it. */
export interface KeyDescription {
  readonly alg: SigningAlgorithm;
  readonly kid: string;
  /** Bytes of a raw signature, so the compact length is known before signing (threats G2). */
  readonly signatureLength: number;
  /** The public JWK (no private members) for JWKS; undefined for HMAC secrets, which are never published. */
  readonly publicJwk: JWK | undefined;
  /** base64url of the protected header for v2 (`plain`) and v1 (`x5t`) tokens, encoded once per key (see `jwtHeader`). */
  readonly encodedHeaders?: EncodedJwtHeaders;
  /** The X.509 certificate published for this key (v1 `x5t`, JWKS `x5t`/`x5c`, SAML KeyInfo); see `withCertificate`. */
  readonly certificate?: KeyCertificate;
}

/** A key's X.509 certificate as JOSE names it. */
export interface KeyCertificate {
  /** base64url of the SHA-1 digest of the DER certificate (the thumbprint Entra puts in `x5t`). */
  readonly x5t: string;
  /** The chain as standard base64 DER, leaf first (JWKS `x5c`). */
  readonly x5c: readonly string[];
}

/** A key's protected headers, already base64url-encoded. */
export interface EncodedJwtHeaders {
  /** What they were encoded for: a key copied with another kid (`{ ...key, kid }`) must not reuse them. */
  readonly alg: SigningAlgorithm;
  readonly kid: string;
  /** The thumbprint the `x5t` header carries (the certificate's, else the kid). */
  readonly thumbprint: string;
  readonly plain: string;
  readonly x5t: string;
}

const headerText = new TextEncoder();

/**
 * The encoded protected headers of a key (threats N7: typ, alg, kid, and x5t on v1 — the same members and order as `jwtHeader`).
 *
 * @example
 * encodedJwtHeaders('ES256', 'k1').plain // base64url('{"typ":"JWT","alg":"ES256","kid":"k1"}')
 */
export function encodedJwtHeaders(alg: SigningAlgorithm, kid: string, thumbprint: string = kid): EncodedJwtHeaders {
  return Object.freeze({
    alg,
    kid,
    thumbprint,
    plain: base64url(headerText.encode(JSON.stringify({ typ: 'JWT', alg, kid }))),
    x5t: base64url(headerText.encode(JSON.stringify({ typ: 'JWT', alg, x5t: thumbprint, kid }))),
  });
}

/** The value of a key's `x5t` header: its certificate's SHA-1 thumbprint, or the kid for a key without one. */
export const keyThumbprint = (key: KeyDescription): string => key.certificate?.x5t ?? key.kid;

/** A portable signing key (WebCrypto through jose). */
export interface SigningKey extends KeyDescription {
  readonly key: CryptoKey | Uint8Array;
}

/** The keys an issuer signs with: the tenant's global key and applications' custom keys by appId (D19). */
export interface KeyRing<K extends KeyDescription = SigningKey> {
  readonly tenant: K;
  readonly applications?: ReadonlyMap<string, K>;
}

const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];
const hmacMinimum: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 };
const kidPattern = /^[A-Za-z0-9._~+/=-]{1,128}$/;

const keyError = (message: string, cause?: unknown): ClaimcRuntimeError => new ClaimcRuntimeError('ERR_KEY_INVALID', message, cause === undefined ? {} : { cause });

/** Strips private members from a JWK. */
export function publicPart(jwk: JWK): JWK {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(jwk)) if (!privateMembers.includes(k) && k !== 'ext' && k !== 'key_ops') out[k] = v;
  return out as JWK;
}

const b64urlByteLength = (text: string): number => Math.floor((text.replace(/=+$/, '').length * 3) / 4);

/** Reads the key algorithm of a PKCS#8 PEM from its AlgorithmIdentifier OID (no parsing library needed). */
export function pkcs8Algorithm(pem: string): 'RSA' | 'RSA-PSS' | 'P-256' | 'Ed25519' | undefined {
  const body = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(pem)?.[1];
  if (body === undefined) return undefined;
  const der = Uint8Array.from(atob(body.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
  const hex = Array.from(der.subarray(0, 40), (b) => b.toString(16).padStart(2, '0')).join('');
  if (hex.includes('06092a864886f70d010101')) return 'RSA';
  if (hex.includes('06092a864886f70d01010a')) return 'RSA-PSS';
  if (hex.includes('06072a8648ce3d0201') && hex.includes('06082a8648ce3d030107')) return 'P-256';
  if (hex.includes('06032b6570')) return 'Ed25519';
  return undefined;
}

/** Parses key material text: a PKCS#8 PEM, or a JWK as JSON. */
export function parseKeyMaterial(material: string | JWK): { readonly pem: string } | { readonly jwk: JWK } {
  if (typeof material !== 'string') return { jwk: material };
  const trimmed = material.trim();
  if (trimmed.startsWith('{')) {
    try {
      return { jwk: JSON.parse(trimmed) as JWK };
    } catch (error) {
      throw keyError('key material looks like JSON but does not parse as a JWK', error);
    }
  }
  if (trimmed.includes('-----BEGIN RSA PRIVATE KEY-----') || trimmed.includes('-----BEGIN EC PRIVATE KEY-----')) {
    throw keyError('PKCS#1/SEC1 PEM keys are not supported; convert with `openssl pkcs8 -topk8 -nocrypt`');
  }
  if (trimmed.includes('-----BEGIN PRIVATE KEY-----')) return { pem: trimmed };
  throw keyError('key material must be a PKCS#8 PEM ("BEGIN PRIVATE KEY") or a private JWK');
}

/** Decides the algorithm of a private JWK and checks its strength (threats K2, K3). */
export function describeJwk(jwk: JWK, requested?: SigningAlgorithm): { alg: SigningAlgorithm; signatureLength: number } {
  const wanted = requested ?? (jwk.alg as SigningAlgorithm | undefined);
  switch (jwk.kty) {
    case 'RSA': {
      if (typeof jwk.n !== 'string' || typeof jwk.d !== 'string') throw keyError('an RSA signing key needs the private JWK members n and d');
      const alg = wanted ?? 'RS256';
      if (alg !== 'RS256' && alg !== 'PS256') throw keyError(`an RSA key signs RS256 or PS256, not ${alg}`);
      const bytes = b64urlByteLength(jwk.n);
      if (bytes < 256) throw keyError(`RSA keys must be at least 2048 bits; this one has ${bytes * 8}`);
      return { alg, signatureLength: bytes };
    }
    case 'EC':
      if (jwk.crv !== 'P-256' || typeof jwk.d !== 'string') throw keyError('EC signing keys must be private P-256 keys (ES256)');
      if (wanted !== undefined && wanted !== 'ES256') throw keyError(`a P-256 key signs ES256, not ${wanted}`);
      return { alg: 'ES256', signatureLength: 64 };
    case 'OKP':
      if (jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string') throw keyError('OKP signing keys must be private Ed25519 keys (EdDSA)');
      if (wanted !== undefined && wanted !== 'EdDSA' && wanted !== ('Ed25519' as SigningAlgorithm)) throw keyError(`an Ed25519 key signs EdDSA, not ${wanted}`);
      return { alg: 'EdDSA', signatureLength: 64 };
    case 'oct': {
      if (typeof jwk.k !== 'string') throw keyError('an oct JWK needs the member k');
      const alg = wanted ?? 'HS256';
      const minimum = hmacMinimum[alg];
      if (minimum === undefined) throw keyError(`a symmetric key signs HS256, HS384 or HS512, not ${alg}`);
      const bytes = b64urlByteLength(jwk.k);
      if (bytes < minimum) throw keyError(`${alg} secrets must be at least ${minimum} bytes (the hash size); this one has ${bytes}`);
      return { alg, signatureLength: minimum };
    }
    default:
      throw keyError(`unsupported key type ${String(jwk.kty)}`);
  }
}

/** Checks a kid against the restricted charset (threats K4). */
export function checkKid(kid: string): string {
  if (!kidPattern.test(kid)) throw keyError(`kid ${JSON.stringify(kid)} is not 1–128 characters of [A-Za-z0-9._~+/=-]`);
  return kid;
}

/** The default kid: the RFC 7638 thumbprint of the public key ("hmac" for secrets, which have no public half). */
export async function defaultKid(publicJwk: JWK | undefined): Promise<string> {
  return publicJwk === undefined ? 'hmac' : calculateJwkThumbprint(publicJwk);
}

/**
 * Imports signing key material (PKCS#8 PEM or private JWK) for the portable signer. RSA defaults to RS256 (as Entra);
 * a JWK `alg` (or `options.alg`) selects PS256 or HS384/HS512. HMAC secrets shorter than the hash, RSA under 2048
 * bits and unknown key types are refused with `ERR_KEY_INVALID`.
 *
 * @example
 * const key = await importSigningKey(pemText); // { alg: 'RS256', kid: '<thumbprint>', … }
 */
export async function importSigningKey(material: string | JWK, options: { readonly alg?: SigningAlgorithm; readonly kid?: string } = {}): Promise<SigningKey> {
  const parsed = parseKeyMaterial(material);
  let jwk: JWK;
  let key: CryptoKey | Uint8Array;
  try {
    if ('pem' in parsed) {
      const type = pkcs8Algorithm(parsed.pem);
      const alg = options.alg ?? (type === 'RSA' ? 'RS256' : type === 'RSA-PSS' ? 'PS256' : type === 'P-256' ? 'ES256' : type === 'Ed25519' ? 'EdDSA' : undefined);
      if (alg === undefined) throw keyError('unsupported PKCS#8 key algorithm (use RSA, P-256 or Ed25519)');
      const imported = await importPKCS8(parsed.pem, alg, { extractable: true });
      jwk = { ...(await exportJWK(imported)), alg };
    } else {
      jwk = parsed.jwk;
    }
  } catch (error) {
    if (error instanceof ClaimcRuntimeError) throw error;
    throw keyError('cannot import the key material', error);
  }
  const { alg, signatureLength } = describeJwk(jwk, options.alg);
  try {
    key = await importJWK({ ...jwk, alg }, alg);
  } catch (error) {
    throw keyError(`cannot import the key for ${alg}`, error);
  }
  const publicJwk = jwk.kty === 'oct' ? undefined : publicPart({ ...jwk, alg });
  const kid = checkKid(options.kid ?? jwk.kid ?? (await defaultKid(publicJwk)));
  return Object.freeze({ alg, kid, signatureLength, key, publicJwk: publicJwk === undefined ? undefined : { ...publicJwk, kid, use: 'sig' }, encodedHeaders: encodedJwtHeaders(alg, kid) });
}

/** The same key under another kid (an application's custom key credential, D19). */
export function withKid<K extends KeyDescription>(key: K, kid: string): K {
  checkKid(kid);
  return Object.freeze({ ...key, kid, publicJwk: key.publicJwk === undefined ? undefined : { ...key.publicJwk, kid }, encodedHeaders: encodedJwtHeaders(key.alg, kid, keyThumbprint(key)) });
}

/**
 * The same key with its X.509 certificate: v1 headers and JWKS then carry the certificate's thumbprint (`x5t`) and
 * JWKS its chain (`x5c`). Certificates are made by `@claimc/saml` (`createSigningCertificate`).
 *
 * @example
 * const certified = withCertificate(key, { x5t: certificate.x5t, x5c: [certificate.base64] });
 */
export function withCertificate<K extends KeyDescription>(key: K, certificate: KeyCertificate): K {
  const frozen: KeyCertificate = Object.freeze({ x5t: certificate.x5t, x5c: Object.freeze([...certificate.x5c]) });
  return Object.freeze({ ...key, certificate: frozen, encodedHeaders: encodedJwtHeaders(key.alg, key.kid, frozen.x5t) });
}
