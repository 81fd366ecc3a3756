import fc from 'fast-check';
import { canonicalAttributeId, canonicalInputName, canonicalOutputName, findMethod, methodSignatures, sourceNames, type ClaimsMappingPolicy, type ClaimsSchemaEntry, type ClaimsTransformation, type InputClaim, type InputParameter, type OutputClaim } from '@claimc/model';

// Any model the canonical form allows, far wilder than a valid policy: every field optional, empty
// lists, dangling references, unknown sources and methods, any Unicode in every string.

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 2, arbitrary: fc.constantFrom('', 'mail', 'claim', 'input', 'none', 'each', 'as', 'user.mail', 'a b', '"q"', '\\', '//c', '/*', '\u202e', '\u2028', 'x:y', 'extension_ab_cd', '{', '日本') },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/) },
);

const source = fc.oneof(fc.constantFrom(...sourceNames), text.filter((s) => s === s.toLowerCase()));
const method = fc.oneof(fc.constantFrom(...methodSignatures.map((m) => m.name)), text.filter((s) => findMethod(s) === undefined));

function opt<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq: 2 });
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const entry: fc.Arbitrary<ClaimsSchemaEntry> = fc
  .record({ Source: opt(source), ID: opt(text), ExtensionID: opt(text), Value: opt(text), TransformationId: opt(text), JwtClaimType: opt(text), SamlClaimType: opt(text), SAMLNameForm: opt(text), samlNameIdFormat: opt(text) })
  .map((e) => defined({ ...e, ID: e.ID !== undefined && e.Source !== undefined ? canonicalAttributeId(e.Source, e.ID) : e.ID }));

const transformation: fc.Arbitrary<ClaimsTransformation> = fc
  .record({
    ID: text,
    TransformationMethod: method,
    InputClaims: opt(fc.array(fc.record({ ClaimTypeReferenceId: text, TransformationClaimType: text, TreatAsMultiValue: opt(fc.boolean()), claimTypeReferenceSource: opt(text) }), { maxLength: 3 })),
    InputParameters: opt(fc.array(fc.record({ ID: text, Value: text, DataType: opt(text) }), { maxLength: 3 })),
    OutputClaims: opt(fc.array(fc.record({ ClaimTypeReferenceId: text, TransformationClaimType: text }), { maxLength: 2 })),
  })
  .map((t) => {
    const m = findMethod(t.TransformationMethod);
    return defined({
      ...t,
      InputClaims: t.InputClaims?.map((c): InputClaim => defined({ ...c, TransformationClaimType: canonicalInputName(m, c.TransformationClaimType) })),
      InputParameters: t.InputParameters?.map((p): InputParameter => defined({ ...p, ID: canonicalInputName(m, p.ID) })),
      OutputClaims: t.OutputClaims?.map((o): OutputClaim => ({ ...o, TransformationClaimType: canonicalOutputName(m, o.TransformationClaimType) })),
    });
  });

/** Any canonical model, with an optional display name. */
export const wildPolicy: fc.Arbitrary<{ policy: ClaimsMappingPolicy; displayName: string | undefined }> = fc.record({
  policy: fc
    .record({
      Version: opt(fc.oneof(fc.constant(1), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))),
      IncludeBasicClaimSet: opt(fc.boolean()),
      ClaimsSchema: opt(fc.array(entry, { maxLength: 5 })),
      ClaimsTransformation: opt(fc.array(transformation, { maxLength: 3 })),
      GroupFilter: opt(fc.record({ MatchOn: text, Type: text, Value: text })),
      issuerWithApplicationId: opt(fc.boolean()),
      audienceOverride: opt(text),
    })
    .map((p) => defined(p)),
  displayName: opt(text),
});
