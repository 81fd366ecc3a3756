import type { HoistedIrNode, IrBasic, IrEmit, IrNode } from '../ir.js';
import { nodeRefs } from '@claimc/runtime/internal';

/** The nodes that the given emissions and basic claims need, transitively (the pool is topologically ordered). */
export function reachableNodes(nodes: readonly (IrNode | HoistedIrNode)[], emits: readonly IrEmit[], basic: readonly IrBasic[]): boolean[] {
  const live = new Array<boolean>(nodes.length).fill(false);
  for (const e of emits) if (typeof e.value === 'number') live[e.value] = true;
  for (const b of basic) live[b.node] = true;
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (live[i] !== true) continue;
    for (const r of nodeRefs(nodes[i] as IrNode | HoistedIrNode)) live[r] = true;
  }
  return live;
}

/** Keeps the live nodes, renumbered; returns the new pool and the old → new index map. */
export function compact<Node extends IrNode | HoistedIrNode>(nodes: readonly Node[], live: readonly boolean[]): { nodes: Node[]; map: number[]; kept: number[] } {
  const map: number[] = [];
  const kept: number[] = [];
  nodes.forEach((_, i) => {
    if (live[i] === true) {
      map[i] = kept.length;
      kept.push(i);
    }
  });
  return { nodes: kept.map((i) => nodes[i] as Node), map, kept };
}
