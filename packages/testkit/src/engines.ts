import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ClaimsMappingPolicy } from '@claimc/model';
import { evaluateJwt, evaluateSaml } from '@claimc/runtime/internal';
import type { EvaluationContext, JwtClaims, JwtEvaluation, SamlEvaluation } from '@claimc/runtime/internal';
import { compileModel, emitModule, interpretJwt, interpretSaml } from '@claimc/compiler';
import type { CompileResult, CompileSuccess } from '@claimc/compiler';

/** What an emitted AOT module exports. */
export interface AotModule {
  readonly evaluateJwt: (context: EvaluationContext, options?: { readonly jwtVersion?: 1 | 2 }) => JwtEvaluation;
  readonly evaluateJwtClaims: (context: EvaluationContext, options?: { readonly jwtVersion?: 1 | 2 }) => JwtClaims;
  readonly evaluateSaml: (context: EvaluationContext) => SamlEvaluation;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
let workDir: string | undefined;
let counter = 0;

/** A temporary directory whose node_modules links @claimc/runtime, so emitted modules resolve their one import. */
function work(): string {
  if (workDir !== undefined) return workDir;
  const dir = mkdtempSync(join(tmpdir(), 'claimc-engines-'));
  mkdirSync(join(dir, 'node_modules', '@claimc'), { recursive: true });
  symlinkSync(join(root, 'packages', 'runtime'), join(dir, 'node_modules', '@claimc', 'runtime'), 'dir');
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  workDir = dir;
  return dir;
}

/**
 * Writes an AOT module's source to a temporary file next to a linked @claimc/runtime and returns its path.
 *
 * @example
 * const file = writeAotModule(emitModule(plan, { language: 'js' }));
 */
export function writeAotModule(source: string, extension: 'js' | 'ts' = 'js'): string {
  const file = join(work(), `module${counter++}.${extension}`);
  writeFileSync(file, source);
  return file;
}

/**
 * Writes an AOT module's source to a temporary file and imports it.
 *
 * @example
 * const module = await loadAotModule(emitModule(plan, { language: 'js' }));
 */
export async function loadAotModule(source: string, extension: 'js' | 'ts' = 'js'): Promise<AotModule> {
  return (await import(pathToFileURL(writeAotModule(source, extension)).href)) as AotModule;
}

/** The three engines' results for one policy and context. */
export interface EngineResults {
  readonly plan: { readonly jwt: JwtEvaluation; readonly saml: SamlEvaluation };
  readonly aot: { readonly jwt: JwtEvaluation; readonly saml: SamlEvaluation };
  readonly interpreter: { readonly jwt: JwtEvaluation; readonly saml: SamlEvaluation };
}

/**
 * The success of a compile, or an exception naming every error: for test set-up, where a policy that
 * does not compile is a broken test, not a finding.
 *
 * @example
 * const { plan, linked, bound } = compiledOrThrow(compileModel(policy, new Map()));
 */
export function compiledOrThrow(result: CompileResult): CompileSuccess {
  if (result.ok) return result;
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  throw new Error(`policy does not compile: ${errors.map((d) => `${d.code} ${d.message}${d.pointer === undefined ? '' : ` (at ${d.pointer})`}`).join('; ')}`);
}

/**
 * Compiles a policy model (failing on any error) and evaluates it through the linked plan, an AOT
 * module and the reference interpreter.
 *
 * @example
 * const results = await evaluateThreeWays(policy, context);
 * expect(results.aot.jwt).toStrictEqual(results.plan.jwt);
 */
export async function evaluateThreeWays(policy: ClaimsMappingPolicy, context: EvaluationContext, options: { readonly jwtVersion?: 1 | 2 } = {}): Promise<EngineResults> {
  const compiled = compiledOrThrow(compileModel(policy, new Map()));
  const linked = compiled.linked;
  const module = await loadAotModule(emitModule(compiled.plan, { language: 'js' }));
  return {
    plan: { jwt: evaluateJwt(linked, context, options), saml: evaluateSaml(linked, context) },
    aot: { jwt: module.evaluateJwt(context, options), saml: module.evaluateSaml(context) },
    interpreter: { jwt: interpretJwt(compiled.bound, context, options), saml: interpretSaml(compiled.bound, context) },
  };
}
