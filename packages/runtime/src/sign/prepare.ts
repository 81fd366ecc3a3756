import { ClaimcRuntimeError } from '../errors.js';
import type { AssembledToken } from '../token/assemble.js';
import type { AssembledJwt, JwtPayload } from '../token/jwt.js';
import { tokenSizeThresholds } from '../token/claim-sets.js';
import { base64url } from '../token/sha256.js';
import { checkKid, keyThumbprint, reusableHeaders, type KeyDescription, type KeyRing } from './keys.js';

/** Options shared by every signer. */
export interface SignOptions {
  /**
   * An opt-in size limit in bytes for the compact JWT — **not Entra behaviour** (Entra lists up to 200 groups whatever
   * the size). Over it, a token that lists groups switches them to the overage form; still over → `ERR_TOKEN_TOO_LARGE`.
   * Without it (the default) no token is changed or refused for its size; `PreparedJwt.sizeNotes` reports the size.
   */
  readonly byteBudget?: number;
}

/**
 * A common HTTP server default that a token is too large for (information, never a refusal).
 *
 * @example
 * const notes: readonly TokenSizeNote[] = prepareJwt(token, { tenant: key }).sizeNotes; // [{ bytes: 10452, limit: 8192, server: "nginx's …" }]
 */
export interface TokenSizeNote {
  /** The compact token's length in bytes. */
  readonly bytes: number;
  /** The server default it exceeds. */
  readonly limit: number;
  readonly server: string;
}

/** A JWT ready to sign: the exact bytes both signers sign. */
export interface PreparedJwt<K extends KeyDescription> {
  readonly key: K;
  readonly header: Readonly<Record<string, string>>;
  /** The payload signed: the token's, or its groups-overage form under a byte budget (read on demand). */
  readonly payload: JwtPayload;
  /** `base64url(header) + '.' + base64url(payload)`. */
  readonly signingInput: string;
  /** `signingInput` in pieces (ASCII), for signers that hash them one by one instead of joining a 3–8 KB string. */
  readonly signingInputParts: readonly string[];
  /** Length of the compact JWT (`signingInput` + `.` + signature) in bytes. */
  readonly byteLength: number;
  /** The common server defaults (8 KiB nginx header line, 16 KiB Node.js headers) this token exceeds; empty when it fits both. */
  readonly sizeNotes: readonly TokenSizeNote[];
}

const noSizeNotes: readonly TokenSizeNote[] = Object.freeze([]);

/**
 * The server defaults a compact token of `bytes` bytes exceeds (8,192: nginx's header line; 16,384: Node.js's headers).
 *
 * @example
 * tokenSizeNotes(9000).map((n) => n.limit) // [8192]
 */
export function tokenSizeNotes(bytes: number): readonly TokenSizeNote[] {
  if (bytes <= tokenSizeThresholds[0]!.bytes) return noSizeNotes;
  return Object.freeze(tokenSizeThresholds.filter((t) => bytes > t.bytes).map((t) => Object.freeze({ bytes, limit: t.bytes, server: t.server })));
}

const utf8 = new TextEncoder();
const sha256Algorithms: ReadonlySet<string> = new Set(['RS256', 'PS256', 'ES256', 'HS256']);
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
 * Chooses the key and header and encodes the signing input. Only with the opt-in `byteBudget` (not Entra behaviour)
 * does size change anything: a token over it switches groups to the overage form; still over → `ERR_TOKEN_TOO_LARGE`.
 * Otherwise the size is reported in `sizeNotes`. The `claims` output is `prepared.payload`, the exact payload signed.
 *
 * @example
 * const { payload, signingInput } = prepareJwt(token, { tenant: key });
 */
export function prepareJwt<K extends KeyDescription>(token: AssembledJwt, keys: KeyRing<K>, options: SignOptions = {}, encodeJson: (json: string) => string = portableEncode): PreparedJwt<K> {
  const key = selectKey(token, keys);
  if (!sha256Algorithms.has(key.alg) && ('c_hash' in token.payload || 'at_hash' in token.payload)) {
    // OIDC Core hashes with the JWS alg's hash; the portable runtime has SHA-256 only (RS256 is Entra's algorithm)
    throw new ClaimcRuntimeError('ERR_KEY_INVALID', `c_hash and at_hash are computed with SHA-256; sign this ID token with an RS256, PS256, ES256 or HS256 key, not ${key.alg}`);
  }
  const header = jwtHeader(key, token.x5t);
  const reusable = reusableHeaders(key);
  // headers encoded at import carry a checked kid; any other kid (a copied or hand-made key record) is checked here
  if (reusable === undefined) checkKid(key.kid);
  const encoded = reusable !== undefined && reusable.thumbprint === keyThumbprint(key) ? reusable : undefined;
  const encodedHeader = encoded !== undefined ? (token.x5t ? encoded.x5t : encoded.plain) : encodeJson(JSON.stringify(header));
  const budget = options.byteBudget ?? Infinity;
  const signatureChars = Math.ceil((key.signatureLength * 4) / 3);
  // set only when the groups switch to overage form; otherwise the token's own payload, read only if someone asks
  // (a user's first token builds its payload object on first read, and signing needs only its text)
  let overage: JwtPayload | undefined;
  // the assembler's precomputed JSON text is byte-identical to JSON.stringify(payload) (tested), one stringify less;
  // its fixed head is base64url-encoded once per template, so only the per-token tail is encoded here
  const split = token.payloadEncoding;
  let payloadParts = split !== undefined ? [split.encodedHead, encodeJson(split.tail)] : [encodeJson(token.payloadJson ?? JSON.stringify(token.payload))];
  const length = (): number => encodedHeader.length + payloadParts.reduce((sum, part) => sum + part.length, 0) + signatureChars + 2;
  if (length() > budget && token.withGroupsOverage !== undefined) {
    overage = token.withGroupsOverage();
    payloadParts = [encodeJson(JSON.stringify(overage))];
  }
  if (length() > budget) {
    throw new ClaimcRuntimeError('ERR_TOKEN_TOO_LARGE', `the signed token would be ${length()} bytes, over the budget of ${budget} even with groups in overage form`);
  }
  const signingInputParts = [encodedHeader, '.', ...payloadParts];
  // concatenated, not joined: V8 keeps it a rope until a caller reads it, so a signer using the parts copies nothing
  let signingInput = '';
  for (const part of signingInputParts) signingInput += part;
  const byteLength = length();
  return new Prepared(key, header, token, overage, signingInput, signingInputParts, byteLength);
}

/** A prepared JWT; its payload is read from the token only when asked for (a user's first token builds it then). */
class Prepared<K extends KeyDescription> implements PreparedJwt<K> {
  readonly sizeNotes: readonly TokenSizeNote[];
  readonly #token: AssembledJwt;
  readonly #overage: JwtPayload | undefined;

  constructor(
    readonly key: K,
    readonly header: Readonly<Record<string, string>>,
    token: AssembledJwt,
    overage: JwtPayload | undefined,
    readonly signingInput: string,
    readonly signingInputParts: readonly string[],
    readonly byteLength: number,
  ) {
    this.sizeNotes = tokenSizeNotes(byteLength);
    this.#token = token;
    this.#overage = overage;
  }

  get payload(): JwtPayload {
    return this.#overage ?? this.#token.payload;
  }
}
