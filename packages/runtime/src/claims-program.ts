import type { NodeFn } from './link.js';

/** @internal One claim store of the claims-only program: the value `fn` computes, stored under `name` unless it is an absence code. */
export interface ClaimStep {
  readonly name: string;
  readonly fn: NodeFn;
}

/**
 * @internal What `evaluateJwtClaims` runs for one JWT version: a boilerplate object holding every claim name the
 * version can emit (value `undefined`) in emission order, cloned per call so every result shares one hidden class,
 * and the stores in order (basic claims first, then the policy's entries; a later store replaces an earlier one).
 */
export interface ClaimsProgram {
  readonly boilerplate: Readonly<Record<string, undefined>>;
  readonly steps: readonly ClaimStep[];
}

/**
 * @internal Builds the claims-only program of each JWT version at link time. Static absences (entries past the
 * limit, unsupported sources) store nothing, so they are dropped here and cost nothing per token. The names were
 * checked by the linker (no restricted or prototype name), which is what makes a plain object safe.
 */
export function buildClaimsPrograms(
  basic: readonly (readonly { readonly name: string; readonly fn: NodeFn }[])[],
  emits: readonly { readonly name: string; readonly fn: NodeFn; readonly computes: boolean }[],
): readonly ClaimsProgram[] {
  const policySteps = emits.filter((e) => e.computes).map((e) => Object.freeze({ name: e.name, fn: e.fn }));
  return Object.freeze(
    basic.map((basicSteps) => {
      const steps = [...basicSteps.map((b) => Object.freeze({ name: b.name, fn: b.fn })), ...policySteps];
      // Object.fromEntries keeps the object in fast (non-dictionary) mode at any size and a spread clone keeps its map;
      // not frozen because cloning a frozen object is about 10× slower. It never leaves this module's callers.
      const boilerplate = Object.fromEntries(steps.map((s) => [s.name, undefined])) as Record<string, undefined>;
      return Object.freeze({ boilerplate, steps: Object.freeze(steps) });
    }),
  );
}
