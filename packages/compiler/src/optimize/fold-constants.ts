import { evaluateDetached, nodeRefs, reasonName } from '@claimc/runtime/internal';
import type { PlanNode } from '@claimc/runtime/internal';
import type { IrNode, IrProgram } from '../ir.js';
import { remapNode } from '../ir.js';

const isConstant = (node: IrNode | undefined): boolean => node !== undefined && (node.op === 'const' || node.op === 'constList' || node.op === 'absent');

/**
 * Constant folding: a `first`, `call` or `regex` node whose inputs are all constants (or known
 * absences) is replaced by its value, computed by the runtime's own linker so folding means exactly
 * what evaluation means (transformations over constants, CreateStringClaim, Join of two Values …).
 */
export function foldConstants(program: IrProgram): { program: IrProgram; changes: number } {
  const nodes: IrNode[] = [];
  let changes = 0;
  for (const node of program.nodes) {
    if (node.op !== 'first' && node.op !== 'call' && node.op !== 'regex') {
      nodes.push(node);
      continue;
    }
    const refs = nodeRefs(node);
    if (!refs.every((r) => isConstant(nodes[r])) || (node.op === 'regex' && node.pattern === undefined)) {
      nodes.push(node);
      continue;
    }
    // A detached mini-plan: the constant inputs, then the node itself pointing at them.
    const mini: PlanNode[] = refs.map((r) => nodes[r] as PlanNode);
    const local = new Map<number, number>(refs.map((r, i) => [r, i]));
    const remapped = remapNode(node, (r) => local.get(r) as number);
    const self: PlanNode = remapped.op === 'regex' ? { op: 'regex', of: remapped.of, multi: remapped.multi, regex: 0, template: [...remapped.template], extras: [...remapped.extras] } : (remapped as PlanNode);
    const value = evaluateDetached([...mini, self], node.op === 'regex' ? [node.pattern as string] : []);
    nodes.push(typeof value === 'string' ? { op: 'const', value } : typeof value === 'number' ? { op: 'absent', reason: reasonName(value) } : { op: 'constList', values: [...value] });
    changes++;
  }
  return { program: { ...program, nodes }, changes };
}
