import type { JwtPayload } from './jwt.js';
import { deepFreeze, isArrayIndexName, Slot, slotValue, type ClaimList, type SlotValues } from './jwt-shape.js';
import type { JsonValue } from './optional.js';

// A token whose payload shape is not reused (a user's first token, `assembleToken`) is written straight from its
// claims: the fixed claims, then the per-token ones (the order a compiled shape emits), into a frozen null-prototype
// object and its exact JSON text.

/** A payload's claim names in emission order, compiled once into an object with those keys to clone. */
interface PayloadLayout {
  /** The names in emission order. */
  readonly names: readonly string[];
  /** A new object with every claim of the layout (values null), own data properties in emission order. */
  readonly fresh: () => Record<string, JsonValue>;
}

interface LayoutNode {
  readonly next: Map<string, LayoutNode>;
  layout: PayloadLayout | undefined;
}

/**
 * Payload layouts by claim-name sequence, as a trie walked one name at a time (no key string built per token). Users
 * of one request shape mostly share a handful of sequences, so a first token clones a fast object instead of filling
 * a dictionary. Private to one issuer; at `maxNodes` trie nodes it starts over.
 */
export class PayloadLayouts {
  private root: LayoutNode = { next: new Map(), layout: undefined };
  private count = 0;
  /** The layout found last: the next user of the shape most likely has the same names (the same strings, compared by identity first). */
  private last: PayloadLayout | undefined;

  constructor(private readonly maxNodes: number) {}

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

function layoutOf(names: readonly string[]): PayloadLayout {
  // defineProperty: any name stays an own property and the object stays in fast mode (see compileShape)
  const base: Record<string, JsonValue> = {};
  for (const name of names) Object.defineProperty(base, name, { value: null, enumerable: true, writable: true, configurable: true });
  return Object.freeze({ names, fresh: (): Record<string, JsonValue> => ({ ...base }) });
}

/**
 * One payload and its exact JSON text from claims in emission order (JSON undefined when a claim name is an array
 * index: the object puts those first). With `layouts` (an issuer's), the payload is a clone of a fast object.
 */
export function writePayload(claims: ClaimList, values: SlotValues, layouts?: PayloadLayouts): { payload: JwtPayload; json: string | undefined } {
  const layout = layouts?.find(claims);
  const payload = layout !== undefined ? layout.fresh() : ({} as Record<string, JsonValue>);
  // null prototype before any write: with a layout every name is an own property already, and without one no
  // prototype is left for a write such as `__proto__` to reach
  Object.setPrototypeOf(payload, null);
  const { names } = claims;
  const claimValues = claims.values;
  let indexLike = false;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < names.length; i++) {
      const value = claimValues[i]!;
      if (value instanceof Slot !== (pass === 1)) continue;
      if (layout === undefined && isArrayIndexName(names[i]!)) indexLike = true;
      payload[names[i]!] = value instanceof Slot ? slotValue(value.kind, values) : deepFreeze(value);
    }
  }
  // the keys are in emission order (no array-index name), so one native stringify is the exact text; it writes
  // the slots' values as compiled shapes do (integers, and strings escaped only where needed)
  return { payload: Object.freeze(payload), json: indexLike ? undefined : JSON.stringify(payload) };
}
