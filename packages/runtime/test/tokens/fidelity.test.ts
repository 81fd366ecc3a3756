import { createHash, generateKeyPairSync } from 'node:crypto';
import type { JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { ClaimcRuntimeError, TokenRefusedError, assembleToken, createTokenIssuer, prepareJwt, type IndexedDirectory, type TokenRequest } from '@claimc/runtime/internal';
import { importNodeSigningKey } from '@claimc/runtime/node';
import { API, CLIENT, NOW, USER, customKey, directoryOf, groupId, jwtClaims, policy, signKey, tenant, prepareDirectory } from '../../../testkit/src/index.js';

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
  const saml = (d: IndexedDirectory) => {
    const token = assembleToken(d, { token: 'saml', client: CLIENT, user: USER, now: NOW });
    if (token.format !== 'saml') throw new Error(`expected a SAML assertion, got ${token.format}`);
    return token;
  };

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

describe('identity kinds of the ID-token reference (seed 004, seed 001)', () => {
  const MSA = '9188040d-6c67-4c5b-b112-36a304b66dad';
  const guest = (identities: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
    jwtClaims(
      directoryOf(tenant({ user: { userType: 'Guest', userPrincipalName: 'ada_fabrikam.com#EXT#@contoso.onmicrosoft.com', mail: 'ada@fabrikam.com', identities, ...extra } })),
      { token: 'id' },
    ).idp;
  it('seed 004: a guest\'s idp is the issuer of the home identity, never a Graph enum name', () => {
    expect(guest([{ signInType: 'federated', issuer: 'MicrosoftAccount' }])).toBe('live.com');
    expect(guest([{ signInType: 'federated', issuer: 'ExternalAzureAD' }], { homeTenantId: 'aaaaaaaa-0000-4000-8000-000000000001' })).toBe('https://sts.windows.net/aaaaaaaa-0000-4000-8000-000000000001/');
    expect(guest([{ signInType: 'federated', issuer: 'ExternalAzureAD' }])).toBeUndefined(); // home tenant unknown: no idp rather than a wrong one
    expect(guest([{ signInType: 'federated', issuer: 'google.com' }])).toBe('google.com');
    expect(guest([{ signInType: 'federated', issuer: 'mail' }])).toBe('fabrikam.com');
  });

  const personalTenant = (signInAudience: string) =>
    directoryOf(
      tenant({
        user: { personalMicrosoftAccount: true, extension_22222222000040008000000000000001_skype: 'ada.live' },
        client: { signInAudience, optionalClaims: { idToken: [{ name: 'extension_22222222000040008000000000000001_skype', source: 'user' }] } },
      }),
    );
  it('seed 004: a personal Microsoft account has the consumer tenant 9188040d-… as tid and in iss (v1 and v2)', () => {
    const d = personalTenant('AzureADandPersonalMicrosoftAccount');
    expect(jwtClaims(d, { token: 'id' })).toMatchObject({ tid: MSA, iss: `https://login.microsoftonline.com/${MSA}/v2.0` });
    expect(jwtClaims(d, { token: 'id', version: 1 })).toMatchObject({ tid: MSA, iss: `https://sts.windows.net/${MSA}/` });
    expect(jwtClaims(d, { token: 'id' })).not.toHaveProperty('idp');
  });
  it('seed 001: extensions requested in the manifest are not returned to a personal Microsoft account (a member gets them)', () => {
    expect(jwtClaims(personalTenant('AzureADandPersonalMicrosoftAccount'), { token: 'id' })).not.toHaveProperty('extn.skype');
    const member = directoryOf(tenant({ user: { extension_22222222000040008000000000000001_skype: 'ada.live' }, client: { optionalClaims: { idToken: [{ name: 'extension_22222222000040008000000000000001_skype', source: 'user' }] } } }));
    expect(jwtClaims(member, { token: 'id' })['extn.skype']).toBe('ada.live');
  });
  it('a personal account signing in to a work-or-school-only app is refused (AADSTS50020)', () => {
    expect(refusal(() => jwtClaims(personalTenant('AzureADMyOrg'), { token: 'id' }))?.aadsts).toBe('AADSTS50020');
  });

  const half = (value: string): string => createHash('sha256').update(value, 'ascii').digest().subarray(0, 16).toString('base64url');
  it('seed 004: nonce, c_hash and at_hash (OIDC Core: left half of the SHA-256 of the ASCII value, base64url) — on both paths', () => {
    const d = directoryOf(tenant());
    const request = { token: 'id', client: CLIENT, user: USER, now: NOW, nonce: 'n-0S6_WzA2Mj', code: 'Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk', accessToken: 'jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y' } as const;
    const issuer = createTokenIssuer(d);
    for (const token of [assembleToken(d, request), issuer.assemble(request), issuer.assemble(request)]) {
      if (token.format !== 'jwt') throw new Error('jwt');
      expect(token.payload).toMatchObject({ nonce: request.nonce, c_hash: half(request.code), at_hash: half(request.accessToken) });
      expect(JSON.parse(token.payloadJson!)).toEqual({ ...token.payload });
    }
    // the same shape without the code or access token carries neither hash (the memo keys on them)
    const plain = issuer.assemble({ token: 'id', client: CLIENT, user: USER, now: NOW, nonce: 'x' });
    if (plain.format !== 'jwt') throw new Error('jwt');
    expect(plain.payload).not.toHaveProperty('c_hash');
    expect(plain.payload).not.toHaveProperty('at_hash');
    expect(() => assembleToken(d, { ...request, code: 'non-ascii-é' })).toThrow(expect.objectContaining({ code: 'ERR_REQUEST_INVALID' }));
    // OIDC Core: c_hash uses the hash of the JWS alg; only SHA-256 algorithms can sign it
    const token = assembleToken(d, request);
    if (token.format !== 'jwt') throw new Error('jwt');
    const ed = importNodeSigningKey(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as JWK);
    expect(() => prepareJwt(token, { tenant: ed })).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
  });

  it('seed 003: groups synced from Active Directory can be identified by GroupSID as well as sAMAccountName', () => {
    const groups = [
      { id: groupId(1), displayName: 'Synced', securityEnabled: true, onPremisesSamAccountName: 'Finance', onPremisesSecurityIdentifier: 'S-1-5-21-1004336348-1177238915-682003330-1105', members: [USER] },
      { id: groupId(2), displayName: 'Cloud', securityEnabled: true, members: [USER] },
    ];
    const withFormat = (format: string) => jwtClaims(directoryOf(tenant({ groups, client: { groupMembershipClaims: 'SecurityGroup', optionalClaims: { idToken: [{ name: 'groups', additionalProperties: [format] }] } } })), { token: 'id' }).groups;
    expect(withFormat('on_premises_group_sid')).toEqual(['S-1-5-21-1004336348-1177238915-682003330-1105']);
    expect(withFormat('sam_account_name')).toEqual(['Finance']);
  });
});
