import type { DiagnosticDefinition } from '../diagnostic.js';

// CM14xx: policies in collections and deployment-tool envelopes (Graph collections, Terraform, az rest). Owner: JSON front end.
export const envelopeCollectionCodes = [
  {
    code: 'CM1401',
    severity: 'error',
    message: 'The Terraform definition uses {found}, which claimc cannot read without running Terraform.',
    hint: 'Write the policy literally: definition = [jsonencode({ ClaimsMappingPolicy = { … } })], a quoted JSON string, or a heredoc; or check the output of `terraform show -json`.',
    why: 'claimc reads Terraform files without evaluating them, so only literal values can be checked.',
  },
  {
    code: 'CM1402',
    severity: 'error',
    message: 'No azuread_claims_mapping_policy resource found.',
    hint: 'claimc reads resource "azuread_claims_mapping_policy" "<name>" { definition = [ … ] display_name = "…" } blocks and `terraform show -json` output.',
    why: 'Only claims-mapping policy resources hold a policy to check.',
  },
  {
    code: 'CM1403',
    severity: 'error',
    message: '{address} has no definition.',
    hint: 'Add definition = [jsonencode({ ClaimsMappingPolicy = { Version = 1, … } })].',
    why: 'The definition attribute holds the policy.',
  },
  {
    code: 'CM1404',
    severity: 'warning',
    entraSeverity: 'error',
    message: '{address} has no literal display_name.',
    hint: 'Add display_name = "…"; Graph requires it.',
    why: 'displayName is required when creating a claims-mapping policy.',
  },
  {
    code: 'CM1405',
    severity: 'error',
    message: 'The az rest --body uses {found}, which claimc cannot read without running the shell.',
    hint: "Write the body inline in single quotes: --body '{\"definition\":[\"…\"],\"displayName\":\"…\"}', or check the body file itself with claimc check.",
    why: 'claimc reads command lines without running them, so only literal bodies can be checked.',
  },
  {
    code: 'CM1406',
    severity: 'error',
    message: 'Unterminated shell quote in the az rest command.',
    hint: "Close the quote; inside single quotes write a quote as '\\''.",
    why: 'The --body word does not end, so the body cannot be read.',
  },
  {
    code: 'CM1407',
    severity: 'error',
    message: 'The az rest command has no --body.',
    hint: "Add --body '{\"definition\":[\"…\"],\"displayName\":\"…\"}'.",
    why: 'The policy of an az rest command is its request body.',
  },
  {
    code: 'CM1408',
    severity: 'error',
    message: 'Item {index} of the Graph collection is {found}, not a claims-mapping policy.',
    hint: 'Each item of GET /policies/claimsMappingPolicies has "id", "displayName" and "definition".',
    why: 'Every item of a policy collection is read and checked; one that is not a policy cannot be.',
  },
  {
    code: 'CM1409',
    severity: 'error',
    message: 'The file holds {count} policies ({names}); this command takes one.',
    hint: 'Pick one with --select <id|displayName> (decompile also takes --all -o <folder>).',
    why: 'A command that writes or applies one policy must not silently pick one of several.',
  },
  {
    code: 'CM1410',
    severity: 'error',
    message: 'No policy "{selector}" in the file; it holds {names}.',
    hint: 'Use one of the ids or display names listed.',
    why: '--policy picks a policy by Graph id, Terraform address or display name.',
  },
] as const satisfies readonly DiagnosticDefinition[];

// CM71xx: Graph exports, indexed snapshots, diff and explain. Owner: tenant tooling.
export const tenantCodes = [
  {
    code: 'CM7101',
    severity: 'error',
    message: 'Not JSON: {problem}',
    hint: 'Save Graph responses unedited, one response per file.',
    why: 'Every file of a Graph export is a JSON response body.',
  },
  {
    code: 'CM7102',
    severity: 'warning',
    message: 'File {file} is not a Graph response claimc knows; it is skipped.',
    hint: 'Known files: organization, users, groups, directoryRoles, applications, servicePrincipals, policies/claimsMappingPolicies, extensionProperties, users/<id>/transitiveMemberOf, users/<id>/memberOf, users/<id>/appRoleAssignments, groups/<id>/transitiveMembers, groups/<id>/members, servicePrincipals/<id>/claimsMappingPolicies, servicePrincipals/<id>/appRoleAssignedTo (each .json, pages as <name>.2.json, …).',
    why: 'The file name says which request a response answers; docs/tenants.md lists them.',
  },
  {
    code: 'CM7103',
    severity: 'error',
    message: 'Expected a Graph collection {"value":[…]}, found {found}.',
    hint: 'Save the response body of the list request as it comes.',
    why: 'List requests answer with an OData collection.',
  },
  {
    code: 'CM7104',
    severity: 'error',
    message: 'This page has an @odata.nextLink but the next page ({next}) is not in the export.',
    hint: 'Follow @odata.nextLink until a page has none, saving each page as <name>.<n>.json.',
    why: 'A paged collection cut short would silently drop users, groups or members.',
  },
  {
    code: 'CM7105',
    severity: 'warning',
    message: '{file} is about {kind} {id}, which the export does not contain; it is ignored.',
    hint: 'Export the {kind} too, or remove the file.',
    why: 'Memberships and assignments only matter for principals the snapshot holds.',
  },
  {
    code: 'CM7106',
    severity: 'error',
    message: 'The export is invalid here: {problem}',
    hint: 'Save Graph responses unedited; docs/tenants.md lists the requests.',
    why: 'A response that does not match the Graph resource shapes cannot be indexed.',
  },
  {
    code: 'CM7107',
    severity: 'warning',
    message: 'Claims-mapping policy "{policy}" reads user.{property}, which the users export did not select; the claim will be absent as not exported.',
    hint: 'Add {property} to $select of GET /users.',
    why: 'A property left out of $select is missing from every user; that is not the same as an empty value.',
  },
  {
    code: 'CM7108',
    severity: 'error',
    message: 'The export has no {file} response.',
    hint: 'Save GET /{file} as {file}.json.',
    why: 'A snapshot needs the tenant (organization) and its users.',
  },
  {
    code: 'CM7109',
    severity: 'error',
    message: 'The indexed snapshot cannot be read at line {line}: {problem}',
    hint: 'Write it again with claimc snapshot <export folder> -o <file>.',
    why: 'An indexed snapshot is written by claimc snapshot and read without revalidating every user.',
  },
] as const satisfies readonly DiagnosticDefinition[];
