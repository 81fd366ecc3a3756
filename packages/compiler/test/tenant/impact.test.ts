import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serializePolicy, type ClaimsMappingPolicy, type ClaimsSchemaEntry } from '@claimc/model';
import { assembleGraphExport, compilePolicy, measureImpact, prepareDirectory, prepareImpact, reduceForDiff } from '@claimc/compiler';
import { linkPlan, policyPort } from '@claimc/runtime/internal';

const root = fileURLToPath(new URL('../../../../docs/examples/tenant-export', import.meta.url));
const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
const files = walk(root).map((f) => ({ path: relative(root, f).split(sep).join('/'), text: readFileSync(f, 'utf8') }));
const directory = prepareDirectory(assembleGraphExport(files).snapshot).directory!;
const hrPortal = '6c2e4f1a-3b5d-4e7f-9a1c-2d4e6f8a0b1c';
const port = (policy: ClaimsMappingPolicy) => {
  const compiled = compilePolicy(serializePolicy(policy));
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics.filter((d) => d.severity === 'error')));
  return policyPort(linkPlan(compiled.plan));
};
const impact = (before: ClaimsMappingPolicy, after: ClaimsMappingPolicy, token: 'id' | 'access' | 'saml') =>
  measureImpact(prepareImpact({ directory, before: port(before), after: port(after), apps: [hrPortal], token, now: 1_767_225_600 }), 0, directory.users.length);

const sources = ['employeeid', 'department', 'jobtitle', 'city', 'mail', 'surname', 'givenname', 'country'];
const names = ['a', 'b', 'c', 'd', 'e', 'department', 'name'];
const entry = fc.record({ id: fc.constantFrom(...sources), name: fc.constantFrom(...names), saml: fc.boolean() }).map(
  ({ id, name, saml }): ClaimsSchemaEntry => ({ Source: 'user', ID: id, JwtClaimType: name, ...(saml ? { SamlClaimType: `http://claims/${name}` } : {}) }),
);
const joined: ClaimsSchemaEntry[] = [
  { Source: 'user', ID: 'givenname' },
  { Source: 'user', ID: 'surname' },
  { Source: 'transformation', ID: 'full', TransformationId: 'J', JwtClaimType: 'full' },
];
const policy = fc.record({ entries: fc.array(entry, { maxLength: 6 }), withJoin: fc.boolean(), separator: fc.constantFrom('.', '-') }).map(
  ({ entries, withJoin, separator }): ClaimsMappingPolicy => ({
    Version: 1,
    IncludeBasicClaimSet: true,
    ClaimsSchema: [...entries, ...(withJoin ? joined : [])],
    ...(withJoin
      ? {
          ClaimsTransformation: [
            {
              ID: 'J',
              TransformationMethod: 'Join',
              InputClaims: [
                { ClaimTypeReferenceId: 'givenname', TransformationClaimType: 'string1' },
                { ClaimTypeReferenceId: 'surname', TransformationClaimType: 'string2' },
              ],
              InputParameters: [{ ID: 'separator', Value: separator }],
              OutputClaims: [{ ClaimTypeReferenceId: 'full', TransformationClaimType: 'outputClaim' }],
            },
          ],
        }
      : {}),
  }),
);

describe('diff impact', () => {
  it('evaluating only the claims whose entries differ gives the same result as whole policies (property, 150 runs; RUNS=n for more)', () => {
    fc.assert(
      fc.property(policy, policy, fc.constantFrom('id' as const, 'saml' as const), (before, after, token) => {
        const cut = reduceForDiff(before, after);
        if (cut === undefined) return;
        expect(impact(cut.before, cut.after, token)).toEqual(impact(before, after, token));
      }),
      { numRuns: Number(process.env.RUNS ?? 150) },
    );
  });

  it('a policy against itself changes nobody; adding a claim counts every user with a value', () => {
    const base: ClaimsMappingPolicy = { Version: 1, IncludeBasicClaimSet: true, ClaimsSchema: [{ Source: 'user', ID: 'department', JwtClaimType: 'department' }] };
    expect(impact(base, base, 'id')).toMatchObject({ users: 6, changed: 0, refused: 0, claims: {} });
    const more = { ...base, ClaimsSchema: [...base.ClaimsSchema!, { Source: 'user', ID: 'employeeid', JwtClaimType: 'employeeid' }] };
    // four users have an employee id
    expect(impact(base, more, 'id')).toMatchObject({ users: 6, changed: 4, claims: { employeeid: { added: 4, removed: 0, changed: 0 } } });
  });

  it('omitting the basic set removes its claims for every user', () => {
    const on: ClaimsMappingPolicy = { Version: 1, IncludeBasicClaimSet: true };
    const off: ClaimsMappingPolicy = { Version: 1, IncludeBasicClaimSet: false };
    expect(reduceForDiff(on, off)).toBeUndefined();
    const result = impact(on, off, 'id');
    expect(result.changed).toBe(6);
    expect(Object.values(result.claims).every((c) => c.removed === 6 || c.removed > 0)).toBe(true);
  });
});

describe('diff impact: token size', () => {
  it('a claim that pushes a large token past 8 KB is counted as a size crossing, with both sizes', () => {
    const appId = '11111111-2222-4333-8444-555555555555';
    const groups = Array.from({ length: 120 }, (_, i) => ({ id: `5b2c0000-0000-4000-8000-${String(i).padStart(12, '0')}`, displayName: `G${i}`, securityEnabled: true, members: ['u1', 'u2'] }));
    const definition = JSON.stringify({ ClaimsMappingPolicy: { Version: 1, IncludeBasicClaimSet: 'true' } });
    const snapshot = {
      organization: { id: 't', countryLetterCode: 'US' },
      users: [
        { id: 'u1', userPrincipalName: 'big@contoso.com', displayName: 'Big', onPremisesExtensionAttributes: { extensionAttribute1: 'x'.repeat(900) } },
        { id: 'u2', userPrincipalName: 'small@contoso.com', displayName: 'Small', onPremisesExtensionAttributes: { extensionAttribute1: 'y' } },
      ],
      groups,
      applications: [{ appId, displayName: 'Big app', groupMembershipClaims: 'SecurityGroup', api: { acceptMappedClaims: true } }],
      servicePrincipals: [{ id: 'sp', appId, claimsMappingPolicies: [{ id: 'p' }] }],
      claimsMappingPolicies: [{ id: 'p', displayName: 'P', definition: [definition] }],
    };
    const big = prepareDirectory(snapshot).directory!;
    const before: ClaimsMappingPolicy = { Version: 1, IncludeBasicClaimSet: true };
    const after: ClaimsMappingPolicy = { Version: 1, IncludeBasicClaimSet: true, ClaimsSchema: [{ Source: 'user', ID: 'extensionattribute1', JwtClaimType: 'blob' }] };
    const result = measureImpact(prepareImpact({ directory: big, before: port(before), after: port(after), apps: [appId], token: 'id', now: 1_767_225_600 }), 0, 2);
    expect(result).toMatchObject({ users: 2, changed: 2, sizeCrossings: 1 });
    const crossing = result.examples.find((e) => e.kind === 'size')!;
    expect(crossing).toMatchObject({ user: 'big@contoso.com', code: '8 KB' });
    expect(crossing.before as number).toBeLessThanOrEqual(8192);
    expect(crossing.after as number).toBeGreaterThan(8192);
  });
});
