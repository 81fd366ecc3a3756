import type { NodeFn } from './link.js';
import { constantOf, ownReadOf, slotIndexOf } from './link/reads.js';
import type { OwnRead } from './link/reads.js';
import type { Computed } from './lib/values.js';

/**
 * @internal One key of the claims-only result: its value is the first of `fn`, then `earlier` (in that order) that
 * has a value, else `undefined`. `fn` is the name's last store in the plan (a later entry with a value replaces an
 * earlier one), `earlier` the others from last to first; nodes are pure, so skipping the earlier ones is exact.
 * When `fn` returns a constant (`constant`), reads a shared node's slot (`slot` ≥ 0) or is a plain own read (`read`),
 * the claims loop does that work inline instead of calling `fn`: every plan's closures are called from one shared
 * site, so such a call is never inlined.
 */
export interface ClaimKey {
  readonly name: string;
  readonly fn: NodeFn;
  readonly constant: Computed | undefined;
  readonly slot: number;
  readonly read: OwnRead | undefined;
  readonly earlier: readonly NodeFn[] | undefined;
}

/**
 * @internal What `evaluateJwtClaims` runs for one JWT version: every claim name the version can emit once, in
 * first-emission order (basic claims first, then the policy's entries). Storing every key in this order into a
 * fresh `{}` gives each result of the version the same hidden class; cloning a boilerplate object instead is a
 * megamorphic copy (about 18 ns per key once a process links a few plans), which costs as much as the stores.
 */
export interface ClaimsProgram {
  readonly keys: readonly ClaimKey[];
  /**
   * For a program of more than {@link literalKeyLimit} keys: every key in order, all `undefined`, in a fast-mode object
   * that each result is spread from, then overwritten. Never written after link time.
   */
  readonly template: Readonly<Record<string, undefined>> | undefined;
}

/**
 * Up to this many keys a `{}` filled by keyed stores keeps V8's fast (hidden-class) properties; past it V8 turns the
 * object into a dictionary, whose stores cost about three times as much and which every consumer reads more slowly.
 */
export const literalKeyLimit = 19;

/** A fast-mode object with the names as keys in order, all `undefined` (JSON.parse builds fast-mode objects). */
function keyTemplate(names: readonly string[]): Readonly<Record<string, undefined>> {
  let text = '{';
  for (let i = 0; i < names.length; i++) text += (i === 0 ? '' : ',') + JSON.stringify(names[i]) + ':0';
  const template = JSON.parse(text + '}') as Record<string, undefined>;
  for (const name of names) template[name] = undefined;
  return template;
}

function claimKey(name: string, stores: readonly NodeFn[]): ClaimKey {
  const fn = stores[stores.length - 1] as NodeFn;
  return Object.freeze({
    name,
    fn,
    constant: constantOf(fn),
    slot: slotIndexOf(fn),
    read: ownReadOf(fn),
    earlier: stores.length === 1 ? undefined : Object.freeze(stores.slice(0, -1).reverse()),
  });
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
  const policySteps = emits.filter((e) => e.computes);
  return Object.freeze(
    basic.map((basicSteps) => {
      const byName = new Map<string, NodeFn[]>();
      const add = (step: { readonly name: string; readonly fn: NodeFn }): void => {
        const stores = byName.get(step.name);
        if (stores === undefined) byName.set(step.name, [step.fn]);
        else stores.push(step.fn);
      };
      basicSteps.forEach(add);
      policySteps.forEach(add);
      const keys: ClaimKey[] = [];
      for (const [name, stores] of byName) keys.push(claimKey(name, stores));
      return Object.freeze({ keys: Object.freeze(keys), template: keys.length > literalKeyLimit ? keyTemplate(keys.map((k) => k.name)) : undefined });
    }),
  );
}
