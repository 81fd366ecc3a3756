import { describe, expect, it } from 'vitest';
import { isPrototypeKey, jwtNameRestriction, jwtRestrictedClaims, samlNameRestriction, samlRestrictedClaims, samlUnrestrictedWithCustomKey } from './restricted.js';

describe('JWT claim-name restrictions (D6, threats N1–N3)', () => {
  it('restricts every listed name, exactly and in other case', () => {
    for (const name of jwtRestrictedClaims) {
      expect(jwtNameRestriction(name), name).toBeDefined();
      expect(jwtNameRestriction(name.toUpperCase()), name).toBeDefined();
    }
  });
  it('restricts the xms_ and extn. prefixes', () => {
    expect(jwtNameRestriction('xms_cc')).toBe('restricted-prefix');
    expect(jwtNameRestriction('XMS_anything')).toBe('restricted-prefix');
    expect(jwtNameRestriction('extn.skypeId')).toBe('restricted-prefix');
  });
  it('restricts a dotted path whose first segment is reserved', () => {
    expect(jwtNameRestriction('cnf.jwk')).toBe('restricted');
    expect(jwtNameRestriction('iss.x')).toBe('restricted');
  });
  it('rejects disguised names: whitespace, fullwidth, homoglyphs, zero-width', () => {
    for (const name of [' iss', 'iss ', 'ｉｓｓ', 'ѕub', 'su\u200bb', 'na\u202eme', '']) {
      expect(jwtNameRestriction(name), JSON.stringify(name)).toBe('malformed');
    }
  });
  it('rejects prototype keys in any case', () => {
    for (const name of ['__proto__', 'constructor', 'prototype', 'toString', 'HasOwnProperty', 'a.__proto__']) {
      expect(jwtNameRestriction(name), name).toBe('prototype-key');
      expect(isPrototypeKey(name.split('.').pop() ?? name)).toBe(true);
    }
  });
  it('accepts ordinary names', () => {
    for (const name of ['employeeid', 'JoinedData', 'department', 'http://example.com/claims/x', 'given_name', 'tenant-country', 'a.b']) {
      expect(jwtNameRestriction(name), name).toBeUndefined();
    }
  });
});

describe('SAML attribute-name restrictions (D6)', () => {
  it('restricts the listed URIs', () => {
    for (const name of samlRestrictedClaims) {
      if (samlUnrestrictedWithCustomKey.includes(name)) continue;
      expect(samlNameRestriction(name, true), name).toBe('restricted');
    }
  });
  it('unlocks the custom-key names only with a custom signing key', () => {
    for (const name of samlUnrestrictedWithCustomKey) {
      expect(samlNameRestriction(name, false), name).toBe('needs-custom-key');
      expect(samlNameRestriction(name, true), name).toBeUndefined();
    }
  });
  it('leaves the NameID claim to the NameID rules', () => {
    expect(samlNameRestriction('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier', false)).toBeUndefined();
  });
});
