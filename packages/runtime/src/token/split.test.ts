import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitForBase64 } from './jwt-shape.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
// 1- to 4-byte characters and lone surrogates (which UTF-8 encoding replaces by U+FFFD)
const text = fc.string({ unit: fc.constantFrom('a', '"', 'é', '€', '中', '😀', '\ud83d', '\ude00', '\udfff'), maxLength: 40 });

describe('splitForBase64 (pre-encoded payload heads)', () => {
  it('head + rest is the prefix, the head is 3k UTF-8 bytes, and head encoded + base64url(rest + any tail) = base64url(prefix + tail) (2,000 runs)', () => {
    fc.assert(
      fc.property(text, text, (prefix, tail) => {
        const { text: head, encoded, rest } = splitForBase64(prefix);
        expect(head + rest).toBe(prefix);
        expect(Buffer.byteLength(head) % 3).toBe(0);
        expect(encoded).toBe(b64(head));
        expect(encoded + b64(rest + tail)).toBe(b64(prefix + tail));
      }),
      { numRuns: 2_000 },
    );
  });
  it('cuts as late as possible on ASCII, never between the halves of a pair', () => {
    expect(splitForBase64('{"a":1,').rest).toBe(',');
    expect(splitForBase64('{"a":"😀"').rest).toBe('😀"'); // 11 bytes: 10 and 11 are not aligned, 6 is
    expect(splitForBase64('ab😀c').text).toBe('ab😀');
    expect(splitForBase64('a😀').rest).toBe('a😀'); // 5 bytes, no aligned boundary but 0
  });
});
