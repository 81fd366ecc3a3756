import { describe, expect, it } from 'vitest';
import type { ClaimsMappingPolicy, ClaimsSchemaEntry, ClaimsTransformation, Diagnostic } from '@claimc/model';
import { diagnosticCatalog, limits, samlNameIdentifierClaim, sortDiagnostics } from '@claimc/model';
import { bindPolicy } from '../src/bind.js';
import { checkPolicy } from '../src/check/index.js';
import type { CheckOptions } from '../src/check/index.js';
import { locateModel } from './fixtures/check/locate-model.js';

const ext = 'extension_0123456789abcdef0123456789abcdef_skypeId';
const nameId = samlNameIdentifierClaim;

const policy = (schema: ClaimsSchemaEntry[], transformations?: ClaimsTransformation[], extra: Partial<ClaimsMappingPolicy> = {}): ClaimsMappingPolicy => ({
  Version: 1,
  IncludeBasicClaimSet: true,
  ClaimsSchema: schema,
  ...(transformations === undefined ? {} : { ClaimsTransformation: transformations }),
  ...extra,
});

/** A transformation entry reading `transformation`'s output. */
const out = (id: string, transformation: string, jwt = id): ClaimsSchemaEntry => ({ Source: 'transformation', ID: id, TransformationId: transformation, JwtClaimType: jwt });
const mailIn: ClaimsSchemaEntry = { Source: 'user', ID: 'mail' };
const join = (id: string, input: string, output: string, extra: Partial<ClaimsTransformation> = {}): ClaimsTransformation => ({
  ID: id,
  TransformationMethod: 'Join',
  InputClaims: [{ ClaimTypeReferenceId: input, TransformationClaimType: 'string1' }],
  InputParameters: [
    { ID: 'string2', Value: 'sandbox' },
    { ID: 'separator', Value: '.' },
  ],
  OutputClaims: [{ ClaimTypeReferenceId: output, TransformationClaimType: 'outputClaim' }],
  ...extra,
});
const regex = (pattern: string, replacement: string, extraInputs: string[] = [], id = 'R'): ClaimsTransformation => ({
  ID: id,
  TransformationMethod: 'RegexReplace',
  InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'sourceClaim' }, ...extraInputs.map((name) => ({ ClaimTypeReferenceId: name, TransformationClaimType: name }))],
  InputParameters: [
    { ID: 'regex', Value: pattern },
    { ID: 'replacement', Value: replacement },
  ],
  OutputClaims: [{ ClaimTypeReferenceId: 'rewritten', TransformationClaimType: 'outputClaim' }],
});

function run(p: ClaimsMappingPolicy, options: CheckOptions = {}): Diagnostic[] {
  const { bound, diagnostics } = bindPolicy(p, locateModel(p), options.target === undefined ? {} : { target: options.target });
  return sortDiagnostics([...diagnostics, ...checkPolicy(bound, options)]);
}
/** `CODE pointer` for every diagnostic at or above warning. */
const findings = (p: ClaimsMappingPolicy, options: CheckOptions = {}): string[] => run(p, options).filter((d) => d.severity !== 'info').map((d) => `${d.code} ${d.pointer ?? ''}`).sort();
const infos = (p: ClaimsMappingPolicy, options: CheckOptions = {}): string[] => run(p, options).filter((d) => d.severity === 'info').map((d) => `${d.code} ${d.pointer ?? ''}`).sort();

describe('valid policies', () => {
  it('employeeid + tenantcountry has no findings', () => {
    expect(
      findings(
        policy([
          { Source: 'user', ID: 'employeeid', JwtClaimType: 'employeeid', SamlClaimType: 'http://schemas.contoso.com/employeeid' },
          { Source: 'company', ID: 'tenantcountry', JwtClaimType: 'country' },
        ]),
      ),
    ).toEqual([]);
  });
  it('the JoinedData transformation has no findings', () => {
    expect(findings(policy([{ Source: 'user', ID: 'extensionattribute1' }, out('DataJoin', 'JoinTheData', 'JoinedData')], [join('JoinTheData', 'extensionattribute1', 'DataJoin')]))).toEqual([]);
  });
  it('a RegexReplace with a named group and an extra input has no findings', () => {
    const p = policy([mailIn, { Source: 'user', ID: 'country' }, out('rewritten', 'R')], [regex("(?'domain'^.*?)(?i)(\\@fabrikam\\.com)$", '{country}.{domain}@xyz.com', ['country'])]);
    expect(findings(p)).toEqual([]);
  });
});

