// Pure synchronous SHA-256 (FIPS 180-4). The portable runtime may not use node:crypto and WebCrypto is async,
// yet `sub`, `uti`, `aio` and `rh` must be computed on the synchronous assembly path (see docs/tokens.md). It stays
// hand-written because its prefix midstate beats node:crypto ~2× per token (bench/sha256.bench.mjs, bench/token.md)
// and it is property-tested against node:crypto on every input length 0–1,000 bytes (sha256.test.ts).
// Its scratch lives in a `Sha256` object owned by the caller (a token issuer owns one): nothing mutable at module level.

// Int32Array: the round constants load as int32, never as heap numbers
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const utf8 = new TextEncoder();

// A packed array of small integers; `Array.from` with a callback costs about a microsecond per array, which a
// scratch made per call (a helper called without one) would pay three times.
function zeros(length: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) out.push(0);
  return out;
}
const initialState: readonly number[] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/**
 * The scratch of one SHA-256 at a time (state, message schedule, block, byte counts, digest character codes). Each
 * token issuer owns one and every hash fills and reads it within one synchronous call, so nothing is retained between
 * calls and nothing mutable is shared between issuers or kept at module level; helpers called without one allocate
 * their own.
 *
 * @example
 * const hash = new Sha256();
 * sha256WithPrefixBase64url(sha256Prefix('ab'), 'c', hash) === base64url(sha256('abc'))
 */
export class Sha256 {
  readonly state = new Int32Array(8);
  readonly w = new Int32Array(16);
  readonly block = new Uint8Array(64);
  /** Message bytes in `block` not yet compressed. */
  fill = 0;
  /** Message bytes so far. */
  total = 0;
  // character codes of base64url text, one array per length (packed small integers, written in place per call)
  readonly codes43: number[] = zeros(43);
  readonly codes22: number[] = zeros(22);
  readonly codes24: number[] = zeros(24);

  /** One SHA-256 compression of the 16 big-endian words in `w` (overwritten: a rolling message schedule) into `state`. */
  compress(): void {
    const state = this.state;
    const w = this.w;
    let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!, e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!;
    // rounds 0–15 read the block's words, 16–63 extend the schedule in place: two loops, no branch per round
    for (let t = 0; t < 16; t++) {
      const word = w[t]!;
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + K[t]! + word) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    for (let t = 16; t < 64; t++) {
      const x = w[(t - 15) & 15]!, y = w[(t - 2) & 15]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      const word = (w[t & 15]! + s0 + w[(t - 7) & 15]! + s1) | 0;
      w[t & 15] = word;
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + K[t]! + word) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    state[0] = (state[0]! + a) | 0; state[1] = (state[1]! + b) | 0; state[2] = (state[2]! + c) | 0; state[3] = (state[3]! + d) | 0;
    state[4] = (state[4]! + e) | 0; state[5] = (state[5]! + f) | 0; state[6] = (state[6]! + g) | 0; state[7] = (state[7]! + h) | 0;
  }

  /** Compresses the 64 bytes of `block`. */
  compressBlock(): void {
    const w = this.w;
    const block = this.block;
    for (let t = 0, i = 0; t < 16; t++, i += 4) w[t] = (block[i]! << 24) | (block[i + 1]! << 16) | (block[i + 2]! << 8) | block[i + 3]!;
    this.compress();
  }

  /** Starts a message: empty, or continuing after a {@link sha256Prefix} (its state, then its bytes after the last whole block). */
  start(prefix: Sha256Prefix | undefined): void {
    const state = this.state;
    const initial = prefix === undefined ? initialState : prefix.state;
    for (let i = 0; i < 8; i++) state[i] = initial[i]!;
    this.fill = 0;
    this.total = prefix === undefined ? 0 : prefix.hashed;
    if (prefix !== undefined) this.feedBytes(prefix.rest as Uint8Array);
  }

  /** Adds a string of code units < 0x80 (one loop per kind of input: each stays monomorphic). */
  feedAscii(text: string): void {
    const block = this.block;
    const w = this.w;
    const n = text.length;
    this.total += n;
    let fill = this.fill;
    let p = 0;
    for (; fill < 64 && p < n; p++) block[fill++] = text.charCodeAt(p);
    if (fill < 64) {
      this.fill = fill;
      return;
    }
    this.compressBlock();
    fill = 0;
    // whole blocks straight from the text: four code units per word
    for (; n - p >= 64; p += 64) {
      for (let t = 0, q = p; t < 16; t++, q += 4) w[t] = (text.charCodeAt(q) << 24) | (text.charCodeAt(q + 1) << 16) | (text.charCodeAt(q + 2) << 8) | text.charCodeAt(q + 3);
      this.compress();
    }
    for (; p < n; p++) block[fill++] = text.charCodeAt(p);
    this.fill = fill;
  }

