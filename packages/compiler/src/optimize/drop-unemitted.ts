import type { IrProgram } from '../ir.js';
import { remapNode, remapReaders } from '../ir.js';
import { compact, reachableNodes } from './reachable.js';

/**
 * Dead-value elimination: nodes that no format emits and no emitted value needs — input-only entries
 * nothing reads, transformations only they used, folded-away inputs — are dropped.
 */
export function dropUnemitted(program: IrProgram): { program: IrProgram; changes: number } {
  const live = reachableNodes(program.nodes, [...program.jwt, ...program.saml], [...program.jwtBasic, ...program.samlBasic]);
  const { nodes, map, kept } = compact(program.nodes, live);
  const at = (r: number): number => map[r] as number;
  return {
    program: {
      ...program,
      nodes: nodes.map((n) => remapNode(n, at)),
      owners: kept.map((i) => program.owners[i] ?? []),
      transformationOf: kept.map((i) => program.transformationOf[i] ?? -1),
      ...remapReaders(program, at),
    },
    changes: program.nodes.length - nodes.length,
  };
}
