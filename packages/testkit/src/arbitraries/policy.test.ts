import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClaimsMappingPolicySchema, findMethod, hasErrors } from '@claimc/model';
import { readPolicyJson } from '@claimc/syntax';
import { arbitraryPolicy, writePolicyVariant, type EnvelopeKind } from './policy.js';

const envelopeArb = fc.constantFrom<EnvelopeKind>('raw', 'graph', 'powershell');

/** Decodes the text a location covers back to the value it holds, undoing the envelope's own quoting. */
function decodeAt(text: string, span: { start: number; end: number }, envelope: EnvelopeKind, hereString: boolean): unknown {
  const slice = text.slice(span.start, span.end);
  if (envelope === 'raw') return JSON.parse(slice);
  if (envelope === 'graph') return JSON.parse(JSON.parse(`"${slice}"`) as string);
  return JSON.parse(hereString ? slice : slice.replace(/''/g, "'"));
}

describe('policy arbitraries', () => {
  it('generate schema-valid policies whose methods are known', () => {
    fc.assert(
      fc.property(arbitraryPolicy(), (policy) => {
        expect(ClaimsMappingPolicySchema.safeParse(policy).success).toBe(true);
        for (const t of policy.ClaimsTransformation ?? []) {
          expect(findMethod(t.TransformationMethod)?.name).toBe(t.TransformationMethod);
          expect((t.InputClaims ?? []).filter((c) => c.TreatAsMultiValue === true).length).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('readPolicyJson round trip (property)', () => {
  it('reads every spelling variant in every envelope back to the same canonical model, without errors', () => {
    fc.assert(
      fc.property(arbitraryPolicy(), fc.integer(), envelopeArb, (policy, seed, envelope) => {
        const text = writePolicyVariant(policy, seed, envelope);
        const result = readPolicyJson(text);
        expect(hasErrors(result.diagnostics), JSON.stringify(result.diagnostics)).toBe(false);
        expect(result.diagnostics.filter((d) => d.severity === 'warning')).toEqual([]);
        expect(result.envelope).toBe(envelope);
        expect(result.policy).toEqual(policy);
      }),
      { numRuns: 1000 },
    );
  });

  it('locates every kept-as-written string value at text that decodes to it', () => {
    fc.assert(
      fc.property(arbitraryPolicy(), fc.integer(), envelopeArb, (policy, seed, envelope) => {
        const text = writePolicyVariant(policy, seed, envelope);
        const { locations } = readPolicyJson(text);
        const hereString = envelope === 'powershell' && text.includes("@'\n");
        (policy.ClaimsSchema ?? []).forEach((entry, i) => {
          for (const key of ['Value', 'JwtClaimType', 'SamlClaimType', 'ExtensionID'] as const) {
            const value = entry[key];
            if (value === undefined) continue;
            const location = locations.get(`/ClaimsSchema/${i}/${key}`);
            expect(location).toBeDefined();
            if (location !== undefined) expect(decodeAt(text, location.span, envelope, hereString)).toBe(value);
          }
        });
        (policy.ClaimsTransformation ?? []).forEach((t, i) => {
          const location = locations.get(`/ClaimsTransformation/${i}/ID`);
          if (location !== undefined) expect(decodeAt(text, location.span, envelope, hereString)).toBe(t.ID);
        });
      }),
      { numRuns: 300 },
    );
  });
});