  /** Adds bytes. */
  feedBytes(bytes: Uint8Array): void {
    const block = this.block;
    const w = this.w;
    const n = bytes.length;
    this.total += n;
    let fill = this.fill;
    let p = 0;
    for (; fill < 64 && p < n; p++) block[fill++] = bytes[p]!;
    if (fill < 64) {
      this.fill = fill;
      return;
    }
    this.compressBlock();
    fill = 0;
    for (; n - p >= 64; p += 64) {
      for (let t = 0, q = p; t < 16; t++, q += 4) w[t] = (bytes[q]! << 24) | (bytes[q + 1]! << 16) | (bytes[q + 2]! << 8) | bytes[q + 3]!;
      this.compress();
    }
    for (; p < n; p++) block[fill++] = bytes[p]!;
    this.fill = fill;
  }

  /** Adds a string's UTF-8 bytes to the message (ASCII as is, anything else encoded). */
  feedText(text: string): void {
    const input = asciiOrBytes(text);
    if (typeof input === 'string') this.feedAscii(input);
    else this.feedBytes(input);
  }

  /** Adds one ASCII character. */
  feedCode(code: number): void {
    this.total++;
    this.block[this.fill++] = code;
    if (this.fill === 64) {
      this.compressBlock();
      this.fill = 0;
    }
  }

  /** Pads and compresses the end of the message: the digest is left in `state`. */
  finish(): void {
    const block = this.block;
    let fill = this.fill;
    block[fill++] = 0x80;
    if (fill > 56) {
      while (fill < 64) block[fill++] = 0;
      this.compressBlock();
      fill = 0;
    }
    while (fill < 56) block[fill++] = 0;
    // the message length in bits, big-endian in the last 8 bytes
    const bits = this.total * 8;
    const high = Math.floor(bits / 0x100000000);
    block[56] = high >>> 24; block[57] = (high >>> 16) & 0xff; block[58] = (high >>> 8) & 0xff; block[59] = high & 0xff;
    block[60] = bits >>> 24; block[61] = (bits >>> 16) & 0xff; block[62] = (bits >>> 8) & 0xff; block[63] = bits & 0xff;
    this.fill = 0;
    this.compressBlock();
  }

  /** Hashes `text`'s UTF-8 bytes (or `bytes`), after `prefix` when given, to the end: the digest is left in `state`. */
  hashAfter(prefix: Sha256Prefix | undefined, input: string | Uint8Array): void {
    this.start(prefix);
    if (typeof input === 'string') this.feedText(input);
    else this.feedBytes(input);
    this.finish();
  }

  /** Byte `i` (0–31) of the digest in `state`. */
  digestByte(i: number): number {
    return (this.state[i >> 2]! >>> ((3 - (i & 3)) << 3)) & 0xff;
  }

  /** Writes base64url (no padding) of the digest bytes `start`–`end` in `state` into `codes` from `at`. */
  digestCodes(codes: number[], at: number, start: number, end: number): void {
    let i = start;
    for (; i + 2 < end; i += 3) {
      const n = (this.digestByte(i) << 16) | (this.digestByte(i + 1) << 8) | this.digestByte(i + 2);
      codes[at++] = alphabetCodes[n >>> 18]!;
      codes[at++] = alphabetCodes[(n >>> 12) & 63]!;
      codes[at++] = alphabetCodes[(n >>> 6) & 63]!;
      codes[at++] = alphabetCodes[n & 63]!;
    }
    const left = end - i;
    if (left > 0) {
      const n = (this.digestByte(i) << 16) | (left === 2 ? this.digestByte(i + 1) << 8 : 0);
      codes[at++] = alphabetCodes[n >>> 18]!;
      codes[at++] = alphabetCodes[(n >>> 12) & 63]!;
      if (left === 2) codes[at++] = alphabetCodes[(n >>> 6) & 63]!;
    }
  }

  /** The request digest's texts from the digest in `state`. */
  digestTexts(): RequestDigestTexts {
    const { codes43, codes22, codes24 } = this;
    this.digestCodes(codes43, 0, 0, 32);
    this.digestCodes(codes22, 0, 0, 15);
    this.digestCodes(codes22, 20, 15, 16);
    codes24[0] = 0x30; // '0.'
    codes24[1] = 0x2e;
    this.digestCodes(codes24, 2, 16, 32);
    return { aio: String.fromCharCode.apply(null, codes43), uti: String.fromCharCode.apply(null, codes22), rh: String.fromCharCode.apply(null, codes24) };
  }

