// The signing primitives the fast path shares between the synchronous, the asynchronous and the worker-pool signers.
import { createHmac, sign as cryptoSign, constants, type KeyObject, type SignKeyObjectInput } from 'node:crypto';
import { checkKeyAlgorithm, type KeyDescription, type SigningAlgorithm } from '../sign/keys.js';

/** A signing key held as a node:crypto KeyObject (or an HMAC secret). */
export interface NodeSigningKey extends KeyDescription {
  readonly keyObject: KeyObject | undefined;
  readonly secret: Buffer | undefined;
}

// The key registry: each KeyObject or secret importNodeSigningKey made, bound to the one algorithm it signs with.
// signJwtSync signs with the algorithm found here, so no field of a key record can change it.
export const boundAlgorithm = new WeakMap<KeyObject | Buffer, SigningAlgorithm>();

export const hmacHash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;

/** The key material a record signs with and the algorithm the registry bound it to; a mismatch is refused. */
export function signingMaterial(key: NodeSigningKey): { readonly alg: SigningAlgorithm; readonly material: KeyObject | Buffer } {
  const material = key.secret ?? key.keyObject;
  return { alg: checkKeyAlgorithm(key.alg, material === undefined ? undefined : boundAlgorithm.get(material)), material: material! };
}

/**
 * Signs ASCII pieces without joining them into one string: HMAC hashes them one by one; the other algorithms need
 * one buffer, written piece by piece as latin1 (= UTF-8 for ASCII).
 */
export function signAsciiParts(key: NodeSigningKey, parts: readonly string[]): Buffer {
  const { alg, material } = signingMaterial(key);
  if (alg === 'HS256' || alg === 'HS384' || alg === 'HS512') {
    const hmac = createHmac(hmacHash[alg], material);
    for (const part of parts) hmac.update(part);
    return hmac.digest();
  }
  return signBuffer(alg, material as KeyObject, asciiBuffer(parts));
}

type AsymmetricAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'EdDSA';

/** node:crypto's digest name and key argument for an algorithm (JWS encodings: IEEE P1363 for ECDSA, PSS salt = hash length). */
function signParameters(alg: AsymmetricAlgorithm, keyObject: KeyObject): readonly [string | null, KeyObject | SignKeyObjectInput] {
  switch (alg) {
    case 'RS256':
      return ['sha256', keyObject];
    case 'PS256':
      return ['sha256', { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }];
    case 'ES256':
      return ['sha256', { key: keyObject, dsaEncoding: 'ieee-p1363' }];
    case 'EdDSA':
      return [null, keyObject];
  }
}

/** Raw signature bytes with node:crypto, on the calling thread. */
export function signBuffer(alg: AsymmetricAlgorithm, keyObject: KeyObject, data: Buffer): Buffer {
  const [digest, key] = signParameters(alg, keyObject);
  return cryptoSign(digest, data, key);
}

/** Raw signature bytes with node:crypto's callback API: the work runs on libuv's thread pool, off the calling thread. */
export function signBufferAsync(alg: AsymmetricAlgorithm, keyObject: KeyObject, data: Buffer): Promise<Buffer> {
  const [digest, key] = signParameters(alg, keyObject);
  return new Promise((resolve, reject) => cryptoSign(digest, data, key, (error, signature) => (error === null ? resolve(signature) : reject(error))));
}

/** The signing input as one buffer: its pieces are ASCII, written as latin1 (= UTF-8 for ASCII) without joining strings first. */
export function asciiBuffer(parts: readonly string[]): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  const data = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const part of parts) offset += data.write(part, offset, 'latin1');
  return data;
}
