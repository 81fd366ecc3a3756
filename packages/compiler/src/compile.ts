import type { ClaimsMappingPolicy, Diagnostic, LocationIndex, Target } from '@claimc/model';
import { createDiagnostic, hasErrors, sortDiagnostics } from '@claimc/model';
import { readPolicy } from '@claimc/syntax';
import { linkPlanDocument } from '@claimc/runtime/internal';
import type { CompiledRegex, LinkedPlan, PlanDocument } from '@claimc/runtime/internal';
import { bindPolicy } from './bind.js';
import type { BoundPolicy } from './bind.js';
import { checkPolicy } from './check/index.js';
import { emitPlan } from './emit.js';
import { lowerPolicy } from './lower.js';
import { optimize } from './optimize/index.js';
import type { OptimizerStats } from './optimize/index.js';

/** Options of {@link compilePolicy} and {@link compileModel}. */
export interface CompileOptions {
  /** Picks the front end (`*.claims` is the claimc language) and names the file in diagnostics. */
  readonly fileName?: string;
  readonly target?: Target;
  /** The application has a custom signing key (unlocks SAML names, D6; §8). */
  readonly hasCustomSigningKey?: boolean;
  /** The tenant's verified domains, for the NameID Join check (§3.5). */
  readonly verifiedDomains?: readonly string[];
  /**
   * A policy already deployed in a tenant: an entry whose claim name is restricted does not stop the plan — the
   * lowerer records it absent (`restricted`) and its diagnostic becomes a warning — so one entry cannot take down
   * the app (docs/semantics.md#broken-policies). Default false: the name is an error and there is no plan.
   */
  readonly dropRestrictedEntries?: boolean;
}

/** The checker's codes for a claim name that may never reach a token (docs/semantics.md#claim-names). */
export const restrictedNameCodes: ReadonlySet<string> = new Set(['CM4020', 'CM4101', 'CM4102', 'CM4103', 'CM4104', 'CM4105']);
const claimNamePointer = /^\/ClaimsSchema\/\d+\/(?:JwtClaimType|SamlClaimType)$/;

/** True for a restricted-name diagnostic located at a ClaimsSchema entry's claim name. */
export function isRestrictedEntryDiagnostic(d: Diagnostic): boolean {
  return restrictedNameCodes.has(d.code) && d.pointer !== undefined && claimNamePointer.test(d.pointer);
}

/** What every compile result carries, whether or not it produced a plan. */
interface CompileReport {
  /** Sorted by position. */
  readonly diagnostics: Diagnostic[];
  /** The canonical model, when the policy could be read. */
  readonly policy: ClaimsMappingPolicy | undefined;
  /** The bound policy, when the policy could be read (the reference interpreter reads it). */
  readonly bound: BoundPolicy | undefined;
}

/** A compile without errors: the plan, the same plan linked once by the self-check, and what the optimizer did. */
export interface CompileSuccess extends CompileReport {
  readonly ok: true;
  readonly plan: PlanDocument;
  /** Ready to evaluate without linking again. */
  readonly linked: LinkedPlan;
  readonly stats: OptimizerStats;
  readonly bound: BoundPolicy;
  readonly policy: ClaimsMappingPolicy;
}

/** A compile with at least one error: no plan at all, only the diagnostics (and the model, when it could be read). */
export interface CompileFailure extends CompileReport {
  readonly ok: false;
  /** Present when the optimizer ran before a later stage failed. */
  readonly stats: OptimizerStats | undefined;
}

/**
 * What compiling gives. Any error diagnostic — from reading, binding, checking, lowering or the link
 * self-check — makes it a {@link CompileFailure}, which has no `plan`: narrow on `ok` to reach it.
 */
export type CompileResult = CompileSuccess | CompileFailure;

