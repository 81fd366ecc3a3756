import { ClaimcRuntimeError } from '../errors.js';
import type { AssembledJwt, AssembledToken, JwtPayload } from '../token/assemble.js';
import { defaultByteBudget } from '../token/claim-sets.js';
import { base64url } from '../token/sha256.js';
import { checkKid, keyThumbprint, reusableHeaders, type KeyDescription, type KeyRing } from './keys.js';

/** Options shared by every signer. */
export interface SignOptions {
  /** Largest compact JWT in bytes (threats G2; default 8,000 so `Authorization: Bearer …` fits nginx). */
  readonly byteBudget?: number;
}

/** A JWT ready to sign: the exact bytes both signers sign. */
export interface PreparedJwt<K extends KeyDescription> {
  readonly key: K;
  readonly header: Readonly<Record<string, string>>;
  readonly payload: JwtPayload;
  /** `base64url(header) + '.' + base64url(payload)`. */
  readonly signingInput: string;
  /** `signingInput` in pieces (ASCII), for signers that hash them one by one instead of joining a 3–8 KB string. */
  readonly signingInputParts: readonly string[];
}

const utf8 = new TextEncoder();
const portableEncode = (json: string): string => base64url(utf8.encode(json));

/** Picks the key for a token (JWT or SAML) from the ring (D19: an application's custom key when the assembler chose it). */
export function selectKey<K extends KeyDescription>(token: Pick<AssembledToken, 'signingKey'>, keys: KeyRing<K>): K {
  if (token.signingKey.kind === 'tenant') return keys.tenant;
  const key = keys.applications?.get(token.signingKey.appId);
  if (key === undefined) {
    throw new ClaimcRuntimeError('ERR_KEY_INVALID', `application ${token.signingKey.appId} signs with its custom key ${token.signingKey.keyId}, and the key ring holds no key for it`);
  }
  return key;
}

/** The protected header (threats N7: only typ, alg, kid, and x5t on v1 — the certificate thumbprint — nothing from the policy). */
export function jwtHeader(key: KeyDescription, x5t: boolean): Record<string, string> {
  return x5t ? { typ: 'JWT', alg: key.alg, x5t: keyThumbprint(key), kid: key.kid } : { typ: 'JWT', alg: key.alg, kid: key.kid };
}

/**
 * Chooses the key and header and encodes the signing input, enforcing the byte budget (threats G2): a token over
 * budget switches groups to the overage form; still over → `ERR_TOKEN_TOO_LARGE`. The `claims` output is
 * `prepared.payload`, the exact payload signed.
 *
 * @example
 * const { payload, signingInput } = prepareJwt(token, { tenant: key });
 */
export function prepareJwt<K extends KeyDescription>(token: AssembledJwt, keys: KeyRing<K>, options: SignOptions = {}, encodeJson: (json: string) => string = portableEncode): PreparedJwt<K> {
  const key = selectKey(token, keys);
  const header = jwtHeader(key, token.x5t);
  const reusable = reusableHeaders(key);
  // headers encoded at import carry a checked kid; any other kid (a copied or hand-made key record) is checked here
  if (reusable === undefined) checkKid(key.kid);
  const encoded = reusable !== undefined && reusable.thumbprint === keyThumbprint(key) ? reusable : undefined;
  const encodedHeader = encoded !== undefined ? (token.x5t ? encoded.x5t : encoded.plain) : encodeJson(JSON.stringify(header));
  const budget = options.byteBudget ?? defaultByteBudget;
  const signatureChars = Math.ceil((key.signatureLength * 4) / 3);
  let payload = token.payload;
  // the assembler's precomputed JSON text is byte-identical to JSON.stringify(payload) (tested), one stringify less;
  // its fixed head is base64url-encoded once per template, so only the per-token tail is encoded here
  const split = token.payloadEncoding;
  let payloadParts = split !== undefined ? [split.encodedHead, encodeJson(split.tail)] : [encodeJson(token.payloadJson ?? JSON.stringify(payload))];
  const length = (): number => encodedHeader.length + payloadParts.reduce((sum, part) => sum + part.length, 0) + signatureChars + 2;
  if (length() > budget && token.withGroupsOverage !== undefined) {
    payload = token.withGroupsOverage();
    payloadParts = [encodeJson(JSON.stringify(payload))];
  }
  if (length() > budget) {
    throw new ClaimcRuntimeError('ERR_TOKEN_TOO_LARGE', `the signed token would be ${length()} bytes, over the budget of ${budget} even with groups in overage form`);
  }
  const signingInputParts = [encodedHeader, '.', ...payloadParts];
  // concatenated, not joined: V8 keeps it a rope until a caller reads it, so a signer using the parts copies nothing
  let signingInput = '';
  for (const part of signingInputParts) signingInput += part;
  return { key, header, payload, signingInput, signingInputParts };
}
