import { describe, expect, it } from 'vitest';
import { isPrototypeKey, jwtClaimNamePattern, jwtNameRestriction, jwtRuntimeOwnedClaims, samlClaimNamePattern, samlNameRestriction, samlRestrictedClaims, samlUnrestrictedWithCustomKey } from './restricted.js';

// Edges of the claim-name grammar and the reserved checks: lengths, first characters, allowed punctuation,
// segments, case, and the order in which the checks apply.
describe('JWT claim-name grammar', () => {
  it('allows 1 to 256 characters and no more', () => {
    expect(jwtNameRestriction('a')).toBeUndefined();
    expect(jwtNameRestriction('a' + 'b'.repeat(255))).toBeUndefined();
    expect(jwtNameRestriction('a' + 'b'.repeat(256))).toBe('malformed');
  });

  it('starts with a letter or underscore and continues with letters, digits and . : / # - _', () => {
    expect(jwtNameRestriction('_private')).toBeUndefined();
    expect(jwtNameRestriction('a.b:c/d#e-f_g9')).toBeUndefined();
    for (const name of ['1abc', '-abc', '.abc', ':abc', 'a b', 'a@b', 'a?b', 'a%b', 'a+b', 'a~b', 'a=b', 'a&b', 'é']) expect(jwtNameRestriction(name), name).toBe('malformed');
    expect(jwtClaimNamePattern.test('a\nb')).toBe(false);
  });

  it('restricts the runtime-owned names in any case', () => {
    for (const name of jwtRuntimeOwnedClaims) {
      expect(jwtNameRestriction(name), name).toBe('restricted');
      expect(jwtNameRestriction(name.toUpperCase()), name).toBe('restricted');
    }
  });

  it('checks the first dotted segment only, and not inside URLs', () => {
    expect(jwtNameRestriction('ISS.x')).toBe('restricted');
    expect(jwtNameRestriction('x.iss')).toBeUndefined();
    expect(jwtNameRestriction('http://iss.example.com/claims/x')).toBeUndefined();
    expect(jwtNameRestriction('xms_cc.x')).toBe('restricted-prefix');
    expect(jwtNameRestriction('extnx')).toBeUndefined();
    expect(jwtNameRestriction('extn.')).toBe('restricted-prefix');
  });

  it('finds a prototype key in any segment split by . : or /, before the grammar check', () => {
    for (const name of ['x.constructor', 'x:prototype', 'x/__proto__', 'a.b.ToString', '__proto__.x']) expect(jwtNameRestriction(name), name).toBe('prototype-key');
    expect(jwtNameRestriction('__PROTO__')).toBe('prototype-key');
    expect(jwtNameRestriction('constructors')).toBeUndefined();
  });
});

describe('SAML attribute-name grammar', () => {
  it('allows URI punctuation, 1 to 256 characters', () => {
    expect(samlNameRestriction('urn:contoso:a?b=c&d%20~+@x/#y', false)).toBeUndefined();
    expect(samlNameRestriction('a' + 'b'.repeat(255), false)).toBeUndefined();
    expect(samlNameRestriction('a' + 'b'.repeat(256), false)).toBe('malformed');
    for (const name of ['', ' a', 'a b', '1a', 'é', 'a<b', 'a"b']) expect(samlNameRestriction(name, false), name).toBe('malformed');
    expect(samlClaimNamePattern.test('a\tb')).toBe(false);
  });

  it('restricts prototype keys first, then the restricted URIs in any case', () => {
    expect(samlNameRestriction('Constructor', true)).toBe('prototype-key');
    const restricted = samlRestrictedClaims.find((n) => !samlUnrestrictedWithCustomKey.includes(n))!;
    expect(samlNameRestriction(restricted.toUpperCase(), true)).toBe('restricted');
    expect(samlNameRestriction(restricted, false)).toBe('restricted');
  });

  it('unlocks the custom-key names in any case only with the key', () => {
    const unlocked = samlUnrestrictedWithCustomKey[0]!.toUpperCase();
    expect(samlNameRestriction(unlocked, true)).toBeUndefined();
    expect(samlNameRestriction(unlocked, false)).toBe('needs-custom-key');
  });
});

describe('isPrototypeKey', () => {
  it('matches the block-list in any case and nothing else', () => {
    expect(isPrototypeKey('Constructor')).toBe(true);
    expect(isPrototypeKey('__DEFINEGETTER__')).toBe(true);
    expect(isPrototypeKey('proto')).toBe(false);
    expect(isPrototypeKey('')).toBe(false);
  });
});
