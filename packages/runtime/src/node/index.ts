// The Node fast path: node:crypto's synchronous sign over the same bytes as the portable jose path.
// This subpath (`@claimc/runtime/node`) is the only runtime code that imports `node:` modules.
import { createHash, createHmac, createPrivateKey, createPublicKey, sign as cryptoSign, constants, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { ClaimcRuntimeError } from '../errors.js';
import { checkKid, describeJwk, encodedJwtHeaders, parseKeyMaterial, pkcs8Algorithm, publicPart, type KeyDescription, type KeyRing, type SigningAlgorithm } from '../sign/keys.js';
import { prepareJwt, type SignOptions } from '../sign/prepare.js';
import type { AssembledJwt } from '../token/assemble.js';

/** A signing key held as a node:crypto KeyObject (or an HMAC secret). */
export interface NodeSigningKey extends KeyDescription {
  readonly keyObject: KeyObject | undefined;
  readonly secret: Buffer | undefined;
}

const encodeJson = (json: string): string => Buffer.from(json, 'utf8').toString('base64url');

/**
 * Imports key material synchronously for the fast path; same rules and same default kid (RFC 7638 thumbprint) as
 * `importSigningKey`.
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
      keyObject = createPrivateKey(parsed.pem);
      const type = pkcs8Algorithm(parsed.pem);
      jwk = { ...(keyObject.export({ format: 'jwk' }) as JWK), ...(options.alg === undefined && type === 'RSA-PSS' ? { alg: 'PS256' } : {}) };
    } else {
      jwk = parsed.jwk;
      if (jwk.kty !== 'oct') keyObject = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    }
  } catch (error) {
    throw new ClaimcRuntimeError('ERR_KEY_INVALID', 'cannot import the key material', { cause: error });
  }
  const { alg, signatureLength } = describeJwk(jwk, options.alg);
  const secret = jwk.kty === 'oct' ? Buffer.from(jwk.k!, 'base64url') : undefined;
  const publicJwk = keyObject === undefined ? undefined : publicPart({ ...(createPublicKey(keyObject).export({ format: 'jwk' }) as JWK), alg });
  const kid = checkKid(options.kid ?? jwk.kid ?? (publicJwk === undefined ? 'hmac' : thumbprint(publicJwk)));
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

/**
 * Signs ASCII pieces without joining them into one string: HMAC hashes them one by one; the other algorithms need
 * one buffer, written piece by piece as latin1 (= UTF-8 for ASCII).
 */
function signAsciiParts(key: NodeSigningKey, parts: readonly string[]): Buffer {
  if (key.secret !== undefined) {
    const hmac = createHmac(hmacHash[key.alg as 'HS256'], key.secret);
    for (const part of parts) hmac.update(part);
    return hmac.digest();
  }
  let length = 0;
  for (const part of parts) length += part.length;
  const data = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const part of parts) offset += data.write(part, offset, 'latin1');
  return signBuffer(key, data);
}

/** Raw signature bytes with node:crypto (JWS encodings: IEEE P1363 for ECDSA, PSS salt = hash length). */
function signBuffer(key: NodeSigningKey, data: Buffer): Buffer {
  switch (key.alg) {
    case 'RS256':
      return cryptoSign('sha256', data, key.keyObject!);
    case 'PS256':
      return cryptoSign('sha256', data, { key: key.keyObject!, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    case 'ES256':
      return cryptoSign('sha256', data, { key: key.keyObject!, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
      return cryptoSign(null, data, key.keyObject!);
    case 'HS256':
    case 'HS384':
    case 'HS512':
      throw new ClaimcRuntimeError('ERR_KEY_INVALID', `the ${key.alg} key has no secret`);
  }
}

/**
 * Signs an assembled JWT synchronously: same header, same payload bytes and same byte budget as `signJwt`.
 *
 * @example
 * const jwt = signJwtSync(token, { tenant: importNodeSigningKey(pem) });
 */
export function signJwtSync(token: AssembledJwt, keys: KeyRing<NodeSigningKey>, options: SignOptions = {}): string {
  const prepared = prepareJwt(token, keys, options, encodeJson);
  // the signing input is base64url and '.', all ASCII
  return `${prepared.signingInput}.${signAsciiParts(prepared.key, prepared.signingInputParts).toString('base64url')}`;
}
