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
