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
    const key = nodeKey(remapped);
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

/**
 * A string two nodes share exactly when they are structurally equal. `first` and `call` nodes (most of a
 * transformation chain) are keyed by hand, every free string JSON-quoted so no two nodes collide; the rest by
 * their JSON, as before. Shorter than the whole node's JSON, so cheaper to build and to hash.
 */
function nodeKey(node: IrNode): string {
  switch (node.op) {
    case 'first':
      return 'f' + node.of;
    case 'call': {
      let key = 'c' + node.method + (node.multi === undefined ? '' : '*' + JSON.stringify(node.multi));
      for (const arg of node.args) key += 'node' in arg ? ',' + JSON.stringify(arg.name) + '#' + arg.node : ',' + JSON.stringify(arg.name) + '=' + JSON.stringify(arg.value);
      return key;
    }
    default:
      return JSON.stringify(node);
  }
}
