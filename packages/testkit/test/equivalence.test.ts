import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { evaluateJwt, evaluateJwtClaims, evaluateSaml, PlanDocumentSchema } from '@claimc/runtime/internal';
import { compiledOrThrow, evaluationContext, evaluationPolicy } from '../src/index.js';
import { compileModel, interpretJwt, interpretSaml } from '@claimc/compiler';
import { limits, methodNames } from '@claimc/model';

/** Exact comparison: deep equality with key order and prototypes, and the serialized form. */
function same(actual: unknown, expected: unknown): void {
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
  expect(actual).toStrictEqual(expected);
}

describe('plan ≡ reference interpreter (issue 3 equivalence)', () => {
  test('the generator reaches every row of the method table (within the transformation limit)', () => {
    const seed = 20261207;
    console.log(`method coverage sample seed ${seed}`);
    const seen = new Set<string>();
    for (const policy of fc.sample(evaluationPolicy, { seed, numRuns: 200 })) {
      for (const t of (policy.ClaimsTransformation ?? []).slice(0, limits.transformations)) seen.add(t.TransformationMethod);
    }
    expect([...seen].sort()).toEqual([...methodNames].sort());
  });

  test('generated policies compile without errors', () => {
    fc.assert(
      fc.property(evaluationPolicy, (policy) => {
        const result = compileModel(policy, new Map());
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        expect(errors.map((d) => `${d.code} ${d.message} ${d.pointer ?? ''}`)).toEqual([]);
        expect(result.ok).toBe(true);
        // compile links its own plan without the schema (linkPlanDocument): the emitted plan must still satisfy it
        if (result.ok) expect(PlanDocumentSchema.safeParse(result.plan).error?.issues).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  test('JWT and SAML: linked plan deep-equals the interpreter (key order, absent vs empty, array vs string)', () => {
    fc.assert(
      fc.property(evaluationPolicy, fc.array(evaluationContext, { minLength: 1, maxLength: 3 }), fc.constantFrom<1 | 2>(1, 2), (policy, contexts, jwtVersion) => {
        const { bound, linked } = compiledOrThrow(compileModel(policy, new Map()));
        for (const context of contexts) {
          same(evaluateJwt(linked, context, { jwtVersion }), interpretJwt(bound, context, { jwtVersion }));
          same(evaluateSaml(linked, context), interpretSaml(bound, context));
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('evaluateJwtClaims: the same claims as evaluateJwt, as an ordinary object whose keys do not depend on the context', () => {
    fc.assert(
      fc.property(evaluationPolicy, fc.array(evaluationContext, { minLength: 2, maxLength: 3 }), fc.constantFrom<1 | 2>(1, 2), (policy, contexts, jwtVersion) => {
        const { linked } = compiledOrThrow(compileModel(policy, new Map()));
        const keys = Object.keys(evaluateJwtClaims(linked, {}, { jwtVersion }));
        for (const context of contexts) {
          const claims = evaluateJwtClaims(linked, context, { jwtVersion });
          expect(Object.getPrototypeOf(claims)).toBe(Object.prototype);
          expect(Object.keys(claims)).toEqual(keys);
          const present = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
          expect(present).toEqual({ ...evaluateJwt(linked, context, { jwtVersion }).claims });
        }
      }),
      { numRuns: 500 },
    );
  });
});
