import { describe, expect, test } from 'vitest';
import type { ClaimsMappingPolicy, ClaimsSchemaEntry } from '@claimc/model';
import { limits } from '@claimc/model';
import type { Absence, ClaimValue, EvaluationContext } from '@claimc/runtime/internal';
import { evaluateThreeWays } from '../src/index.js';

/**
 * Every method and rule against the documented examples (entra-semantics §3, decisions D7, D10–D15),
 * each run through all three engines: the linked plan, an AOT module and the reference interpreter.
 */

type Input = readonly [transformationClaimType: string, userAttribute: string, treatAsMultiValue?: boolean];

function transformation(method: string, inputs: readonly Input[], parameters: readonly (readonly [string, string])[], output = method === 'CreateStringClaim' ? 'createdClaim' : 'outputClaim'): ClaimsMappingPolicy {
  const ids = [...new Set(inputs.map(([, attribute]) => attribute))];
  return {
    Version: 1,
    IncludeBasicClaimSet: false,
    ClaimsSchema: [
      ...ids.map((id): ClaimsSchemaEntry => ({ Source: 'user', ID: id })),
      { Source: 'transformation', ID: 'out', TransformationId: 't', JwtClaimType: 'out', SamlClaimType: 'http://example.com/claims/out' },
    ],
    ClaimsTransformation: [
      {
        ID: 't',
        TransformationMethod: method,
        ...(inputs.length > 0 ? { InputClaims: inputs.map(([type, id, multi]) => ({ ClaimTypeReferenceId: id, TransformationClaimType: type, ...(multi === true ? { TreatAsMultiValue: true } : {}) })) } : {}),
        ...(parameters.length > 0 ? { InputParameters: parameters.map(([id, value]) => ({ ID: id, Value: value })) } : {}),
        OutputClaims: [{ ClaimTypeReferenceId: 'out', TransformationClaimType: output }],
      },
    ],
  };
}

const user = (properties: Record<string, unknown>): EvaluationContext => ({ user: { id: 'u1', ...properties } });

/** Runs all three engines, asserts they agree exactly, and returns the JWT evaluation. */
async function evaluate(policy: ClaimsMappingPolicy, context: EvaluationContext, jwtVersion: 1 | 2 = 2) {
  const r = await evaluateThreeWays(policy, context, { jwtVersion });
  expect(r.aot.jwt).toStrictEqual(r.plan.jwt);
  expect(r.interpreter.jwt).toStrictEqual(r.plan.jwt);
  expect(JSON.stringify(r.interpreter.jwt)).toBe(JSON.stringify(r.plan.jwt));
  expect(r.aot.saml).toStrictEqual(r.plan.saml);
  expect(r.interpreter.saml).toStrictEqual(r.plan.saml);
  return r.plan;
}

async function claim(policy: ClaimsMappingPolicy, context: EvaluationContext): Promise<ClaimValue | Absence['reason']> {
  const { jwt } = await evaluate(policy, context);
  const value = jwt.claims['out'];
  if (value !== undefined) return value;
  return jwt.absent.find((a) => a.name === 'out')?.reason ?? 'missing';
}

describe('Join (D11, D10)', () => {
  const policy = transformation('Join', [['string1', 'extensionattribute1']], [['string2', 'sandbox'], ['separator', '.']]);
  test('documented example: foo@bar.com + . + sandbox', async () => {
    expect(await claim(policy, user({ onPremisesExtensionAttributes: { extensionAttribute1: 'foo@bar.com' } }))).toBe('foo@bar.com.sandbox');
  });
  test('D10: an absent input gives no value — never ".sandbox"', async () => {
    expect(await claim(policy, user({}))).toBe('input-absent');
    expect(await claim(policy, user({ onPremisesExtensionAttributes: { extensionAttribute1: null } }))).toBe('input-absent');
  });
  test('D10: the empty string is a present value', async () => {
    expect(await claim(policy, user({ onPremisesExtensionAttributes: { extensionAttribute1: '' } }))).toBe('.sandbox');
  });
  test('no separator parameter joins directly; two input claims', async () => {
    expect(await claim(transformation('Join', [['string1', 'givenname'], ['string2', 'surname']], []), user({ givenName: 'Ada', surname: 'Lovelace' }))).toBe('AdaLovelace');
  });
});

