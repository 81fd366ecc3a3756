import { describe, expect, it } from 'vitest';
import { LineMap, type Diagnostic } from '@claimc/model';
import { compilePolicy } from '../compile.js';

// The name checks end to end: each finding's code, the position of the value it is about, the names it
// carries (so a message never loses them), related locations, and the NameID rules.
type Entry = Record<string, unknown>;
const policy = (entries: Entry[], transformations: Entry[] = []): string =>
  JSON.stringify({ ClaimsMappingPolicy: { Version: 1, IncludeBasicClaimSet: 'true', ClaimsSchema: entries, ...(transformations.length > 0 ? { ClaimsTransformations: transformations } : {}) } }, null, 1);

function check(text: string, options: { customKey?: boolean; verifiedDomains?: string[] } = {}): Diagnostic[] {
  return compilePolicy(text, { ...(options.customKey !== undefined ? { hasCustomSigningKey: options.customKey } : {}), ...(options.verifiedDomains !== undefined ? { verifiedDomains: options.verifiedDomains } : {}) }).diagnostics.filter((d) =>
    /^CM4[14]/.test(d.code),
  );
}

/** The text a diagnostic (or related location) points at: the JSON value at its start. */
function at(text: string, start: number | undefined): string {
  return text.slice(start ?? 0).match(/^("(?:[^"\\]|\\.)*"|[^,}\]\s]+)/)?.[1] ?? '';
}
const lineOf = (text: string, start: number | undefined): number => new LineMap(text).position(start ?? 0).line;

