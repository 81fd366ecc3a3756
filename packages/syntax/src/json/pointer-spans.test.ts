import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toPointer } from '@claimc/model';
import { locateByPointer, locateJsonPointers } from './pointer-spans.js';

const at = (text: string, pointer: string) => {
  const span = locateJsonPointers(text, [pointer]).get(pointer);
  return span === undefined ? undefined : text.slice(span.start, span.end);
};

/** Every pointer of a parsed JSON value, with the value it names. */
function allPointers(value: unknown, path: (string | number)[] = [], out: [string, unknown][] = []): [string, unknown][] {
  out.push([toPointer(path), value]);
  if (Array.isArray(value)) value.forEach((item, i) => allPointers(item, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) allPointers(v, [...path, k], out);
  return out;
}

describe('locateJsonPointers', () => {
  const snapshot = '{\n  "users": [\n    { "id": "a", "tags": ["x]", "{y"] },\n    { "id": 42, "a/b~c": { "d": null } }\n  ],\n  "org": true\n}';

  it('finds values of every kind, through arrays, strings holding brackets and escaped pointer segments', () => {
    expect(at(snapshot, '/users/1/id')).toBe('42');
    expect(at(snapshot, '/users/0/tags/1')).toBe('"{y"');
    expect(at(snapshot, '/users/1/a~1b~0c/d')).toBe('null');
    expect(at(snapshot, '/org')).toBe('true');
    expect(at(snapshot, '/users/0')).toBe('{ "id": "a", "tags": ["x]", "{y"] }');
    expect(at(snapshot, '')).toBe(snapshot);
  });

  it('a missing value points at its deepest existing ancestor', () => {
    expect(at(snapshot, '/users/1/missing/deeper')).toBe('{ "id": 42, "a/b~c": { "d": null } }');
    expect(at(snapshot, '/users/7')).toMatch(/^\[\n/);
    expect(at(snapshot, '/nothing')).toBe(snapshot);
  });

  it('a repeated key resolves to its last occurrence, as JSON.parse reads it; escaped keys are decoded', () => {
    expect(at('{"a":1,"a":2}', '/a')).toBe('2');
    expect(at('{"\\u0061b":3}', '/ab')).toBe('3');
  });

  it('never throws on text that is not JSON, and keeps what it found before the break', () => {
    for (const text of ['', '{', '{"a":', '{"a" 1}', '[1,,2]', '{"a":[1,2}', '"unterminated', '}{']) {
      expect(() => locateJsonPointers(text, ['/a', '/0', ''])).not.toThrow();
    }
    expect(at('{"a":{"b":1},"c":', '/a/b')).toBe('1');
  });

  it('property: for any JSON document in any indentation, every pointer locates text that parses to the value it names (500 documents)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 1, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        if (text === undefined) return;
        const pairs = allPointers(JSON.parse(text));
        const spans = locateJsonPointers(text, pairs.map(([p]) => p));
        for (const [pointer, expected] of pairs) {
          const span = spans.get(pointer);
          expect(span, pointer).toBeDefined();
          expect(JSON.parse(text.slice(span!.start, span!.end)), pointer).toEqual(expected);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('locates 10,000 pointers in a 5 MB document', () => {
    const users = Array.from({ length: 20_000 }, (_, i) => ({ id: `u${i}`, displayName: 'x'.repeat(200) }));
    const text = JSON.stringify({ users });
    const pointers = Array.from({ length: 10_000 }, (_, i) => `/users/${i * 2}/id`);
    const spans = locateJsonPointers(text, pointers);
    expect(spans.size).toBe(10_000);
    expect(text.slice(spans.get('/users/19998/id')!.start, spans.get('/users/19998/id')!.end)).toBe('"u19998"');
  });
});

describe('locateByPointer', () => {
  it('gives spanless diagnostics the span of their pointer and leaves located ones alone', () => {
    const text = '{"users":[{"id":1}]}';
    const [moved, kept, unknown] = locateByPointer(text, [
      { code: 'CM7001', severity: 'error', message: 'm', pointer: '/users/0/id' },
      { code: 'CM7001', severity: 'error', message: 'm', pointer: '/users/0/id', span: { start: 0, end: 1 } },
      { code: 'CM0001', severity: 'error', message: 'm' },
    ]);
    expect(moved!.span).toEqual({ start: 16, end: 17 });
    expect(kept!.span).toEqual({ start: 0, end: 1 });
    expect(unknown!.span).toBeUndefined();
  });
});