describe('ExtractMailPrefix (D11)', () => {
  const policy = transformation('ExtractMailPrefix', [['mail', 'mail']], []);
  test('with @: the part before it', async () => {
    expect(await claim(policy, user({ mail: 'joe_smith@contoso.com' }))).toBe('joe_smith');
  });
  test('without @: unchanged', async () => {
    expect(await claim(policy, user({ mail: 'joe_smith' }))).toBe('joe_smith');
  });
  test('several @: the part before the last one (a quoted local part may contain @)', async () => {
    expect(await claim(policy, user({ mail: '"a@b"@contoso.com' }))).toBe('"a@b"');
  });
});

describe('ToLowercase / ToUppercase (D11: locale-independent, any input name)', () => {
  test('lower', async () => {
    expect(await claim(transformation('ToLowercase', [['anything', 'userprincipalname']], []), user({ userPrincipalName: 'Adele.VANCE@Contoso.com' }))).toBe('adele.vance@contoso.com');
  });
  test('upper, with a mapping that grows the string', async () => {
    expect(await claim(transformation('ToUppercase', [['inputClaim', 'city']], []), user({ city: 'straße' }))).toBe('STRASSE');
  });
});

describe('RegexReplace (D11, entra-semantics §3.3)', () => {
  test('documented example: groups and an extra input, {country}.{domain}@xyz.com', async () => {
    const policy = transformation('RegexReplace', [['sourceClaim', 'mail'], ['country', 'country']], [['regex', "(?'domain'^.*?)(?i)(\\@fabrikam\\.com)$"], ['replacement', '{country}.{domain}@xyz.com']]);
    expect(await claim(policy, user({ mail: 'swmal@FABRIKAM.com', country: 'US' }))).toBe('US.swmal@xyz.com');
  });
  test('.NET Regex.Replace semantics: only the match is replaced, text outside is kept', async () => {
    const policy = transformation('RegexReplace', [['sourceClaim', 'mail']], [['regex', '@(?<domain>.+)'], ['replacement', '@company.com']]);
    expect(await claim(policy, user({ mail: 'user@contoso.com' }))).toBe('user@company.com');
  });
  test('every match is replaced; ${group} and $1 are accepted', async () => {
    expect(await claim(transformation('RegexReplace', [['sourceClaim', 'department']], [['regex', '(?<d>[0-9])'], ['replacement', '<${d}>']]), user({ department: 'a1b22' }))).toBe('a<1>b<2><2>');
    expect(await claim(transformation('RegexReplace', [['sourceClaim', 'department']], [['regex', '([a-z]+)'], ['replacement', '[$1]']]), user({ department: 'ab-cd' }))).toBe('[ab]-[cd]');
  });
  test('empty matches advance one character, as in .NET', async () => {
    expect(await claim(transformation('RegexReplace', [['sourceClaim', 'department']], [['regex', 'x*'], ['replacement', '-']]), user({ department: 'abc' }))).toBe('-a-b-c-');
  });
  test('no match gives no value', async () => {
    expect(await claim(transformation('RegexReplace', [['sourceClaim', 'mail']], [['regex', '@fabrikam\\.com$'], ['replacement', '']]), user({ mail: 'joe@contoso.com' }))).toBe('no-match');
  });
  test('an absent extra input gives no value (D10)', async () => {
    const policy = transformation('RegexReplace', [['sourceClaim', 'mail'], ['country', 'country']], [['regex', '^(?<u>[^@]+)@.*$'], ['replacement', '{u}@{country}.example']]);
    expect(await claim(policy, user({ mail: 'joe@contoso.com' }))).toBe('input-absent');
  });
});

describe('CreateStringClaim', () => {
  test('a constant (folded at compile time)', async () => {
    expect(await claim(transformation('CreateStringClaim', [], [['value', 'production']]), user({}))).toBe('production');
  });
});

