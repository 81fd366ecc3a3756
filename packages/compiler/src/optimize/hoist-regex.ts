import type { IrNode, IrProgram } from '../ir.js';

/**
 * Hoisting regex compilation: every pattern moves into one table that the linker compiles once
 * (never per token); equal patterns share one entry.
 */
export function hoistRegex(program: IrProgram): { program: IrProgram; changes: number } {
  const table: string[] = [...(program.regexes ?? [])];
  let changes = 0;
  const nodes = program.nodes.map((node): IrNode => {
    if (node.op !== 'regex' || node.pattern === undefined) return node;
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