describe('entry values (CM30xx)', () => {
  it.each<[string, ClaimsSchemaEntry, string]>([
    ['CM3001 no value', { JwtClaimType: 'x' }, 'CM3001 /ClaimsSchema/0'],
    ['CM3002 unknown source', { Source: 'usr', ID: 'mail', JwtClaimType: 'm' }, 'CM3002 /ClaimsSchema/0/Source'],
    ['CM3003 unknown ID', { Source: 'user', ID: 'employeid', JwtClaimType: 'e' }, 'CM3003 /ClaimsSchema/0/ID'],
    ['CM3004 source without ID', { Source: 'user', JwtClaimType: 'e' }, 'CM3004 /ClaimsSchema/0/Source'],
    ['CM3005 ID without source', { ID: 'mail', JwtClaimType: 'e' }, 'CM3005 /ClaimsSchema/0/ID'],
    ['CM3006 extension under ID', { Source: 'user', ID: ext, JwtClaimType: 's' }, 'CM3006 /ClaimsSchema/0/ID'],
    ['CM3007 malformed ExtensionID', { Source: 'user', ExtensionID: 'extension_abc_skype', JwtClaimType: 's' }, 'CM3007 /ClaimsSchema/0/ExtensionID'],
    ['CM3008 extension on a non-user source', { Source: 'application', ExtensionID: ext, JwtClaimType: 's' }, 'CM3008 /ClaimsSchema/0/Source'],
    ['CM3009 ID and ExtensionID', { Source: 'user', ID: 'mail', ExtensionID: ext, JwtClaimType: 's' }, 'CM3009 /ClaimsSchema/0/ID'],
    ['CM3010 transformation without TransformationId', { Source: 'transformation', ID: 'x', JwtClaimType: 'x' }, 'CM3010 /ClaimsSchema/0/Source'],
    ['CM3012 TransformationId on a data source', { Source: 'user', ID: 'mail', TransformationId: 'T', JwtClaimType: 'm' }, 'CM3012 /ClaimsSchema/0/TransformationId'],
    ['CM3020 prototype key as ID', { Source: 'user', ID: '__proto__', JwtClaimType: 'p' }, 'CM3020 /ClaimsSchema/0/ID'],
    ['CM3021 Value with Source/ID', { Source: 'user', ID: 'mail', Value: 'x', JwtClaimType: 'v' }, 'CM3021 /ClaimsSchema/0/Value'],
    ['CM3024 input-only entry nothing reads', { Source: 'user', ID: 'mail' }, 'CM3024 /ClaimsSchema/0'],
  ])('%s', (_name, entry, expected) => {
    expect(findings(policy([entry]))).toEqual([expected]);
  });

  it('suggests the right ID, including historical misspellings and other sources', () => {
    const hints = (id: string, source = 'user'): string | undefined => run(policy([{ Source: source, ID: id, JwtClaimType: 'x' }]))[0]?.hint;
    expect(hints('employeid')).toBe('Did you mean employeeid?');
    expect(hints('preferredlanguange')).toBe('Did you mean preferredlanguage?');
    expect(hints('tenantcountry')).toBe('Did you mean "tenantcountry" with Source "company"?');
    expect(run(policy([{ Source: 'usr', ID: 'mail', JwtClaimType: 'm' }]))[0]?.hint).toBe('Did you mean "user"?');
  });

  it('CM3026 an undocumented ID is a warning, an error under --target entra', () => {
    const p = policy([{ Source: 'user', ID: 'groups', JwtClaimType: 'g' }]);
    // 200 group IDs also put the token over 8 KB (CM4501, tested in test/token-size.test.ts).
    const notSize = (d: Diagnostic): boolean => !d.code.startsWith('CM45');
    expect(run(p).filter(notSize).map((d) => [d.code, d.severity])).toEqual([['CM3026', 'warning']]);
    expect(run(p, { target: 'entra' }).filter(notSize).map((d) => [d.code, d.severity])).toEqual([['CM3026', 'error']]);
  });
});

