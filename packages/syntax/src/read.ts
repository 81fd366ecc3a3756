import type { ClaimsMappingPolicy, Diagnostic, LocationIndex, Span, Target } from '@claimc/model';
import { readPoliciesJson, readPolicyJson, type PolicyCollectionReadResult } from './json/read-json.js';
import { readPolicyClaims } from './claims/read-claims.js';

/** Which wrapper the policy came in (D4, plus Terraform and `az rest`), or `claims` for the `.claims` language. */
export type PolicyEnvelope = 'raw' | 'graph' | 'powershell' | 'terraform' | 'azcli' | 'claims';

/** What a front end produces: the canonical model, where each value stands, and every problem found. */
export interface PolicyReadResult {
  /** Undefined only when nothing could be read at all. */
  readonly policy: ClaimsMappingPolicy | undefined;
  /** Canonical pointer → location in the outer file (see LocationIndex). */
  readonly locations: LocationIndex;
  readonly diagnostics: readonly Diagnostic[];
  readonly envelope: PolicyEnvelope;
  /** The Graph body's or PowerShell line's display name, when the envelope has one. */
  readonly displayName?: string;
  /** The Graph object id (collections) or Terraform resource address, when the envelope names the policy. */
  readonly id?: string;
  /** Where this policy's envelope stands in the file, when the file may hold several. */
  readonly span?: Span;
}

export interface ReadOptions {
  /** Used to pick the front end: `*.claims` is the claimc language, anything else JSON in one of its envelopes. */
  readonly fileName?: string;
  readonly target?: Target;
}

/**
 * Reads a policy file in any supported form. Never throws on user input: problems are diagnostics.
 *
 * @example
 * const { policy, diagnostics } = readPolicy('{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true"}}');
 */
export function readPolicy(text: string, options: ReadOptions = {}): PolicyReadResult {
  return options.fileName?.toLowerCase().endsWith('.claims') === true ? readPolicyClaims(text, options) : readPolicyJson(text, options);
}

/**
 * Reads every policy a file holds (a Graph collection, Terraform resources or state, or any one-policy form),
 * each with its own located diagnostics. Never throws on user input.
 *
 * @example
 * const { policies, diagnostics } = readPolicies(text, { fileName: 'policies.json' });
 * for (const p of policies) console.log(p.id, p.displayName, p.diagnostics.length);
 */
export function readPolicies(text: string, options: ReadOptions = {}): PolicyCollectionReadResult {
  if (options.fileName?.toLowerCase().endsWith('.claims') === true) {
    const read = readPolicyClaims(text, options);
    return { policies: [read], diagnostics: [], envelope: 'claims' };
  }
  return readPoliciesJson(text, options);
}

/**
 * Picks one policy of a collection by Graph id, Terraform address or display name (case-insensitive).
 *
 * @example
 * selectPolicy(readPolicies(text).policies, 'Employee id')
 */
export function selectPolicy(policies: readonly PolicyReadResult[], selector: string): PolicyReadResult | undefined {
  const wanted = selector.toLowerCase();
  return (
    policies.find((p) => p.id?.toLowerCase() === wanted) ??
    policies.find((p) => p.id?.toLowerCase().endsWith('.' + wanted) === true) ??
    policies.find((p) => p.displayName?.toLowerCase() === wanted)
  );
}
