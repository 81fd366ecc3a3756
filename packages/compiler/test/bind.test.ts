import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ClaimsMappingPolicy, ClaimsSchemaEntry, ClaimsTransformation } from '@claimc/model';
import { methodSignatures, toPointer } from '@claimc/model';
import { bindPolicy } from '../src/bind.js';
import { checkPolicy } from '../src/check/index.js';
import { locateModel } from './fixtures/check/locate-model.js';

const bind = (policy: ClaimsMappingPolicy) => bindPolicy(policy, locateModel(policy));

describe('bindPolicy', () => {
  it('resolves each RegexReplace once: equal patterns share one translation, the template is parsed with offsets', () => {
    const regexReplace = (id: string, out: string, replacement: string): ClaimsTransformation => ({
      ID: id,
      TransformationMethod: 'RegexReplace',
      InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'sourceClaim' }],
      InputParameters: [{ ID: 'regex', Value: "(?'user'[^@]+)@.+" }, { ID: 'Replacement', Value: replacement }],
      OutputClaims: [{ ClaimTypeReferenceId: out, TransformationClaimType: 'outputClaim' }],
    });
    const policy: ClaimsMappingPolicy = {
      Version: 1,
      ClaimsSchema: [
        { Source: 'user', ID: 'mail' },
        { Source: 'transformation', ID: 'a', TransformationId: 't1', JwtClaimType: 'a' },
        { Source: 'transformation', ID: 'b', TransformationId: 't2', JwtClaimType: 'b' },
      ],
      ClaimsTransformation: [regexReplace('t1', 'a', 'x{user}'), regexReplace('t2', 'b', '{user}')],
    };
    const [first, second] = bind(policy).bound.transformations;
    expect(first?.regex?.translation.ok).toBe(true);
    expect(second?.regex?.translation).toBe(first?.regex?.translation);
    expect(first?.regex?.replacement?.parts).toEqual([
      { kind: 'text', text: 'x' },
      expect.objectContaining({ kind: 'ref', name: 'user', offset: 1 }),
    ]);
  });

  it('binds every kind of value, joining references case-insensitively (D1)', () => {
    const policy: ClaimsMappingPolicy = {
      Version: 1,
      ClaimsSchema: [
        { Source: 'user', ID: 'EmployeeId', JwtClaimType: 'employeeid' },
        { Source: 'company', ID: 'tenantcountry', JwtClaimType: 'country' },
        { Value: 'prod', JwtClaimType: 'env' },
        { Source: 'user', ExtensionID: 'extension_0123456789abcdef0123456789abcdef_skypeId', JwtClaimType: 'skype' },
        { Source: 'user', ID: 'extensionattribute1' },
        { Source: 'transformation', ID: 'DataJoin', TransformationId: 'jointhedata', JwtClaimType: 'JoinedData' },
      ],
      ClaimsTransformation: [
        {
          ID: 'JoinTheData',
          TransformationMethod: 'join',
          InputClaims: [{ ClaimTypeReferenceId: 'ExtensionAttribute1', TransformationClaimType: 'STRING1', TreatAsMultiValue: true }],
          InputParameters: [{ ID: 'String2', Value: 'sandbox' }],
          OutputClaims: [{ ClaimTypeReferenceId: 'datajoin', TransformationClaimType: 'OutputClaim' }],
        },
      ],
    };
    const { bound, diagnostics } = bind(policy);
    expect(diagnostics).toEqual([]);
    expect(bound.includeBasicClaimSet).toBe(true);
    expect(bound.entries.map((e) => e.value.kind)).toEqual(['attribute', 'attribute', 'constant', 'extension', 'attribute', 'transformation']);
    expect(bound.entries[0]?.value).toMatchObject({ kind: 'attribute', source: 'user', attribute: { id: 'employeeid' } });
    expect(bound.entries[1]?.value).toMatchObject({ kind: 'attribute', source: 'company', attribute: { id: 'tenantcountry' } });
    expect(bound.entries[3]?.value).toEqual({ kind: 'extension', name: 'extension_0123456789abcdef0123456789abcdef_skypeId' });
    expect(bound.entries[5]?.value).toEqual({ kind: 'transformation', transformation: 0, output: 'outputClaim' });
    expect(bound.transformations[0]).toMatchObject({
      index: 0,
      id: 'JoinTheData',
      method: { name: 'Join' },
      effective: true,
      inputs: [{ name: 'string1', entry: 4, treatAsMultiValue: true }],
      parameters: [{ name: 'string2', value: 'sandbox' }],
      outputs: [{ name: 'outputClaim', entry: 5 }],
    });
  });

  it('keeps extra RegexReplace input names as written and takes IncludeBasicClaimSet from the policy', () => {
    const policy: ClaimsMappingPolicy = {
      Version: 1,
      IncludeBasicClaimSet: false,
      ClaimsSchema: [{ Source: 'user', ID: 'mail' }, { Source: 'user', ID: 'country' }, { Source: 'transformation', ID: 'r', TransformationId: 'R', JwtClaimType: 'r' }],
      ClaimsTransformation: [
        {
          ID: 'R',
          TransformationMethod: 'RegexReplace',
          InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'SourceClaim' }, { ClaimTypeReferenceId: 'country', TransformationClaimType: 'Country' }],
          InputParameters: [{ ID: 'Regex', Value: '@.*' }, { ID: 'replacement', Value: '@{Country}' }],
          OutputClaims: [{ ClaimTypeReferenceId: 'r', TransformationClaimType: 'outputClaim' }],
        },
      ],
    };
    const { bound } = bind(policy);
    expect(bound.includeBasicClaimSet).toBe(false);
    expect(bound.transformations[0]?.inputs.map((i) => i.name)).toEqual(['sourceClaim', 'Country']);
    expect(bound.transformations[0]?.parameters.map((p) => p.name)).toEqual(['regex', 'replacement']);
  });

  it('marks entries and transformations beyond the D7 limits as not effective', () => {
    const entries = Array.from({ length: 52 }, (_, i): ClaimsSchemaEntry => ({ Value: String(i), JwtClaimType: `c${i}` }));
    const { bound } = bind({ Version: 1, ClaimsSchema: entries });
    expect(bound.entries.filter((e) => !e.effective).map((e) => e.index)).toEqual([50, 51]);
  });
});

