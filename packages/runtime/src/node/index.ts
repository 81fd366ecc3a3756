// The Node fast path: node:crypto's synchronous sign over the same bytes as the portable jose path.
// This subpath (`@claimc/runtime/node`) is the only runtime code that imports `node:` modules.
import { createHash, createHmac, createPrivateKey, sign as cryptoSign, constants, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { ClaimcRuntimeError } from '../errors.js';
import { checkKeyAlgorithm, checkKid, checkPssRequest, defaultAlgorithm, describeJwk, encodedJwtHeaders, parseKeyMaterial, publicPart, type KeyDescription, type KeyRing, type SigningAlgorithm } from '../sign/keys.js';
import { parsePkcs8, pkcs8Der, pssRefusal, rsaEncryptionPkcs8 } from '../sign/pkcs8.js';
import { prepareJwt, type SignOptions } from '../sign/prepare.js';
import type { AssembledJwt } from '../token/assemble.js';

/** A signing key held as a node:crypto KeyObject (or an HMAC secret). */
export interface NodeSigningKey extends KeyDescription {
  readonly keyObject: KeyObject | undefined;
  readonly secret: Buffer | undefined;
}

const encodeJson = (json: string): string => Buffer.from(json, 'utf8').toString('base64url');

const keyError = (message: string, cause?: unknown): ClaimcRuntimeError => new ClaimcRuntimeError('ERR_KEY_INVALID', message, cause === undefined ? {} : { cause });

// The key registry: each KeyObject or secret importNodeSigningKey made, bound to the one algorithm it signs with.
// signJwtSync signs with the algorithm found here, so no field of a key record can change it.
const boundAlgorithm = new WeakMap<KeyObject | Buffer, SigningAlgorithm>();

/** The key type node:crypto reads from a private key, as the names `defaultAlgorithm` uses (undefined: not one claimc signs with). */
function keyObjectType(keyObject: KeyObject): keyof typeof defaultAlgorithm | undefined {
  switch (keyObject.asymmetricKeyType) {
    case 'rsa':
      return 'RSA';
    case 'rsa-pss':
      return 'RSA-PSS';
    case 'ec':
      return keyObject.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'P-256' : undefined;
    case 'ed25519':
      return 'Ed25519';
    default:
      return undefined;
  }
}

/**
 * The JWK of a PKCS#8 key node:crypto holds. An RSASSA-PSS key has no JWK form in node:crypto; its components are
 * the same as an RSA key's, so they are read from a copy under rsaEncryption, and the JWK is bound to PS256.
 */
function pemJwk(keyObject: KeyObject, requested: SigningAlgorithm | undefined): JWK {
  const type = keyObjectType(keyObject);
  if (type === undefined) throw keyError('unsupported PKCS#8 key algorithm (use RSA, RSASSA-PSS, P-256 or Ed25519)');
  if (type !== 'RSA-PSS') return { ...(keyObject.export({ format: 'jwk' }) as JWK), alg: requested ?? defaultAlgorithm[type] };
  checkPssRequest(requested);
  const details = keyObject.asymmetricKeyDetails;
  const restriction = details?.hashAlgorithm === undefined ? undefined : { hash: details.hashAlgorithm, mgf1Hash: details.mgf1HashAlgorithm ?? 'sha1', saltLength: details.saltLength ?? 20 };
  const refusal = pssRefusal(restriction);
  if (refusal !== undefined) throw keyError(`this RSASSA-PSS key cannot sign PS256: ${refusal}`);
  const rsa = rsaEncryptionPkcs8(parsePkcs8(keyObject.export({ format: 'der', type: 'pkcs8' })));
  return { ...(createPrivateKey({ key: Buffer.from(rsa), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' }) as JWK), alg: 'PS256' };
}

/**
 * Imports key material synchronously for the fast path; same rules, same algorithm and same default kid (RFC 7638
 * thumbprint) as `importSigningKey`. The key is registered with the algorithm it signs, which `signJwtSync` uses.
 *
 * @example
 * const key = importNodeSigningKey(readFileSync('key.pem', 'utf8'));
 */
export function importNodeSigningKey(material: string | JWK, options: { readonly alg?: SigningAlgorithm; readonly kid?: string } = {}): NodeSigningKey {
  const parsed = parseKeyMaterial(material);
  let jwk: JWK;
  let keyObject: KeyObject | undefined;
  try {
    if ('pem' in parsed) {
      // the same DER the portable path accepts (OpenSSL alone would also take trailing bytes)
      parsePkcs8(pkcs8Der(parsed.pem)!);
      keyObject = createPrivateKey(parsed.pem);
      jwk = pemJwk(keyObject, options.alg);
    } else {
      jwk = parsed.jwk;
      if (jwk.kty !== 'oct') keyObject = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    }
  } catch (error) {
    if (error instanceof ClaimcRuntimeError) throw error;
    throw keyError('cannot import the key material', error);
  }
  const { alg, signatureLength } = describeJwk(jwk, options.alg);
  const secret = jwk.kty === 'oct' ? Buffer.from(jwk.k!, 'base64url') : undefined;
  // the public half of the private JWK, as the portable path publishes it (node:crypto has no JWK for RSASSA-PSS)
  const publicJwk = keyObject === undefined ? undefined : publicPart({ ...jwk, alg });
  const kid = checkKid(options.kid ?? jwk.kid ?? (publicJwk === undefined ? 'hmac' : thumbprint(publicJwk)));
  boundAlgorithm.set((secret ?? keyObject)!, alg);
  return Object.freeze({
    alg,
    kid,
    signatureLength,
    keyObject,
    secret,
    publicJwk: publicJwk === undefined ? undefined : { ...publicJwk, kid, use: 'sig' },
    encodedHeaders: encodedJwtHeaders(alg, kid),
  });
}

/** RFC 7638 thumbprint, synchronously (same value as jose's calculateJwkThumbprint). */
function thumbprint(jwk: JWK): string {
  const members = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

const hmacHash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;

/** The key material a record signs with and the algorithm the registry bound it to; a mismatch is refused. */
function signingMaterial(key: NodeSigningKey): { readonly alg: SigningAlgorithm; readonly material: KeyObject | Buffer } {
  const material = key.secret ?? key.keyObject;
  return { alg: checkKeyAlgorithm(key.alg, material === undefined ? undefined : boundAlgorithm.get(material)), material: material! };
}

/**
 * Signs ASCII pieces without joining them into one string: HMAC hashes them one by one; the other algorithms need
 * one buffer, written piece by piece as latin1 (= UTF-8 for ASCII).
 */
function signAsciiParts(key: NodeSigningKey, parts: readonly string[]): Buffer {
  const { alg, material } = signingMaterial(key);
  if (alg === 'HS256' || alg === 'HS384' || alg === 'HS512') {
    const hmac = createHmac(hmacHash[alg], material);
    for (const part of parts) hmac.update(part);
    return hmac.digest();
  }
  let length = 0;
  for (const part of parts) length += part.length;
  const data = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const part of parts) offset += data.write(part, offset, 'latin1');
  return signBuffer(alg, material as KeyObject, data);
}

/** Raw signature bytes with node:crypto (JWS encodings: IEEE P1363 for ECDSA, PSS salt = hash length). */
function signBuffer(alg: 'RS256' | 'PS256' | 'ES256' | 'EdDSA', keyObject: KeyObject, data: Buffer): Buffer {
  switch (alg) {
    case 'RS256':
      return cryptoSign('sha256', data, keyObject);
    case 'PS256':
      return cryptoSign('sha256', data, { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    case 'ES256':
      return cryptoSign('sha256', data, { key: keyObject, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
      return cryptoSign(null, data, keyObject);
  }
}

/**
 * Signs an assembled JWT synchronously: same header, same payload bytes and same byte budget as `signJwt`. Only keys
 * from `importNodeSigningKey` sign, with the algorithm they were imported for; a record whose `alg` differs (or
 * whose material was not imported) is refused with `ERR_KEY_INVALID`.
 *
 * @example
 * const jwt = signJwtSync(token, { tenant: importNodeSigningKey(pem) });
 */
export function signJwtSync(token: AssembledJwt, keys: KeyRing<NodeSigningKey>, options: SignOptions = {}): string {
  const prepared = prepareJwt(token, keys, options, encodeJson);
  // the signing input is base64url and '.', all ASCII
  return `${prepared.signingInput}.${signAsciiParts(prepared.key, prepared.signingInputParts).toString('base64url')}`;
}
