import { ClaimcRuntimeError } from '../errors.js';
import { evaluateJwt, evaluateSaml } from '../evaluate.js';
import { linkPlan, type LinkedPlan } from '../link.js';
import type { PolicyPort } from '../token/policy-port.js';
import { buildDirectory, type IndexedDirectory } from './indexed.js';

/** Adapts a linked plan to the assembler's policy port. */
export function policyPort(plan: LinkedPlan): PolicyPort {
  return Object.freeze({
    settings: plan.settings,
    evaluateJwt: (context, version) => evaluateJwt(plan, context, { jwtVersion: version }),
    evaluateSaml: (context) => evaluateSaml(plan, context),
  } satisfies PolicyPort);
}

/**
 * A policy port for a deployed policy that could not be compiled: every token of an app it is assigned to is
 * refused with `ERR_POLICY_UNAVAILABLE` naming the policy, while every other app of the tenant keeps working.
 *
 * @example
 * const port = unavailablePolicyPort('ExtraClaimsExample', 'CM4201 unknown transformation "X"');
 */
export function unavailablePolicyPort(policyName: string, reason: string): PolicyPort {
  const refuse = (): never => {
    throw new ClaimcRuntimeError('ERR_POLICY_UNAVAILABLE', `claims-mapping policy "${policyName}" assigned to this application does not compile (${reason}); tokens for the applications it is assigned to are refused`);
  };
  return Object.freeze({ settings: Object.freeze({ includeBasicClaimSet: true, issuerWithApplicationId: false }), evaluateJwt: refuse, evaluateSaml: refuse } satisfies PolicyPort);
}

/**
 * Indexes a snapshot once for many issuances, linking each claims-mapping policy's plan (keyed by policy id) —
 * the runtime-only path for issuers that compiled their policies ahead of time. `prepareDirectory` in
 * `@claimc/compiler` compiles the snapshot's own policy definitions and reports problems as diagnostics.
 * Throws `ERR_SNAPSHOT_INVALID` (bad snapshot, policy without a plan) or a plan error from `linkPlan`.
 *
 * @example
 * const directory = indexDirectory(snapshot, new Map([[policyId, planDocument]]));
 * const token = assembleToken(directory, { token: 'access', client, resource, user: 'adelev@contoso.com', now });
 */
export function indexDirectory(snapshot: unknown, plans: ReadonlyMap<string, unknown>): IndexedDirectory {
  const ports = new Map<string, PolicyPort>();
  for (const [id, document] of plans) ports.set(id, policyPort(linkPlan(document)));
  return buildDirectory(snapshot, ports);
}