// Nothing lost (threats §2.8): every entry and transformation either binds or is named by a diagnostic.
const word = fc.constantFrom('mail', 'Mail', 'employeeid', 'employeid', 'groups', 'x', 'T0', 'T1', 't1', '__proto__', 'constructor', 'extension_0123456789abcdef0123456789abcdef_a', 'extension_1_a', 'tenantcountry', '');
const maybe = <T,>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const entryArb: fc.Arbitrary<ClaimsSchemaEntry> = fc
  .record({
    Source: maybe(fc.constantFrom('user', 'company', 'application', 'transformation', 'usr')),
    ID: maybe(word),
    ExtensionID: maybe(word),
    Value: maybe(fc.string({ maxLength: 4 })),
    TransformationId: maybe(word),
    JwtClaimType: maybe(fc.constantFrom('a', 'ISS', 'xms_a', 'a b', 'A')),
    SamlClaimType: maybe(fc.constantFrom('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier', 's')),
  })
  .map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as ClaimsSchemaEntry);
const methodNames = [...methodSignatures.map((m) => m.name), 'Jion'];
const transformationArb: fc.Arbitrary<ClaimsTransformation> = fc.record({
  ID: word,
  TransformationMethod: fc.constantFrom(...methodNames),
  InputClaims: fc.array(fc.record({ ClaimTypeReferenceId: word, TransformationClaimType: fc.constantFrom('string1', 'input', 'mail', 'sourceClaim', 'zz'), TreatAsMultiValue: fc.boolean() }), { maxLength: 3 }),
  InputParameters: fc.array(fc.record({ ID: fc.constantFrom('string2', 'regex', 'replacement', 'value', 'type', 'index'), Value: fc.constantFrom('(?=a)', '{x}', 'a', '-1', 'prefix') }), { maxLength: 3 }),
  OutputClaims: fc.array(fc.record({ ClaimTypeReferenceId: word, TransformationClaimType: fc.constantFrom('outputClaim', 'createdClaim', 'bad') }), { maxLength: 2 }),
});

describe('nothing lost', () => {
  it('every unbound entry or transformation is named by a diagnostic; binding and checking never throw', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 6 }), fc.array(transformationArb, { maxLength: 4 }), fc.constantFrom<'lenient' | 'entra'>('lenient', 'entra'), (schema, transformations, target) => {
        const policy: ClaimsMappingPolicy = { Version: 1, ClaimsSchema: schema, ClaimsTransformation: transformations };
        const { bound, diagnostics } = bindPolicy(policy, locateModel(policy), { target });
        const all = [...diagnostics, ...checkPolicy(bound, { target })];
        const named = (prefix: string): boolean => all.some((d) => d.pointer === prefix || d.pointer?.startsWith(prefix + '/') === true);
        expect(bound.entries).toHaveLength(schema.length);
        expect(bound.transformations).toHaveLength(transformations.length);
        for (const e of bound.entries) if (e.value.kind === 'unresolved') expect(named(toPointer(['ClaimsSchema', e.index]))).toBe(true);
        for (const t of bound.transformations) {
          if (t.method === undefined) expect(named(toPointer(['ClaimsTransformation', t.index]))).toBe(true);
          const written = transformations[t.index];
          if (written !== undefined && t.inputs.length < (written.InputClaims ?? []).length) expect(named(toPointer(['ClaimsTransformation', t.index, 'InputClaims']))).toBe(true);
          if (written !== undefined && t.outputs.length < (written.OutputClaims ?? []).length) expect(named(toPointer(['ClaimsTransformation', t.index, 'OutputClaims']))).toBe(true);
        }
        for (const d of all) expect(d.pointer).toBeDefined();
      }),
      { numRuns: 1000 },
    );
  });
});
