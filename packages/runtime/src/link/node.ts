import type { EvaluationContext } from '../context.js';
import { ClaimcRuntimeError } from '../errors.js';
import type { Computed } from '../lib/values.js';

/**
 * A linked node: computes its value from the context and the shared slots.
 *
 * @example
 * const read: NodeFn = (context) => (typeof context.user?.mail === 'string' ? context.user.mail : Reason.sourceEmpty);
 */
export type NodeFn = (context: EvaluationContext, slots: Computed[]) => Computed;

/** Fails the link with a typed error at a JSON Pointer into the plan (threats N4: fail closed). */
export const fail = (code: 'ERR_PLAN_INVALID' | 'ERR_PLAN_FORGED' | 'ERR_PLAN_REGEX', message: string, pointer: string): never => {
  throw new ClaimcRuntimeError(code, `${message} (at ${pointer})`, { pointer });
};
