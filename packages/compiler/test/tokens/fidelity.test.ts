import { describe, expect, it } from 'vitest';
import { ClaimcRuntimeError, TokenRefusedError, assembleToken, type IndexedDirectory, type TokenRequest } from '@claimc/runtime/internal';
import { prepareDirectory } from '../../src/directory.js';
import { API, CLIENT, NOW, USER, customKey, directoryOf, groupId, jwtClaims, policy, signKey, tenant } from './fixtures.js';

// Entra fidelity: behaviours the seed documents state explicitly. Clock frozen at NOW.

const refusal = (fn: () => unknown): { aadsts: string; message: string } | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof TokenRefusedError) return { aadsts: error.aadsts, message: error.message };
    throw error;
  }
};

describe('groups in JWTs (seed 003, seed 004)', () => {
  const withGroups = (count: number): IndexedDirectory =>
    directoryOf(tenant({ groups: Array.from({ length: count }, (_, i) => ({ id: groupId(i + 1), displayName: `G${i}`, securityEnabled: true, members: [USER] })), client: { groupMembershipClaims: 'SecurityGroup' } }));
  it('seed 003: "up to 200 groups" are listed in a JWT — 140 and 200 are listed, no byte budget turns them into overage', () => {
    for (const count of [140, 200]) expect((jwtClaims(withGroups(count), { token: 'id' }).groups as string[]).length).toBe(count);
  });
  it('seed 004: past 200 groups a JWT carries the overage claim instead of groups', () => {
    const claims = jwtClaims(withGroups(201), { token: 'id' });
    expect(claims.groups).toBeUndefined();
    expect(claims._claim_names).toEqual({ groups: 'src1' });
  });
});