describe('claim-name findings', () => {
  it.each([
    ['CM4101', { Source: 'user', ID: 'employeeid', JwtClaimType: 'upn' }, 'upn', 'JWT'],
    ['CM4102', { Source: 'user', ID: 'employeeid', JwtClaimType: 'XMS_thing' }, 'XMS_thing', 'xms_'],
    ['CM4102', { Source: 'user', ID: 'employeeid', JwtClaimType: 'extn.color' }, 'extn.color', 'extn.'],
    ['CM4103', { Source: 'user', ID: 'employeeid', JwtClaimType: '__proto__' }, '__proto__', 'JWT'],
    ['CM4104', { Source: 'user', ID: 'employeeid', JwtClaimType: 'ｅmployee' }, 'ｅmployee', 'JWT'],
    ['CM4105', { Source: 'user', ID: 'employeeid', SamlClaimType: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role' }, 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', 'SAML'],
    ['CM4101', { Source: 'user', ID: 'employeeid', SamlClaimType: 'http://schemas.microsoft.com/identity/claims/tenantid' }, 'http://schemas.microsoft.com/identity/claims/tenantid', 'SAML'],
  ])('%s at the claim name, naming it', (code, entry, name, detail) => {
    const text = policy([{ Source: 'user', ID: 'mail', JwtClaimType: 'mail_copy' }, entry]);
    const found = check(text).filter((d) => d.code === code);
    expect(found).toHaveLength(1);
    expect(JSON.parse(at(text, found[0]!.span?.start))).toBe(name);
    expect(found[0]!.message).toContain(name);
    expect(found[0]!.message).toContain(detail);
  });

  it('a custom signing key unlocks the SAML names that need one', () => {
    const text = policy([{ Source: 'user', ID: 'employeeid', SamlClaimType: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role' }]);
    expect(check(text, { customKey: true })).toEqual([]);
  });

  it('CM4106: the same claim twice, with the first entry as related location', () => {
    const text = policy([
      { Source: 'user', ID: 'mail', JwtClaimType: 'contact' },
      { Source: 'user', ID: 'userprincipalname', JwtClaimType: 'contact' },
    ]);
    const [dup] = check(text).filter((d) => d.code === 'CM4106');
    expect(lineOf(text, dup!.span?.start)).toBeGreaterThan(lineOf(text, dup!.related?.[0]?.span.start));
    expect(JSON.parse(at(text, dup!.related?.[0]?.span.start))).toBe('contact');
    expect(dup!.related?.[0]?.message).not.toBe('');
    expect(dup!.message).toContain('"contact"');
    expect(dup!.message).toContain('entry 0');
  });

  it('CM4107: the same claim in another case, naming the other spelling where it stands', () => {
    const text = policy([
      { Source: 'user', ID: 'mail', SamlClaimType: 'urn:contoso:Contact' },
      { Source: 'user', ID: 'userprincipalname', SamlClaimType: 'urn:contoso:contact' },
    ]);
    const [variant] = check(text).filter((d) => d.code === 'CM4107');
    expect(JSON.parse(at(text, variant!.span?.start))).toBe('urn:contoso:contact');
    expect(JSON.parse(at(text, variant!.related?.[0]?.span.start))).toBe('urn:contoso:Contact');
    expect(variant!.related?.[0]?.message).not.toBe('');
    expect(variant!.message).toContain('"urn:contoso:Contact"');
    expect(variant!.message).toContain('SAML');
  });
});

describe('SAML NameFormat', () => {
  it('CM4401 at the value, with a suggestion when the value ends with a format word (any case)', () => {
    const text = policy([
      { Source: 'user', ID: 'mail', SamlClaimType: 'urn:contoso:a', SAMLNameForm: 'attrname-format:URI' },
      { Source: 'user', ID: 'department', SamlClaimType: 'urn:contoso:b', SAMLNameForm: 'nonsense' },
    ]);
    const found = check(text).filter((d) => d.code === 'CM4401');
    expect(found.map((d) => JSON.parse(at(text, d.span?.start)))).toEqual(['attrname-format:URI', 'nonsense']);
    expect(found[0]!.message).toContain('attrname-format:URI');
    expect(found[0]!.hint).toContain('urn:oasis:names:tc:SAML:2.0:attrname-format:uri');
    expect(found[1]!.hint).not.toContain('Did you mean');
  });
});

describe('SAML NameID sources', () => {
  const nameId = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier';

  it('CM4402 at the ID for an attribute that cannot be the NameID, naming source and ID', () => {
    const text = policy([{ Source: 'user', ID: 'department', SamlClaimType: nameId }]);
    const [found] = check(text).filter((d) => d.code === 'CM4402');
    expect(JSON.parse(at(text, found!.span?.start))).toBe('department');
    expect(found!.message).toContain('"user"');
    expect(found!.message).toContain('"department"');
    expect(check(policy([{ Source: 'user', ID: 'mail', SamlClaimType: nameId }]))).toEqual([]);
    expect(check(policy([{ Source: 'company', ID: 'tenantcountry', SamlClaimType: nameId }])).map((d) => d.code)).toEqual(['CM4402']);
  });

  const via = (method: string, parameters: Entry[] = [], inputType = 'mail'): string =>
    policy(
      [
        { Source: 'user', ID: 'mail' },
        { Source: 'transformation', ID: 'nid', TransformationId: 'T', SamlClaimType: nameId },
      ],
      [{ ID: 'T', TransformationMethod: method, InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: inputType }], ...(parameters.length > 0 ? { InputParameters: parameters } : {}), OutputClaims: [{ ClaimTypeReferenceId: 'nid', TransformationClaimType: 'outputClaim' }] }],
    );

  it('CM4403 at the TransformationId for another method, with the method as related location', () => {
    const text = via('ToLowercase', [], 'string');
    const [found] = check(text).filter((d) => d.code === 'CM4403');
    expect(JSON.parse(at(text, found!.span?.start))).toBe('T');
    expect(JSON.parse(at(text, found!.related?.[0]?.span.start))).toBe('ToLowercase');
    expect(found!.related?.[0]?.message).not.toBe('');
    expect(found!.message).toContain('ToLowercase');
    expect(check(via('ExtractMailPrefix')).filter((d) => d.code === 'CM4403')).toEqual([]);
    expect(() => check(via('NoSuchMethod'))).not.toThrow();
  });

  it('CM4404 at the Join suffix when it is not a verified domain, listing the domains', () => {
    const join = (suffix: string, id = 'string2') => via('Join', [{ ID: 'separator', Value: '' }, { ID: id, Value: suffix }], 'string1');
    const text = join('@fabrikam.com');
    const [found] = check(text, { verifiedDomains: ['contoso.com', 'contoso.onmicrosoft.com'] }).filter((d) => d.code === 'CM4404');
    expect(JSON.parse(at(text, found!.span?.start))).toBe('@fabrikam.com');
    expect(found!.message).toContain('@fabrikam.com');
    expect(found!.hint).toContain('contoso.com, contoso.onmicrosoft.com');
    expect(JSON.parse(at(text, found!.related?.[0]?.span.start))).toBe(nameId);
    expect(found!.related?.[0]?.message).not.toBe('');
    expect(check(join('x'), { verifiedDomains: [] }).find((d) => d.code === 'CM4404')?.hint).toContain('(none)');
  });

  it('accepts a verified suffix with or without a leading @ or dot, in any case; no domains given means no check', () => {
    const join = (suffix: string, id = 'string2') => via('Join', [{ ID: 'separator', Value: '' }, { ID: id, Value: suffix }], 'string1');
    for (const suffix of ['@Contoso.com', '.contoso.com', 'contoso.com']) expect(check(join(suffix), { verifiedDomains: ['contoso.com'] }).filter((d) => d.code === 'CM4404'), suffix).toEqual([]);
    expect(check(join('@Contoso.com', 'String2'), { verifiedDomains: ['contoso.com'] }).filter((d) => d.code === 'CM4404')).toEqual([]);
    expect(check(join('@fabrikam.com')).filter((d) => d.code === 'CM4404')).toEqual([]);
    expect(() => check(via('Join', [{ ID: 'separator', Value: '' }], 'string1'), { verifiedDomains: ['contoso.com'] })).not.toThrow();
  });
});
