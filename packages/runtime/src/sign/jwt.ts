import { CompactSign } from 'jose';
import type { AssembledJwt } from '../token/jwt.js';
import { checkKeyAlgorithm, cryptoKeyAlgorithm, type KeyRing, type SigningKey } from './keys.js';
import { prepareJwt, type SignOptions } from './prepare.js';

const utf8 = new TextEncoder();

/**
 * Signs an assembled JWT with jose (portable: WebCrypto). The payload bytes are `JSON.stringify` of the prepared
 * payload, exactly what the Node fast path signs, so both yield identical payloads. A key record whose `alg` is not
 * the algorithm of its key material is refused with `ERR_KEY_INVALID`.
 *
 * @example
 * const jwt = await signJwt(token, { tenant: await importSigningKey(pem) }, {});
 * await jwtVerify(jwt, publicKey, { algorithms: ['RS256'], issuer: token.payload.iss, audience: token.payload.aud });
 */
export async function signJwt(token: AssembledJwt, keys: KeyRing<SigningKey>, options: SignOptions = {}): Promise<string> {
  const prepared = prepareJwt(token, keys, options);
  // the header's alg must be what the CryptoKey was imported for, never only what the key record says
  checkKeyAlgorithm(prepared.key.alg, cryptoKeyAlgorithm(prepared.key.key));
  const json = prepared.payload === token.payload ? (token.payloadJson ?? JSON.stringify(prepared.payload)) : JSON.stringify(prepared.payload);
  return new CompactSign(utf8.encode(json)).setProtectedHeader({ ...prepared.header } as { alg: string }).sign(prepared.key.key);
}
