import { isPrototypeKey } from '@claimc/model';
import { Reason } from '@claimc/runtime/internal';
import type { PlanDocument } from '@claimc/runtime/internal';

/** One way a claim can get its value: node `n<node>`, only for the given token version when `version` is set. */
interface Candidate {
  readonly node: number;
  readonly version: number | undefined;
}

/**
 * The body of the AOT module's `evaluateJwtClaims`: one object literal per token version (1, 2, any other),
 * keys in the linked plan's order (basic claims of that version, then the policy's names in first-emission
 * order), each value the last candidate that has a value, else `undefined`. `nodeLines` are the statements
 * computing the nodes; `lazyNodes` are single-version basic reads, computed only for their version.
 */
export function claimsFunctionBody(plan: PlanDocument, nodeLines: readonly string[], lazyLines: ReadonlyMap<number, string>): string[] {
  const literal = (version: number): string => {
    const candidates = new Map<string, Candidate[]>();
    const add = (name: string, candidate: Candidate): void => {
      // linkPlan refuses such plans when the module loads; refusing here too keeps a literal from ever setting a prototype.
      if (isPrototypeKey(name)) throw new Error(`aot: claim name ${JSON.stringify(name)} is a prototype key`);
      const list = candidates.get(name);
      if (list === undefined) candidates.set(name, [candidate]);
      else list.push(candidate);
    };
    for (const b of plan.jwt.basic) if (b.versions.includes(version as 1 | 2)) add(b.name, { node: b.node, version: undefined });
    for (const e of plan.jwt.emits) if ('node' in e) add(e.name, { node: e.node, version: undefined });
    const value = (list: readonly Candidate[]): string =>
      list.reduce<string>((otherwise, c) => `typeof n${c.node} !== 'number' ? n${c.node} : ${otherwise}`, 'undefined');
    return `{ ${[...candidates].map(([name, list]) => `${JSON.stringify(name)}: ${value(list)}`).join(', ')} }`;
  };
  const lazy = [...lazyLines].map(([node, line]) => {
    const versions = plan.jwt.basic.find((b) => b.node === node)?.versions ?? [];
    return line.replace(/^(\s*const n\d+(?:: Computed)? = )(.*);$/, `$1version === ${versions[0] ?? 0} ? $2 : ${Reason.sourceEmpty};`);
  });
  return [
    '  const version = options?.jwtVersion ?? 2;',
    ...nodeLines,
    ...lazy,
    `  if (version === 2) return ${literal(2)};`,
    `  if (version === 1) return ${literal(1)};`,
    `  return ${literal(0)};`,
  ];
}