describe('admin-center extension methods (D11)', () => {
  test('Contains / StartWith / EndWith: output on a match, no value otherwise', async () => {
    const c = (method: string) => transformation(method, [['input', 'department']], [['value', 'Fin'], ['output', 'FIN']]);
    expect(await claim(c('Contains'), user({ department: 'Corp-Finance' }))).toBe('FIN');
    expect(await claim(c('StartWith'), user({ department: 'Corp-Finance' }))).toBe('no-match');
    expect(await claim(c('StartWith'), user({ department: 'Finance' }))).toBe('FIN');
    expect(await claim(c('EndWith'), user({ department: 'Finance' }))).toBe('no-match');
    expect(await claim(c('EndWith'), user({ department: 'HR-Fin' }))).toBe('FIN');
  });
  test('Extract after / before / between (documented examples)', async () => {
    const e = (type: string, ...values: string[]) => transformation('Extract', [['input', 'department']], [['type', type], ['value', values[0] as string], ...(values[1] !== undefined ? [['value2', values[1]] as const] : [])]);
    expect(await claim(e('after', 'Finance_'), user({ department: 'Finance_BSimon' }))).toBe('BSimon');
    expect(await claim(e('before', '_US'), user({ department: 'BSimon_US' }))).toBe('BSimon');
    expect(await claim(e('between', 'Finance_', '_US'), user({ department: 'Finance_BSimon_US' }))).toBe('BSimon');
    expect(await claim(e('after', 'Sales_'), user({ department: 'Finance_BSimon' }))).toBe('no-match');
  });
  test('ExtractAlpha / ExtractNumeric prefix and suffix (documented examples)', async () => {
    const x = (method: string, type: string) => transformation(method, [['input', 'department']], [['type', type]]);
    expect(await claim(x('ExtractAlpha', 'prefix'), user({ department: 'BSimon_123' }))).toBe('BSimon');
    expect(await claim(x('ExtractAlpha', 'suffix'), user({ department: '123_Simon' }))).toBe('Simon');
    expect(await claim(x('ExtractNumeric', 'prefix'), user({ department: '123_BSimon' }))).toBe('123');
    expect(await claim(x('ExtractNumeric', 'suffix'), user({ department: 'BSimon_123' }))).toBe('123');
    expect(await claim(x('ExtractAlpha', 'prefix'), user({ department: '_x' }))).toBe('no-match');
    expect(await claim(x('ExtractAlpha', 'prefix'), user({ department: 'Ünïcode1' }))).toBe('Ünïcode');
  });
  test('IfEmpty: output when absent or empty, else the input; IfNotEmpty: output when non-empty', async () => {
    const ifEmpty = transformation('IfEmpty', [['input', 'department']], [['output', 'n/a']]);
    expect(await claim(ifEmpty, user({}))).toBe('n/a');
    expect(await claim(ifEmpty, user({ department: '' }))).toBe('n/a');
    expect(await claim(ifEmpty, user({ department: 'HR' }))).toBe('HR');
    const ifNotEmpty = transformation('IfNotEmpty', [['input', 'department']], [['output', 'staff']]);
    expect(await claim(ifNotEmpty, user({ department: 'HR' }))).toBe('staff');
    expect(await claim(ifNotEmpty, user({ department: '' }))).toBe('no-match');
  });
  test('Substring: fixed length, to the end, start past the end, length past the end (D11)', async () => {
    const s = (...p: (readonly [string, string])[]) => transformation('Substring', [['input', 'department']], p);
    const context = user({ department: 'PleaseExtractThisNow' });
    expect(await claim(s(['index', '6'], ['length', '11']), context)).toBe('ExtractThis');
    expect(await claim(s(['index', '6']), context)).toBe('ExtractThisNow');
    expect(await claim(s(['index', '20']), context)).toBe('no-match');
    expect(await claim(s(['index', '17'], ['length', '50']), context)).toBe('Now');
  });
  test('Trim: leading, trailing, both; white space when no value', async () => {
    const t = (type: string, value?: string) => transformation('Trim', [['input', 'department']], [['type', type], ...(value !== undefined ? [['value', value] as const] : [])]);
    expect(await claim(t('leading', '0'), user({ department: '000420' }))).toBe('420');
    expect(await claim(t('trailing', '0'), user({ department: '000420' }))).toBe('00042');
    expect(await claim(t('leadingAndTrailing'), user({ department: '  x y  ' }))).toBe('x y');
  });
});

