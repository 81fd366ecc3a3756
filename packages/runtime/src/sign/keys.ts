import { base64url, calculateJwkThumbprint, exportJWK, importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { ClaimcRuntimeError } from '../errors.js';
import { parsePkcs8, pkcs8Der, pkcs8KeyType, pkcs8Pem, pssRefusal, rsaEncryptionPkcs8, type Pkcs8KeyType } from './pkcs8.js';

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
  checkKid(kid);
  const headers = Object.freeze({
    alg,
    kid,
    thumbprint,
    plain: base64url.encode(headerText.encode(JSON.stringify({ typ: 'JWT', alg, kid }))),
    x5t: base64url.encode(headerText.encode(JSON.stringify({ typ: 'JWT', alg, x5t: thumbprint, kid }))),
  });
  encodedHere.add(headers);
  return headers;
}

/** The value of a key's `x5t` header: its certificate's SHA-1 thumbprint, or the kid for a key without one. */
export const keyThumbprint = (key: KeyDescription): string => key.certificate?.x5t ?? key.kid;

// headers objects made by encodedJwtHeaders: signers reuse only these, never header text a key record merely carries
const encodedHere = new WeakSet<EncodedJwtHeaders>();

/**
 * The pre-encoded headers of a key when they were made by {@link encodedJwtHeaders} for its alg and kid, else undefined.
 *
 * @example
 * reusableHeaders(key)?.plain // base64url of {"typ":"JWT","alg":…,"kid":…}
 */
export function reusableHeaders(key: KeyDescription): EncodedJwtHeaders | undefined {
  const encoded = key.encodedHeaders;
  return encoded !== undefined && encodedHere.has(encoded) && encoded.kid === key.kid && encoded.alg === key.alg ? encoded : undefined;
}

/**
 * A portable signing key (WebCrypto through jose). The algorithm it signs with is the one its `CryptoKey` was
 * imported for (the platform holds it); `alg` must agree, else `signJwt` refuses the key.
 */
export interface SigningKey extends KeyDescription {
  readonly key: CryptoKey;
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

/**
 * The key type of a PKCS#8 PEM, read from its AlgorithmIdentifier by a DER parse (undefined for a type claimc does
 * not sign with; `ERR_KEY_INVALID` when the PEM is not PKCS#8 DER).
 *
 * @example
 * pkcs8Algorithm(readFileSync('pss.pem', 'utf8')) // 'RSA-PSS'
 */
export function pkcs8Algorithm(pem: string): Pkcs8KeyType | undefined {
  const der = pkcs8Der(pem);
  return der === undefined ? undefined : pkcs8KeyType(parsePkcs8(der));
}

/**
 * The one algorithm each PKCS#8 key type signs with by default (RSA may be asked for PS256).
 *
 * @example
 * defaultAlgorithm['RSA-PSS'] // 'PS256'
 */
export const defaultAlgorithm: Readonly<Record<Pkcs8KeyType, SigningAlgorithm>> = { RSA: 'RS256', 'RSA-PSS': 'PS256', 'P-256': 'ES256', Ed25519: 'EdDSA' };

/**
 * Refuses asking an RSASSA-PSS key for another algorithm than PS256: such a key never signs PKCS#1 v1.5.
 *
 * @example
 * checkPssRequest('RS256') // throws ERR_KEY_INVALID
 */
export function checkPssRequest(requested: SigningAlgorithm | undefined): void {
  if (requested !== undefined && requested !== 'PS256') throw keyError(`an RSASSA-PSS key signs PS256 only, not ${requested}`);
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
      if (looksLikeKeyText(jwk.k)) throw keyError(`an ${alg} secret must be random bytes, not the text of a PEM key (a public key used as an HMAC secret lets anyone who has it sign)`);
      return { alg, signatureLength: minimum };
    }
    default:
      throw keyError(`unsupported key type ${String(jwk.kty)}`);
  }
}

/** Whether a base64url secret decodes to PEM text (`-----BEGIN …`), e.g. a public key passed as an HMAC secret. */
function looksLikeKeyText(k: string): boolean {
  let text: string;
  try {
    text = new TextDecoder().decode(base64url.decode(k));
  } catch {
    return false;
  }
  return text.includes('-----BEGIN ');
}

/**
 * The algorithm a WebCrypto key was imported for, read from the key itself (undefined for any other key).
 *
 * @example
 * cryptoKeyAlgorithm(key.key) // 'ES256' for an ECDSA P-256 key
 */
export function cryptoKeyAlgorithm(key: unknown): SigningAlgorithm | undefined {
  if (typeof key !== 'object' || key === null || !('algorithm' in key)) return undefined;
  const algorithm = (key as { readonly algorithm: { readonly name?: unknown; readonly hash?: { readonly name?: unknown }; readonly namedCurve?: unknown } }).algorithm;
  const hash = algorithm.hash?.name;
  switch (algorithm.name) {
    case 'RSASSA-PKCS1-v1_5':
      return hash === 'SHA-256' ? 'RS256' : undefined;
    case 'RSA-PSS':
      return hash === 'SHA-256' ? 'PS256' : undefined;
    case 'ECDSA':
      return algorithm.namedCurve === 'P-256' ? 'ES256' : undefined;
    case 'Ed25519':
      return 'EdDSA';
    case 'HMAC':
      return hash === 'SHA-256' ? 'HS256' : hash === 'SHA-384' ? 'HS384' : hash === 'SHA-512' ? 'HS512' : undefined;
    default:
      return undefined;
  }
}

