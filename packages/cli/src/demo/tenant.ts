import type { DirectorySnapshot, KeyCredential, PasswordCredential } from '@claimc/runtime/internal';

// The embedded default snapshot: a fictional tenant ("Contoso") so `claimc issue` runs with no files.
// Every user can get every token type from every app here; gating failures live in test snapshots.

/** Object IDs of the embedded tenant, for docs and tests. */
export const defaultIds = {
  tenant: 'b7f1e0c2-4a5d-4c3e-9f10-2a6b8c0d1e3f',
  guestHomeTenant: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  webApp: '3f4e5d6c-7b8a-4912-8a3b-1c2d3e4f5a6b',
  api: '8d7c6b5a-4e3f-4a21-9b0c-d1e2f3a4b5c6',
  legacyApi: '2b3c4d5e-6f70-4819-a2b3-c4d5e6f7a8b9',
  samlApp: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
  daemon: '4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d',
} as const;

const user = (n: number): string => `e1000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const group = (n: number): string => `c2000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const sp = (n: number): string => `a1000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const sid = (rid: number): string => `S-1-5-21-1004336348-1177238915-682003330-${rid}`;
const webExtension = (name: string): string => `extension_${defaultIds.webApp.replace(/-/g, '')}_${name}`;
const samlExtension = (name: string): string => `extension_${defaultIds.samlApp.replace(/-/g, '')}_${name}`;

export const defaultUserIds = {
  adele: user(1), alex: user(2), megan: user(3), lidia: user(4), nestor: user(5), isaiah: user(6),
  joni: user(7), lee: user(8), lynne: user(9), miriam: user(10), pradeep: user(11), diego: user(12),
} as const;
const u = defaultUserIds;

export const defaultGroupIds = {
  allStaff: group(1), engineering: group(2), engineeringLeads: group(3), sales: group(4), retail: group(5), it: group(6),
  appAdmins: group(7), apiUsers: group(8), marketingDl: group(9), contosoTeam: group(10),
} as const;
const g = defaultGroupIds;

const projectCount = 250;
const projectGroup = (n: number): string => group(1000 + n);

const appRoleIds = {
  webAdmin: 'f1000000-0000-4000-8000-000000000001',
  webReader: 'f1000000-0000-4000-8000-000000000002',
  tasksRead: 'f1000000-0000-4000-8000-000000000003',
  tasksWrite: 'f1000000-0000-4000-8000-000000000004',
  tasksReadAll: 'f1000000-0000-4000-8000-000000000005',
} as const;

const policyJson = {
  omitBasic: '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"false"}}',
  extraClaims:
    '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true", "ClaimsSchema": [{"Source":"user","ID":"employeeid","SamlClaimType":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/employeeid","JwtClaimType":"employeeid"},{"Source":"company","ID":"tenantcountry","SamlClaimType":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/country","JwtClaimType":"country"}]}}',
  joinData:
    '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true", "ClaimsSchema":[{"Source":"user","ID":"extensionattribute1"},{"Source":"transformation","ID":"DataJoin","TransformationId":"JoinTheData","JwtClaimType":"JoinedData"}],"ClaimsTransformations":[{"ID":"JoinTheData","TransformationMethod":"Join","InputClaims":[{"ClaimTypeReferenceId":"extensionattribute1","TransformationClaimType":"string1"}], "InputParameters": [{"ID":"string2","Value":"sandbox"},{"ID":"separator","Value":"."}],"OutputClaims":[{"ClaimTypeReferenceId":"DataJoin","TransformationClaimType":"outputClaim"}]}]}}',
  samlNameId:
    '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true","ClaimsSchema":[{"Source":"user","ID":"employeeid","SamlClaimType":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier","samlNameIdFormat":"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"},{"Source":"user","ID":"department","SamlClaimType":"http://contoso.com/claims/department","SAMLNameForm":"urn:oasis:names:tc:SAML:2.0:attrname-format:uri"}]}}',
} as const;

/** Policy object IDs of the embedded tenant. */
export const defaultPolicyIds = {
  omitBasic: 'd0000000-0000-4000-8000-000000000001',
  extraClaims: 'd0000000-0000-4000-8000-000000000002',
  joinData: 'd0000000-0000-4000-8000-000000000003',
  samlNameId: 'd0000000-0000-4000-8000-000000000004',
} as const;

/**
 * A custom signing key as Graph stores it (seed 002): the Sign keyCredential (PFX), a passwordCredential with the same
 * keyId, and the Verify keyCredential (certificate) with the same customKeyIdentifier.
 */
const customSigningKey = (signKeyId: string, verifyKeyId: string, customKeyIdentifier: string, start: string, end: string): { keyCredentials: KeyCredential[]; passwordCredentials: PasswordCredential[] } => {
  const common = { customKeyIdentifier, displayName: 'CN=contoso-custom-signing', startDateTime: start, endDateTime: end };
  return {
    keyCredentials: [
      { ...common, keyId: signKeyId, usage: 'Sign', type: 'X509CertAndPassword' },
      { ...common, keyId: verifyKeyId, usage: 'Verify', type: 'AsymmetricX509Cert' },
    ],
    passwordCredentials: [{ customKeyIdentifier, keyId: signKeyId, startDateTime: start, endDateTime: end }],
  };
};

/**
 * Client secrets of the embedded tenant's confidential apps, for a local sign-in endpoint. Public on purpose, like
 * the demo signing key: never reuse them anywhere real.
 */
export const demoClientSecrets = {
  webApp: 'claimc-demo-web-secret',
  api: 'claimc-demo-api-secret',
  daemon: 'claimc-demo-daemon-secret',
} as const;

const demoSecret = (n: number, secretText: string) => ({
  keyId: `e6000000-0000-4000-8000-${String(n).padStart(12, '0')}`, displayName: 'demo secret', hint: secretText.slice(0, 3), secretText,
  startDateTime: '2020-01-01T00:00:00Z', endDateTime: '2040-01-01T00:00:00Z',
});

/**
 * The embedded demo tenant (Graph shapes): twelve users (a guest, a user in 250+ groups, synced users and groups
 * with sAMAccountName and SIDs, extension attributes, directory roles), a web app, two APIs (v2 and v1), a SAML
 * app and a daemon, with the seed policies assigned.
 *
 * @example
 * indexDirectory(defaultSnapshot, plans).usersByUpn.get('adelev@contoso.com');
 */
export const defaultSnapshot: DirectorySnapshot = {
  organization: {
    id: defaultIds.tenant,
    displayName: 'Contoso',
    countryLetterCode: 'US',
    preferredLanguage: 'en-US',
    verifiedDomains: [
      { name: 'contoso.com', isDefault: true, isInitial: false },
      { name: 'contoso.onmicrosoft.com', isDefault: false, isInitial: true },
    ],
  },
  users: [
    {
      id: u.adele, userPrincipalName: 'adelev@contoso.com', displayName: 'Adele Vance', givenName: 'Adele', surname: 'Vance',
      mail: 'adelev@contoso.com', otherMails: ['adele.vance@outlook.com'], mailNickname: 'adelev', userType: 'Member',
      employeeId: 'E1001', department: 'Retail', jobTitle: 'Retail Manager', companyName: 'Contoso', country: 'US', usageLocation: 'US',
      city: 'Seattle', state: 'WA', preferredLanguage: 'en-US', preferredDataLocation: 'NAM', accountEnabled: true,
      createdDateTime: '2023-03-01T09:00:00Z', businessPhones: ['+1 425 555 0109'],
      onPremisesExtensionAttributes: { extensionAttribute1: 'retail', extensionAttribute2: 'hq' },
      [webExtension('skypeId')]: 'adele.vance.skype',
      [webExtension('costCenter')]: ['CC-100', 'CC-200'],
      [samlExtension('badgeNumber')]: 'B-4471',
    },
    {
      id: u.alex, userPrincipalName: 'alexw@contoso.com', displayName: 'Alex Wilber', givenName: 'Alex', surname: 'Wilber',
      mail: 'alexw@contoso.com', userType: 'Member', employeeId: 'E1002', department: 'Engineering', jobTitle: 'Engineer', country: 'DE', usageLocation: 'DE',
      onPremisesSamAccountName: 'alexw', onPremisesSecurityIdentifier: sid(1104), onPremisesDomainName: 'corp.contoso.com',
      onPremisesUserPrincipalName: 'alexw@corp.contoso.com', onPremisesImmutableId: 'YWxleHctaW1tdXRhYmxl', onPremisesSyncEnabled: true,
      onPremisesExtensionAttributes: { extensionAttribute1: 'engineering' },
    },
    {
      id: u.megan, userPrincipalName: 'meganb@contoso.com', displayName: 'Megan Bowen', givenName: 'Megan', surname: 'Bowen',
      mail: 'meganb@contoso.com', userType: 'Member', employeeId: 'E1003', department: 'Projects', country: 'US',
    },
    {
      id: u.lidia, userPrincipalName: 'lidia.holloway_fabrikam.com#EXT#@contoso.onmicrosoft.com', displayName: 'Lidia Holloway (Fabrikam)',
      givenName: 'Lidia', surname: 'Holloway', mail: 'lidia.holloway@fabrikam.com', userType: 'Guest', creationType: 'Invitation',
      identities: [{ signInType: 'federated', issuer: `https://sts.windows.net/${defaultIds.guestHomeTenant}/`, issuerAssignedId: null }],
    },
    {
      id: u.nestor, userPrincipalName: 'nestorw@contoso.com', displayName: 'Nestor Wilke', givenName: 'Nestor', surname: 'Wilke',
      mail: 'nestorw@contoso.com', userType: 'Member', employeeId: 'E1005', department: 'IT', jobTitle: 'Director', country: 'US',
    },
    {
      id: u.isaiah, userPrincipalName: 'isaiahl@contoso.com', displayName: 'Isaiah Langer', givenName: 'Isaiah', surname: 'Langer',
      mail: 'isaiahl@contoso.com', userType: 'Member', employeeId: 'E1006', department: 'Sales', country: 'GB', usageLocation: 'GB',
    },
    {
      id: u.joni, userPrincipalName: 'jonis@contoso.com', displayName: 'Joni Sherman', givenName: 'Joni', surname: 'Sherman',
      mail: 'jonis@contoso.com', userType: 'Member', employeeId: 'E1007', department: 'Legal', country: 'US',
    },
    { id: u.lee, userPrincipalName: 'leeg@contoso.com', displayName: 'Lee Gu', userType: 'Member' },
    {
      id: u.lynne, userPrincipalName: 'lynner@contoso.com', displayName: 'Lynne Robbins', givenName: 'Lynne', surname: 'Robbins',
      mail: 'lynner@contoso.com', userType: 'Member', employeeId: 'E1009', department: 'Sales',
      onPremisesSamAccountName: 'lynner', onPremisesSecurityIdentifier: sid(1109), onPremisesDomainName: 'corp.contoso.com', onPremisesSyncEnabled: true,
      onPremisesExtensionAttributes: { extensionAttribute1: 'sales', extensionAttribute2: 'emea', extensionAttribute3: 'tier-2' },
    },
    {
      id: u.miriam, userPrincipalName: 'miriamg@contoso.com', displayName: 'Miriam Graham', givenName: 'Miriam', surname: 'Graham',
      mail: 'miriamg@contoso.com', userType: 'Member', department: 'Marketing', country: 'US',
    },
    {
      id: u.pradeep, userPrincipalName: 'pradeepg@contoso.com', displayName: 'Pradeep Gupta', givenName: 'Pradeep', surname: 'Gupta',
      mail: 'pradeepg@contoso.com', userType: 'Member', employeeId: 'E1011', department: 'Engineering',
      onPremisesSamAccountName: 'pradeepg', onPremisesSecurityIdentifier: sid(1111), onPremisesDomainName: 'corp.contoso.com', onPremisesSyncEnabled: true,
    },
    {
      id: u.diego, userPrincipalName: 'diegos@contoso.com', displayName: 'Diego Siciliani', givenName: 'Diego', surname: 'Siciliani',
      mail: 'diegos@contoso.com', userType: 'Member', employeeId: 'E1012', department: 'HR', accountEnabled: false,
    },
  ],
  groups: [
    { id: g.allStaff, displayName: 'All Staff', securityEnabled: true, mailEnabled: false, groupTypes: [],
      members: [u.adele, u.megan, u.nestor, u.isaiah, u.joni, u.lee, u.lynne, u.diego, { '@odata.type': '#microsoft.graph.group', id: g.engineering }] },
    { id: g.engineering, displayName: 'Engineering', securityEnabled: true, mailEnabled: false, groupTypes: [],
      onPremisesSamAccountName: 'Engineering', onPremisesSecurityIdentifier: sid(2101), onPremisesDomainName: 'corp.contoso.com', onPremisesNetBiosName: 'CONTOSO',
      members: [{ '@odata.type': '#microsoft.graph.user', id: u.alex }, { '@odata.type': '#microsoft.graph.group', id: g.engineeringLeads }] },
    { id: g.engineeringLeads, displayName: 'Engineering Leads', securityEnabled: true, mailEnabled: false, groupTypes: [],
      onPremisesSamAccountName: 'EngLeads', onPremisesSecurityIdentifier: sid(2102), onPremisesDomainName: 'corp.contoso.com', onPremisesNetBiosName: 'CONTOSO',
      members: [u.pradeep] },
    { id: g.sales, displayName: 'Sales', securityEnabled: true, mailEnabled: false, groupTypes: [],
      onPremisesSamAccountName: 'Sales', onPremisesSecurityIdentifier: sid(2103), onPremisesDomainName: 'corp.contoso.com', onPremisesNetBiosName: 'CONTOSO',
      members: [u.lynne, u.isaiah] },
    { id: g.retail, displayName: 'Retail', securityEnabled: true, mailEnabled: false, groupTypes: [], members: [u.adele, u.isaiah] },
    { id: g.it, displayName: 'IT', securityEnabled: true, mailEnabled: false, groupTypes: [], members: [u.nestor, u.isaiah] },
    { id: g.appAdmins, displayName: 'App Admins', securityEnabled: true, mailEnabled: false, groupTypes: [], members: [u.isaiah, u.adele] },
    { id: g.apiUsers, displayName: 'API Users', securityEnabled: true, mailEnabled: false, groupTypes: [], members: [u.isaiah, u.joni, u.alex] },
    { id: g.marketingDl, displayName: 'Marketing DL', securityEnabled: false, mailEnabled: true, groupTypes: [], members: [u.miriam, u.adele] },
    { id: g.contosoTeam, displayName: 'Contoso Team', securityEnabled: false, mailEnabled: true, groupTypes: ['Unified'], members: [u.adele, u.miriam] },
    ...Array.from({ length: projectCount }, (_, i) => {
      const n = i + 1;
      const synced = n % 10 === 0;
      return {
        id: projectGroup(n),
        displayName: `Project ${String(n).padStart(3, '0')}`,
        securityEnabled: true,
        mailEnabled: false,
        groupTypes: [],
        ...(synced
          ? { onPremisesSamAccountName: `PRJ${String(n).padStart(3, '0')}`, onPremisesSecurityIdentifier: sid(3000 + n), onPremisesDomainName: 'corp.contoso.com', onPremisesNetBiosName: 'CONTOSO' }
          : {}),
        members: [u.megan],
      };
    }),
  ],
  directoryRoles: [
    { id: 'd1000000-0000-4000-8000-000000000001', displayName: 'Global Administrator', roleTemplateId: '62e90394-69f5-4237-9190-012177145e10', members: [u.nestor] },
    { id: 'd1000000-0000-4000-8000-000000000002', displayName: 'User Administrator', roleTemplateId: 'fe930be7-5e62-47db-91af-98c3a49a38b1', members: [u.nestor] },
    { id: 'd1000000-0000-4000-8000-000000000003', displayName: 'Global Reader', roleTemplateId: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', members: [u.diego] },
  ],
  applications: [
    {
      id: 'b1000000-0000-4000-8000-000000000001', appId: defaultIds.webApp, displayName: 'Contoso Web', signInAudience: 'AzureADMyOrg',
      identifierUris: [], groupMembershipClaims: 'SecurityGroup',
      optionalClaims: {
        idToken: [
          { name: 'upn', source: null, essential: false, additionalProperties: ['include_externally_authenticated_upn'] },
          { name: 'email', source: null, essential: false, additionalProperties: [] },
          { name: 'acct', source: null, essential: false, additionalProperties: [] },
          { name: 'ctry', source: null, essential: false, additionalProperties: [] },
          { name: webExtension('skypeId'), source: 'user', essential: false, additionalProperties: [] },
          { name: webExtension('costCenter'), source: 'user', essential: false, additionalProperties: [] },
        ],
        accessToken: [],
        saml2Token: [],
      },
      appRoles: [
        { id: appRoleIds.webAdmin, value: 'Admin', displayName: 'Administrator', allowedMemberTypes: ['User'], isEnabled: true },
        { id: appRoleIds.webReader, value: 'Reader', displayName: 'Reader', allowedMemberTypes: ['User'], isEnabled: true },
      ],
      // loopback redirect URIs match on any port (Entra ignores the port of http://localhost and http://127.0.0.1)
      web: { redirectUris: ['http://localhost:3000/auth/callback', 'http://127.0.0.1/auth/callback'] },
      spa: { redirectUris: ['http://localhost:5173/', 'http://127.0.0.1/spa/'] },
      publicClient: { redirectUris: ['http://localhost'] },
      passwordCredentials: [demoSecret(1, demoClientSecrets.webApp)],
      api: { acceptMappedClaims: null, requestedAccessTokenVersion: 2, oauth2PermissionScopes: [] },
    },
    {
      id: 'b1000000-0000-4000-8000-000000000002', appId: defaultIds.api, displayName: 'Contoso Tasks API', signInAudience: 'AzureADMyOrg',
      // a verified-domain identifier URI first: it is the SAML audience, and acceptMappedClaims does not serve api:// (seed 002)
      identifierUris: ['https://api.contoso.com/tasks', `api://${defaultIds.api}`], groupMembershipClaims: 'All',
      optionalClaims: {
        idToken: [],
        accessToken: [
          { name: 'auth_time', source: null, essential: false, additionalProperties: [] },
          { name: 'idtyp', source: null, essential: false, additionalProperties: ['include_user_token'] },
          { name: 'tenant_ctry', source: null, essential: false, additionalProperties: [] },
        ],
        saml2Token: [],
      },
      appRoles: [
        { id: appRoleIds.tasksRead, value: 'Tasks.Read', displayName: 'Read tasks', allowedMemberTypes: ['User'], isEnabled: true },
        { id: appRoleIds.tasksWrite, value: 'Tasks.Write', displayName: 'Write tasks', allowedMemberTypes: ['User'], isEnabled: true },
        { id: appRoleIds.tasksReadAll, value: 'Tasks.Read.All', displayName: 'Read all tasks', allowedMemberTypes: ['Application'], isEnabled: true },
      ],
      passwordCredentials: [demoSecret(2, demoClientSecrets.api)],
      api: {
        acceptMappedClaims: true,
        requestedAccessTokenVersion: 2,
        oauth2PermissionScopes: [
          { id: 'f2000000-0000-4000-8000-000000000001', value: 'Tasks.Read', isEnabled: true },
          { id: 'f2000000-0000-4000-8000-000000000002', value: 'Tasks.ReadWrite', isEnabled: true },
        ],
      },
    },
    {
      id: 'b1000000-0000-4000-8000-000000000003', appId: defaultIds.legacyApi, displayName: 'Contoso Legacy API', signInAudience: 'AzureADMyOrg',
      identifierUris: ['https://legacy.contoso.com'], groupMembershipClaims: 'SecurityGroup',
      optionalClaims: { idToken: [], accessToken: [{ name: 'groups', source: null, essential: false, additionalProperties: ['sam_account_name'] }], saml2Token: [] },
      appRoles: [],
      api: { acceptMappedClaims: true, requestedAccessTokenVersion: null, oauth2PermissionScopes: [{ id: 'f2000000-0000-4000-8000-000000000003', value: 'user_impersonation', isEnabled: true }] },
    },
    {
      id: 'b1000000-0000-4000-8000-000000000004', appId: defaultIds.samlApp, displayName: 'Contoso Expenses (SAML)', signInAudience: 'AzureADMyOrg',
      identifierUris: ['https://expenses.contoso.com/saml'], groupMembershipClaims: 'ApplicationGroup',
      optionalClaims: {
        idToken: [],
        accessToken: [],
        saml2Token: [
          { name: 'groups', source: null, essential: false, additionalProperties: ['cloud_displayname'] },
          { name: samlExtension('badgeNumber'), source: 'user', essential: false, additionalProperties: [] },
          { name: 'upn', source: null, essential: false, additionalProperties: [] },
        ],
      },
      appRoles: [],
      // SAML: the assertion consumer service URLs (Entra's "Reply URL")
      web: { redirectUris: ['https://expenses.contoso.com/saml/acs', 'http://127.0.0.1/saml/acs'] },
      api: { acceptMappedClaims: null, requestedAccessTokenVersion: null },
    },
    { id: 'b1000000-0000-4000-8000-000000000005', appId: defaultIds.daemon, displayName: 'Contoso Sync Daemon', signInAudience: 'AzureADMyOrg', identifierUris: [],
      passwordCredentials: [demoSecret(5, demoClientSecrets.daemon)] },
  ],
  servicePrincipals: [
    {
      id: sp(1), appId: defaultIds.webApp, displayName: 'Contoso Web', tags: ['WindowsAzureActiveDirectoryIntegratedApp'], appRoleAssignmentRequired: false,
      ...customSigningKey('e5000000-0000-4000-8000-000000000001', 'e5000000-0000-4000-8000-000000000011', 'Q29udG9zb1dlYlNpZ25pbmdLZXk', '2020-01-01T00:00:00Z', '2040-01-01T00:00:00Z'),
      claimsMappingPolicies: [{ id: defaultPolicyIds.extraClaims }],
      appRoleAssignedTo: [
        { principalId: g.appAdmins, principalType: 'Group', appRoleId: appRoleIds.webAdmin },
        { principalId: u.adele, principalType: 'User', appRoleId: appRoleIds.webReader },
      ],
    },
    {
      id: sp(2), appId: defaultIds.api, displayName: 'Contoso Tasks API', tags: [], appRoleAssignmentRequired: false,
      keyCredentials: [], claimsMappingPolicies: [{ id: defaultPolicyIds.joinData }],
      appRoleAssignedTo: [
        { principalId: g.apiUsers, principalType: 'Group', appRoleId: appRoleIds.tasksRead },
        { principalId: u.joni, principalType: 'User', appRoleId: appRoleIds.tasksWrite },
        { principalId: sp(5), principalType: 'ServicePrincipal', appRoleId: appRoleIds.tasksReadAll },
      ],
    },
    {
      id: sp(3), appId: defaultIds.legacyApi, displayName: 'Contoso Legacy API', tags: [], appRoleAssignmentRequired: false,
      keyCredentials: [], claimsMappingPolicies: [{ id: defaultPolicyIds.omitBasic }], appRoleAssignedTo: [],
    },
    {
      id: sp(4), appId: defaultIds.samlApp, displayName: 'Contoso Expenses (SAML)', tags: [], appRoleAssignmentRequired: false,
      replyUrls: ['https://expenses.contoso.com/saml/acs'],
      ...customSigningKey('e5000000-0000-4000-8000-000000000004', 'e5000000-0000-4000-8000-000000000014', 'Q29udG9zb0V4cGVuc2VzU2lnbmluZ0tleQ', '2020-01-01T00:00:00Z', '2040-01-01T00:00:00Z'),
      claimsMappingPolicies: [{ id: defaultPolicyIds.samlNameId }],
      appRoleAssignedTo: [
        { principalId: g.retail, principalType: 'Group', appRoleId: '00000000-0000-0000-0000-000000000000' },
        { principalId: g.engineering, principalType: 'Group', appRoleId: '00000000-0000-0000-0000-000000000000' },
      ],
    },
    { id: sp(5), appId: defaultIds.daemon, displayName: 'Contoso Sync Daemon', tags: [], appRoleAssignmentRequired: false, keyCredentials: [], appRoleAssignedTo: [] },
  ],
  claimsMappingPolicies: [
    { id: defaultPolicyIds.omitBasic, displayName: 'OmitBasicClaims', definition: [policyJson.omitBasic] },
    { id: defaultPolicyIds.extraClaims, displayName: 'ExtraClaimsExample', definition: [policyJson.extraClaims] },
    { id: defaultPolicyIds.joinData, displayName: 'TransformClaimsExample', definition: [policyJson.joinData] },
    { id: defaultPolicyIds.samlNameId, displayName: 'SamlNameIdFromEmployeeId', definition: [policyJson.samlNameId] },
  ],
};