describe('multi-valued values (D12, D13)', () => {
  const proxies = user({ proxyAddresses: ['SMTP:a@contoso.com', 'smtp:b@fabrikam.com'] });
  test('TreatAsMultiValue applies the transformation to every value; the output is an array', async () => {
    expect(await claim(transformation('ExtractMailPrefix', [['mail', 'proxyaddresses', true]], []), proxies)).toEqual(['SMTP:a', 'smtp:b']);
  });
  test('without TreatAsMultiValue the transformation sees the first value', async () => {
    expect(await claim(transformation('ExtractMailPrefix', [['mail', 'proxyaddresses']], []), proxies)).toBe('SMTP:a');
  });
  test('an array even with one element; values without a result are left out', async () => {
    const policy = transformation('RegexReplace', [['sourceClaim', 'proxyaddresses', true]], [['regex', '^SMTP:'], ['replacement', '']]);
    expect(await claim(policy, proxies)).toEqual(['a@contoso.com']);
  });
  test('a directory attribute documented as single emits its first value; a multi-valued extension emits all', async () => {
    const policy: ClaimsMappingPolicy = {
      Version: 1,
      IncludeBasicClaimSet: false,
      ClaimsSchema: [
        { Source: 'user', ID: 'othermail', JwtClaimType: 'other' },
        { Source: 'user', ExtensionID: 'extension_b7d8e648520f41d3b9c0fdeb91768a0a_skills', JwtClaimType: 'skills' },
        { Source: 'user', ExtensionID: 'extension_b7d8e648520f41d3b9c0fdeb91768a0a_level', JwtClaimType: 'level' },
        { Source: 'user', ID: 'accountEnabled', JwtClaimType: 'enabled' },
      ],
    };
    const context = user({ otherMails: ['x@a.com', 'y@b.com'], extension_b7d8e648520f41d3b9c0fdeb91768a0a_skills: ['sql'], extension_b7d8e648520f41d3b9c0fdeb91768a0a_level: 3, accountEnabled: false });
    const { jwt } = await evaluate(policy, context);
    expect(jwt.claims).toEqual({ other: 'x@a.com', skills: ['sql'], level: '3', enabled: 'false' });
  });
  test('an empty list is not emitted', async () => {
    const policy: ClaimsMappingPolicy = { Version: 1, ClaimsSchema: [{ Source: 'user', ExtensionID: 'extension_b7d8e648520f41d3b9c0fdeb91768a0a_skills', JwtClaimType: 'skills' }] };
    const { jwt } = await evaluate(policy, user({ extension_b7d8e648520f41d3b9c0fdeb91768a0a_skills: [] }));
    expect(jwt.policy).toEqual({});
    expect(jwt.absent).toEqual([{ name: 'skills', entry: 0, reason: 'source-empty' }]);
  });
});