describe('references (CM30xx)', () => {
  it('CM3011 dangling TransformationId with did-you-mean', () => {
    const p = policy([mailIn, out('o', 'JoinTheDta'), out('p', 'JoinTheData')], [join('JoinTheData', 'mail', 'p')]);
    const d = run(p).filter((x) => x.code === 'CM3011');
    expect(d.map((x) => x.pointer)).toEqual(['/ClaimsSchema/1/TransformationId']);
    expect(d[0]?.hint).toBe('Did you mean "JoinTheData"?');
  });
  it('CM3013 duplicate transformation IDs point at the second, related to the first', () => {
    const p = policy([mailIn, out('o', 'T')], [join('T', 'mail', 'o'), join('t', 'mail', 'o')]);
    const d = run(p).filter((x) => x.code === 'CM3013');
    expect(d.map((x) => x.pointer)).toEqual(['/ClaimsTransformation/1/ID']);
    expect(d[0]?.related?.[0]?.pointer).toBe('/ClaimsTransformation/0/ID');
  });
  it('CM3014 InputClaims reference to nothing', () => {
    expect(findings(policy([mailIn, out('o', 'T')], [join('T', 'mial', 'o')]))).toEqual(['CM3014 /ClaimsTransformation/0/InputClaims/0/ClaimTypeReferenceId', 'CM3024 /ClaimsSchema/0']);
  });
  it('CM3015 OutputClaims reference to nothing', () => {
    expect(findings(policy([mailIn, out('o', 'T')], [join('T', 'mail', 'o', { OutputClaims: [{ ClaimTypeReferenceId: 'o', TransformationClaimType: 'outputClaim' }, { ClaimTypeReferenceId: 'nothing', TransformationClaimType: 'outputClaim' }] })]))).toEqual([
      'CM3015 /ClaimsTransformation/0/OutputClaims/1/ClaimTypeReferenceId',
    ]);
  });
  it('CM3016 OutputClaims reference to a non-transformation entry', () => {
    const p = policy([mailIn, out('o', 'T'), { Source: 'user', ID: 'upn2', JwtClaimType: 'u' }], [join('T', 'mail', 'o', { OutputClaims: [{ ClaimTypeReferenceId: 'o', TransformationClaimType: 'outputClaim' }, { ClaimTypeReferenceId: 'mail', TransformationClaimType: 'outputClaim' }] })]);
    expect(findings(p)).toContain('CM3016 /ClaimsTransformation/0/OutputClaims/1/ClaimTypeReferenceId');
  });
  it('CM3017 OutputClaims reference to an entry of another transformation', () => {
    const p = policy([mailIn, out('o', 'T'), out('q', 'U')], [join('T', 'mail', 'o'), join('U', 'mail', 'q', { OutputClaims: [{ ClaimTypeReferenceId: 'q', TransformationClaimType: 'outputClaim' }, { ClaimTypeReferenceId: 'o', TransformationClaimType: 'outputClaim' }] })]);
    expect(findings(p)).toEqual(['CM3017 /ClaimsTransformation/1/OutputClaims/1/ClaimTypeReferenceId']);
  });
  it('CM3018 a cycle is reported once, with the other member related', () => {
    const p = policy([out('a', 'T2'), out('b', 'T1')], [join('T1', 'a', 'b'), join('T2', 'b', 'a')]);
    const d = run(p).filter((x) => x.code === 'CM3018');
    expect(d.map((x) => [x.pointer, x.message])).toEqual([['/ClaimsTransformation/0/InputClaims/0/ClaimTypeReferenceId', 'Transformation cycle: T1 → T2 → T1']]);
    expect(d[0]?.related?.map((r) => r.pointer)).toEqual(['/ClaimsTransformation/1/ID']);
  });
  it('CM3018 a transformation reading its own output', () => {
    expect(findings(policy([out('a', 'T')], [join('T', 'a', 'a')]))).toEqual(['CM3018 /ClaimsTransformation/0/InputClaims/0/ClaimTypeReferenceId']);
  });
  it('CM3019 unknown method with did-you-mean', () => {
    const d = run(policy([mailIn, out('o', 'T')], [{ ...join('T', 'mail', 'o'), TransformationMethod: 'Jion' }]));
    expect(d.map((x) => `${x.code} ${x.pointer}`)).toEqual(['CM3019 /ClaimsTransformation/0/TransformationMethod']);
    expect(d[0]?.hint).toBe('Did you mean "Join"?');
  });
  it('CM3020 prototype keys as transformation ID, reference and parameter ID', () => {
    const t = join('__proto__', 'constructor', 'o', { InputParameters: [{ ID: 'toString', Value: 'x' }] });
    const codes = findings(policy([mailIn, out('o', '__proto__')], [t])).filter((x) => x.startsWith('CM3020'));
    expect(codes).toEqual(['CM3020 /ClaimsTransformation/0/ID', 'CM3020 /ClaimsTransformation/0/InputClaims/0/ClaimTypeReferenceId', 'CM3020 /ClaimsTransformation/0/InputParameters/0/ID']);
  });
  it('CM3022 a transformation entry no output names', () => {
    expect(findings(policy([mailIn, out('o', 'T'), out('p', 'T')], [join('T', 'mail', 'o')]))).toEqual(['CM3022 /ClaimsSchema/2/TransformationId']);
  });
  it('CM3023 a transformation nothing uses', () => {
    expect(findings(policy([mailIn, out('o', 'T')], [join('T', 'mail', 'o'), join('Unused', 'mail', 'o')]))).toEqual(['CM3017 /ClaimsTransformation/1/OutputClaims/0/ClaimTypeReferenceId', 'CM3023 /ClaimsTransformation/1/ID'].sort());
  });
  it('CM3025 a reference matching entries that read different things', () => {
    const p = policy([mailIn, { Source: 'user', ID: 'MAIL', Value: 'x', JwtClaimType: 'm' }, out('o', 'T')], [join('T', 'mail', 'o')]);
    expect(findings(p)).toEqual(['CM3021 /ClaimsSchema/1/Value', 'CM3025 /ClaimsTransformation/0/InputClaims/0/ClaimTypeReferenceId']);
  });
});

