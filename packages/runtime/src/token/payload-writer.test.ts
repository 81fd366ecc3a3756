import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClaimList, compileShape, materialize, perTokenClaimsLast, slot, type SlotValues } from './jwt-shape.js';
import type { IndexedDirectory, IndexedGroup } from '../directory/indexed.js';
import type { DirectoryGroup } from '../directory/schema.js';
import { PayloadLayouts, writePayload } from './payload-writer.js';

// A first token's payload is written directly; a returning user's comes from a compiled shape. Both must give the
// same object (keys, order, values, null prototype, frozen) and the same JSON text, for any claim names: prototype
// keys, array-index names (which objects reorder), names that repeat with a later value. Clock frozen in `values`.

const values: SlotValues = { now: 1_750_000_000, exp: 1_750_003_600, digest: { aio: 'B'.repeat(43), uti: 'B'.repeat(22), rh: '0.' + 'B'.repeat(22) }, nonce: 'n"é', code: undefined, accessToken: undefined, tid: 't', userId: 'u' };
const name = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', '0', '7', '01', 'groups', 'name', 'sub', 'aud'), fc.string({ maxLength: 6 }));
// strings of every kind JSON escapes or not: quotes, backslashes, controls, lone surrogates and pairs (unit 'binary'), GUIDs
const text = fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.uuid());
const value = fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.array(fc.uuid(), { maxLength: 60 }), fc.boolean(), fc.integer(), fc.constantFrom(slot.iat, slot.exp, slot.nonce, slot.uti, slot.sid));
const claimLists = fc.array(fc.tuple(name, value), { maxLength: 24 });

function listOf(pairs: readonly (readonly [string, unknown])[]): ClaimList {
  const list = new ClaimList();
  for (const [n, v] of pairs) list.set(n, structuredCloneValue(v) as never);
  return list;
}
// each token gets its own arrays (the payload freezes them)
const structuredCloneValue = (v: unknown): unknown => (Array.isArray(v) ? [...v] : v);

describe('writePayload (first tokens) equals a compiled shape (returning users)', () => {
  it('same keys in the same order, same values, same JSON, null prototype, frozen; with and without layouts (1,000 runs)', () => {
    const layouts = new PayloadLayouts(64); // small: the trie starts over many times during the run
    fc.assert(
      fc.property(claimLists, fc.constantFrom(values, { ...values, nonce: 'plain' }), (pairs, values) => {
        const compiled = materialize(compileShape(perTokenClaimsLast(listOf(pairs))), values);
        const shape = compileShape(perTokenClaimsLast(listOf(pairs)));
        const expectedJson = shape.head === undefined || compiled.tail === undefined ? undefined : shape.head.text + compiled.tail;
        for (const written of [writePayload(listOf(pairs), values), writePayload(listOf(pairs), values, layouts), writePayload(listOf(pairs), values, layouts)]) {
          expect(Object.getPrototypeOf(written.payload)).toBeNull();
          expect(Object.isFrozen(written.payload)).toBe(true);
          expect(Reflect.ownKeys(written.payload)).toEqual(Reflect.ownKeys(compiled.payload));
          expect(JSON.stringify(written.payload)).toBe(JSON.stringify(compiled.payload));
          expect(written.json).toBe(expectedJson);
          if (written.json !== undefined) expect(written.json).toBe(JSON.stringify(written.payload));
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('a list with reserved room ends as one without, whether the room was too much or too little (300 runs)', () => {
    fc.assert(
      fc.property(claimLists, fc.nat(30), (pairs, room) => {
        const reserved = new ClaimList(room);
        for (const [n, v] of pairs) reserved.set(n, v as never);
        const grown = listOf(pairs);
        expect(reserved.done().names).toEqual(grown.names);
        expect(reserved.values).toEqual(grown.values);
        expect(reserved.get(pairs[0]?.[0] ?? 'x')).toEqual(grown.get(pairs[0]?.[0] ?? 'x'));
      }),
      { numRuns: 300 },
    );
  });

  it('a later write to a name keeps its first place (the order a Map keeps)', () => {
    const list = listOf([['a', '1'], ['b', '2'], ['a', '3']]);
    expect(list.names).toEqual(['a', 'b']);
    expect(list.values).toEqual(['3', '2']);
  });
});

describe('a list of group IDs known to need no escaping', () => {
  const entry = (id: string, order: number): IndexedGroup => Object.freeze({ group: { id } as DirectoryGroup, order });
  const entries = ['g-1', 'g"2', 'g\\3', 'g-4'].map(entry);
  const directory = { groupsById: new Map(entries.map((e) => [e.group.id, e])) } as unknown as IndexedDirectory;
  const ids = (list: readonly IndexedGroup[]): string[] => list.map((e) => e.group.id);

  it('is the list only when every entry is the directory\'s own and its ID plain', () => {
    const layouts = new PayloadLayouts(64);
    const plain = [entries[0]!, entries[3]!];
    expect(layouts.plainGroupIds(directory, plain, ids(plain))).toEqual(['g-1', 'g-4']);
    for (const list of [[entries[0]!, entries[1]!], [entries[2]!], [entry('g-1', 0)]]) expect(layouts.plainGroupIds(directory, list, ids(list))).toBeUndefined();
    expect(layouts.plainGroupIds(directory, plain, ['g-1'])).toBeUndefined();
  });

  it('writes the same text as without it, with the rest still checked (300 runs)', () => {
    fc.assert(
      fc.property(claimLists, fc.array(fc.uuid(), { minLength: 1, maxLength: 60 }), fc.nat(24), (pairs, list, at) => {
        const withList = [...pairs.slice(0, at), ['groups', list] as const, ...pairs.slice(at)];
        const plainList = Object.freeze([...list]);
        const build = (): ClaimList => {
          const claims = listOf(withList.filter(([n]) => n !== 'groups'));
          claims.set('groups', plainList as never);
          return claims;
        };
        const expected = writePayload(build(), values);
        const written = writePayload(build(), values, new PayloadLayouts(64), plainList);
        expect(written.json).toBe(expected.json);
        if (written.json !== undefined) expect(written.json).toBe(JSON.stringify(written.payload));
      }),
      { numRuns: 300 },
    );
  });
});
