import type { JwtPayload } from './jwt.js';
import { sessionId, type JsonValue } from './optional.js';
import { base64url, base64urlFlat, sha256, type RequestDigestTexts } from './sha256.js';

// A JWT payload shape compiled once and filled per token: claim names in emission order, fixed values, slots for
// the per-token values (clock, digests, nonce), and the JSON text between the slots.

/** The per-token values of a JWT: the clock, the request digest and the nonce. */
export type SlotKind = 'iat' | 'nbf' | 'exp' | 'uti' | 'aio' | 'rh' | 'nonce' | 'auth_time' | 'sid' | 'c_hash' | 'at_hash';

/** A placeholder in a template for a per-token value. */
export class Slot {
  constructor(readonly kind: SlotKind) {
    Object.freeze(this);
  }
}

export const slot: Readonly<Record<SlotKind, Slot>> = Object.freeze({
  iat: new Slot('iat'),
  nbf: new Slot('nbf'),
  exp: new Slot('exp'),
  uti: new Slot('uti'),
  aio: new Slot('aio'),
  rh: new Slot('rh'),
  nonce: new Slot('nonce'),
  auth_time: new Slot('auth_time'),
  sid: new Slot('sid'),
  c_hash: new Slot('c_hash'),
  at_hash: new Slot('at_hash'),
});

/** One payload shape: claim names in emission order, static values (deep-frozen) or slots, and the JSON text between slots. */
export interface JwtShape {
  readonly names: readonly string[];
  readonly values: readonly (JsonValue | Slot)[];
  /** `{…` up to the first slot's value, then the text between slots, then `…}`; undefined when a claim name is an array index (JSON.stringify would reorder). */
  readonly jsonParts: readonly string[] | undefined;
  /** `jsonParts[0]` split on a 3-byte boundary of its UTF-8, the head pre-encoded (undefined with `jsonParts`). */
  readonly head: { readonly text: string; readonly encoded: string; readonly rest: string } | undefined;
  /** Indexes of the slots in `names`, in order. */
  readonly slots: readonly number[];
  /** A new object with every claim of the shape (slots `null`), own data properties in emission order. */
  readonly fresh: () => Record<string, JsonValue>;
}

const arrayIndexName = /^(?:0|[1-9]\d*)$/;

/** A claim name that is an array index: objects and JSON.stringify put those first, whatever the insertion order. */
export const isArrayIndexName = (name: string): boolean => arrayIndexName.test(name) && Number(name) < 4294967295;

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    // arrays by index: no copy of a long groups list just to walk it
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
    else for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const utf8 = new TextEncoder();

/** UTF-8 length of one UTF-16 code unit at `at` (a surrogate pair counts 4 on its high half, 0 on its low half). */
function utf8Width(text: string, at: number): number {
  const unit = text.charCodeAt(at);
  if (unit < 0x80) return 1;
  if (unit < 0x800) return 2;
  if (unit >= 0xd800 && unit <= 0xdbff && at + 1 < text.length && (text.charCodeAt(at + 1) & 0xfc00) === 0xdc00) return 4;
  if (unit >= 0xdc00 && unit <= 0xdfff && at > 0 && (text.charCodeAt(at - 1) & 0xfc00) === 0xd800) return 0;
  return 3; // BMP characters and lone surrogates (which UTF-8 encoding replaces by U+FFFD, 3 bytes)
}

/**
 * Splits the fixed JSON prefix where its UTF-8 byte count is a multiple of 3 (base64 of a concatenation splits
 * only there), at a character boundary, as late as possible; the head is encoded once per template.
 *
 * @example
 * splitForBase64('{"a":"é",') // { text: '{"a":"é"', encoded: 'eyJhIjoiw6ki', rest: ',' } (9 bytes, then 1)
 */