describe('settings (CM40xx)', () => {
  const ok = [{ Source: 'user', ID: 'mail', JwtClaimType: 'mail2' }];
  it('CM4001 missing Version points at the policy object', () => {
    expect(findings({ ClaimsSchema: ok })).toEqual(['CM4001 ']);
  });
  it('CM4002 Version other than 1', () => {
    expect(findings({ Version: 2, ClaimsSchema: ok })).toEqual(['CM4002 /Version']);
  });
  it('CM4003 audienceOverride not an absolute URI; CM4004 info without a custom key', () => {
    const p = policy(ok, undefined, { audienceOverride: 'contoso app', issuerWithApplicationId: true });
    expect(findings(p)).toEqual(['CM4003 /audienceOverride']);
    expect(infos(p)).toEqual(['CM4004 /audienceOverride', 'CM4004 /issuerWithApplicationId']);
    expect(infos(p, { hasCustomSigningKey: true })).toEqual([]);
    expect(findings(policy(ok, undefined, { audienceOverride: 'urn:contoso:app' }))).toEqual([]);
  });
  it('CM4005/CM4006 GroupFilter values', () => {
    const p = policy(ok, undefined, { GroupFilter: { MatchOn: 'displayName', Type: 'prefx', Value: 'x' } });
    expect(findings(p)).toEqual(['CM4006 /GroupFilter/Type']);
    expect(findings(policy(ok, undefined, { GroupFilter: { MatchOn: 'name', Type: 'prefix', Value: 'x' } }))).toEqual(['CM4005 /GroupFilter/MatchOn']);
  });
  it('CM4007/CM4008 limits: one warning per ignored item, errors under entra (D7)', () => {
    const many = Array.from({ length: limits.claimsSchemaEntries + 2 }, (_, i): ClaimsSchemaEntry => ({ Source: 'user', ID: 'mail', JwtClaimType: `c${i}` }));
    // 52 mail claims also put the token over 8 KB (CM4501, tested in test/token-size.test.ts).
    const notSize = (f: string): boolean => !f.startsWith('CM45');
    expect(findings(policy(many)).filter(notSize)).toEqual(['CM4007 /ClaimsSchema/50', 'CM4007 /ClaimsSchema/51']);
    expect(run(policy(many), { target: 'entra' }).filter((d) => !d.code.startsWith('CM45')).map((d) => d.severity)).toEqual(['error', 'error']);
    const ts = Array.from({ length: limits.transformations + 1 }, (_, i) => join(`T${i}`, 'mail', `o${i}`));
    const entries = [mailIn, ...ts.map((_, i) => out(`o${i}`, `T${i}`))];
    expect(findings(policy(entries, ts)).filter(notSize)).toEqual(['CM4007 /ClaimsSchema/50', 'CM4007 /ClaimsSchema/51', 'CM4008 /ClaimsTransformation/50']);
  });
});

