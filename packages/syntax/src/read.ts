import type { ClaimsMappingPolicy, Diagnostic, LocationIndex, Target } from '@claimc/model';
import { readPolicyJson } from './json/read-json.js';
import { readPolicyClaims } from './claims/read-claims.js';

/** Which wrapper the policy came in (D4), or `claims` for the `.claims` language. */
export type PolicyEnvelope = 'raw' | 'graph' | 'powershell' | 'claims';

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