export function splitForBase64(prefix: string): { text: string; encoded: string; rest: string } {
  const encoded = utf8.encode(prefix);
  let bytes = encoded.length;
  let cut = prefix.length;
  // a pair's 4 bytes count on its high half and 0 on its low half; never cut after a high surrogate, not even a lone
  // one (JSON text has none), since a tail starting with a low one would pair with it
  while (cut > 0 && (bytes % 3 !== 0 || (prefix.charCodeAt(cut - 1) & 0xfc00) === 0xd800)) bytes -= utf8Width(prefix, --cut);
  // the cut is on a character boundary and after no high surrogate, so the head's bytes are a prefix of the whole's
  return { text: prefix.slice(0, cut), encoded: base64urlFlat(encoded.subarray(0, bytes)), rest: prefix.slice(cut) };
}

/** The per-token claims (slots) after every fixed claim, each group in its own order: the payload becomes one fixed prefix and a short tail. */
export function perTokenClaimsLast(claims: ClaimList): Map<string, JsonValue | Slot> {
  const ordered = new Map<string, JsonValue | Slot>();
  const { names, values } = claims;
  for (let i = 0; i < names.length; i++) if (!(values[i] instanceof Slot)) ordered.set(names[i]!, values[i]!);
  for (let i = 0; i < names.length; i++) if (values[i] instanceof Slot) ordered.set(names[i]!, values[i]!);
  return ordered;
}

/**
 * Claims in emission order: a later write to a name replaces its value in place (first-insertion order, as a Map
 * keeps it), in two arrays that are read without allocating.
 */
export class ClaimList {
  readonly names: string[];
  readonly values: (JsonValue | Slot)[];
  /** The claims set so far: the arrays' first `count` entries (the rest, if any, is reserved room). */
  private count = 0;

  /**
   * With `capacity`, both arrays are allocated once at that length (the holes are never read: claims are set, then
   * {@link ClaimList.done} trims them) instead of growing twice on the way to a token's few dozen claims.
   *
   * @example
   * const claims = new ClaimList(4);
   * claims.set('a', '1');
   * claims.done().names // ['a']
   */
  constructor(capacity = 0) {
    this.names = new Array<string>(capacity);
    this.values = new Array<JsonValue | Slot>(capacity);
  }

  set(name: string, value: JsonValue | Slot): void {
    // a token has a few dozen claims: a scan beats hashing, and allocates nothing
    const at = this.indexOf(name);
    if (at !== -1) this.values[at] = value;
    else if (this.count < this.names.length) {
      this.names[this.count] = name;
      this.values[this.count++] = value;
    } else {
      this.count++;
      this.names.push(name);
      this.values.push(value);
    }
  }

  /** Ends the setting: the arrays hold exactly the claims set (a reserved length is cut to them). */
  done(): this {
    if (this.count < this.names.length) {
      this.names.length = this.count;
      this.values.length = this.count;
    }
    return this;
  }

  get(name: string): JsonValue | Slot | undefined {
    const at = this.indexOf(name);
    return at === -1 ? undefined : this.values[at];
  }

  /** Where `name` is, or -1: a loop over the claims set so far (not over the reserved room, as `indexOf` would be). */
  private indexOf(name: string): number {
    const names = this.names;
    const end = this.count;
    for (let i = 0; i < end; i++) if (names[i] === name) return i;
    return -1;
  }
}

