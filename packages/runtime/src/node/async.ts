// The asynchronous fast path: the same bytes as signJwtSync, signed through node:crypto's callback API so the
// RSA/ECDSA/EdDSA work runs on libuv's thread pool and the event loop (and the other core) stay free.
import { ClaimcRuntimeError } from '../errors.js';
import type { KeyRing } from '../sign/keys.js';
import { prepareJwt, type SignOptions } from '../sign/prepare.js';
import type { AssembledJwt } from '../token/jwt.js';
import { asciiBuffer, signAsciiParts, signBufferAsync, signingMaterial, type NodeSigningKey } from './material.js';

/** @internal base64url of a JSON text (the fast path's payload encoder). */
export const encodeJson = (json: string): string => Buffer.from(json, 'utf8').toString('base64url');

/**
 * Signs an assembled JWT without blocking the event loop: same header, payload bytes and signature as
 * `signJwtSync` (for ES256 and PS256 an equally valid, randomized signature), but the RSA, ECDSA or EdDSA operation
 * runs on libuv's thread pool through node:crypto's callback API. With many tokens in flight it uses every core;
 * one token at a time it is slower than `signJwtSync` (a thread hop per token). HMAC (HS256/384/512) is
 * microseconds and signs on the calling thread. Refuses the same keys as `signJwtSync`.
 *
 * @example
 * const jwts = await Promise.all(users.map((user) => signJwtAsync(issuer.assemble({ ...request, user }), ring)));
 */
export function signJwtAsync(token: AssembledJwt, keys: KeyRing<NodeSigningKey>, options: SignOptions = {}): Promise<string> {
  let prepared;
  let signing;
  try {
    prepared = prepareJwt(token, keys, options, encodeJson);
    signing = signingMaterial(prepared.key);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new ClaimcRuntimeError('ERR_KEY_INVALID', String(error)));
  }
  const { alg, material } = signing;
  const input = prepared.signingInput;
  if (alg === 'HS256' || alg === 'HS384' || alg === 'HS512') return Promise.resolve(`${input}.${signAsciiParts(prepared.key, prepared.signingInputParts).toString('base64url')}`);
  return signBufferAsync(alg, material as import('node:crypto').KeyObject, asciiBuffer(prepared.signingInputParts)).then((signature) => `${input}.${signature.toString('base64url')}`);
}
