import type { IrNode, IrProgram } from '../ir.js';
import { remapNode, remapReaders } from '../ir.js';

/**
 * Sharing repeated reads (common-subexpression elimination): structurally equal nodes — the same
 * directory read, the same transformation over the same inputs — become one node, evaluated once per
 * token by the linked plan.
 */
export function shareReads(program: IrProgram): { program: IrProgram; changes: number } {
  const nodes: IrNode[] = [];
  const owners: number[][] = [];
  const transformationOf: number[] = [];
  const byKey = new Map<string, number>();
  const map: number[] = [];
  let changes = 0;
  program.nodes.forEach((node, i) => {
    const remapped = remapNode(node, (r) => map[r] as number);
    const key = JSON.stringify(remapped);
    const known = byKey.get(key);
    if (known !== undefined) {
      map[i] = known;
      owners[known] = [...new Set([...(owners[known] ?? []), ...(program.owners[i] ?? [])])];
      changes++;
      return;
    }
    byKey.set(key, nodes.length);
    map[i] = nodes.length;
    nodes.push(remapped);
    owners.push([...(program.owners[i] ?? [])]);
    transformationOf.push(program.transformationOf[i] ?? -1);
  });
  const at = (r: number): number => map[r] as number;
  return {
    program: {
      ...program,
      nodes,
      owners,
      transformationOf,
      ...remapReaders(program, at),
    },
    changes,
  };
}