describe('claim names (CM41xx)', () => {
  it.each<[string, ClaimsSchemaEntry, string]>([
    ['CM4101 restricted JWT name in another case', { Source: 'user', ID: 'mail', JwtClaimType: 'ISS' }, 'CM4101 /ClaimsSchema/0/JwtClaimType'],
    ['CM4101 dotted path under a restricted name', { Source: 'user', ID: 'mail', JwtClaimType: 'cnf.jwk' }, 'CM4101 /ClaimsSchema/0/JwtClaimType'],
    ['CM4101 restricted SAML name', { Source: 'user', ID: 'mail', SamlClaimType: 'http://schemas.microsoft.com/identity/claims/tenantid' }, 'CM4101 /ClaimsSchema/0/SamlClaimType'],
    ['CM4102 xms_ prefix', { Source: 'user', ID: 'mail', JwtClaimType: 'xms_mine' }, 'CM4102 /ClaimsSchema/0/JwtClaimType'],
    ['CM4102 extn. prefix', { Source: 'user', ID: 'mail', JwtClaimType: 'extn.skype' }, 'CM4102 /ClaimsSchema/0/JwtClaimType'],
    ['CM4103 prototype key', { Source: 'user', ID: 'mail', JwtClaimType: '__proto__' }, 'CM4103 /ClaimsSchema/0/JwtClaimType'],
    ['CM4104 homoglyph', { Source: 'user', ID: 'mail', JwtClaimType: 'ѕub' }, 'CM4104 /ClaimsSchema/0/JwtClaimType'],
    ['CM4104 whitespace', { Source: 'user', ID: 'mail', JwtClaimType: ' sub' }, 'CM4104 /ClaimsSchema/0/JwtClaimType'],
    ['CM4105 SAML name needing a custom key', { Source: 'user', ID: 'mail', SamlClaimType: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role' }, 'CM4105 /ClaimsSchema/0/SamlClaimType'],
  ])('%s', (_name, entry, expected) => {
    expect(findings(policy([entry]))).toEqual([expected]);
  });
  it('CM4020 a JWT name that is the claim-type URI of a core claim is an error under every target, even with a custom key', () => {
    const role = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';
    for (const target of ['lenient', 'entra'] as const) {
      for (const hasCustomSigningKey of [false, true]) {
        const found = run(policy([{ Value: 'Admin', JwtClaimType: role }, { Source: 'user', ID: 'mail', JwtClaimType: 'HTTP://SCHEMAS.MICROSOFT.COM/identity/claims/objectidentifier' }]), { target, hasCustomSigningKey });
        expect(found.map((d) => [d.code, d.severity, d.pointer])).toEqual([
          ['CM4020', 'error', '/ClaimsSchema/0/JwtClaimType'],
          ['CM4020', 'error', '/ClaimsSchema/1/JwtClaimType'],
        ]);
      }
    }
  });
  it('CM4101 a name whose first segment before . : / or # is restricted', () => {
    for (const name of ['iss:x', 'iss/x', 'iss#x', 'Roles:admin']) {
      expect(findings(policy([{ Source: 'user', ID: 'mail', JwtClaimType: name }])), name).toEqual(['CM4101 /ClaimsSchema/0/JwtClaimType']);
    }
  });
  it('CM4105 is lifted by a custom signing key (D6)', () => {
    expect(findings(policy([{ Source: 'user', ID: 'mail', SamlClaimType: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role' }]), { hasCustomSigningKey: true })).toEqual([]);
  });
  it('CM4106 duplicate claim type is info naming both (D9); CM4107 case-only variant is a warning', () => {
    const p = policy([
      { Source: 'user', ID: 'mail', JwtClaimType: 'contact' },
      { Source: 'user', ID: 'userprincipalname', JwtClaimType: 'contact' },
      { Source: 'user', ID: 'department', JwtClaimType: 'Contact' },
    ]);
    expect(infos(p)).toEqual(['CM4106 /ClaimsSchema/1/JwtClaimType']);
    expect(run(p).find((d) => d.code === 'CM4106')?.related?.[0]?.pointer).toBe('/ClaimsSchema/0/JwtClaimType');
    expect(findings(p)).toEqual(['CM4107 /ClaimsSchema/2/JwtClaimType']);
  });
});

describe('method signatures (CM42xx)', () => {
  const entries = [mailIn, { Source: 'user', ID: 'department' }, out('o', 'T')];
  const withT = (t: Partial<ClaimsTransformation>): ClaimsMappingPolicy => policy(entries, [{ ...join('T', 'mail', 'o'), ...t }]);
  it('CM4201 extension method: warning, error under entra', () => {
    const p = withT({ TransformationMethod: 'Contains', InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'input' }], InputParameters: [{ ID: 'value', Value: '@' }, { ID: 'output', Value: 'yes' }] });
    expect(findings(p)).toEqual(['CM3024 /ClaimsSchema/1', 'CM4201 /ClaimsTransformation/0/TransformationMethod']);
    expect(run(p).find((d) => d.code === 'CM4201')?.severity).toBe('warning');
    expect(findings(withT({ TransformationMethod: 'ToUpper', InputParameters: [] }))).toEqual(['CM3024 /ClaimsSchema/1']);
    const q = withT({ TransformationMethod: 'Trim', InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'input' }], InputParameters: [{ ID: 'type', Value: 'leading' }] });
    expect(run(q, { target: 'entra' }).filter((d) => d.code === 'CM4201').map((d) => d.severity)).toEqual(['error']);
  });
  it('CM4202 unknown input name with did-you-mean', () => {
    const d = run(withT({ InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'strin1' }] }));
    expect(d.filter((x) => x.code === 'CM4202').map((x) => [x.pointer, x.hint])).toEqual([['/ClaimsTransformation/0/InputClaims/0/TransformationClaimType', 'Did you mean "string1"?']]);
  });
  it('CM4203 missing required input', () => {
    expect(findings(withT({ InputParameters: [{ ID: 'separator', Value: '.' }] }))).toEqual(['CM3024 /ClaimsSchema/1', 'CM4203 /ClaimsTransformation/0/InputClaims']);
  });
  it('CM4204 a parameter given as an input claim', () => {
    expect(findings(withT({ InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'string1' }, { ClaimTypeReferenceId: 'department', TransformationClaimType: 'separator' }], InputParameters: [{ ID: 'string2', Value: 'x' }] }))).toEqual([
      'CM4204 /ClaimsTransformation/0/InputClaims/1/TransformationClaimType',
    ]);
  });
  it('CM4205 an input claim given as a parameter', () => {
    const p = policy([mailIn, out('o', 'T')], [{ ID: 'T', TransformationMethod: 'ExtractMailPrefix', InputParameters: [{ ID: 'mail', Value: 'a@b' }], OutputClaims: [{ ClaimTypeReferenceId: 'o', TransformationClaimType: 'outputClaim' }] }]);
    expect(findings(p)).toEqual(['CM3024 /ClaimsSchema/0', 'CM4205 /ClaimsTransformation/0/InputParameters/0/ID']);
  });
  it('CM4206 enumerated value; CM4207 integer value', () => {
    const p = withT({ TransformationMethod: 'Extract', InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'input' }], InputParameters: [{ ID: 'type', Value: 'afterwards' }, { ID: 'value', Value: '@' }] });
    expect(findings(p)).toEqual(['CM3024 /ClaimsSchema/1', 'CM4201 /ClaimsTransformation/0/TransformationMethod', 'CM4206 /ClaimsTransformation/0/InputParameters/0/Value']);
    const q = withT({ TransformationMethod: 'Substring', InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'input' }], InputParameters: [{ ID: 'index', Value: '-1' }] });
    expect(findings(q)).toContain('CM4207 /ClaimsTransformation/0/InputParameters/0/Value');
  });
  it('CM4208 ToLowercase with two input claims', () => {
    const p = withT({ TransformationMethod: 'ToLowercase', InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'a' }, { ClaimTypeReferenceId: 'department', TransformationClaimType: 'b' }], InputParameters: [] });
    expect(findings(p)).toEqual(['CM4208 /ClaimsTransformation/0/InputClaims']);
  });
  it('CM4209 two TreatAsMultiValue inputs (D12)', () => {
    const p = withT({ InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'string1', TreatAsMultiValue: true }, { ClaimTypeReferenceId: 'department', TransformationClaimType: 'string2', TreatAsMultiValue: true }], InputParameters: [] });
    expect(findings(p)).toEqual(['CM4209 /ClaimsTransformation/0/InputClaims/1/TreatAsMultiValue']);
  });
  it('CM4210 wrong output name', () => {
    expect(findings(withT({ OutputClaims: [{ ClaimTypeReferenceId: 'o', TransformationClaimType: 'createdClaim' }] }))).toEqual(['CM3024 /ClaimsSchema/1', 'CM4210 /ClaimsTransformation/0/OutputClaims/0/TransformationClaimType']);
  });
  it('CM4211 an input given twice', () => {
    expect(findings(withT({ InputParameters: [{ ID: 'string2', Value: 'x' }, { ID: 'String2', Value: 'y' }] }))).toEqual(['CM3024 /ClaimsSchema/1', 'CM4211 /ClaimsTransformation/0/InputParameters/1/ID']);
  });
});

