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