/**
 * Compiles a policy file: readPolicy → bind → check → lower → optimize → emit, then links the emitted
 * plan once as a self-check (a plan that would not link is CM5010, never a silent fallback).
 * Never throws on user input; returns a plan only when no stage reported an error.
 *
 * @example
 * const result = compilePolicy('{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true","ClaimsSchema":[{"Source":"user","ID":"employeeid","JwtClaimType":"employeeid"}]}}');
 * if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
 * const { claims } = evaluateJwt(result.linked, { user: { id: 'u1', employeeId: 'E1' } });
 */
export function compilePolicy(text: string, options: CompileOptions = {}): CompileResult {
  const read = readPolicy(text, { ...(options.fileName !== undefined ? { fileName: options.fileName } : {}), ...(options.target !== undefined ? { target: options.target } : {}) });
  if (read.policy === undefined) return { ok: false, diagnostics: sortDiagnostics(read.diagnostics), stats: undefined, policy: undefined, bound: undefined };
  // the read diagnostics take part in the error decision: a recovered read never becomes a plan
  return compileStages(read.policy, read.locations, options, read.diagnostics);
}

/**
 * Compiles a canonical model (the `.claims` front end and the directory loader use it): bind → check →
 * lower → optimize → emit → link check.
 *
 * @example
 * const result = compileModel({ Version: 1, ClaimsSchema: [{ Source: 'user', ID: 'mail', JwtClaimType: 'email2' }] }, new Map());
 * if (result.ok) console.log(result.plan.jwt.emits.length); // 1
 */
export function compileModel(policy: ClaimsMappingPolicy, locations: LocationIndex, options: CompileOptions = {}): CompileResult {
  return compileStages(policy, locations, options, []);
}

/** The stages after reading; `earlier` holds the diagnostics of the read, which count towards "any error". */
function compileStages(policy: ClaimsMappingPolicy, locations: LocationIndex, options: CompileOptions, earlier: readonly Diagnostic[]): CompileResult {
  const target = options.target ?? 'lenient';
  const { bound, diagnostics: bindDiagnostics } = bindPolicy(policy, locations, { target });
  const checkDiagnostics = checkPolicy(bound, {
    target,
    ...(options.hasCustomSigningKey !== undefined ? { hasCustomSigningKey: options.hasCustomSigningKey } : {}),
    ...(options.verifiedDomains !== undefined ? { verifiedDomains: options.verifiedDomains } : {}),
  });
  const checked = options.dropRestrictedEntries === true ? checkDiagnostics.map((d) => (d.severity === 'error' && isRestrictedEntryDiagnostic(d) ? { ...d, severity: 'warning' as const } : d)) : checkDiagnostics;
  const diagnostics = [...earlier, ...bindDiagnostics, ...checked];
  const failed = (stats?: OptimizerStats): CompileFailure => ({ ok: false, diagnostics: sortDiagnostics(diagnostics), stats, policy, bound });
  if (hasErrors(diagnostics)) return failed();
  const lowered = lowerPolicy(bound, { target, ...(options.hasCustomSigningKey !== undefined ? { hasCustomSigningKey: options.hasCustomSigningKey } : {}) });
  diagnostics.push(...lowered.diagnostics);
  if (lowered.program === undefined || hasErrors(diagnostics)) return failed();
  const { program, stats } = optimize(lowered.program, bound.entries.length, bound.transformations.length);
  const plan = emitPlan(program);
  let linked: LinkedPlan;
  try {
    linked = linkPlanDocument(plan, compiledRegexes(bound));
  } catch (error) {
    diagnostics.push(createDiagnostic('CM5010', { message: error instanceof Error ? error.message : String(error) }, {}, target));
    return failed(stats);
  }
  return { ok: true, plan, linked, stats, diagnostics: sortDiagnostics(diagnostics), policy, bound };
}

/** The re2js programs bind compiled to validate the policy's patterns, by RE2 source: link reuses them. */
function compiledRegexes(bound: BoundPolicy): Map<string, CompiledRegex> {
  const programs = new Map<string, CompiledRegex>();
  for (const t of bound.transformations) {
    const translation = t.regex?.translation;
    if (translation?.ok === true) programs.set(translation.pattern.source, translation.compiled);
  }
  return programs;
}
