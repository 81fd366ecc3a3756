import type { IndexedDirectory, IndexedGroup } from '../directory/indexed.js';
import type { JwtPayload } from './jwt.js';
import { deepFreeze, isArrayIndexName, Slot, slotValue, type ClaimList, type SlotValues } from './jwt-shape.js';
import type { JsonValue } from './optional.js';

// A token whose payload shape is not reused (a user's first token, `assembleToken`) is written straight from its
// claims as JSON text: the fixed claims, then the per-token ones (the order a compiled shape emits). The payload
// object is built from the same claims only when someone reads it (signers need only the text).

/** A payload's claim names in emission order, compiled once: the JSON text before each value, and an object to clone. */
interface PayloadLayout {
  /** The names in emission order. */
  readonly names: readonly string[];
  /**
   * The JSON text before each claim's value, with the quotes around it folded in: at `index * 9 + close * 3 + open`,
   * the text that closes the previous value (`close`: 0 nothing, 1 `"`, 2 `"]`), the key (`{"first":`, then
   * `,"next":`) and what opens this value (`open`: 0 nothing, 1 `"`, 2 `["`). Fewer, longer parts to join.
   */
  readonly glue: readonly string[];
  /** A new object with every claim of the layout (values null), own data properties in emission order. */
  readonly fresh: () => Record<string, JsonValue>;
}

interface LayoutNode {
  readonly next: Map<string, LayoutNode>;
  layout: PayloadLayout | undefined;
}

/**
 * Payload layouts by claim-name sequence, as a trie walked one name at a time (no key string built per token). Users
 * of one request shape mostly share a handful of sequences, so a first token reuses the quoted keys and clones a fast
 * object instead of filling a dictionary. Private to one issuer; at `maxNodes` trie nodes it starts over.
 */
export class PayloadLayouts {
  private root: LayoutNode = { next: new Map(), layout: undefined };
  private count = 0;
  /** The layout found last: the next user of the shape most likely has the same names (the same strings, compared by identity first). */
  private last: PayloadLayout | undefined;

  constructor(private readonly maxNodes: number) {}

  /** The directory's groups whose ID is JSON text as is, at their snapshot order; found on first use. */
  private plainGroups: (IndexedGroup | undefined)[] | undefined;

  /**
   * `ids` when it is the list of `groups`' IDs in order and every one is JSON text as is (no `"`, `\`, control or
   * surrogate), else undefined: the directory's group IDs are checked once, then a user's groups only by identity
   * (the very entries that were checked), so the writer need not check those IDs again.
   */
  plainGroupIds(directory: IndexedDirectory, groups: readonly IndexedGroup[], ids: readonly string[]): readonly string[] | undefined {
    const plain = (this.plainGroups ??= plainGroupEntries(directory));
    if (ids.length !== groups.length) return undefined;
    for (let i = 0; i < groups.length; i++) {
      const entry = groups[i]!;
      if (plain[entry.order] !== entry || ids[i] !== entry.group.id) return undefined;
    }
    return ids;
  }

  /** The layout of a payload's names, fixed claims first then slots; undefined when a name is an array index. */
  find(claims: ClaimList): PayloadLayout | undefined {
    const last = this.last;
    if (last !== undefined && sameOrder(last.names, claims)) return last;
    if (this.count >= this.maxNodes) {
      this.root = { next: new Map(), layout: undefined };
      this.count = 0;
      this.last = undefined;
    }
    const { names, values } = claims;
    let node = this.root;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < names.length; i++) {
        if (values[i] instanceof Slot !== (pass === 1)) continue;
        const name = names[i]!;
        let child = node.next.get(name);
        if (child === undefined) {
          // objects and JSON.stringify put array-index names first: such a payload gets no layout
          if (isArrayIndexName(name)) return undefined;
          node.next.set(name, (child = { next: new Map(), layout: undefined }));
          this.count++;
        }
        node = child;
      }
    }
    return (this.last = node.layout ??= layoutOf(emissionOrder(claims)));
  }
}

/** Text JSON.stringify writes as is between quotes. */
const plainText = /^[^"\\\x00-\x1f\ud800-\udfff]*$/;

/** The directory's group entries whose ID is plain text, at their snapshot order (a repeated ID: only the indexed entry). */
function plainGroupEntries(directory: IndexedDirectory): (IndexedGroup | undefined)[] {
  const plain: (IndexedGroup | undefined)[] = [];
  for (const entry of directory.groupsById.values()) if (plainText.test(entry.group.id)) plain[entry.order] = entry;
  return plain;
}

/** Whether claims have exactly these names in emission order (fixed claims, then slots). */
function sameOrder(names: readonly string[], claims: ClaimList): boolean {
  if (names.length !== claims.names.length) return false;
  let at = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < claims.names.length; i++) {
      if (claims.values[i] instanceof Slot !== (pass === 1)) continue;
      if (claims.names[i] !== names[at++]) return false;
    }
  }
  return true;
}

