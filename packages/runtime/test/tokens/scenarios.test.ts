import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ClaimcRuntimeError, TokenRefusedError, assembleToken, buildDirectory, type PolicyPort } from '@claimc/runtime/internal';
import { API, API_SP, CLIENT, CLIENT_SP, NOW, TID, USER, directoryOf, groupId, jwtClaims, policy, customKey, tenant, prepareDirectory } from '../../../testkit/src/index.js';

// The scenario suite (issue 4): exact claim sets from entra-semantics.md §4–§8 and D14–D20, clock frozen at NOW.

const pairwise = (appId: string, oid: string): string => createHash('sha256').update(`${TID}|${appId}|${oid}`).digest('base64url');
const opaque = (claims: Record<string, unknown>): Record<string, unknown> => ({ aio: claims.aio, rh: claims.rh, uti: claims.uti });

const v2Issuer = `https://login.microsoftonline.com/${TID}/v2.0`;
const v1Issuer = `https://sts.windows.net/${TID}/`;

/** The identity claims every v2 ID token for USER at CLIENT carries. */
const idV2Core = (claims: Record<string, unknown>) => ({
  ...opaque(claims),
  preferred_username: 'ada@contoso.com',
  oid: USER,
  tid: TID,
  ver: '2.0',
  sub: pairwise(CLIENT, USER),
  aud: CLIENT,
  iss: v2Issuer,
  iat: NOW,
  nbf: NOW,
  exp: NOW + 3600,
});

