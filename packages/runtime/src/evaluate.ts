import type { EvaluationContext } from './context.js';
import { ClaimcRuntimeError } from './errors.js';
import { linkedInternals } from './link.js';
import type { Absence, LinkedEmit, LinkedPlan, LinkedProgram, NodeFn } from './link.js';
import { Reason, reasonName } from './lib/values.js';
import type { Computed } from './lib/values.js';

/**
 * A claim value: a string, or an array for a multi-valued claim (D13, even with one element).
 *
 * @example
 * const value: ClaimValue = ['retail', 'forecasting'];
 */
export type ClaimValue = string | readonly string[];

/**
 * Claim name → value, in a null-prototype object; key order is emission order.
 *
 * @example
 * evaluateJwt(plan, context).claims['employeeid']
 */
export type ClaimMap = Readonly<Record<string, ClaimValue>>;

/**
 * One SAML attribute; every value is its own `AttributeValue` (D13).
 *
 * @example
 * const attribute: SamlAttribute = { name: 'http://example.com/claims/dept', values: ['HR'] };
 */
export interface SamlAttribute {
  readonly name: string;
  readonly nameFormat?: string;
  readonly values: readonly string[];
}

/**
 * The policy's share of a JWT (core claims, optional claims and groups are the token issuer's, D14).
 *
 * @example
 * const { basic, policy, claims, absent }: JwtEvaluation = evaluateJwt(plan, context);
 */
export interface JwtEvaluation {
  /** The basic claims (D15), empty when `IncludeBasicClaimSet` is false. */
  readonly basic: ClaimMap;
  /** The claims the policy's ClaimsSchema entries emit (D14: a later entry with a value replaces an earlier one). */
  readonly policy: ClaimMap;
  /** `basic` overlaid by `policy`. */
  readonly claims: ClaimMap;
  /** Every entry that names a claim but did not emit it, with the reason, in entry order. */
  readonly absent: readonly Absence[];
}

/**
 * The policy's share of a SAML assertion.
 *
 * @example
 * const { attributes, nameId }: SamlEvaluation = evaluateSaml(plan, context);
 */
export interface SamlEvaluation {
  readonly basic: readonly SamlAttribute[];
  readonly policy: readonly SamlAttribute[];
  /** `basic` overlaid by `policy`, by attribute name. */
  readonly attributes: readonly SamlAttribute[];
  /** Set by the entry whose SamlClaimType is the nameidentifier claim (§3.5). */
  readonly nameId?: { readonly value: string; readonly format?: string };
  readonly absent: readonly Absence[];
}

/**
 * Options for {@link evaluateJwt}.
 *
 * @example
 * evaluateJwt(plan, context, { jwtVersion: 1 })
 */
export interface EvaluateOptions {
  /** The token version; decides the basic set (D15). Default 2 (the v2.0 endpoint). */
  readonly jwtVersion?: 1 | 2;
}

/** @internal The linked programs of a plan; throws for anything linkPlan did not return. */
export function internals(plan: LinkedPlan): { readonly jwt: LinkedProgram; readonly saml: LinkedProgram } {
  const inside = (plan as Partial<LinkedPlan> | null | undefined)?.[linkedInternals];
  if (inside === undefined) throw new ClaimcRuntimeError('ERR_PLAN_NOT_LINKED', 'evaluate needs a plan returned by linkPlan');
  return inside;
}

// Never written: a program without shared nodes has no slots.
const noSlots: Computed[] = [];

/** @internal Computes the shared nodes of a program once per call. */
export function fillSlots(program: LinkedProgram, context: EvaluationContext): Computed[] {
  if (program.slotCount === 0) return noSlots;
  const slots = new Array<Computed>(program.slotCount);
  const shared = program.shared;
  for (let i = 0; i < shared.length; i++) {
    const { index, fn } = shared[i] as LinkedProgram['shared'][number];
    slots[index] = fn(context, slots);
  }
  return slots;
}

function absence(emit: LinkedEmit, reason: number): Absence {
  return { name: emit.name, entry: emit.entry, reason: reasonName(reason) };
}

function byEntry(a: Absence, b: Absence): number {
  return a.entry - b.entry;
}

/**
 * A token's absences (in entry order) merged with the program's static ones (frozen, in entry order): usually the
 * static list itself, or one copy of it with the token's absences in front (entries past the limit come last).
 */
function withStaticAbsences(program: LinkedProgram, absent: Absence[] | undefined): readonly Absence[] {
  if (absent === undefined) return program.staticAbsent;
  const tail = program.staticAbsent;
  if (tail.length === 0) return absent;
  const lead = program.staticLead;
  if (lead !== undefined) {
    const out = lead.slice(program.computing.length - absent.length);
    for (let i = 0; i < absent.length; i++) out[i] = absent[i] as Absence;
    return out;
  }
  const merged: Absence[] = [];
  let j = 0;
  for (let i = 0; i < absent.length; i++) {
    const a = absent[i] as Absence;
    while (j < tail.length && (tail[j] as Absence).entry < a.entry) merged.push(tail[j++] as Absence);
    merged.push(a);
  }
  while (j < tail.length) merged.push(tail[j++] as Absence);
  return merged;
}