describe('gating for every protocol (seed 002)', () => {
  const samlPolicy = policy([{ Source: 'user', ID: 'department', SamlClaimType: 'http://contoso.com/dept', JwtClaimType: 'dept' }]);
  const samlTenant = (client: Record<string, unknown>, clientSp: Record<string, unknown>): IndexedDirectory =>
    directoryOf(tenant({ user: { department: 'R&D' }, client, clientSp: { claimsMappingPolicies: [{ id: 'p' }], ...clientSp }, policies: [{ id: 'p', definition: samlPolicy }] }));
  const saml = (d: IndexedDirectory) => assembleToken(d, { token: 'saml', client: CLIENT, user: USER, now: NOW });

  it('seed 002 (WS-Fed, SAML, OAuth, OIDC): a SAML token for an app with a policy and neither a custom key nor acceptMappedClaims → AADSTS50146', () => {
    expect(refusal(() => saml(samlTenant({}, {})))?.aadsts).toBe('AADSTS50146');
    expect(saml(samlTenant({}, customKey('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'))).signingKey.kind).toBe('application');
  });
  it('seed 002: SAML with acceptMappedClaims passes for a verified-domain audience, and is refused with AADSTS501461 for api://', () => {
    expect(saml(samlTenant({ api: { acceptMappedClaims: true } }, {})).signingKey).toEqual({ kind: 'tenant' });
    expect(refusal(() => saml(samlTenant({ identifierUris: [`api://${CLIENT}`], api: { acceptMappedClaims: true } }, {})))?.aadsts).toBe('AADSTS501461');
    // no identifier URI: the SAML audience is spn:<appId>, the application GUID
    expect(saml(samlTenant({ identifierUris: [], api: { acceptMappedClaims: true } }, {})).audience).toBe(`spn:${CLIENT}`);
  });
  it('seed 002: a Sign keyCredential alone is not a custom signing key; the refusal says which parts are missing', () => {
    const lone = directoryOf(tenant({ clientSp: { claimsMappingPolicies: [{ id: 'p' }], keyCredentials: [signKey('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'k1')] }, policies: [{ id: 'p', definition: samlPolicy }] }));
    const refused = refusal(() => assembleToken(lone, { token: 'id', client: CLIENT, user: USER, now: NOW }));
    expect(refused?.aadsts).toBe('AADSTS50146');
    expect(refused?.message).toContain('its Sign keyCredential k1 lacks a passwordCredential with keyId k1 and a customKeyIdentifier on the Sign keyCredential');
  });
  it('seed 002: the passwordCredential must share the Sign key\'s keyId, the Verify key its customKeyIdentifier — CM7252 names the missing part', () => {
    const complete = customKey('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'k1');
    const cases: [string, Record<string, unknown>, string][] = [
      ['password keyId differs', { ...complete, passwordCredentials: [{ keyId: 'other' }] }, 'no a passwordCredential with keyId k1'],
      ['no Verify key', { ...complete, keyCredentials: [complete.keyCredentials[0]!] }, 'no a Verify keyCredential with customKeyIdentifier cki-k1'],
      ['Verify key with another identifier', { ...complete, keyCredentials: [complete.keyCredentials[0]!, { ...complete.keyCredentials[1]!, customKeyIdentifier: 'x' }] }, 'no a Verify keyCredential'],
    ];
    for (const [label, sp, missing] of cases) {
      const prepared = prepareDirectory(tenant({ clientSp: { claimsMappingPolicies: [{ id: 'p' }], ...sp }, policies: [{ id: 'p', definition: samlPolicy }] }));
      const found = prepared.diagnostics.filter((d) => d.code === 'CM7252');
      expect(found.map((d) => [d.severity, d.pointer]), label).toEqual([['warning', '/servicePrincipals/0/keyCredentials/0']]);
      expect(found[0]!.message, label).toContain(missing);
      expect(refusal(() => assembleToken(prepared.directory!, { token: 'id', client: CLIENT, user: USER, now: NOW }))?.aadsts, label).toBe('AADSTS50146');
    }
    expect(prepareDirectory(tenant({ clientSp: { claimsMappingPolicies: [{ id: 'p' }], ...complete }, policies: [{ id: 'p', definition: samlPolicy }] })).diagnostics).toEqual([]);
  });
  it('seed 002: acceptMappedClaims on a multi-tenant app is a warning (CM7251); on a single-tenant app it is not', () => {
    const multi = prepareDirectory(tenant({ client: { signInAudience: 'AzureADMultipleOrgs', api: { acceptMappedClaims: true } } }));
    expect(multi.diagnostics.map((d) => [d.code, d.severity, d.pointer])).toEqual([['CM7251', 'warning', '/applications/0/api/acceptMappedClaims']]);
    expect(prepareDirectory(tenant({ client: { signInAudience: 'AzureADMyOrg', api: { acceptMappedClaims: true } } })).diagnostics).toEqual([]);
  });
});

describe('one broken deployed policy does not take down the tenant', () => {
  const broken = policy([{ Source: 'transformation', ID: 'x', TransformationId: 'Missing', JwtClaimType: 'x' }]);
  const good = policy([{ Source: 'user', ID: 'department', JwtClaimType: 'dept' }]);
  const snapshot = tenant({
    user: { department: 'R&D' },
    client: { api: { acceptMappedClaims: true } },
    clientSp: { claimsMappingPolicies: [{ id: 'good' }] },
    api: { api: { requestedAccessTokenVersion: 2, acceptMappedClaims: true } },
    apiSp: { claimsMappingPolicies: [{ id: 'broken' }] },
    policies: [{ id: 'good', definition: good }, { id: 'broken', definition: broken }],
  });
  const prepared = prepareDirectory(snapshot);
  it('a policy that cannot compile is a warning naming it (CM7002); the snapshot loads', () => {
    expect(prepared.directory).toBeDefined();
    expect(prepared.diagnostics.map((d) => [d.code, d.severity, d.pointer])).toEqual([['CM7002', 'warning', '/claimsMappingPolicies/1/definition/0']]);
    expect(prepared.diagnostics[0]!.message).toContain('"broken"');
  });
  it('only the tokens of the apps it is assigned to are refused, with a message naming the policy', () => {
    const directory = prepared.directory!;
    expect(jwtClaims(directory, { token: 'id' }).dept).toBe('R&D');
    const request: TokenRequest = { token: 'access', client: CLIENT, resource: API, user: USER, now: NOW };
    expect(() => assembleToken(directory, request)).toThrow(ClaimcRuntimeError);
    expect(() => assembleToken(directory, request)).toThrow(expect.objectContaining({ code: 'ERR_POLICY_UNAVAILABLE', message: expect.stringContaining('claims-mapping policy "broken"') }));
  });
  it('a restricted entry is dropped with a warning naming policy and entry (CM7253); the other entries and the core claims stay', () => {
    const restricted = policy([{ Source: 'user', ID: 'department', JwtClaimType: 'dept' }, { Source: 'user', ID: 'mail', JwtClaimType: 'iss' }, { Source: 'user', ID: 'mail', SamlClaimType: 'http://schemas.microsoft.com/identity/claims/tenantid' }]);
    const p = prepareDirectory(tenant({ user: { department: 'R&D' }, client: { api: { acceptMappedClaims: true } }, clientSp: { claimsMappingPolicies: [{ id: 'r' }] }, policies: [{ id: 'r', definition: restricted }] }));
    expect(p.diagnostics.map((d) => [d.code, d.severity])).toEqual([['CM7253', 'warning'], ['CM7253', 'warning']]);
    expect(p.diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining('"r" ClaimsSchema entry 1 names the restricted claim "iss"'),
      expect.stringContaining('"r" ClaimsSchema entry 2 names the restricted claim "http://schemas.microsoft.com/identity/claims/tenantid"'),
    ]);
    const token = assembleToken(p.directory!, { token: 'id', client: CLIENT, user: USER, now: NOW });
    if (token.format !== 'jwt') throw new Error('jwt');
    expect(token.payload.dept).toBe('R&D');
    expect(token.payload.iss).toBe(`https://login.microsoftonline.com/${prepared.directory!.organization.id}/v2.0`);
    expect(token.absent).toContainEqual(expect.objectContaining({ name: 'iss', reason: 'restricted' }));
  });
});