describe('core claims, v1 vs v2 (IDT, ATR, D20)', () => {
  const directory = directoryOf(tenant());

  it('v2 ID token without policy: basic name + core', () => {
    const claims = jwtClaims(directory, { token: 'id' });
    expect(claims).toEqual({ name: 'Ada Lovelace', ...idV2Core(claims) });
    // D14: the core claims come after everything a policy or manifest can write; the per-token ones follow the fixed ones
    expect(Object.keys(claims)).toEqual(['name', 'preferred_username', 'oid', 'tid', 'ver', 'sub', 'aud', 'iss', 'aio', 'rh', 'uti', 'iat', 'nbf', 'exp']);
    expect(claims.uti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(claims.aio).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(claims.rh).toMatch(/^0\.[A-Za-z0-9_-]{22}$/);
  });

  it('v2 ID token without the profile scope drops name, oid and preferred_username; email scope adds email', () => {
    const claims = jwtClaims(directory, { token: 'id', scope: 'openid email' });
    expect(claims).toEqual({ ...opaque(claims), email: 'ada@contoso.com', tid: TID, ver: '2.0', sub: pairwise(CLIENT, USER), aud: CLIENT, iss: v2Issuer, iat: NOW, nbf: NOW, exp: NOW + 3600 });
  });

  it('v1 ID token: given_name/family_name basic, amr, unique_name, upn, sts issuer', () => {
    const claims = jwtClaims(directory, { token: 'id', version: 1 });
    expect(claims).toEqual({
      name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace', ...opaque(claims), amr: ['pwd'], unique_name: 'ada@contoso.com', upn: 'ada@contoso.com',
      oid: USER, tid: TID, ver: '1.0', sub: pairwise(CLIENT, USER), aud: CLIENT, iss: v1Issuer, iat: NOW, nbf: NOW, exp: NOW + 3600,
    });
  });

  it('v2 access token: azp/azpacr, scp, resource GUID audience', () => {
    const claims = jwtClaims(directory, { token: 'access', resource: API, scope: 'https://api.contoso.com/Files.Read' });
    expect(claims).toEqual({
      name: 'Ada Lovelace', ...opaque(claims), azp: CLIENT, azpacr: '0', preferred_username: 'ada@contoso.com', scp: 'Files.Read',
      oid: USER, tid: TID, ver: '2.0', sub: pairwise(CLIENT, USER), aud: API, iss: v2Issuer, iat: NOW, nbf: NOW, exp: NOW + 3600,
    });
  });

  it('v1 access token: aud as requested, appid/appidacr/acr/amr, use_guid forces the GUID', () => {
    const v1 = directoryOf(tenant({ api: { api: { requestedAccessTokenVersion: null } } }));
    const claims = jwtClaims(v1, { token: 'access', resource: 'https://api.contoso.com' });
    expect(claims).toEqual({
      name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace', acr: '1', ...opaque(claims), amr: ['pwd'], appid: CLIENT, appidacr: '0',
      unique_name: 'ada@contoso.com', upn: 'ada@contoso.com', scp: 'user_impersonation', oid: USER, tid: TID, ver: '1.0', sub: pairwise(CLIENT, USER),
      aud: 'https://api.contoso.com', iss: v1Issuer, iat: NOW, nbf: NOW, exp: NOW + 3600,
    });
    const guid = directoryOf(tenant({ api: { api: { requestedAccessTokenVersion: null }, optionalClaims: { accessToken: [{ name: 'aud', additionalProperties: ['use_guid'] }] } } }));
    expect(jwtClaims(guid, { token: 'access', resource: 'https://api.contoso.com' }).aud).toBe(API);
  });

  it('access token version follows the resource; a conflicting --version is refused', () => {
    expect(() => jwtClaims(directory, { token: 'access', resource: API, version: 1 })).toThrow(/requestedAccessTokenVersion/);
  });

  it('app-only access token: idtyp app, roles = application permissions, sub = oid = client SP', () => {
    const appRole = { id: '77777777-0000-4000-8000-000000000001', value: 'Data.Read.All', allowedMemberTypes: ['Application'] };
    const d = directoryOf(tenant({ api: { appRoles: [appRole], api: { requestedAccessTokenVersion: 2 } }, apiSp: { appRoleAssignedTo: [{ principalId: CLIENT_SP, principalType: 'ServicePrincipal', appRoleId: appRole.id }] } }));
    const token = assembleToken(d, { token: 'access', client: CLIENT, resource: API, now: NOW });
    const claims = token.format === 'jwt' ? { ...token.payload } : {};
    expect(claims).toEqual({
      ...opaque(claims), azp: CLIENT, azpacr: '1', idtyp: 'app', roles: ['Data.Read.All'], oid: CLIENT_SP, tid: TID, ver: '2.0', sub: CLIENT_SP, aud: API, iss: v2Issuer, iat: NOW, nbf: NOW, exp: NOW + 3600,
    });
  });

  it('is deterministic: same request → same payload; another clock → another uti', () => {
    expect(jwtClaims(directory, { token: 'id' })).toEqual(jwtClaims(directory, { token: 'id' }));
    expect(jwtClaims(directory, { token: 'id', now: NOW + 1 }).uti).not.toBe(jwtClaims(directory, { token: 'id' }).uti);
  });
});

describe('seed policies (PS examples) with precedence D14/D15', () => {
  const omit = policy([], { IncludeBasicClaimSet: 'false' });
  const extra = '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true", "ClaimsSchema": [{"Source":"user","ID":"employeeid","SamlClaimType":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/employeeid","JwtClaimType":"employeeid"},{"Source":"company","ID":"tenantcountry","SamlClaimType":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/country","JwtClaimType":"country"}]}}';
  const join = '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true", "ClaimsSchema":[{"Source":"user","ID":"extensionattribute1"},{"Source":"transformation","ID":"DataJoin","TransformationId":"JoinTheData","JwtClaimType":"JoinedData"}],"ClaimsTransformations":[{"ID":"JoinTheData","TransformationMethod":"Join","InputClaims":[{"ClaimTypeReferenceId":"extensionattribute1","TransformationClaimType":"string1"}], "InputParameters": [{"ID":"string2","Value":"sandbox"},{"ID":"separator","Value":"."}],"OutputClaims":[{"ClaimTypeReferenceId":"DataJoin","TransformationClaimType":"outputClaim"}]}]}}';
  const withPolicy = (definition: string, user = {}) =>
    directoryOf(tenant({ user: { employeeId: 'E42', onPremisesExtensionAttributes: { extensionAttribute1: 'dev' }, ...user }, clientSp: { claimsMappingPolicies: [{ id: 'p1' }], ...customKey('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z') }, policies: [{ id: 'p1', definition }] }));

  it('OmitBasicClaims: no name, core intact', () => {
    const claims = jwtClaims(withPolicy(omit), { token: 'id' });
    expect(claims).toEqual(idV2Core(claims));
  });

  it('ExtraClaimsExample: employeeid and country after the basic set', () => {
    const claims = jwtClaims(withPolicy(extra), { token: 'id' });
    expect(claims).toEqual({ name: 'Ada Lovelace', employeeid: 'E42', country: 'NL', ...idV2Core(claims) });
  });

  it('TransformClaimsExample: JoinedData = extensionattribute1 + "." + "sandbox"; absent input → no claim (D10)', () => {
    const claims = jwtClaims(withPolicy(join), { token: 'id' });
    expect(claims).toEqual({ name: 'Ada Lovelace', JoinedData: 'dev.sandbox', ...idV2Core(claims) });
    expect(jwtClaims(withPolicy(join, { onPremisesExtensionAttributes: {} }), { token: 'id' })).not.toHaveProperty('JoinedData');
  });

  it('D14: a policy claim replaces a basic claim of the same name; D16: an access token uses the resource policy, not the client one', () => {
    const rename = policy([{ Source: 'user', ID: 'employeeid', JwtClaimType: 'name' }]);
    expect(jwtClaims(withPolicy(rename), { token: 'id' }).name).toBe('E42');
    const access = jwtClaims(withPolicy(extra), { token: 'access', resource: API });
    expect(access).not.toHaveProperty('employeeid');
  });

  it('restricted claims: a deployed policy naming sub loads with the entry dropped (CM7253), never overriding sub; a forged evaluation fails closed (N4)', () => {
    const bad = policy([{ Source: 'user', ID: 'employeeid', JwtClaimType: 'sub' }, { Source: 'user', ID: 'department', JwtClaimType: 'dept' }]);
    const prepared = prepareDirectory(tenant({ user: { employeeId: 'E42', department: 'R&D' }, client: { api: { acceptMappedClaims: true } }, clientSp: { claimsMappingPolicies: [{ id: 'p1' }] }, policies: [{ id: 'p1', definition: bad }] }));
    expect(prepared.diagnostics.map((d) => [d.code, d.severity, d.pointer])).toEqual([['CM7253', 'warning', '/claimsMappingPolicies/0/definition/0']]);
    expect(prepared.diagnostics[0]!.message).toContain('"p1" ClaimsSchema entry 0 names the restricted claim "sub"');
    const issued = jwtClaims(prepared.directory!, { token: 'id' });
    expect(issued.sub).not.toBe('E42');
    expect(issued.dept).toBe('R&D');
    for (const name of ['iss', 'aud', 'exp', 'sub', 'roles', '__proto__', 'iss:x', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', 'http://schemas.microsoft.com/identity/claims/objectidentifier']) {
      const forged: PolicyPort = {
        settings: { includeBasicClaimSet: true, issuerWithApplicationId: false },
        evaluateJwt: () => ({ basic: {}, policy: { [name]: 'evil' }, absent: [] }),
        evaluateSaml: () => ({ basic: [], policy: [], absent: [] }),
      };
      const d = buildDirectory(tenant({ clientSp: { claimsMappingPolicies: [{ id: 'p1' }], ...customKey('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z') } }), new Map([['p1', forged]]));
      expect(() => assembleToken(d, { token: 'id', client: CLIENT, user: USER, now: NOW })).toThrow(expect.objectContaining({ code: 'ERR_RESTRICTED_CLAIM' }));
    }
  });

  it('policies apply to guests as to members (D17)', () => {
    const claims = jwtClaims(withPolicy(extra, { userType: 'Guest', userPrincipalName: 'ada_fabrikam.com#EXT#@contoso.com', mail: 'ada@fabrikam.com' }), { token: 'id' });
    expect(claims.employeeid).toBe('E42');
  });
});

describe('optional claims (OC examples)', () => {
  const guest = { userType: 'Guest', userPrincipalName: 'ada_fabrikam.com#EXT#@contoso.com', mail: 'ada@fabrikam.com' };
  const withUpn = (props: string[]) => directoryOf(tenant({ user: guest, client: { optionalClaims: { idToken: [{ name: 'upn', additionalProperties: props }] } } }));

  it('guest upn forms: home UPN, include_externally_authenticated_upn, …_without_hash; guests get email and idp', () => {
    expect(jwtClaims(withUpn([]), { token: 'id' }).upn).toBe('ada@fabrikam.com');
    expect(jwtClaims(withUpn(['include_externally_authenticated_upn']), { token: 'id' }).upn).toBe('ada_fabrikam.com#EXT#@contoso.com');
    expect(jwtClaims(withUpn(['include_externally_authenticated_upn_without_hash']), { token: 'id' }).upn).toBe('ada_fabrikam.com_EXT_@contoso.com');
    const claims = jwtClaims(withUpn([]), { token: 'id' });
    expect(claims).toMatchObject({ email: 'ada@fabrikam.com', idp: 'fabrikam.com', preferred_username: 'ada@fabrikam.com' });
  });

  it('members are unaffected by the guest upn properties', () => {
    const d = directoryOf(tenant({ client: { optionalClaims: { idToken: [{ name: 'upn', additionalProperties: ['include_externally_authenticated_upn_without_hash'] }] } } }));
    expect(jwtClaims(d, { token: 'id' }).upn).toBe('ada@contoso.com');
  });

  it('auth_time in access tokens comes from the resource manifest (OC, D16)', () => {
    const d = directoryOf(tenant({ api: { api: { requestedAccessTokenVersion: 2 }, optionalClaims: { accessToken: [{ name: 'auth_time' }, { name: 'tenant_ctry' }, { name: 'acct' }, { name: 'idtyp', additionalProperties: ['include_user_token'] }] } } }));
    expect(jwtClaims(d, { token: 'access', resource: API })).toMatchObject({ auth_time: NOW, tenant_ctry: 'NL', acct: 0, idtyp: 'user' });
    expect(jwtClaims(d, { token: 'id' })).not.toHaveProperty('auth_time');
  });

  it('extension claims: extn.<name> in JWT, only the app\'s own, at most 10 (D7); multi-valued → array', () => {
    const own = (n: number) => `extension_${CLIENT.replace(/-/g, '')}_attr${n}`;
    const user: Record<string, unknown> = { [`extension_${API.replace(/-/g, '')}_other`]: 'x' };
    for (let n = 1; n <= 12; n++) user[own(n)] = n === 1 ? ['a', 'b'] : `v${n}`;
    const claimsList = [{ name: `extension_${API.replace(/-/g, '')}_other`, source: 'user' }, ...Array.from({ length: 12 }, (_, i) => ({ name: own(i + 1), source: 'user' }))];
    const prepared = prepareDirectory(tenant({ user, client: { optionalClaims: { idToken: claimsList } } }));
    expect(prepared.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['CM7010', 'CM7011']));
    const claims = jwtClaims(prepared.directory!, { token: 'id' });
    const extn = Object.keys(claims).filter((k) => k.startsWith('extn.'));
    expect(extn).toEqual(Array.from({ length: 10 }, (_, i) => `extn.attr${i + 1}`));
    expect(claims['extn.attr1']).toEqual(['a', 'b']);
  });

  it('v2-only optional claims (family_name, given_name, onprem_sid) appear only when requested', () => {
    const d = directoryOf(tenant({ user: { onPremisesSecurityIdentifier: 'S-1-5-21-1' }, client: { optionalClaims: { idToken: [{ name: 'family_name' }, { name: 'given_name' }, { name: 'onprem_sid' }, { name: 'ipaddr' }] } } }));
    expect(jwtClaims(d, { token: 'id' })).toMatchObject({ family_name: 'Lovelace', given_name: 'Ada', onprem_sid: 'S-1-5-21-1' });
    expect(jwtClaims(d, { token: 'id' })).not.toHaveProperty('ipaddr');
    expect(jwtClaims(directoryOf(tenant()), { token: 'id' })).not.toHaveProperty('family_name');
  });
});

describe('groups (GRP, D18)', () => {
  const synced = (n: number, extra: Record<string, unknown> = {}) => ({
    id: groupId(n), displayName: `Sales ${n}`, securityEnabled: true, onPremisesSamAccountName: `sales${n}`, onPremisesDomainName: 'corp.contoso.com', onPremisesNetBiosName: 'CORP', onPremisesSecurityIdentifier: `S-1-5-21-9-${n}`, members: [USER], ...extra,
  });
  const cloud = (n: number, extra: Record<string, unknown> = {}) => ({ id: groupId(n), displayName: `Cloud ${n}`, securityEnabled: true, members: [USER], ...extra });
  const roles = [{ id: '88888888-0000-4000-8000-000000000001', displayName: 'Global Reader', roleTemplateId: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', members: [USER] }];
  const groups = [
    synced(1),
    cloud(2),
    { id: groupId(3), displayName: 'Newsletter', securityEnabled: false, mailEnabled: true, members: [USER] },
    { id: groupId(4), displayName: 'Nested parent', securityEnabled: true, members: [groupId(2)] },
    cloud(5, { members: [] }),
  ];
  const client = (membership: string, props?: string[]) => ({ groupMembershipClaims: membership, ...(props ? { optionalClaims: { idToken: [{ name: 'groups', additionalProperties: props }], saml2Token: [{ name: 'groups', additionalProperties: props }] } } : {}) });
  const claims = (membership: string, props?: string[], extra: Record<string, unknown> = {}) => jwtClaims(directoryOf(tenant({ groups, directoryRoles: roles, client: client(membership, props), ...extra })), { token: 'id' });

  it('SecurityGroup: transitive security groups + directory role object IDs; no wids', () => {
    const c = claims('SecurityGroup');
    expect(c.groups).toEqual([groupId(1), groupId(2), groupId(4), roles[0]!.id]);
    expect(c).not.toHaveProperty('wids');
  });
  it('All: also distribution lists, plus wids', () => {
    const c = claims('All');
    expect(c.groups).toEqual([groupId(1), groupId(2), groupId(3), groupId(4), roles[0]!.id]);
    expect(c.wids).toEqual(['f2ef992c-3afb-46b9-b7cf-a126ee74c451']);
  });
  it('DirectoryRole: wids only', () => {
    const c = claims('DirectoryRole');
    expect(c).not.toHaveProperty('groups');
    expect(c.wids).toEqual(['f2ef992c-3afb-46b9-b7cf-a126ee74c451']);
  });
  it('ApplicationGroup: direct groups assigned to the app only; cloud_displayname names cloud-only groups', () => {
    const clientSp = { appRoleAssignedTo: [groupId(1), groupId(2), groupId(4)].map((id) => ({ principalId: id, principalType: 'Group', appRoleId: '00000000-0000-0000-0000-000000000000' })) };
    expect(claims('ApplicationGroup', undefined, { clientSp }).groups).toEqual([groupId(1), groupId(2)]);
    expect(claims('ApplicationGroup', ['cloud_displayname'], { clientSp }).groups).toEqual([groupId(1), 'Cloud 2']);
    expect(claims('SecurityGroup', ['cloud_displayname'], { clientSp }).groups).toEqual([groupId(1), groupId(2), groupId(4), roles[0]!.id]);
  });
  it('formats: sam_account_name / dns / netbios; groups without the attribute are left out; first format wins', () => {
    expect(claims('SecurityGroup', ['sam_account_name']).groups).toEqual(['sales1']);
    expect(claims('SecurityGroup', ['dns_domain_and_sam_account_name']).groups).toEqual(['corp.contoso.com\\sales1']);
    expect(claims('SecurityGroup', ['netbios_domain_and_sam_account_name', 'sam_account_name']).groups).toEqual(['CORP\\sales1']);
  });
  it('emit_as_roles: groups go to roles, app roles dropped, no groups claim', () => {
    const appRole = { id: '77777777-0000-4000-8000-000000000009', value: 'Admin', allowedMemberTypes: ['User'] };
    const c = claims('SecurityGroup', ['emit_as_roles'], { client: { ...client('SecurityGroup', ['emit_as_roles']), appRoles: [appRole] }, clientSp: { appRoleAssignedTo: [{ principalId: USER, principalType: 'User', appRoleId: appRole.id }] } });
    expect(c.roles).toEqual([groupId(1), groupId(2), groupId(4), roles[0]!.id]);
    expect(c).not.toHaveProperty('groups');
  });
  it('GroupFilter prefix/suffix/contains on displayname and samaccountname, case-insensitive; wids never filtered', () => {
    const filtered = (matchOn: string, type: string, value: string) => {
      const definition = policy([], { GroupFilter: { MatchOn: matchOn, Type: type, Value: value } });
      return jwtClaims(directoryOf(tenant({ groups, directoryRoles: roles, client: client('All'), clientSp: { claimsMappingPolicies: [{ id: 'f' }], ...customKey('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z') }, policies: [{ id: 'f', definition }] })), { token: 'id' });
    };
    expect(filtered('displayname', 'prefix', 'CLOUD').groups).toEqual([groupId(2)]);
    expect(filtered('displayname', 'suffix', 'parent').groups).toEqual([groupId(4)]);
    expect(filtered('displayname', 'contains', 'reader').groups).toEqual([roles[0]!.id]);
    expect(filtered('samaccountname', 'prefix', 'SAL').groups).toEqual([groupId(1)]);
    expect(filtered('samaccountname', 'suffix', 's1').groups).toEqual([groupId(1)]);
    expect(filtered('samaccountname', 'contains', 'zzz')).not.toHaveProperty('groups');
    expect(filtered('samaccountname', 'contains', 'zzz').wids).toEqual(['f2ef992c-3afb-46b9-b7cf-a126ee74c451']);
  });
  it('roles through direct and group assignment, in app-role order', () => {
    const appRoles = [
      { id: '77777777-0000-4000-8000-000000000001', value: 'Reader', allowedMemberTypes: ['User'] },
      { id: '77777777-0000-4000-8000-000000000002', value: 'Writer', allowedMemberTypes: ['User'] },
      { id: '77777777-0000-4000-8000-000000000003', value: 'Nested', allowedMemberTypes: ['User'] },
    ];
    const c = claims('None', undefined, {
      client: { appRoles },
      clientSp: {
        appRoleAssignedTo: [
          { principalId: groupId(1), principalType: 'Group', appRoleId: appRoles[1]!.id },
          { principalId: USER, principalType: 'User', appRoleId: appRoles[0]!.id },
          { principalId: groupId(4), principalType: 'Group', appRoleId: appRoles[2]!.id },
        ],
      },
    });
    expect(c.roles).toEqual(['Reader', 'Writer']);
    expect(c).not.toHaveProperty('groups');
  });
});

describe('overage (D18, threats G1)', () => {
  const many = (count: number) => Array.from({ length: count }, (_, i) => ({ id: groupId(i + 1), displayName: `G${i + 1}`, securityEnabled: true, members: [USER] }));
  const withGroups = (count: number) => directoryOf(tenant({ groups: many(count), client: { groupMembershipClaims: 'SecurityGroup', identifierUris: ['https://client.contoso.com'] } }));
  const overage = { _claim_names: { groups: 'src1' }, _claim_sources: { src1: { endpoint: `https://graph.microsoft.com/v1.0/users/${USER}/getMemberObjects` } } };

  it.each([199, 200])('JWT with %i groups lists them all', (count) => {
    const c = jwtClaims(withGroups(count), { token: 'id' });
    expect((c.groups as string[]).length).toBe(count);
    expect(c).not.toHaveProperty('_claim_names');
  });
  it('JWT with 201 groups: no groups, the overage markers exactly', () => {
    const c = jwtClaims(withGroups(201), { token: 'id' });
    expect(c).not.toHaveProperty('groups');
    expect(c).toMatchObject(overage);
  });
  it.each([[5, 'list'], [6, 'hasgroups']])('implicit flow with %i groups → %s', (count, kind) => {
    const c = jwtClaims(withGroups(count), { token: 'id', flow: 'implicit' });
    if (kind === 'list') expect((c.groups as string[]).length).toBe(5);
    else {
      expect(c.hasgroups).toBe(true);
      expect(c).not.toHaveProperty('groups');
      expect(c).not.toHaveProperty('_claim_names');
    }
  });
  it.each([149, 150, 151])('SAML with %i groups', (count) => {
    const token = assembleToken(withGroups(count), { token: 'saml', client: CLIENT, user: USER, now: NOW });
    if (token.format !== 'saml') throw new Error('saml expected');
    const groupsAttr = token.attributes.find((a) => a.name === 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups');
    const link = token.attributes.find((a) => a.name === 'http://schemas.microsoft.com/claims/groups.link');
    if (count <= 150) {
      expect(groupsAttr?.values.length).toBe(count);
      expect(link).toBeUndefined();
    } else {
      expect(groupsAttr).toBeUndefined();
      expect(link?.values).toEqual([`https://graph.windows.net/${TID}/users/${USER}/getMemberObjects`]);
    }
  });
});

describe('gating (D19, AADSTS codes)', () => {
  const claimPolicy = policy([{ Source: 'user', ID: 'mail', JwtClaimType: 'mail2' }]);
  const gated = (apiSp: Record<string, unknown>, api: Record<string, unknown> = {}) =>
    directoryOf(tenant({ api: { identifierUris: ['https://api.contoso.com', 'https://api.fabrikam.net', `api://${API}`], api: { requestedAccessTokenVersion: null, ...api } }, apiSp: { claimsMappingPolicies: [{ id: 'p' }], ...apiSp }, policies: [{ id: 'p', definition: claimPolicy }] }));
  const refused = (fn: () => unknown): string | undefined => {
    try {
      fn();
      return undefined;
    } catch (error) {
      if (error instanceof TokenRefusedError) return error.aadsts;
      throw error;
    }
  };
  const access = (d: ReturnType<typeof gated>, resource = API) => assembleToken(d, { token: 'access', client: CLIENT, resource, user: USER, now: NOW });

  it('custom key valid → signed with the app key; expired or not yet valid → AADSTS50146', () => {
    const valid = access(gated({ ...customKey('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'kid-1') }));
    expect(valid.signingKey).toEqual({ kind: 'application', appId: API, keyId: 'cki-kid-1' }); // kid = customKeyIdentifier
    expect(refused(() => access(gated({ ...customKey('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z') })))).toBe('AADSTS50146');
    expect(refused(() => access(gated({ ...customKey('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z') })))).toBe('AADSTS50146');
    expect(refused(() => access(gated({})))).toBe('AADSTS50146');
  });
  it('seed 002: acceptMappedClaims serves the app GUID and verified-domain audiences; an api:// URI and others → AADSTS501461', () => {
    const d = gated({}, { acceptMappedClaims: true });
    expect(access(d, API).signingKey).toEqual({ kind: 'tenant' });
    expect(refused(() => access(d, `api://${API}`))).toBe('AADSTS501461');
    expect(access(d, 'https://api.contoso.com').signingKey).toEqual({ kind: 'tenant' });
    expect(refused(() => access(d, 'https://api.fabrikam.net'))).toBe('AADSTS501461');
  });
  it('the error message carries Entra\'s explanation', () => {
    expect(() => access(gated({}))).toThrow(/^AADSTS50146: This application is required to be configured with an application-specific signing key/);
  });
  it('issuerWithApplicationId and audienceOverride apply only with a custom key', () => {
    const settingsPolicy = policy([{ Source: 'user', ID: 'mail', JwtClaimType: 'mail2' }], { issuerWithApplicationId: true, audienceOverride: 'https://shared.contoso.com' });
    const build = (apiSp: Record<string, unknown>) =>
      directoryOf(tenant({ api: { api: { requestedAccessTokenVersion: 2, acceptMappedClaims: true } }, apiSp: { claimsMappingPolicies: [{ id: 'p' }], ...apiSp }, policies: [{ id: 'p', definition: settingsPolicy }] }));
    const keyed = jwtClaims(build({ ...customKey('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z') }), { token: 'access', resource: API });
    expect(keyed).toMatchObject({ iss: `${v2Issuer}/${API}`, aud: 'https://shared.contoso.com' });
    const plain = jwtClaims(build({}), { token: 'access', resource: API });
    expect(plain).toMatchObject({ iss: v2Issuer, aud: API });
  });
  it('appRoleAssignmentRequired: unassigned user → AADSTS50105; direct or group assignment passes', () => {
    const group = { id: groupId(1), displayName: 'Allowed', securityEnabled: true, members: [USER] };
    const required = (assigned: unknown[]) => directoryOf(tenant({ groups: [group], clientSp: { appRoleAssignmentRequired: true, appRoleAssignedTo: assigned } }));
    expect(refused(() => jwtClaims(required([]), { token: 'id' }))).toBe('AADSTS50105');
    expect(jwtClaims(required([{ principalId: USER, principalType: 'User', appRoleId: '00000000-0000-0000-0000-000000000000' }]), { token: 'id' })).toHaveProperty('sub');
    expect(jwtClaims(required([{ principalId: groupId(1), principalType: 'Group', appRoleId: '00000000-0000-0000-0000-000000000000' }]), { token: 'id' })).toHaveProperty('sub');
  });
  it('unknown user or app is a request error, not a crash', () => {
    expect(() => jwtClaims(directoryOf(tenant()), { token: 'id', user: 'nobody@contoso.com' })).toThrow(ClaimcRuntimeError);
    expect(() => jwtClaims(directoryOf(tenant()), { token: 'id', client: 'nope' })).toThrow(expect.objectContaining({ code: 'ERR_REQUEST_INVALID' }));
  });
});

void API_SP;