  /** The digest in `state` as 32 new bytes. */
  digestBytes(): Uint8Array {
    const state = this.state;
    const out = new Uint8Array(32);
    for (let i = 0; i < 8; i++) {
      const v = state[i]!;
      out[i * 4] = v >>> 24; out[i * 4 + 1] = (v >>> 16) & 0xff; out[i * 4 + 2] = (v >>> 8) & 0xff; out[i * 4 + 3] = v & 0xff;
    }
    return out;
  }
}

/** The bytes of `text` as the hash takes them: the string itself when it is ASCII (no encoding), else its UTF-8. */
function asciiOrBytes(text: string): string | Uint8Array {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return utf8.encode(text);
  return text;
}

/**
 * SHA-256 of a string's UTF-8 bytes (or of raw bytes), synchronously and without platform crypto. `hash` is the
 * caller's scratch (a new one without it); likewise for the other hashing functions here.
 *
 * @example
 * sha256('abc') // Uint8Array(32) starting ba 78 16 bf …
 */
export function sha256(input: string | Uint8Array, hash: Sha256 = new Sha256()): Uint8Array {
  hash.hashAfter(undefined, input);
  return hash.digestBytes();
}

/** A SHA-256 state after a fixed prefix: its whole 64-byte blocks compressed once, the rest kept. Never written after creation. */
export interface Sha256Prefix {
  readonly state: readonly number[];
  /** Prefix bytes after the last whole block (< 64). */
  readonly rest: Readonly<Uint8Array>;
  /** Bytes already compressed into `state`. */
  readonly hashed: number;
}

/**
 * Compresses a prefix once so that many hashes of `prefix + suffix` cost only the suffix's blocks (token digests
 * share everything but the clock; see docs/tokens.md).
 *
 * @example
 * const prefix = sha256Prefix('token|tid|…|');
 * sha256WithPrefix(prefix, '1700000000|') // same bytes as sha256('token|tid|…|1700000000|')
 */