/**
 * Evaluates a linked plan for a JWT: synchronous, reads no clock, touches no shared mutable state;
 * the maps are fresh null-prototype objects on every call. The `absent` list and its records are read-only: records
 * are frozen and shared between calls, and when every absence is static (the same for every token, such as entries
 * past the entry limit) the list itself is one frozen array made when the plan was linked.
 *
 * @example
 * const { claims, absent } = evaluateJwt(plan, { user: { id: 'u1', employeeId: 'E42' }, tenant: { id: 't', countryLetterCode: 'US' } });
 * claims.employeeid // 'E42'
 */
export function evaluateJwt(plan: LinkedPlan, context: EvaluationContext, options?: EvaluateOptions): JwtEvaluation {
  const program = internals(plan).jwt;
  const version = options?.jwtVersion ?? 2;
  const slots = fillSlots(program, context);
  const basic: Record<string, ClaimValue> = Object.create(null) as Record<string, ClaimValue>;
  const policy: Record<string, ClaimValue> = Object.create(null) as Record<string, ClaimValue>;
  const claims: Record<string, ClaimValue> = Object.create(null) as Record<string, ClaimValue>;
  const basicClaims = program.basic[version] ?? [];
  for (let i = 0; i < basicClaims.length; i++) {
    const b = basicClaims[i] as (typeof basicClaims)[number];
    const v = b.fn(context, slots);
    if (typeof v === 'number') continue;
    basic[b.name] = v;
    claims[b.name] = v;
  }
  let absent: Absence[] | undefined;
  let overridden = false;
  const setters = program.duplicateCount === 0 ? undefined : new Array<number>(program.duplicateCount).fill(-1);
  // Static absences are not evaluated: they are merged in at the end.
  const emits = program.computing;
  for (let i = 0; i < emits.length; i++) {
    const e = emits[i] as LinkedEmit;
    const v = (e.fn as NodeFn)(context, slots);
    if (typeof v === 'number') {
      (absent ??= []).push(absence(e, v));
      continue;
    }
    if (setters !== undefined && e.duplicate >= 0) {
      const previous = setters[e.duplicate] as number;
      if (previous >= 0) {
        (absent ??= []).push(absence(emits[previous] as LinkedEmit, Reason.overridden));
        overridden = true;
      }
      setters[e.duplicate] = i;
    }
    policy[e.name] = v;
    claims[e.name] = v;
  }
  if (overridden && absent !== undefined) absent.sort(byEntry);
  return { basic, policy, claims, absent: withStaticAbsences(program, absent) };
}

/**
 * Evaluates a linked plan for a SAML assertion. The nameidentifier entry sets `nameId` (its first
 * value, with the entry's `samlNameIdFormat`) instead of an attribute (§3.5).
 *
 * @example
 * const { attributes, nameId } = evaluateSaml(plan, { user: { id: 'u1', mail: 'joe@contoso.com' } });
 */
export function evaluateSaml(plan: LinkedPlan, context: EvaluationContext): SamlEvaluation {
  const program = internals(plan).saml;
  const slots = fillSlots(program, context);
  const basic: SamlAttribute[] = [];
  const attributes: SamlAttribute[] = [];
  const position = new Map<string, number>();
  for (const b of program.basic[2] ?? []) {
    const v = b.fn(context, slots);
    if (typeof v === 'number') continue;
    const attribute: SamlAttribute = { name: b.name, values: typeof v === 'string' ? [v] : v.slice() };
    basic.push(attribute);
    position.set(b.name, attributes.length);
    attributes.push(attribute);
  }
  const policy: SamlAttribute[] = [];
  const policyPosition = new Map<string, number>();
  const policySetter: number[] = [];
  let nameId: { value: string; format?: string } | undefined;
  let nameIdSetter = -1;
  let absent: Absence[] | undefined;
  let overridden = false;
  const emits = program.computing;
  for (let i = 0; i < emits.length; i++) {
    const e = emits[i] as LinkedEmit;
    const v = (e.fn as NodeFn)(context, slots);
    if (typeof v === 'number') {
      (absent ??= []).push(absence(e, v));
      continue;
    }
    if (e.nameId !== undefined) {
      if (nameIdSetter >= 0) {
        (absent ??= []).push(absence(emits[nameIdSetter] as LinkedEmit, Reason.overridden));
        overridden = true;
      }
      nameIdSetter = i;
      const value = typeof v === 'string' ? v : (v[0] as string);
      nameId = e.nameId.format === undefined ? { value } : { value, format: e.nameId.format };
      continue;
    }
    const values = typeof v === 'string' ? [v] : v.slice();
    const attribute: SamlAttribute = e.nameFormat === undefined ? { name: e.name, values } : { name: e.name, nameFormat: e.nameFormat, values };
    const at = policyPosition.get(e.name);
    if (at === undefined) {
      policyPosition.set(e.name, policy.length);
      policy.push(attribute);
      policySetter.push(i);
    } else {
      (absent ??= []).push(absence(emits[policySetter[at] as number] as LinkedEmit, Reason.overridden));
      overridden = true;
      policy[at] = attribute;
      policySetter[at] = i;
    }
    const atAll = position.get(e.name);
    if (atAll === undefined) {
      position.set(e.name, attributes.length);
      attributes.push(attribute);
    } else attributes[atAll] = attribute;
  }
  if (overridden && absent !== undefined) absent.sort(byEntry);
  const result: SamlEvaluation = { basic, policy, attributes, absent: withStaticAbsences(program, absent) };
  return nameId === undefined ? result : { ...result, nameId };
}