describe('sources and derivations', () => {
  test('ExtensionID is read case-sensitively (EXT)', async () => {
    const policy: ClaimsMappingPolicy = { Version: 1, IncludeBasicClaimSet: false, ClaimsSchema: [{ Source: 'user', ExtensionID: 'extension_b7d8e648520f41d3b9c0fdeb91768a0a_costCenter', JwtClaimType: 'cost' }] };
    expect((await evaluate(policy, user({ extension_b7d8e648520f41d3b9c0fdeb91768a0a_CostCenter: 'x' }))).jwt.claims).toEqual({});
    expect((await evaluate(policy, user({ extension_b7d8e648520f41d3b9c0fdeb91768a0a_costCenter: 'x' }))).jwt.claims).toEqual({ cost: 'x' });
  });
  test('a directory extension feeds a transformation through its ExtensionID (D1, EXT)', async () => {
    const extension = 'extension_b7d8e648520f41d3b9c0fdeb91768a0a_costCenter';
    const policy: ClaimsMappingPolicy = {
      Version: 1,
      IncludeBasicClaimSet: false,
      ClaimsSchema: [
        { Source: 'user', ExtensionID: extension },
        { Source: 'transformation', ID: 'out', TransformationId: 't', JwtClaimType: 'out' },
      ],
      ClaimsTransformation: [
        {
          ID: 't',
          TransformationMethod: 'ToUppercase',
          InputClaims: [{ ClaimTypeReferenceId: extension.toUpperCase(), TransformationClaimType: 'inputClaim' }],
          OutputClaims: [{ ClaimTypeReferenceId: 'out', TransformationClaimType: 'outputClaim' }],
        },
      ],
    };
    expect((await evaluate(policy, user({ [extension]: 'cc-42' }))).jwt.claims).toEqual({ out: 'CC-42' });
  });
  test('netbiosname is derived from onPremisesDomainName; company, application, resource and audience sources', async () => {
    const policy: ClaimsMappingPolicy = {
      Version: 1,
      IncludeBasicClaimSet: false,
      ClaimsSchema: [
        { Source: 'user', ID: 'netbiosname', JwtClaimType: 'nb' },
        { Source: 'user', ID: 'dnsdomainname', JwtClaimType: 'dns' },
        { Source: 'company', ID: 'tenantcountry', JwtClaimType: 'ctry2' },
        { Source: 'application', ID: 'displayname', JwtClaimType: 'app' },
        { Source: 'resource', ID: 'objectid', JwtClaimType: 'res' },
        { Source: 'audience', ID: 'tags', JwtClaimType: 'aud_tag' },
      ],
    };
    const context: EvaluationContext = {
      user: { id: 'u1', onPremisesDomainName: 'corp.contoso.com' },
      tenant: { id: 't1', countryLetterCode: 'NZ' },
      client: { id: 'c-sp', appId: 'c-app', displayName: 'Client', tags: ['c1'] },
      resource: { id: 'r-sp', appId: 'r-app', tags: ['r1', 'r2'] },
    };
    // D16: without an explicit audience, the resource is the audience.
    expect((await evaluate(policy, context)).jwt.claims).toEqual({ nb: 'CORP', dns: 'corp.contoso.com', ctry2: 'NZ', app: 'Client', res: 'r-sp', aud_tag: 'r1' });
  });
});

