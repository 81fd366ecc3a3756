import type { DiagnosticDefinition } from '../diagnostic.js';

// CM7xxx: directory snapshots and token issuance inputs. Owner: runtime/token.
export const snapshotCodes = [
  {
    code: 'CM7001',
    severity: 'error',
    message: 'The directory snapshot is invalid here: {problem}',
    hint: 'The snapshot uses Microsoft Graph resource shapes; see docs/schemas/directory.schema.json.',
    why: 'A snapshot that does not match the Graph shapes cannot be indexed (issue 4 item 1; docs/tokens.md).',
  },
  {
    code: 'CM7002',
    severity: 'error',
    message: 'Claims-mapping policy "{policy}" does not compile: {code} {message}',
    hint: 'Run `claimc check` on the policy JSON to see the problem with its position.',
    why: 'Every policy of a snapshot is compiled before issuance; a policy with errors would issue wrong tokens (D16, D19).',
  },
  {
    code: 'CM7003',
    severity: 'error',
    message: 'Service principal {appId} references claims-mapping policy {policy}, which the snapshot does not contain',
    hint: 'Add the policy to claimsMappingPolicies or remove the reference.',
    why: 'The policy that applies to a token is the one assigned to its audience service principal (D16).',
  },
  {
    code: 'CM7004',
    severity: 'error',
    message: 'Service principal {appId} has {count} claims-mapping policies; Entra allows one',
    hint: 'Keep one policy per service principal.',
    why: 'Entra refuses a second claims-mapping policy on a service principal, so the token would be ambiguous (entra-semantics.md §1.1).',
  },
  {
    code: 'CM7005',
    severity: 'error',
    message: 'No user with object ID or userPrincipalName "{user}" in the directory snapshot',
    hint: 'Use a userPrincipalName or object ID the snapshot holds ({example}).',
    why: 'A token is issued for a user the snapshot holds (issue 4 item 5).',
  },
  {
    code: 'CM7006',
    severity: 'error',
    message: 'No service principal with appId or identifier URI "{app}" in the directory snapshot',
    hint: 'Use an appId the snapshot holds ({example}).',
    why: 'Client and resource are service principals of the snapshot (issue 4 item 5).',
  },
  {
    code: 'CM7007',
    severity: 'warning',
    message: 'Claims-mapping policy "{policy}" has {count} definition strings; only the first is used',
    hint: 'Graph stores a policy as exactly one JSON string in definition.',
    why: 'Graph\'s definition collection holds exactly one string (entra-semantics.md §1.1).',
  },
  {
    code: 'CM7008',
    severity: 'warning',
    message: 'Optional claim "{name}" of application {appId} is not a known optional claim; it is ignored',
    hint: 'See the optional-claims table in docs/tokens.md.',
    why: 'Entra emits only the optional claims it documents (entra-semantics.md §5).',
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
    message: 'Application {appId} lists more than {limit} extension attributes in its {lists} optional claims; only the first {limit} of each list are emitted',
    hint: 'Move the others into a claims-mapping policy.',
    why: 'An app can emit at most 10 extension attributes as optional claims; claimc keeps the first 10 in order (D7).',
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
] as const satisfies readonly DiagnosticDefinition[];
