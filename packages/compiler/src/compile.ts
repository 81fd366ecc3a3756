import type { ClaimsMappingPolicy, Diagnostic, LocationIndex, Target } from '@claimc/model';
import { createDiagnostic, hasErrors, sortDiagnostics } from '@claimc/model';
import { readPolicy } from '@claimc/syntax';
import { linkPlan } from '@claimc/runtime/internal';
import type { LinkedPlan, PlanDocument } from '@claimc/runtime/internal';
import { bindPolicy } from './bind.js';
import type { BoundPolicy } from './bind.js';
import { checkPolicy } from './check/index.js';
import { emitPlan } from './emit.js';
import { lowerPolicy } from './lower.js';
import { optimize } from './optimize/index.js';
import type { OptimizerStats } from './optimize/index.js';
import type { TranslationResult } from './regex/index.js';

/** Options of {@link compilePolicy} and {@link compileModel}. */
export interface CompileOptions {
  /** Picks the front end (`*.claims` is the claimc language) and names the file in diagnostics. */
  readonly fileName?: string;
  readonly target?: Target;
  /** The application has a custom signing key (unlocks SAML names, D6; §8). */
  readonly hasCustomSigningKey?: boolean;
  /** The tenant's verified domains, for the NameID Join check (§3.5). */
  readonly verifiedDomains?: readonly string[];
}

/** What compiling gives: the plan (undefined when there are errors), every diagnostic, and what each stage did. */
export interface CompileResult {
  readonly plan: PlanDocument | undefined;
  /** Sorted by position. */
  readonly diagnostics: Diagnostic[];
  /** Undefined when the optimizer did not run (errors before it). */
  readonly stats: OptimizerStats | undefined;
  /** The canonical model, when the policy could be read. */
  readonly policy: ClaimsMappingPolicy | undefined;
  /** The bound policy, when the policy could be read (the reference interpreter reads it). */
  readonly bound: BoundPolicy | undefined;
  /** The plan, linked once by the self-check: ready to evaluate without linking again. */
  readonly linked: LinkedPlan | undefined;
}

/**
 * Compiles a policy file: readPolicy → bind → check → lower → optimize → emit, then links the emitted
 * plan once as a self-check (a plan that would not link is CM5010, never a silent fallback).
 * Never throws on user input.
 *
 * @example
 * const { plan, diagnostics } = compilePolicy('{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true","ClaimsSchema":[{"Source":"user","ID":"employeeid","JwtClaimType":"employeeid"}]}}');
 * const { claims } = evaluateJwt(linkPlan(plan!), { user: { id: 'u1', employeeId: 'E1' } });
 */
export function compilePolicy(text: string, options: CompileOptions = {}): CompileResult {
  const read = readPolicy(text, { ...(options.fileName !== undefined ? { fileName: options.fileName } : {}), ...(options.target !== undefined ? { target: options.target } : {}) });
  if (read.policy === undefined) return { plan: undefined, diagnostics: sortDiagnostics(read.diagnostics), stats: undefined, policy: undefined, bound: undefined, linked: undefined };
  const compiled = compileModel(read.policy, read.locations, { ...options, sourceText: text });
  return { ...compiled, diagnostics: sortDiagnostics([...read.diagnostics, ...compiled.diagnostics]) };
}

/**
 * Compiles a canonical model (the `.claims` front end and the directory loader use it): bind → check →
 * lower → optimize → emit → link check.
 *
 * @example
 * const { plan } = compileModel({ Version: 1, ClaimsSchema: [{ Source: 'user', ID: 'mail', JwtClaimType: 'email2' }] }, new Map());
 */
export function compileModel(policy: ClaimsMappingPolicy, locations: LocationIndex, options: CompileOptions & { readonly sourceText?: string } = {}): CompileResult {
  const target = options.target ?? 'lenient';
  // Per call, never module state: the checker and the lowerer translate each distinct pattern once between them.
  const regexTranslations = new Map<string, TranslationResult>();
  const { bound, diagnostics: bindDiagnostics } = bindPolicy(policy, locations, { target });
  const checkDiagnostics = checkPolicy(bound, {
    target,
    ...(options.hasCustomSigningKey !== undefined ? { hasCustomSigningKey: options.hasCustomSigningKey } : {}),
    ...(options.verifiedDomains !== undefined ? { verifiedDomains: options.verifiedDomains } : {}),
    ...(options.sourceText !== undefined ? { sourceText: options.sourceText } : {}),
    regexTranslations,
  });
  const diagnostics = [...bindDiagnostics, ...checkDiagnostics];
  const done = (plan: PlanDocument | undefined, stats: OptimizerStats | undefined, linked?: LinkedPlan): CompileResult => ({ plan, diagnostics: sortDiagnostics(diagnostics), stats, policy, bound, linked });
  if (hasErrors(diagnostics)) return done(undefined, undefined);
  const lowered = lowerPolicy(bound, { target, regexTranslations, ...(options.hasCustomSigningKey !== undefined ? { hasCustomSigningKey: options.hasCustomSigningKey } : {}) });
  diagnostics.push(...lowered.diagnostics);
  if (lowered.program === undefined || hasErrors(diagnostics)) return done(undefined, undefined);
  const { program, stats } = optimize(lowered.program, bound.entries.length, bound.transformations.length);
  const plan = emitPlan(program);
  let linked: LinkedPlan;
  try {
    linked = linkPlan(plan);
  } catch (error) {
    diagnostics.push(createDiagnostic('CM5010', { message: error instanceof Error ? error.message : String(error) }, {}, target));
    return done(undefined, stats);
  }
  return done(plan, stats, linked);
}