export function sha256Prefix(prefix: string, hash: Sha256 = new Sha256()): Sha256Prefix {
  const data = utf8.encode(prefix);
  const hashed = data.length & ~63;
  const { state, w } = hash;
  for (let i = 0; i < 8; i++) state[i] = initialState[i]!;
  for (let offset = 0; offset < hashed; offset += 64) {
    for (let t = 0; t < 16; t++) {
      const i = offset + t * 4;
      w[t] = (data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!;
    }
    hash.compress();
  }
  return Object.freeze({ state: Object.freeze(Array.from(state)), rest: data.slice(hashed), hashed });
}

/**
 * SHA-256 of `prefix + suffix` from a {@link sha256Prefix} state; the prefix state is read, never written.
 *
 * @example
 * base64url(sha256WithPrefix(sha256Prefix('ab'), 'c')) === base64url(sha256('abc'))
 */
export function sha256WithPrefix(prefix: Sha256Prefix, suffix: string, hash: Sha256 = new Sha256()): Uint8Array {
  hash.hashAfter(prefix, suffix);
  return hash.digestBytes();
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// every 12-bit value as its two base64url characters: half the string operations per encoded byte triple
const pairs: readonly string[] = Object.freeze(Array.from({ length: 4096 }, (_, n) => alphabet[n >>> 6]! + alphabet[n & 63]!));

/**
 * base64url without padding (RFC 4648 §5), on bytes or a byte range: the per-token path only (digest claims,
 * payload tails); code off that path uses jose's `base64url`.
 *
 * @example
 * base64url(new Uint8Array([255, 255])) // '__8'
 */
export function base64url(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end - start <= 48) return base64urlShort(bytes, start, end);
  let out = '';
  let i = start;
  for (; i + 2 < end; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += pairs[n >>> 12]! + pairs[n & 4095]!;
  }
  if (end - i === 1) {
    out += pairs[bytes[i]! << 4]!;
  } else if (end - i === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += pairs[n >>> 12]! + alphabet[(n >>> 6) & 63]!;
  }
  return out;
}

const alphabetCodes = Uint8Array.from(alphabet, (c) => c.charCodeAt(0));

/**
 * base64url of the SHA-256 of `prefix + suffix` (43 characters), written straight from the digest's words: no bytes,
 * no intermediate text.
 *
 * @example
 * sha256WithPrefixBase64url(sha256Prefix('ab'), 'c') === base64url(sha256('abc'))
 */
export function sha256WithPrefixBase64url(prefix: Sha256Prefix, suffix: string, hash: Sha256 = new Sha256()): string {
  hash.hashAfter(prefix, suffix);
  hash.digestCodes(hash.codes43, 0, 0, 32);
  return String.fromCharCode.apply(null, hash.codes43);
}

/** The texts a JWT derives from its request digest: `aio` (all 32 bytes), `uti` (bytes 0–14, then byte 15 on its own), `rh` (`0.` + bytes 16–31). */
export interface RequestDigestTexts {
  readonly aio: string;
  readonly uti: string;
  readonly rh: string;
}

/**
 * The request digest's texts for the SHA-256 of `prefix + suffix` (the whole of `suffix` without a prefix), each
 * written straight from the digest's words.
 *
 * @example
 * requestDigestTexts(undefined, 'abc').aio === base64url(sha256('abc'))
 */
export function requestDigestTexts(prefix: Sha256Prefix | undefined, suffix: string, hash: Sha256 = new Sha256()): RequestDigestTexts {
  hash.hashAfter(prefix, suffix);
  return hash.digestTexts();
}

/**
 * {@link requestDigestTexts} of `prefix` + `principal|now|nonce`, the pieces hashed one after the other (no text
 * concatenated for the hash).
 *
 * @example
 * requestDigestTextsOf(prefix, oid, 1_700_000_000, undefined) // same as requestDigestTexts(prefix, `${oid}|1700000000|`)
 */
export function requestDigestTextsOf(prefix: Sha256Prefix, principal: string, now: number, nonce: string | undefined, hash: Sha256 = new Sha256()): RequestDigestTexts {
  hash.start(prefix);
  hash.feedText(principal);
  hash.feedCode(0x7c); // '|'
  hash.feedText(String(now));
  hash.feedCode(0x7c);
  if (nonce !== undefined) hash.feedText(nonce);
  hash.finish();
  return hash.digestTexts();
}

/** A digest-sized range as one flat string from its character codes: no chain of partial strings per token. */
function base64urlShort(bytes: Uint8Array, start: number, end: number): string {
  const codes = new Array<number>(Math.ceil(((end - start) * 4) / 3));
  let o = 0;
  let i = start;
  for (; i + 2 < end; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    codes[o++] = alphabetCodes[n >>> 18]!;
    codes[o++] = alphabetCodes[(n >>> 12) & 63]!;
    codes[o++] = alphabetCodes[(n >>> 6) & 63]!;
    codes[o++] = alphabetCodes[n & 63]!;
  }
  const left = end - i;
  if (left > 0) {
    const n = (bytes[i]! << 16) | (left === 2 ? bytes[i + 1]! << 8 : 0);
    codes[o++] = alphabetCodes[n >>> 18]!;
    codes[o++] = alphabetCodes[(n >>> 12) & 63]!;
    if (left === 2) codes[o++] = alphabetCodes[(n >>> 6) & 63]!;
  }
  return String.fromCharCode.apply(null, codes);
}
const asciiText = new TextDecoder();

/**
 * base64url like {@link base64url}, returned as one flat string: a long text built by `+=` is a rope that every
 * later concatenation has to walk again when it is flattened, so text that is encoded once and reused (a
 * template's payload head) is decoded from an ASCII byte buffer instead.
 *
 * @example
 * base64urlFlat(new Uint8Array([255, 255])) // '__8'
 */
export function base64urlFlat(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil((bytes.length * 4) / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = alphabetCodes[n >>> 18]!;
    out[o++] = alphabetCodes[(n >>> 12) & 63]!;
    out[o++] = alphabetCodes[(n >>> 6) & 63]!;
    out[o++] = alphabetCodes[n & 63]!;
  }
  const left = bytes.length - i;
  if (left > 0) {
    const n = (bytes[i]! << 16) | (left === 2 ? bytes[i + 1]! << 8 : 0);
    out[o++] = alphabetCodes[n >>> 18]!;
    out[o++] = alphabetCodes[(n >>> 12) & 63]!;
    if (left === 2) out[o++] = alphabetCodes[(n >>> 6) & 63]!;
  }
  return asciiText.decode(out.subarray(0, o));
}

/** Formats 16 bytes as a GUID (used for deterministic pairwise identifiers). */
export function bytesToGuid(bytes: Uint8Array): string {
  let hex = '';
  for (let i = 0; i < 16; i++) hex += (bytes[i] ?? 0).toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

