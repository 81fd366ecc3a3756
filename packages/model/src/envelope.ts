import { serializePolicy, type ClaimsMappingPolicy } from './policy.js';

/** The three JSON wrappers a policy travels in (D4). */
export type EnvelopeKind = 'raw' | 'graph' | 'powershell';

/**
 * The raw policy document `{"ClaimsMappingPolicy":{…}}`, pretty-printed with two spaces, keys in
 * canonical order.
 *
 * @example
 * writeRawEnvelope({ Version: 1, IncludeBasicClaimSet: false })
 * // '{\n  "ClaimsMappingPolicy": {\n    "Version": 1,\n    "IncludeBasicClaimSet": false\n  }\n}\n'
 */
export function writeRawEnvelope(policy: ClaimsMappingPolicy): string {
  return serializePolicy(policy, 2) + '\n';
}

/**
 * The Microsoft Graph request body for `POST /policies/claimsMappingPolicies`: the policy as ONE compact
 * JSON string in `definition` (G-CMP), the display name, and `isOrganizationDefault: false`.
 *
 * @example
 * writeGraphEnvelope({ Version: 1 }, 'Example')
 * // '{\n  "definition": [\n    "{\\"ClaimsMappingPolicy\\":{\\"Version\\":1}}"\n  ],\n  "displayName": "Example",\n  "isOrganizationDefault": false\n}\n'
 */
export function writeGraphEnvelope(policy: ClaimsMappingPolicy, displayName: string): string {
  return JSON.stringify({ definition: [serializePolicy(policy)], displayName, isOrganizationDefault: false }, null, 2) + '\n';
}

/** PowerShell also ends a single-quoted string at typographic quotes (U+2018–U+201B); doubling escapes them too. */
const powerShellQuotes = /['\u2018\u2019\u201a\u201b]/g;

/** A PowerShell single-quoted string: the only escape is a doubled quote. */
function powerShellQuote(text: string): string {
  return "'" + text.replace(powerShellQuotes, (q) => q + q) + "'";
}

/** Policy JSON for a PowerShell string: typographic quotes become JSON `\uXXXX` escapes, so only `'` needs doubling. */
function powerShellJson(policy: ClaimsMappingPolicy): string {
  return serializePolicy(policy).replace(/[\u2018-\u201b]/g, (q) => '\\u' + q.charCodeAt(0).toString(16).padStart(4, '0'));
}

/**
 * The Microsoft Graph PowerShell command that creates the policy (PS):
 * `New-MgPolicyClaimMappingPolicy -Definition @('<json>') -DisplayName '<name>'`, single quotes doubled.
 *
 * @example
 * writePowerShellEnvelope({ Version: 1 }, "Bob's policy")
 * // "New-MgPolicyClaimMappingPolicy -Definition @('{\"ClaimsMappingPolicy\":{\"Version\":1}}') -DisplayName 'Bob''s policy'\n"
 */
export function writePowerShellEnvelope(policy: ClaimsMappingPolicy, displayName: string): string {
  return `New-MgPolicyClaimMappingPolicy -Definition @(${powerShellQuote(powerShellJson(policy))}) -DisplayName ${powerShellQuote(displayName)}\n`;
}

/**
 * Writes a policy in the chosen envelope; `displayName` is used by the Graph and PowerShell forms.
 *
 * @example
 * writeEnvelope({ Version: 1 }, 'graph', 'Example')
 */
export function writeEnvelope(policy: ClaimsMappingPolicy, kind: EnvelopeKind, displayName: string): string {
  switch (kind) {
    case 'raw':
      return writeRawEnvelope(policy);
    case 'graph':
      return writeGraphEnvelope(policy, displayName);
    case 'powershell':
      return writePowerShellEnvelope(policy, displayName);
  }
}
