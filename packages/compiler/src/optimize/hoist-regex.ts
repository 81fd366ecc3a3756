import type { HoistedIrNode, HoistedIrProgram, IrProgram } from '../ir.js';

/**
 * Hoisting regex compilation: every pattern moves into one table that the linker compiles once
 * (never per token); equal patterns share one entry. The product is a different IR type, so a later
 * stage cannot see an inline pattern.
 */
export function hoistRegex(program: IrProgram): { program: HoistedIrProgram; changes: number } {
  const table: string[] = [];
  let changes = 0;
  const nodes = program.nodes.map((node): HoistedIrNode => {
    if (node.op !== 'regex') return node;
    let index = table.indexOf(node.pattern);
    if (index < 0) {
      index = table.length;
      table.push(node.pattern);
    }
    changes++;
    return { op: 'regex', of: node.of, multi: node.multi, regex: index, template: node.template, extras: node.extras };
  });
  return { program: { ...program, nodes, regexes: table }, changes };
}