describe('RegexReplace (CM43xx)', () => {
  const entries = [mailIn, { Source: 'user', ID: 'country' }, { Source: 'user', ID: 'city' }, out('rewritten', 'R')];
  const check = (pattern: string, replacement: string, extras: string[] = [], options: CheckOptions = {}): Diagnostic[] => run(policy(entries, [regex(pattern, replacement, extras)]), options).filter((d) => d.code.startsWith('CM43'));
  it('CM4301 a lookahead, located inside the pattern string', () => {
    const d = check('^(?=a)b', '{country}', ['country']);
    expect(d.map((x) => [x.code, x.pointer, x.message])).toEqual([['CM4301', '/ClaimsTransformation/0/InputParameters/0/Value', 'The regex uses a lookahead, which the linear-time engine cannot run']]);
    expect(d[0]!.hint).toContain('without a lookahead'); // the hint names the construct
  });
  it('CM4302 too long, CM4303 program too large', () => {
    expect(check('a'.repeat(limits.regexPatternLength + 1), 'x').map((x) => x.code)).toEqual(['CM4302']);
    expect(check('a{1,1000}', 'x').map((x) => x.message)).toEqual([`The regex compiles to a program of size 2001; at most ${limits.regexProgramSize} is allowed`]);
  });
  it('CM4304 a reference to nothing; CM4305 an extra input never used', () => {
    expect(check('(?<user>.*)@', '{usr}@{country}', ['country', 'city']).map((x) => [x.code, x.pointer]).sort()).toEqual([
      ['CM4304', '/ClaimsTransformation/0/InputParameters/1/Value'],
      ['CM4305', '/ClaimsTransformation/0/InputClaims/2/TransformationClaimType'],
    ]);
  });
  it('CM4306 more extra inputs than the admin center allows', () => {
    const names = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
    const p = policy([mailIn, ...names.map((n) => ({ Source: 'user', ID: 'city', JwtClaimType: n })), out('rewritten', 'R')], [regex('x', names.map((n) => `{${n}}`).join(''), names)]);
    expect(findings(p).filter((x) => x.startsWith('CM43'))).toEqual(['CM4306 /ClaimsTransformation/0/InputClaims']);
  });
  it('CM4307 numbered references with named groups; numbered references alone are fine', () => {
    expect(check('(?<a>x)(y)', '$1').map((x) => x.code)).toEqual(['CM4307']);
    expect(check('(x)(y)', '$2{1}${0}').map((x) => x.code)).toEqual([]);
    expect(check('(x)', '{2}').map((x) => x.code)).toEqual(['CM4304']);
  });
  it('CM4308 a name that is both a group and an input', () => {
    expect(check('(?<country>x)', '{country}', ['country']).map((x) => x.code)).toEqual(['CM4308']);
  });
});

