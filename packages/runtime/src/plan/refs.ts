import type { PlanArg } from './schema.js';

/**
 * A value node as far as its references go: the plan's `PlanNode` and the compiler's IR node both fit, so
 * the linker, the optimizer and the AOT emitter walk the DAG through one function.
 */
export type ReferringNode =
  | { readonly op: 'first'; readonly of: number }
  | { readonly op: 'call'; readonly args: readonly PlanArg[] }
  | { readonly op: 'regex'; readonly of: number; readonly extras: readonly number[] }
  | { readonly op: 'const' | 'constList' | 'absent' | 'read' | 'derive' | 'extension' };

/**
 * The node indexes a node refers to, in argument order.
 *
 * @example
 * nodeRefs({ op: 'regex', of: 0, extras: [2] }) // [0, 2]
 */
export function nodeRefs(node: ReferringNode): number[] {
  switch (node.op) {
    case 'first':
      return [node.of];
    case 'call': {
      // Plain loops: Array#flatMap is several times slower and linking and optimizing are on the compile path.
      const refs: number[] = [];
      for (const a of node.args) if ('node' in a) refs.push(a.node);
      return refs;
    }
    case 'regex':
      return [node.of, ...node.extras];
    default:
      return [];
  }
}