/**
 * The deterministic DEMO signing key (RSA 2048, RS256) used when no key is given. Public on purpose: tokens it
 * signs prove nothing. Never use it outside demos and tests.
 *
 * @example
 * const key = await importSigningKey(demoSigningJwk);
 */
export const demoSigningJwk = {
  kty: 'RSA',
  n: 'oDFWYfCgLAwdHDkYSI5WaqwDGo5GBI2HbjoHg8JQ6IwG_O02dN5zkldbRU-junrV6xjJeA5fa-_Cs9Ch01RxOV5DgmKdWkvyP-bQ0dYnqIQBhpg8-yWskSRqXo1XzQv5lvydDY6H0QXZhU9OhciIiRUb5rEszzz-JeHlztfPPmNqaEflkFv-mIhgUWfQTzoFA3wzJhxEYwH2ueBKNNh7tfw7qw9iVvix9J6VMd5xkImvIHoH0gp7TSAHufMhw5-FzxWxsHoGOC7dfGvqHpiZYDHv0UcSZO1ufsXJgKE5G5rPn-Cv-fauaBdHMO8YPWxD741dFPkxxpduZGMZWAw5Xw',
  e: 'AQAB',
  d: 'HLtMpYtdhxjzHa1F5DmXWVGZyukKuOVTjZsd3u16yoLW_AVl14dQjkZZyfAzSw6eEKkk9YIKblcWAl9grwE9v47fJ-MdGuV1QS3adVBmU4y9o1Dp2xfSQEQaSfQq8816ijCr0JMoW_6jGYx0Zn1ls8ST-Qf9I_xqDwxZxgQiGSu9oKNdWwf1E7BCrNanrPzl5q0Zv1QFAomaZoatT4XsP6fEhzxtWC2dmFUZsqX54thQMLD8quj1ziAfUn6VhGTMBkl7rzHOjOFg4304DtoUeo11jGe2aLLCbWJI8O4g5qj-Za9sw8ukIHqd0NeBEF9W2buSmAKofkUf_3VOHD_2JQ',
  p: '3riv2mBt92TvHTaWyg5ibheiq4s9uL6vcx12SnV1uvAnqPIyBfK95vWo5XsNsuNk90v_HTyD9TPHeQ-w3biRkrUOhqKXkQgdi938Ph2r2o2LhyA6bG_pg0C3CPU0zcmlvrvrNVOVle0IQTwpxtJZjEdzqFY_z511biOa9YNI6mM',
  q: 'uCDdubQqF4se5n-toieFx5AVli_-lfP0Ul24yafFuKXFf4YhuRzkzc55w4nTywots3wpse20l6ajWN5gtmICwc2mNYw8K6tFvBlJ4m1yLW9Zu_HCe_rvfNH_PQzET8ZCRVoXbC8WYoPzN1Gj0DIlK4_1zqvFYi8bycV2jgNNh9U',
  dp: 'X2nnjDo7YfzPo0g7mRxIdrmRasQgEQE_0KUShBuF8CvqEaqQW5P-Xu9nB8iLudNI8diQ1kmSjn08O1TJhHMJijwemPcWz38WiVD0OvgjI2H4IE9iOApJk30p7KB_mpmEdA21WgcQ0kXVf3zyuMZsrnf9yGQKujrOj_yY6gzwM9k',
  dq: 'suWj6DlHKEbQSA3HayRRU7sHbjvFdHZpbNmIn801SxktUaDGBTAwklHJdpXkRILoMloxvKGC9FFApiix-KIzoY8orSBKmfc3svEzGx9RbxmgKv5TAtildTYncm6EEipD21QUK9V4P1GKrrXQnokKGlAt-JZmGeZBboI_lO1al90',
  qi: '0CH2C91YjVsdxRjZIdCQABBQSAisCvidKbbDU8PLU6zyOfMNsb1v3941KLY81SSp-gA9euCRdihaMFW-GvgZcqSPWnVH0_5nt1lXPwLn-b3Jwqb5-cLwUd-UmB5N9qvlxtA3qSDtuSWnWrsTDfaZ9e67Py5DoemohQCqddvYIKY',
} as const;