describe('SAML (CM44xx)', () => {
  it('CM4401 NameFormat, with the full URN suggested for a short word', () => {
    const d = run(policy([{ Source: 'user', ID: 'mail', SamlClaimType: 'mail', SAMLNameForm: 'uri' }]));
    expect(d.map((x) => [x.code, x.pointer, x.hint])).toEqual([['CM4401', '/ClaimsSchema/0/SAMLNameForm', 'Did you mean "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"?']]);
  });
  it('CM4402 NameID from a source that is not allowed (§3.5)', () => {
    expect(findings(policy([{ Source: 'user', ID: 'department', SamlClaimType: nameId }]))).toEqual(['CM4402 /ClaimsSchema/0/ID']);
    expect(findings(policy([{ Source: 'user', ID: 'employeeid', SamlClaimType: nameId }]))).toEqual([]);
  });
  it('CM4403 NameID from another method; CM4404 Join suffix not verified', () => {
    const lower = policy([mailIn, out('n', 'T')].map((e) => (e.ID === 'n' ? { ...e, JwtClaimType: undefined, SamlClaimType: nameId } : e)) as ClaimsSchemaEntry[], [
      { ID: 'T', TransformationMethod: 'ToLowercase', InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'x' }], OutputClaims: [{ ClaimTypeReferenceId: 'n', TransformationClaimType: 'outputClaim' }] },
    ]);
    expect(findings(lower)).toEqual(['CM4403 /ClaimsSchema/1/TransformationId']);
    const joined = policy([mailIn, { Source: 'transformation', ID: 'n', TransformationId: 'T', SamlClaimType: nameId }], [join('T', 'mail', 'n', { InputParameters: [{ ID: 'string2', Value: 'fabrikam.com' }, { ID: 'separator', Value: '@' }] })]);
    expect(findings(joined, { verifiedDomains: ['contoso.com'] })).toEqual(['CM4404 /ClaimsTransformation/0/InputParameters/0/Value']);
    expect(findings(joined, { verifiedDomains: ['Fabrikam.com'] })).toEqual([]);
    expect(findings(joined)).toEqual([]);
  });
});

describe('catalog', () => {
  it('every check code used here exists, with a why line', () => {
    for (const [code, def] of diagnosticCatalog) if (/^CM[34]/.test(code)) expect(def.why.length).toBeGreaterThan(10);
  });
});

describe('locateInValue', () => {
  it('without a front end (an in-memory index) maps a plain "…" one to one and otherwise gives the whole value', async () => {
    const { locateInValue } = await import('../src/check/locate.js');
    const plain = new Map([['/p', { pointer: '/p', span: { start: 0, end: 8 } }]]);
    expect(locateInValue(plain, '/p', 'ab(?=c', 2, 3, () => undefined)?.span).toEqual({ start: 3, end: 6 });
    const escaped = new Map([['/p', { pointer: '/p', span: { start: 0, end: 12 } }]]);
    expect(locateInValue(escaped, '/p', 'a\\d(?=x)', 3, 3, () => undefined)).toEqual(escaped.get('/p'));
    const fallback = { pointer: '/q', span: { start: 1, end: 2 } };
    expect(locateInValue(plain, '/missing', 'x', 0, 1, () => fallback)).toBe(fallback);
  });
});