/** Compiles claims in emission order into a frozen shape: its JSON text around the slots, and a fast object to clone per token. */
export function compileShape(claims: ReadonlyMap<string, JsonValue | Slot>): JwtShape {
  const names: string[] = [];
  const values: (JsonValue | Slot)[] = [];
  const jsonParts: string[] = [];
  let text = '{';
  let indexLike = false;
  for (const [name, value] of claims) {
    if (isArrayIndexName(name)) indexLike = true;
    names.push(name);
    values.push(value instanceof Slot ? value : deepFreeze(value));
    text += (names.length > 1 ? ',' : '') + JSON.stringify(name) + ':';
    if (value instanceof Slot) {
      jsonParts.push(text);
      text = '';
    } else text += JSON.stringify(value);
  }
  jsonParts.push(text + '}');
  // the claims as one fast-properties object, reachable only through this closure and never written after this
  // loop: a token spreads it (V8 copies the whole shape at once) instead of inserting each claim into an
  // Object.create(null) dictionary — about half of the payload's cost. defineProperty: any name stays an own property,
  // and V8 keeps the object in fast mode (over a dozen keyed stores would turn it into a dictionary). Slots hold null
  // until a token fills them (a number placeholder makes a double field, which V8's fast clone does not copy).
  const base: Record<string, JsonValue> = {};
  const slots: number[] = [];
  for (let i = 0; i < names.length; i++) {
    const value = values[i]!;
    if (value instanceof Slot) slots.push(i);
    Object.defineProperty(base, names[i]!, { value: value instanceof Slot ? null : value, enumerable: true, writable: true, configurable: true });
  }
  return Object.freeze({
    names: Object.freeze(names),
    values: Object.freeze(values),
    jsonParts: indexLike ? undefined : Object.freeze(jsonParts),
    head: indexLike ? undefined : Object.freeze(splitForBase64(jsonParts[0]!)),
    slots: Object.freeze(slots),
    fresh: Object.freeze((): Record<string, JsonValue> => ({ ...base })),
  });
}

/** The values of one token's slots. */
export interface SlotValues {
  readonly now: number;
  readonly exp: number;
  /** The request digest's texts (`aio`, `uti`, `rh`), when the claims use them. */
  readonly digest: RequestDigestTexts | undefined;
  readonly nonce: string | undefined;
  readonly code: string | undefined;
  readonly accessToken: string | undefined;
  /** The tenant and the user's object ID ('' app-only), for `sid`. */
  readonly tid: string;
  readonly userId: string;
}

/** OIDC Core `c_hash`/`at_hash`: base64url of the left half of the SHA-256 of the value's ASCII octets (RS256's hash). */
function oidcHalfHash(value: string): string {
  return base64url(sha256(value), 0, 16);
}

/** The value of one slot in one token. */
export function slotValue(kind: SlotKind, values: SlotValues): JsonValue {
  switch (kind) {
    case 'iat':
    case 'nbf':
    case 'auth_time':
      return values.now;
    case 'exp':
      return values.exp;
    case 'uti':
      return values.digest!.uti;
    case 'aio':
      return values.digest!.aio;
    case 'rh':
      return values.digest!.rh;
    case 'nonce':
      return values.nonce!;
    case 'sid':
      return sessionId(values.tid, values.userId, values.now);
    case 'c_hash':
      return oidcHalfHash(values.code!);
    case 'at_hash':
      return oidcHalfHash(values.accessToken!);
  }
}

/** A fresh, frozen, null-prototype payload from a shape, and its exact JSON text (head + tail). */
export function materialize(shape: JwtShape, values: SlotValues): { payload: JwtPayload; tail: string | undefined } {
  const payload = shape.fresh();
  // null prototype before any write: the slots are own properties already, so no write can reach a prototype
  Object.setPrototypeOf(payload, null);
  const { names, jsonParts, slots } = shape;
  const shapeValues = shape.values;
  let json = shape.head?.rest;
  for (let s = 0; s < slots.length; s++) {
    const index = slots[s]!;
    const kind = (shapeValues[index] as Slot).kind;
    const filled = slotValue(kind, values);
    payload[names[index]!] = filled;
    // only the nonce can need escaping; the rest are integers and base64url/GUID text
    const text = typeof filled === 'number' ? String(filled) : kind === 'nonce' ? JSON.stringify(filled) : `"${filled as string}"`;
    if (json !== undefined) json += text + jsonParts![s + 1]!;
  }
  return { payload: Object.freeze(payload), tail: json };
}