/**
 * Refuses a key record whose `alg` is not the algorithm its key material signs with: the header's `alg` must never
 * come from a field a caller can set (`alg: 'none'`, an RSA key under an ES256 header, bytes as an HMAC key).
 *
 * @example
 * checkKeyAlgorithm(key.alg, cryptoKeyAlgorithm(key.key)) // throws ERR_KEY_INVALID on a mismatch
 */
export function checkKeyAlgorithm(claimed: unknown, material: SigningAlgorithm | undefined): SigningAlgorithm {
  if (material === undefined) throw keyError(`the signing key holds no key material imported for signing (import it with importSigningKey or importNodeSigningKey)`);
  if (claimed !== material) throw keyError(`the key record says alg ${JSON.stringify(claimed)}, but its key material signs ${material}`);
  return material;
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
 * Imports signing key material (PKCS#8 PEM or private JWK) for the portable signer. The algorithm comes from the
 * key material: RSA signs RS256 (as Entra) or PS256 when the JWK's `alg` or `options.alg` asks for it; an
 * RSASSA-PSS PKCS#8 key signs PS256 only (and is refused when its parameters allow no SHA-256/32-byte-salt
 * signature); P-256 signs ES256, Ed25519 EdDSA, an oct JWK HS256 (HS384/HS512 when asked). HMAC secrets shorter
 * than the hash or holding PEM text, RSA under 2048 bits and unknown key types are refused with `ERR_KEY_INVALID`.
 *
 * @example
 * const key = await importSigningKey(pemText); // { alg: 'RS256', kid: '<thumbprint>', … }
 */
export async function importSigningKey(material: string | JWK, options: { readonly alg?: SigningAlgorithm; readonly kid?: string } = {}): Promise<SigningKey> {
  const parsed = parseKeyMaterial(material);
  let jwk: JWK;
  try {
    if ('pem' in parsed) {
      const info = parsePkcs8(pkcs8Der(parsed.pem)!);
      const type = pkcs8KeyType(info);
      if (type === undefined) throw keyError('unsupported PKCS#8 key algorithm (use RSA, RSASSA-PSS, P-256 or Ed25519)');
      let pem = parsed.pem;
      if (type === 'RSA-PSS') {
        checkPssRequest(options.alg);
        const refusal = pssRefusal(info.pss);
        if (refusal !== undefined) throw keyError(`this RSASSA-PSS key cannot sign PS256: ${refusal}`);
        // WebCrypto imports RSA keys under rsaEncryption only; the key stays bound to PS256 (checked above)
        pem = pkcs8Pem(rsaEncryptionPkcs8(info));
      }
      const alg = type === 'RSA-PSS' ? 'PS256' : (options.alg ?? defaultAlgorithm[type]);
      jwk = { ...(await exportJWK(await importPKCS8(pem, alg, { extractable: true }))), alg };
    } else {
      jwk = parsed.jwk;
    }
  } catch (error) {
    if (error instanceof ClaimcRuntimeError) throw error;
    throw keyError('cannot import the key material', error);
  }
  const { alg, signatureLength } = describeJwk(jwk, options.alg);
  let key: CryptoKey;
  try {
    key = jwk.kty === 'oct' ? await importHmacKey(jwk.k!, alg) : ((await importJWK({ ...jwk, alg }, alg)) as CryptoKey);
  } catch (error) {
    throw keyError(`cannot import the key for ${alg}`, error);
  }
  const publicJwk = jwk.kty === 'oct' ? undefined : publicPart({ ...jwk, alg });
  const kid = checkKid(options.kid ?? jwk.kid ?? (await defaultKid(publicJwk)));
  return Object.freeze({ alg, kid, signatureLength, key, publicJwk: publicJwk === undefined ? undefined : { ...publicJwk, kid, use: 'sig' }, encodedHeaders: encodedJwtHeaders(alg, kid) });
}

/** An HMAC secret as a WebCrypto key bound to its hash, so the key itself says which HS algorithm it signs. */
async function importHmacKey(k: string, alg: SigningAlgorithm): Promise<CryptoKey> {
  const hash = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' }[alg as 'HS256'];
  return crypto.subtle.importKey('raw', new Uint8Array(base64url.decode(k)), { name: 'HMAC', hash }, false, ['sign', 'verify']);
}

/** The same key under another kid (an application's custom key credential). */
export function withKid<K extends KeyDescription>(key: K, kid: string): K {
  checkKid(kid);
  return Object.freeze({ ...key, kid, publicJwk: key.publicJwk === undefined ? undefined : { ...key.publicJwk, kid }, encodedHeaders: encodedJwtHeaders(key.alg, kid, key.certificate?.x5t ?? kid) });
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
