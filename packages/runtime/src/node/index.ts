// The Node fast path: node:crypto's synchronous sign over the same bytes as the portable jose path.
// This subpath (`@claimc/runtime/node`) is the only runtime code that imports `node:` modules.
import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { encodeJson } from './async.js';
import { boundAlgorithm, signAsciiParts, type NodeSigningKey } from './material.js';
import type { JWK } from 'jose';
import { ClaimcRuntimeError } from '../errors.js';
import { checkKid, checkPssRequest, defaultAlgorithm, describeJwk, encodedJwtHeaders, parseKeyMaterial, publicPart, type KeyRing, type SigningAlgorithm } from '../sign/keys.js';
import { parsePkcs8, pkcs8Der, pssRefusal, rsaEncryptionPkcs8 } from '../sign/pkcs8.js';
import { prepareJwt, type SignOptions } from '../sign/prepare.js';
import type { AssembledJwt } from '../token/jwt.js';

export type { NodeSigningKey } from './material.js';
export { signJwtAsync } from './async.js';
export type { SigningPool, SigningPoolOptions } from './pool.js';
export { createSigningPool } from './pool.js';


const keyError = (message: string, cause?: unknown): ClaimcRuntimeError => new ClaimcRuntimeError('ERR_KEY_INVALID', message, cause === undefined ? {} : { cause });

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