/** The names of claims, fixed first then slots. */
function emissionOrder({ names, values }: ClaimList): string[] {
  return [...names.filter((_, i) => !(values[i] instanceof Slot)), ...names.filter((_, i) => values[i] instanceof Slot)];
}

/** The JSON text before the `index`-th claim's value. */
const keyText = (name: string, index: number): string => (index === 0 ? '{' : ',') + JSON.stringify(name) + ':';

/** What closes a value (by `close`) and what opens one (by `open`), see `PayloadLayout.glue`. */
const closers = ['', '"', '"]'] as const;
const openers = ['', '"', '["'] as const;

/** The glue before a value: the previous value's closing, the key, this value's opening. */
const glueText = (close: number, key: string, open: number): string => closers[close]! + key + openers[open]!;

function layoutOf(names: readonly string[]): PayloadLayout {
  // defineProperty: any name stays an own property and the object stays in fast mode (see compileShape)
  const base: Record<string, JsonValue> = {};
  for (const name of names) Object.defineProperty(base, name, { value: null, enumerable: true, writable: true, configurable: true });
  const glue: string[] = [];
  names.forEach((name, index) => {
    for (let close = 0; close < 3; close++) for (let open = 0; open < 3; open++) glue.push(glueText(close, keyText(name, index), open));
  });
  return Object.freeze({ names, glue: Object.freeze(glue), fresh: (): Record<string, JsonValue> => ({ ...base }) });
}

/** The text after the last value, by how it closes. */
const endings = ['}', '"}', '"]}'] as const;

/** What JSON.stringify escapes besides `"`: controls, `\` and lone surrogates (any surrogate here: pairs take the exact path). */
const escapedButQuote = /[\x00-\x1f\\\ud800-\udfff]/;

/**
 * The writer's scratch: the parts of the text being written and a search that starts at `lastIndex`. Each token
 * issuer owns one (see {@link TokenScratch}); a call without one allocates its own. Used within one synchronous call
 * and emptied before it returns, so no claim value outlives the call in it.
 *
 * @example
 * writePayload(claims, values, layouts, undefined, newJsonScratch())
 */
export interface JsonScratch {
  readonly parts: string[];
  /** What JSON.stringify escapes besides `"`, searching from `lastIndex` (set before each use, within one call). */
  readonly escapedFrom: RegExp;
}

/**
 * A new, empty {@link JsonScratch}.
 *
 * @example
 * const scratch = newJsonScratch();
 */
export function newJsonScratch(): JsonScratch {
  return { parts: [], escapedFrom: /[\x00-\x1f\\\ud800-\udfff]/g };
}

/**
 * The JSON text of claims whose strings need no escaping (the common case: GUIDs, UPNs, URLs, base64url), exactly
 * as `JSON.stringify` writes it: the glue between values (key and quotes, see `PayloadLayout.glue`) and every string
 * go into the scratch's array of parts, joined once (no intermediate text per value or per list). Each string is
 * checked for `"` as it goes in; the joined text is then checked once for anything else JSON escapes. Undefined
 * when something needs escaping: the caller takes the exact path.
 */
function plainJson(claims: ClaimList, filled: readonly JsonValue[], layout: PayloadLayout | undefined, plainList: readonly string[] | undefined, scratch: JsonScratch): string | undefined {
  const { names } = claims;
  const claimValues = claims.values;
  const count = names.length;
  const parts = scratch.parts;
  let p = 0;
  let at = 0;
  let slot = 0;
  let close = 0;
  // where the text of `plainList`'s items lies (its items are known to need no check): the rest is checked
  let plainStart = -1;
  let plainEnd = -1;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < count; i++) {
      const claim = claimValues[i]!;
      if (claim instanceof Slot !== (pass === 1)) continue;
      const value = claim instanceof Slot ? filled[slot++]! : claim;
      const list = Array.isArray(value) ? (value as readonly JsonValue[]) : undefined;
      const open = typeof value === 'string' ? 1 : list !== undefined && list.length > 0 ? 2 : 0;
      parts[p++] = layout !== undefined ? layout.glue[at * 9 + close * 3 + open]! : glueText(close, keyText(names[i]!, at), open);
      at++;
      if (open === 1) {
        if ((value as string).indexOf('"') !== -1) return clearParts(parts, p);
        parts[p++] = value as string;
      } else if (open === 2 && plainList !== undefined && list === plainList && plainStart === -1) {
        let start = 0;
        for (let k = 0; k < p; k++) start += parts[k]!.length;
        let end = start + 3 * (plainList.length - 1);
        for (let j = 0; j < plainList.length; j++) {
          const item = plainList[j]!;
          if (j > 0) parts[p++] = '","';
          parts[p++] = item;
          end += item.length;
        }
        plainStart = start;
        plainEnd = end;
      } else if (open === 2) {
        for (let j = 0; j < list!.length; j++) {
          const item = list![j];
          if (typeof item !== 'string' || item.indexOf('"') !== -1) return clearParts(parts, p);
          if (j > 0) parts[p++] = '","';
          parts[p++] = item;
        }
      } else parts[p++] = list !== undefined ? '[]' : typeof value === 'number' && Number.isFinite(value) ? String(value) : JSON.stringify(value);
      close = open;
    }
  }
  parts[p++] = count === 0 ? '{}' : endings[close]!;
  parts.length = p; // join copies the whole array: exactly this token's parts
  const text = parts.join('');
  clearParts(parts, p);
  if (plainStart === -1) return escapedButQuote.test(text) ? undefined : text;
  if (escapedButQuote.test(text.slice(0, plainStart))) return undefined;
  const escapedFrom = scratch.escapedFrom;
  escapedFrom.lastIndex = plainEnd;
  return escapedFrom.test(text) ? undefined : text;
}

