import { describe, expect, it } from 'vitest';
import type { ClaimsMappingPolicy } from '@claimc/model';
import { diffPolicies } from '@claimc/compiler';

const base: ClaimsMappingPolicy = {
  Version: 1,
  IncludeBasicClaimSet: true,
  ClaimsSchema: [
    { Source: 'user', ID: 'employeeid', JwtClaimType: 'employeeid' },
    { Source: 'user', ID: 'department', JwtClaimType: 'department' },
    { Source: 'user', ID: 'givenname' },
    { Source: 'user', ID: 'surname' },
    { ID: 'full', TransformationId: 'J', JwtClaimType: 'fullname' },
  ],
  ClaimsTransformation: [
    { ID: 'J', TransformationMethod: 'Join', InputClaims: [{ ClaimTypeReferenceId: 'givenname', TransformationClaimType: 'string1' }, { ClaimTypeReferenceId: 'surname', TransformationClaimType: 'string2' }], InputParameters: [{ ID: 'separator', Value: ' ' }], OutputClaims: [{ ClaimTypeReferenceId: 'full', TransformationClaimType: 'outputClaim' }] },
  ],
};

describe('diffPolicies', () => {
  it('finds nothing between a policy and itself', () => {
    expect(diffPolicies(base, structuredClone(base))).toEqual([]);
  });

  it('reports the basic set toggled, a rename, a source change, an addition and a removal, with entry indexes', () => {
    const next: ClaimsMappingPolicy = {
      ...base,
      IncludeBasicClaimSet: false,
      ClaimsSchema: [
        { Source: 'user', ID: 'employeeid', JwtClaimType: 'empid' },
        { Source: 'user', ID: 'jobtitle', JwtClaimType: 'department' },
        { Source: 'user', ID: 'givenname' },
        { Source: 'user', ID: 'surname' },
        { Source: 'user', ID: 'mail', JwtClaimType: 'email' },
      ],
      ClaimsTransformation: [],
    };
    expect(diffPolicies(base, next)).toEqual([
      { kind: 'basic-set', claim: 'IncludeBasicClaimSet', before: 'included', after: 'omitted' },
      { kind: 'source-changed', claim: 'department', before: 'user.department', after: 'user.jobtitle', oldEntry: 1, newEntry: 1 },
      { kind: 'renamed', claim: 'empid', before: 'employeeid', after: 'empid', oldEntry: 0, newEntry: 0 },
      { kind: 'removed', claim: 'fullname', before: 'Join(user.givenname, user.surname, separator: " ")', oldEntry: 4 },
      { kind: 'added', claim: 'email', after: 'user.mail', newEntry: 4 },
    ]);
  });

  it('sees a transformation change through the chain (a parameter), and settings', () => {
    const next = structuredClone(base);
    next.ClaimsTransformation![0]!.InputParameters![0]!.Value = '.';
    next.issuerWithApplicationId = true;
    expect(diffPolicies(base, next).map((c) => [c.kind, c.claim, c.after])).toEqual([
      ['setting', 'issuerWithApplicationId', 'true'],
      ['transformation-changed', 'fullname', 'Join(user.givenname, user.surname, separator: ".")'],
    ]);
  });
});
