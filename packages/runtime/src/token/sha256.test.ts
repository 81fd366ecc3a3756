import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64url, base64urlFlat, bytesToGuid, requestDigestTexts, requestDigestTextsOf, sha256, sha256Prefix, sha256WithPrefix, sha256WithPrefixBase64url } from './sha256.js';

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
        expect(base64urlFlat(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
      { numRuns: 1000 },
    );
  });
  it('formats GUIDs', () => {
    expect(bytesToGuid(Uint8Array.from({ length: 16 }, (_, i) => i))).toBe('00010203-0405-0607-0809-0a0b0c0d0e0f');
  });
});

describe('SHA-256 from a compressed prefix', () => {
  it('equals the one-shot hash of prefix + suffix for any split (1,000 runs, block boundaries included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 150 }), (prefix, suffix) => {
        const expected = createHash('sha256').update(prefix + suffix, 'utf8').digest('base64url');
        const state = sha256Prefix(prefix);
        expect(base64url(sha256WithPrefix(state, suffix))).toBe(expected);
        // the prefix state is read, never written: a second use gives the same digest
        expect(base64url(sha256WithPrefix(state, suffix))).toBe(expected);
      }),
      { numRuns: 1000 },
    );
    for (let n = 50; n <= 140; n++) {
      const prefix = 'p'.repeat(n);
      for (const suffix of ['', '1700000000|', 'x'.repeat(70)]) {
        expect(base64url(sha256WithPrefix(sha256Prefix(prefix), suffix))).toBe(createHash('sha256').update(prefix + suffix).digest('base64url'));
      }
    }
  });
});

describe('SHA-256 against node:crypto on inputs of every length 0–1,000 bytes', () => {
  it('10 random inputs per length (10,010 in all), as bytes, as ASCII text and from a midstate at a random split', () => {
    let inputs = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2001, maxLength: 2001 }), fc.nat(1000), (pool, shift) => {
        for (let length = 0; length <= 1000; length++) {
          const offset = (length * 7 + shift) % 1001;
          const bytes = pool.subarray(offset, offset + length);
          const expected = createHash('sha256').update(bytes).digest('base64url');
          expect(base64url(sha256(bytes))).toBe(expected);
          let ascii = '';
          for (const byte of bytes) ascii += String.fromCharCode(byte & 0x7f);
          const asciiExpected = createHash('sha256').update(ascii, 'latin1').digest('base64url');
          expect(base64url(sha256(ascii))).toBe(asciiExpected);
          const split = (shift + length * 13) % (length + 1);
          expect(base64url(sha256WithPrefix(sha256Prefix(ascii.slice(0, split)), ascii.slice(split)))).toBe(asciiExpected);
          inputs++;
        }
      }),
      { numRuns: 10, verbose: true },
    );
    expect(inputs).toBeGreaterThanOrEqual(10_010);
  });
});

describe('digest texts written straight from the digest', () => {
  it('equal base64url of the digest and of its ranges, with and without a prefix (500 runs)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 150 }), fc.string({ maxLength: 150 }), (prefix, suffix) => {
        const digest = createHash('sha256').update(prefix + suffix, 'utf8').digest();
        const state = sha256Prefix(prefix);
        expect(sha256WithPrefixBase64url(state, suffix)).toBe(digest.toString('base64url'));
        const expected = { aio: digest.toString('base64url'), uti: digest.subarray(0, 15).toString('base64url') + digest.subarray(15, 16).toString('base64url'), rh: '0.' + digest.subarray(16).toString('base64url') };
        expect(requestDigestTexts(state, suffix)).toEqual(expected);
        expect(requestDigestTexts(undefined, prefix + suffix)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
  it('hashing principal, clock and nonce piece by piece equals hashing their text (500 runs)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 150 }), fc.string({ maxLength: 80 }), fc.integer({ min: 0, max: 253402300799 }), fc.option(fc.string({ unit: 'grapheme', maxLength: 80 }), { nil: undefined }), (prefix, principal, now, nonce) => {
        expect(requestDigestTextsOf(sha256Prefix(prefix), principal, now, nonce)).toEqual(requestDigestTexts(sha256Prefix(prefix), `${principal}|${now}|${nonce ?? ''}`));
      }),
      { numRuns: 500 },
    );
  });
});
