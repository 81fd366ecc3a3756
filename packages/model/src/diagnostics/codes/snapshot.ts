import type { DiagnosticDefinition } from '../diagnostic.js';

// CM7xxx: directory snapshots and token issuance inputs. Owner: runtime/token.
export const snapshotCodes = [
  {
    code: 'CM7001',
    severity: 'error',
    message: 'The directory snapshot is invalid here: {problem}',
    hint: 'The snapshot uses Microsoft Graph resource shapes; see docs/schemas/directory.schema.json.',
    why: 'A snapshot that does not match the Graph shapes cannot be indexed (docs/tokens.md).',
  },
  {
    code: 'CM7002',
    severity: 'warning',
    message: 'Claims-mapping policy "{policy}" does not compile: {code} {message}',
    hint: 'Run `claimc check` on the policy JSON to see the problem with its position. Tokens for the apps the policy is assigned to are refused; every other app is unaffected.',
    why: 'A policy with errors would issue wrong tokens, so the apps it is assigned to get none (docs/semantics.md#broken-policies).',
  },
  {
    code: 'CM7003',
    severity: 'error',
    message: 'Service principal {appId} references claims-mapping policy {policy}, which the snapshot does not contain',
    hint: 'Add the policy to claimsMappingPolicies or remove the reference.',
    why: 'The policy that applies to a token is the one assigned to its audience service principal (docs/semantics.md#which-policy-applies).',
  },
  {
    code: 'CM7004',
    severity: 'error',
    message: 'Service principal {appId} has {count} claims-mapping policies; Entra allows one',
    hint: 'Keep one policy per service principal.',
    why: 'Entra refuses a second claims-mapping policy on a service principal, so the token would be ambiguous.',
  },
  {
    code: 'CM7005',
    severity: 'error',
    message: 'No user with object ID or userPrincipalName "{user}" in the directory snapshot',
    hint: 'Use a userPrincipalName or object ID the snapshot holds ({example}).',
    why: 'A token is issued for a user the snapshot holds.',
  },
  {
    code: 'CM7006',
    severity: 'error',
    message: 'No service principal with appId or identifier URI "{app}" in the directory snapshot',
    hint: 'Use an appId the snapshot holds ({example}).',
    why: 'Client and resource are service principals of the snapshot.',
  },
  {
    code: 'CM7007',
    severity: 'warning',
    message: 'Claims-mapping policy "{policy}" has {count} definition strings; only the first is used',
    hint: 'Graph stores a policy as exactly one JSON string in definition.',
    why: 'Graph\'s definition collection holds exactly one string.',
  },
  {
    code: 'CM7008',
    severity: 'warning',
    message: 'Optional claim "{name}" of application {appId} is not a known optional claim; it is ignored',
    hint: 'See the optional-claims table in docs/tokens.md.',
    why: 'Entra emits only the optional claims it documents.',
  },
  {
    code: 'CM7009',
    severity: 'info',
    message: 'Optional claim "{name}" of application {appId} needs request context (network, device or Conditional Access) and is never emitted offline',
    why: 'claimc issues tokens offline; claims whose value comes from the sign-in request cannot be computed (docs/tokens.md).',
  },
  {
    code: 'CM7010',
    severity: 'warning',
    message: 'Application {appId} lists {count} extension attributes in {list} optional claims; only the first {limit} are emitted',
    hint: 'Move the others into a claims-mapping policy.',
    why: 'An app can emit at most 10 extension attributes as optional claims; claimc keeps the first 10 in order (docs/semantics.md#limits).',
  },
  {
    code: 'CM7011',
    severity: 'warning',
    message: 'Extension optional claim "{name}" of application {appId} is registered on another application; it is never emitted',
    hint: 'Optional claims can emit only extensions registered on the app itself; use a claims-mapping policy for the others.',
    why: 'Optional claims emit only the app\'s own directory extensions (EXT, OC).',
  },
  {
    code: 'CM7012',
    severity: 'error',
    message: 'Duplicate {kind} id "{id}" in the directory snapshot',
    hint: 'Object IDs and appIds are unique in a tenant.',
    why: 'Lookups by id would be ambiguous.',
  },

  // CM725x: token size, gating configuration and deployed policies that only part of a tenant can use.
  {
    code: 'CM7250',
    severity: 'warning',
    message: 'The issued token is {bytes} bytes, over {limit} bytes: {server} would refuse it',
    hint: 'Entra issues it anyway. Raise the server limit, or reduce the claims (assign groups to the app, use app roles, or a GroupFilter).',
    why: 'Entra lists up to 200 groups in a JWT whatever the token size; servers with default header limits reject large bearer tokens (docs/tokens.md#token-size).',
  },
  {
    code: 'CM7251',
    severity: 'warning',
    message: 'Application {appId} sets api.acceptMappedClaims on a multi-tenant app (signInAudience {audience})',
    hint: 'Use a custom signing key for multi-tenant apps, or make the app single-tenant (AzureADMyOrg).',
    why: 'With acceptMappedClaims, another tenant\'s admin could create a claims-mapping policy for the app and its tokens would be accepted (docs/semantics.md#gating).',
  },
  {
    code: 'CM7252',
    severity: 'warning',
    message: 'Service principal {appId} has a signing keyCredential {keyId} that is not a complete custom signing key: {missing}',
    hint: 'A custom signing key is a Sign keyCredential, a passwordCredential with the same keyId, and a Verify keyCredential with the same customKeyIdentifier.',
    why: 'Entra signs with an application key only when all three parts are present; otherwise the tenant key and acceptMappedClaims decide (docs/semantics.md#gating).',
  },
  {
    code: 'CM7253',
    severity: 'warning',
    message: 'Claims-mapping policy "{policy}" ClaimsSchema entry {entry} names the restricted claim "{name}"; the entry is dropped from every token',
    hint: 'Rename the claim or remove the entry; `claimc check` reports it with its position.',
    why: 'A restricted name never replaces a claim Entra writes itself; the rest of the policy still applies (docs/semantics.md#restricted-claim-names).',
  },
] as const satisfies readonly DiagnosticDefinition[];
