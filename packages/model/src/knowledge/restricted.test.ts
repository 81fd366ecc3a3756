import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { claimTypeUris, isPrototypeKey, jwtNameRestriction, jwtRestrictedClaims, restrictedClaimOfUri, samlNameRestriction, samlRestrictedClaims, samlUnrestrictedWithCustomKey } from './restricted.js';

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
  it('restricts a JWT name that is the claim-type URI of a core or restricted claim, in any case', () => {
    // the URIs Entra issues in SAML and that .NET relying parties map onto role, oid, tid, upn, … by default
    const coreUris = [
      'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
      'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
      'http://schemas.microsoft.com/ws/2008/06/identity/claims/wids',
      'http://schemas.microsoft.com/identity/claims/objectidentifier',
      'http://schemas.microsoft.com/identity/claims/tenantid',
      'http://schemas.microsoft.com/identity/claims/scope',
      'http://schemas.microsoft.com/identity/claims/identityprovider',
      'http://schemas.microsoft.com/identity/claims/displayname',
      'http://schemas.microsoft.com/claims/authnmethodsreferences',
      'http://schemas.microsoft.com/claims/authnclassreference',
      'http://schemas.microsoft.com/claims/groups.link',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      'http://schemas.microsoft.com/ws/2008/06/identity/claims/primarysid',
      'http://schemas.microsoft.com/ws/2008/06/identity/claims/windowsaccountname',
      'http://schemas.microsoft.com/2012/01/devicecontext/claims/identifier',
      'http://schemas.microsoft.com/identity/claims/extn.skypeId',
    ];
    for (const uri of coreUris) {
      for (const spelling of [uri, uri.toUpperCase(), uri.replace('http://', 'https://')]) expect(jwtNameRestriction(spelling), spelling).toBe('restricted-uri');
    }
    for (const uri of [...samlRestrictedClaims, ...samlUnrestrictedWithCustomKey]) expect(jwtNameRestriction(uri), uri).toBe('restricted-uri');
    expect(restrictedClaimOfUri('HTTP://schemas.microsoft.com/ws/2008/06/identity/claims/ROLE')).toBe('roles');
    expect(restrictedClaimOfUri('http://schemas.microsoft.com/identity/claims/objectidentifier')).toBe('oid');
    expect(restrictedClaimOfUri('http://example.com/claims/role')).toBeUndefined();
  });
  it('splits a name on . : / and # for the reserved check', () => {
    for (const name of ['iss.x', 'iss:x', 'iss/x', 'iss#x', 'ISS:x', 'roles:admin', 'cnf#jwk', 'oid/x']) expect(jwtNameRestriction(name), name).toBe('restricted');
    for (const name of ['a#__proto__', 'x:constructor', 'a/prototype']) expect(jwtNameRestriction(name), name).toBe('prototype-key');
  });
  // fast-check prints the seed of a failing run; every counterexample becomes a case above
  const flipCase = (text: string, flips: readonly boolean[]): string => [...text].map((c, i) => (flips[i % Math.max(1, flips.length)] === true ? c.toUpperCase() : c.toLowerCase())).join('');
  const tail = fc.string({ unit: fc.constantFrom(...'abcXYZ019_.:/#-'), maxLength: 20 });
  it('property: a restricted name in any case, followed by . : / or # and anything, is refused (2,000 runs)', () => {
    const restricted = jwtRestrictedClaims.filter((n) => /^[A-Za-z]/.test(n) && !n.includes('.'));
    fc.assert(
      fc.property(fc.constantFrom(...restricted), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.constantFrom('.', ':', '/', '#'), tail, (name, flips, separator, rest) => {
        expect(['restricted', 'prototype-key']).toContain(jwtNameRestriction(flipCase(name, flips) + separator + rest));
      }),
      { numRuns: 2000 },
    );
  });
  it('property: the claim-type URI of a restricted claim is refused in any case and either scheme (2,000 runs)', () => {
    const restrictedUris = [...claimTypeUris.map(([uri]) => uri).filter((uri) => restrictedClaimOfUri(uri) !== undefined), ...samlRestrictedClaims];
    expect(claimTypeUris.length - restrictedUris.length + samlRestrictedClaims.length).toBe(2); // givenname and surname stand for unrestricted claims
    fc.assert(
      fc.property(fc.constantFrom(...restrictedUris), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.boolean(), (uri, flips, https) => {
        const spelled = flipCase(https ? uri.replace('http://', 'https://') : uri, flips);
        expect(jwtNameRestriction(spelled)).toBe('restricted-uri');
      }),
      { numRuns: 2000 },
    );
  });
  it('accepts ordinary names', () => {
    const ordinary = ['employeeid', 'JoinedData', 'department', 'http://example.com/claims/x', 'given_name', 'tenant-country', 'a.b', 'urn:contoso:dept', 'issuer_hint', 'a/iss', 'x#roles'];
    const ordinaryUris = ['http://example.com/claims/role', 'https://contoso.com/identity/claims/tenantid', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/employeeid', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname'];
    for (const name of [...ordinary, ...ordinaryUris]) {
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
