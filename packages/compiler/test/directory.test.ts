import { describe, expect, it } from 'vitest';
import { prepareDirectory } from '../src/directory.js';
import { CLIENT, TID, USER, tenant } from '../../testkit/src/index.js';

// The compiler's snapshot preparation: findings with JSON Pointers into the snapshot (issuing from it is tested in the runtime).

describe('snapshot diagnostics (CM7xxx with JSON Pointers)', () => {
  it('points at the bad value', () => {
    const prepared = prepareDirectory({ organization: { id: TID }, users: [{ id: 5 }], servicePrincipals: [{ id: 'x', appId: CLIENT, appRoleAssignedTo: [{ principalId: 'p', principalType: 'Robot', appRoleId: 'r' }] }] });
    expect(prepared.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['CM7001', '/users/0/id'],
      ['CM7001', '/servicePrincipals/0/appRoleAssignedTo/0/principalType'],
    ]);
  });
  it('reports missing policies, two policies per SP and duplicate ids', () => {
    const snapshot = tenant({ clientSp: { claimsMappingPolicies: [{ id: 'a' }, { id: 'b' }] }, users: [{ id: USER }] });
    const codes = prepareDirectory(snapshot).diagnostics.map((d) => [d.code, d.pointer]);
    expect(codes).toEqual(expect.arrayContaining([
      ['CM7004', '/servicePrincipals/0/claimsMappingPolicies'],
      ['CM7003', '/servicePrincipals/0/claimsMappingPolicies/1/id'],
      ['CM7012', '/users/1/id'],
    ]));
  });
  it('unknown and request-context optional claims are reported', () => {
    const prepared = prepareDirectory(tenant({ client: { optionalClaims: { idToken: [{ name: 'favourite_colour' }, { name: 'ipaddr' }] } } }));
    expect(prepared.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['CM7008', '/applications/0/optionalClaims/idToken/0/name'],
      ['CM7009', '/applications/0/optionalClaims/idToken/1/name'],
    ]);
  });
});

describe('application findings', () => {
  it('seed 002: acceptMappedClaims on a multi-tenant app is a warning (CM7251); on a single-tenant app it is not', () => {
    const multi = prepareDirectory(tenant({ client: { signInAudience: 'AzureADMultipleOrgs', api: { acceptMappedClaims: true } } }));
    expect(multi.diagnostics.map((d) => [d.code, d.severity, d.pointer])).toEqual([['CM7251', 'warning', '/applications/0/api/acceptMappedClaims']]);
    expect(prepareDirectory(tenant({ client: { signInAudience: 'AzureADMyOrg', api: { acceptMappedClaims: true } } })).diagnostics).toEqual([]);
  });
});
