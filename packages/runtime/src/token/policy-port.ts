import type { EvaluationContext } from '../context.js';

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

/** A SAML attribute produced by evaluation. */
export interface PolicySamlAttribute {
  readonly name: string;
  readonly nameFormat?: string;
  readonly values: readonly string[];
}

/** What evaluating a policy for a JWT yields: the basic set it keeps and the policy's own claims. */
export interface PolicyJwtResult {
  readonly basic: Readonly<Record<string, PolicyClaimValue>>;
  readonly policy: Readonly<Record<string, PolicyClaimValue>>;
  readonly absent: readonly { readonly name: string; readonly reason: string }[];
}

/** What evaluating a policy for SAML yields. */
export interface PolicySamlResult {
  readonly basic: readonly PolicySamlAttribute[];
  readonly policy: readonly PolicySamlAttribute[];
  readonly nameId?: { readonly value: string; readonly format?: string };
  readonly absent: readonly { readonly name: string; readonly reason: string }[];
}

/** A linked, immutable policy ready to evaluate per token. */
export interface PolicyPort {
  readonly settings: PolicySettingsPort;
  evaluateJwt(context: EvaluationContext, version: 1 | 2): PolicyJwtResult;
  evaluateSaml(context: EvaluationContext): PolicySamlResult;
}
