import type { EvaluationContext } from './context.js';
import type { ClaimValue, EvaluateOptions } from './evaluate.js';
import { fillSlots, internals } from './evaluate.js';
import type { ClaimKey, ClaimsProgram } from './claims-program.js';
import { ownRead } from './link/reads.js';
import type { LinkedPlan, NodeFn } from './link.js';
import type { Computed } from './lib/values.js';

/**
 * The claims of one JWT as an ordinary object: every claim name the policy (and the basic set of the token
 * version) can emit is a key, in emission order; a claim that is absent for this context holds `undefined`, which
 * `JSON.stringify` and object spread into a payload drop. Every result of one plan and version has the same keys
 * in the same order, so it has one stable shape.
 *
 * @example
 * const claims: JwtClaims = evaluateJwtClaims(plan, context);
 * JSON.stringify({ ...claims, sub: 'abc' }) // absent claims do not appear
 */
export type JwtClaims = Readonly<Record<string, ClaimValue | undefined>>;

/**
 * Evaluates a linked plan for a JWT and returns only the claims, as an ordinary object of stable shape: the
 * path for an issuer that puts the claims into a token. Same claims as `evaluateJwt(plan, context).claims`
 * (basic claims overlaid by the policy's; a later entry with a value replaces an earlier one), without the
 * basic/policy split and the absence reasons — use `evaluateJwt` when you need to know why a claim is missing.
 *
 * A plain object (with `Object.prototype`) is safe here because `linkPlan` refuses any plan whose claim names
 * include a prototype key (`__proto__`, `constructor`, …) or a restricted claim, so no store can reach the
 * prototype chain or a protected claim. Synchronous; reads no clock; touches no shared mutable state (the
 * result is a fresh object). Entries that can never emit (past the entry limit, an
 * unsupported source) are resolved when the plan is linked and cost nothing per token.
 *
 * @example
 * const plan = linkPlan(document);
 * const claims = evaluateJwtClaims(plan, { user: { id: 'u1', employeeId: 'E42' }, tenant: { id: 't', countryLetterCode: 'US' } });
 * claims.employeeid // 'E42'
 */
export function evaluateJwtClaims(plan: LinkedPlan, context: EvaluationContext, options?: EvaluateOptions): JwtClaims {
  const program = internals(plan).jwt;
  // Like evaluateJwt, a version without a basic set (not 1 or 2) gets the policy's claims only.
  const claimsProgram = (program.claimsOnly[options?.jwtVersion ?? 2] ?? program.claimsOnly[0]) as ClaimsProgram;
  const slots = fillSlots(program, context);
  // Every key is stored in the program's order, absent ones as undefined, so every result of a version shares one hidden
  // class; a program with many keys starts from a copy of its fast-mode template, so the stores overwrite fields.
  const template = claimsProgram.template;
  const claims: Record<string, ClaimValue | undefined> = template === undefined ? {} : { ...template };
  const keys = claimsProgram.keys;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as ClaimKey;
    // Shared nodes and plain reads inline; anything else through its closure.
    let value: Computed = key.read !== undefined ? ownRead(context, key.read) : key.slot >= 0 ? (slots[key.slot] as Computed) : key.constant ?? key.fn(context, slots);
    if (typeof value === 'number' && key.earlier !== undefined) value = earlierValue(key.earlier, context, slots);
    // A copy of the template already holds undefined: an absent claim needs no store.
    if (typeof value !== 'number') claims[key.name] = value;
    else if (template === undefined) claims[key.name] = undefined;
  }
  return claims;
}

/** The first of a name's earlier stores (last entry first) that has a value, else an absence code. */
function earlierValue(earlier: readonly NodeFn[], context: EvaluationContext, slots: Computed[]): Computed {
  let value: Computed = 0;
  for (let k = 0; k < earlier.length && typeof value === 'number'; k++) value = (earlier[k] as NodeFn)(context, slots);
  return value;
}
