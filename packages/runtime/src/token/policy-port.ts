import type { EvaluationContext } from '../context.js';
import type { SamlAttribute } from '../evaluate.js';

// The slice of a linked plan that token assembly needs. Structural, so the assembler does not depend on
// how plans are linked; `indexDirectory` adapts `linkPlan`/`evaluateJwt`/`evaluateSaml` to it.

/** A claim value as policy evaluation yields it (D13). */
export type PolicyClaimValue = string | readonly string[];

/** Policy-wide settings the assembler honours (GroupFilter, D19 overrides, basic set). */
export interface PolicySettingsPort {
  readonly includeBasicClaimSet: boolean;
  readonly issuerWithApplicationId: boolean;
  readonly audienceOverride?: string | undefined;
  readonly groupFilter?: undefined | { readonly matchOn: 'displayname' | 'samaccountname'; readonly type: 'prefix' | 'suffix' | 'contains'; readonly value: string };
}

/** A claim the policy names but did not emit, with the evaluator's reason. */
export interface AbsentClaim {
  readonly name: string;
  readonly reason: string;
}

/** No absences: one frozen empty list shared by every token without any. */
export const noAbsences: readonly AbsentClaim[] = Object.freeze([]);

/** What evaluating a policy for a JWT yields: the basic set it keeps and the policy's own claims. */
export interface PolicyJwtResult {
  readonly basic: Readonly<Record<string, PolicyClaimValue>>;
  readonly policy: Readonly<Record<string, PolicyClaimValue>>;
  readonly absent: readonly AbsentClaim[];
}

/** What evaluating a policy for SAML yields. */
export interface PolicySamlResult {
  readonly basic: readonly SamlAttribute[];
  readonly policy: readonly SamlAttribute[];
  readonly nameId?: { readonly value: string; readonly format?: string };
  readonly absent: readonly AbsentClaim[];
}

/** A linked, immutable policy ready to evaluate per token. */
export interface PolicyPort {
  readonly settings: PolicySettingsPort;
  evaluateJwt(context: EvaluationContext, version: 1 | 2): PolicyJwtResult;
  evaluateSaml(context: EvaluationContext): PolicySamlResult;
}
