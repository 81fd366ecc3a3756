import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClaimsMappingPolicy } from '@claimc/model';
import { compilePolicy } from '../../../compiler/src/index.js';
import { evaluateJwt, evaluateSaml } from '../../../runtime/src/index.js';
import { arbitraryPolicy, evaluationContext, evaluationPolicy, writePolicyVariant } from '../../../testkit/src/index.js';
import { readPolicyJson } from '../../src/json/read-json.js';
import { printPolicyClaims } from '../../src/claims/print.js';
import { readPolicyClaims } from '../../src/claims/read-claims.js';

const envelope = fc.constantFrom('raw' as const, 'graph' as const, 'powershell' as const);

describe('build(decompile(J)) ≡ normalize(J)', () => {
  it('for generated JSON policies in every envelope and spelling (1,000 runs)', () => {
    fc.assert(
      fc.property(arbitraryPolicy(), fc.integer(), envelope, (policy, seed, kind) => {
        const json = writePolicyVariant(policy, seed, kind);
        const normalized = readPolicyJson(json);
        expect(normalized.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const claims = printPolicyClaims(normalized.policy as ClaimsMappingPolicy, normalized.displayName === undefined ? {} : { displayName: normalized.displayName });
        const built = readPolicyClaims(claims);
        expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(built.policy).toEqual(normalized.policy);
        expect(built.displayName).toBe(normalized.displayName);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the JSON and its .claims twin compile to plans that give identical claims', () => {
  it('for generated policies and evaluation contexts, JWT and SAML (1,000 runs)', () => {
    fc.assert(
      fc.property(evaluationPolicy, fc.integer(), evaluationContext, (policy, seed, context) => {
        const json = writePolicyVariant(policy, seed, 'raw');
        const fromJson = compilePolicy(json, { fileName: 'policy.json' });
        const claims = printPolicyClaims(readPolicyJson(json).policy as ClaimsMappingPolicy);
        const fromClaims = compilePolicy(claims, { fileName: 'policy.claims' });
        expect(fromClaims.diagnostics.map((d) => d.code).sort()).toEqual(fromJson.diagnostics.map((d) => d.code).sort());
        expect(fromClaims.ok).toBe(fromJson.ok);
        if (!fromJson.ok || !fromClaims.ok) return;
        const a = fromJson.linked;
        const b = fromClaims.linked;
        expect(evaluateJwt(b, context)).toEqual(evaluateJwt(a, context));
        expect(evaluateSaml(b, context)).toEqual(evaluateSaml(a, context));
      }),
      { numRuns: 1000 },
    );
  });
});