describe('precedence, basic set, limits (D7, D14, D15)', () => {
  const policy: ClaimsMappingPolicy = {
    Version: 1,
    ClaimsSchema: [
      { Value: 'default', JwtClaimType: 'tier' },
      { Source: 'user', ID: 'department' },
      { Source: 'transformation', ID: 'out', TransformationId: 't', JwtClaimType: 'tier' },
      { Source: 'user', ID: 'employeeid', JwtClaimType: 'name' },
    ],
    ClaimsTransformation: [
      {
        ID: 't',
        TransformationMethod: 'RegexReplace',
        InputClaims: [{ ClaimTypeReferenceId: 'department', TransformationClaimType: 'sourceClaim' }],
        InputParameters: [
          { ID: 'regex', Value: '^Gold$' },
          { ID: 'replacement', Value: 'gold' },
        ],
        OutputClaims: [{ ClaimTypeReferenceId: 'out', TransformationClaimType: 'outputClaim' }],
      },
    ],
  };
  test('D14: a later entry with a value replaces the earlier; one without leaves it', async () => {
    const gold = await evaluate(policy, user({ department: 'Gold', displayName: 'Ada', employeeId: 'E1' }));
    expect(gold.jwt.policy).toEqual({ tier: 'gold', name: 'E1' });
    expect(gold.jwt.absent).toEqual([{ name: 'tier', entry: 0, reason: 'overridden' }]);
    const silver = await evaluate(policy, user({ department: 'Silver', displayName: 'Ada', employeeId: 'E1' }));
    expect(silver.jwt.policy).toEqual({ tier: 'default', name: 'E1' });
    expect(silver.jwt.absent).toEqual([{ name: 'tier', entry: 2, reason: 'no-match' }]);
  });
  test('D15: the basic set per version, and a policy entry naming a basic claim overrides it in place', async () => {
    const v1 = await evaluate(policy, user({ department: 'Gold', displayName: 'Ada', givenName: 'Ada', surname: 'L', employeeId: 'E1' }), 1);
    expect(v1.jwt.basic).toEqual({ name: 'Ada', given_name: 'Ada', family_name: 'L' });
    expect(Object.keys(v1.jwt.claims)).toEqual(['name', 'given_name', 'family_name', 'tier']);
    expect(v1.jwt.claims['name']).toBe('E1');
    const v2 = await evaluate(policy, user({ displayName: 'Ada', givenName: 'Ada' }), 2);
    expect(v2.jwt.basic).toEqual({ name: 'Ada' });
    const omitted = await evaluate({ ...policy, IncludeBasicClaimSet: false }, user({ displayName: 'Ada', employeeId: 'E1' }), 1);
    expect(omitted.jwt.basic).toEqual({});
    expect(omitted.jwt.claims).toEqual({ tier: 'default', name: 'E1' });
  });
  test('D7: only the first 50 entries take effect', async () => {
    const many: ClaimsMappingPolicy = { Version: 1, IncludeBasicClaimSet: false, ClaimsSchema: Array.from({ length: 52 }, (_, i) => ({ Value: `v${i}`, JwtClaimType: `c${i}` })) };
    const { jwt } = await evaluate(many, user({}));
    expect(Object.keys(jwt.claims)).toHaveLength(50);
    expect(jwt.absent).toEqual([
      { name: 'c50', entry: 50, reason: 'beyond-limit' },
      { name: 'c51', entry: 51, reason: 'beyond-limit' },
    ]);
  });
  test('values longer than limits.valueLength are absent, never truncated', async () => {
    const policy2 = transformation('Join', [['string1', 'department'], ['string2', 'department']], []);
    expect(await claim(policy2, user({ department: 'x'.repeat(limits.valueLength / 2 + 1) }))).toBe('value-too-long');
    expect(await claim(policy2, user({ department: 'x'.repeat(limits.valueLength / 2) }))).toHaveLength(limits.valueLength);
  });
  test('lone surrogates and control characters pass through to the JWT map unchanged', async () => {
    expect(await claim(transformation('ToUppercase', [['inputClaim', 'department']], []), user({ department: 'a\ud800\u0000b' }))).toBe('A\ud800\u0000B');
  });
});

describe('SAML: attributes, NameFormat, NameID (§3.5)', () => {
  test('the nameidentifier entry sets the NameID with its format; other entries carry their NameFormat', async () => {
    const policy: ClaimsMappingPolicy = {
      Version: 1,
      IncludeBasicClaimSet: false,
      ClaimsSchema: [
        { Source: 'user', ID: 'mail', SamlClaimType: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier', samlNameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' },
        { Source: 'user', ID: 'department', SamlClaimType: 'http://example.com/claims/dept', SAMLNameForm: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri' },
        { Source: 'user', ID: 'proxyaddresses', SamlClaimType: 'http://example.com/claims/proxy', JwtClaimType: 'proxy' },
      ],
    };
    const { jwt, saml } = await evaluate(policy, user({ mail: 'joe@contoso.com', department: 'HR', proxyAddresses: ['SMTP:joe@contoso.com', 'smtp:j@c.com'] }));
    expect(saml.nameId).toEqual({ value: 'joe@contoso.com', format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' });
    expect(saml.attributes).toEqual([
      { name: 'http://example.com/claims/dept', nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri', values: ['HR'] },
      { name: 'http://example.com/claims/proxy', values: ['SMTP:joe@contoso.com'] },
    ]);
    expect(jwt.absent).toEqual([
      { name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier', entry: 0, reason: 'not-this-format' },
      { name: 'http://example.com/claims/dept', entry: 1, reason: 'not-this-format' },
    ]);
  });
});