/** Drops the first `count` parts of the scratch array (the slots stay allocated); undefined, for the exact path. */
function clearParts(parts: string[], count: number): undefined {
  for (let i = 0; i < count; i++) parts[i] = '';
  return undefined;
}

/** The JSON text of any claims, exactly as `JSON.stringify` writes it: each key and value stringified on its own. */
function exactJson(claims: ClaimList, filled: readonly JsonValue[]): string {
  const { names } = claims;
  const claimValues = claims.values;
  let text = '';
  let at = 0;
  let slot = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < names.length; i++) {
      const claim = claimValues[i]!;
      if (claim instanceof Slot !== (pass === 1)) continue;
      const value = claim instanceof Slot ? filled[slot++]! : claim;
      text += keyText(names[i]!, at++) + JSON.stringify(value);
    }
  }
  return at === 0 ? '{}' : text + '}';
}

/**
 * A payload written from its claims: the exact JSON text at once, the object on first read (then always the same
 * frozen null-prototype object). The claims and values are private to it and never written after the text.
 */
export class WrittenPayload {
  /** `JSON.stringify(payload)`, byte for byte; undefined when a claim name is an array index (objects put those first). */
  readonly json: string | undefined;
  private built: JwtPayload | undefined;

  constructor(
    private readonly claims: ClaimList,
    /** The slots' values in emission order. */
    private readonly filled: readonly JsonValue[],
    private readonly layout: PayloadLayout | undefined,
    json: string | undefined,
  ) {
    this.json = json;
  }

  /** The payload: a frozen null-prototype object, keys in emission order; built on first read. */
  get payload(): JwtPayload {
    return (this.built ??= this.build());
  }

  private build(): JwtPayload {
    const layout = this.layout;
    const payload = layout !== undefined ? layout.fresh() : ({} as Record<string, JsonValue>);
    // null prototype before any write: with a layout every name is an own property already, and without one no
    // prototype is left for a write such as `__proto__` to reach
    Object.setPrototypeOf(payload, null);
    const { names, values } = this.claims;
    let slot = 0;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < names.length; i++) {
        const value = values[i]!;
        if (value instanceof Slot !== (pass === 1)) continue;
        payload[names[i]!] = value instanceof Slot ? this.filled[slot++]! : deepFreeze(value);
      }
    }
    return Object.freeze(payload);
  }
}

/**
 * One payload from claims in emission order: its exact JSON text written directly (undefined when a claim name is
 * an array index: the object puts those first), the object built on first read. With `layouts` (an issuer's), the
 * keys come pre-quoted and the object is a clone of a fast one. `plainList`, from
 * {@link PayloadLayouts.plainGroupIds}, is a list whose items are known to need no escaping: they are not checked.
 * `scratch` is the issuer's (a new one without it).
 *
 * @example
 * writePayload(claims, values).json // exactly JSON.stringify(writePayload(claims, values).payload)
 */
export function writePayload(claims: ClaimList, values: SlotValues, layouts?: PayloadLayouts, plainList?: readonly string[], scratch: JsonScratch = newJsonScratch()): WrittenPayload {
  const layout = layouts?.find(claims);
  const { names } = claims;
  const claimValues = claims.values;
  const count = names.length;
  // the slots' values in emission order (slots come after every fixed claim, in their own order)
  let slots = 0;
  for (let i = 0; i < count; i++) if (claimValues[i] instanceof Slot) slots++;
  const filled = new Array<JsonValue>(slots); // sized once: a token has a handful of slots
  for (let i = 0, at = 0; i < count; i++) {
    const value = claimValues[i];
    if (value instanceof Slot) filled[at++] = slotValue(value.kind, values);
  }
  const json = layout === undefined && names.some(isArrayIndexName) ? undefined : plainJson(claims, filled, layout, plainList, scratch) ?? exactJson(claims, filled);
  const written = new WrittenPayload(claims, filled, layout, json);
  if (json === undefined) void written.payload; // the object is the only exact form: built now, like the text would have been
  return written;
}
