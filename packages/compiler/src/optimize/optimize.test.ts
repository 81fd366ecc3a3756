import { describe, expect, test } from 'vitest';
import type { ClaimsMappingPolicy, InputClaim } from '@claimc/model';
import { compileModel } from '../compile.js';
import { optimizerPasses } from './index.js';

const mail = (JwtClaimType: string, SamlClaimType?: string) => ({ Source: 'user', ID: 'mail', JwtClaimType, ...(SamlClaimType !== undefined ? { SamlClaimType } : {}) });
const regex = (ID: string, output: string, replacement: string, extraInputs: readonly InputClaim[] = []) => ({
  ID,
  TransformationMethod: 'RegexReplace',
  InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'sourceClaim' }, ...extraInputs],
  InputParameters: [
    { ID: 'regex', Value: '@.*$' },
    { ID: 'replacement', Value: replacement },
  ],
  OutputClaims: [{ ClaimTypeReferenceId: output, TransformationClaimType: 'outputClaim' }],
});

/** One policy that gives every pass something to do; the expected counts are derived in the comments. */
const policy: ClaimsMappingPolicy = {
  Version: 1,
  ClaimsSchema: [
    mail('m1'), // 0: read user.mail
    mail('m2', 'http://example.com/claims/m'), // 1: the same read → shared
    { ID: 'a', Value: 'foo' }, // 2: only feeds t0, which folds → pruned
    { Source: 'transformation', ID: 'j', TransformationId: 't0', JwtClaimType: 'joined' }, // 3: Join over constants → folded
    { Source: 'user', ID: 'department' }, // 4: input-only entry nothing reads → pruned
    { Source: 'transformation', ID: 'r1', TransformationId: 't1', JwtClaimType: 'd1' }, // 5: regex, JWT only
    { Source: 'transformation', ID: 'r2', TransformationId: 't2', SamlClaimType: 'http://example.com/claims/d2' }, // 6: same pattern, SAML only
    { Source: 'transformation', ID: 'u', TransformationId: 't3' }, // 7: nothing emits or reads it → pruned with t3
  ],
  ClaimsTransformation: [
    {
      ID: 't0',
      TransformationMethod: 'Join',
      InputClaims: [{ ClaimTypeReferenceId: 'a', TransformationClaimType: 'string1' }],
      InputParameters: [
        { ID: 'separator', Value: '.' },
        { ID: 'string2', Value: 'bar' },
      ],
      OutputClaims: [{ ClaimTypeReferenceId: 'j', TransformationClaimType: 'outputClaim' }],
    },
    regex('t1', 'r1', ''),
    regex('t2', 'r2', '#'),
    { ID: 't3', TransformationMethod: 'CreateStringClaim', InputParameters: [{ ID: 'value', Value: 'unused' }], OutputClaims: [{ ClaimTypeReferenceId: 'u', TransformationClaimType: 'createdClaim' }] },
  ],
};

describe('optimizer (issue 3: a test that counts what it did)', () => {
  test('every pass runs, in order, and does exactly the expected work', () => {
    const result = compileModel(policy, new Map());
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!result.ok) throw new Error('the policy must compile');
    const { plan, stats } = result;
    expect(stats.passes.map((p) => p.name)).toEqual(optimizerPasses.map((p) => p.name));
    // Lowered: mail ×2, 'foo', Join, 2 regexes, JWT basic ×3 (D15), SAML basic ×4 = 13 nodes.
    expect(stats.nodesLowered).toBe(13);
    expect(stats.passes).toEqual([
      { name: 'fold-constants', changes: 1 }, // Join('foo', '.', 'bar') → 'foo.bar'
      { name: 'share-reads', changes: 4 }, // user.mail twice more (entry 1, SAML emailaddress), givenName, surname
      { name: 'drop-unemitted', changes: 1 }, // the constant 'foo' nothing needs after folding
      { name: 'hoist-regex', changes: 2 }, // both regex nodes, one shared pattern
      { name: 'specialize-format', changes: 5 }, // JWT drops regex2 and upn; SAML drops 'foo.bar', regex1, displayName
    ]);
    expect(stats.nodesEmitted).toEqual({ jwt: 6, saml: 5 });
    expect(stats.entriesPruned).toBe(3); // entries 2, 4 and 7
    expect(stats.transformationsPruned).toBe(1); // t3
    expect(plan.regexes).toEqual(['@.*$']);
    expect(plan.jwt.nodes).toContainEqual({ op: 'const', value: 'foo.bar' });
    expect(plan.jwt.nodes.filter((n) => n.op === 'read' && n.path[0] === 'mail')).toHaveLength(1);
  });

  test('a construct the optimizer cannot preserve is a typed compile error, not a fallback (CM5005)', () => {
    const bad: ClaimsMappingPolicy = {
      Version: 1,
      ClaimsSchema: [
        { Source: 'user', ID: 'mail' },
        { Source: 'user', ID: 'proxyaddresses' },
        { Source: 'transformation', ID: 'o', TransformationId: 't', JwtClaimType: 'o' },
      ],
      ClaimsTransformation: [regex('t', 'o', '{p}', [{ ClaimTypeReferenceId: 'proxyaddresses', TransformationClaimType: 'p', TreatAsMultiValue: true }])],
    };
    const result = compileModel(bad, new Map());
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty('plan');
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toContain('CM5005');
  });

  test('a constant longer than the value cap is reported (CM5001) and compiled as an absence', () => {
    const long: ClaimsMappingPolicy = { Version: 1, ClaimsSchema: [{ Value: 'x'.repeat(5000), JwtClaimType: 'big' }] };
    const result = compileModel(long, new Map());
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toContainEqual(['CM5001', 'warning']);
    if (!result.ok) throw new Error('a warning alone must leave the plan');
    expect(result.plan.jwt.nodes).toContainEqual({ op: 'absent', reason: 'value-too-long' });
  });
});
