import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64url, bytesToGuid, sha256 } from './sha256.js';

describe('pure SHA-256 and base64url', () => {
  it('matches node:crypto on FIPS vectors and block boundaries', () => {
    for (const text of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'a'.repeat(119), 'é😀'.repeat(40)]) {
      expect(base64url(sha256(text))).toBe(createHash('sha256').update(text, 'utf8').digest('base64url'));
    }
  });
  it('matches node:crypto for arbitrary strings and bytes (1,000 runs)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.uint8Array({ maxLength: 300 }), (text, bytes) => {
        expect(base64url(sha256(text))).toBe(createHash('sha256').update(text, 'utf8').digest('base64url'));
        expect(base64url(sha256(bytes))).toBe(createHash('sha256').update(bytes).digest('base64url'));
        expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
      { numRuns: 1000 },
    );
  });
  it('formats GUIDs', () => {
    expect(bytesToGuid(Uint8Array.from({ length: 16 }, (_, i) => i))).toBe('00010203-0405-0607-0809-0a0b0c0d0e0f');
  });
});
