import type { HoistedIrProgram, IrBasic, IrEmit, IrFormat, OptimizedIrProgram } from '../ir.js';
import { remapBasic, remapEmit, remapNode } from '../ir.js';
import { compact, reachableNodes } from './reachable.js';

function specialize(program: HoistedIrProgram, emits: readonly IrEmit[], basic: readonly IrBasic[]): { format: IrFormat; dropped: number } {
  const live = reachableNodes(program.nodes, emits, basic);
  const { nodes, map } = compact(program.nodes, live);
  const at = (r: number): number => map[r] as number;
  return {
    format: { nodes: nodes.map((n) => remapNode(n, at)), basic: basic.map((b) => remapBasic(b, at)), emits: emits.map((e) => remapEmit(e, at)) },
    dropped: program.nodes.length - nodes.length,
  };
}

/**
 * Specializing per token format: the JWT program keeps only the nodes JWT claims need, the SAML
 * program only those SAML attributes need, so evaluating one format never computes the other's values.
 */
export function specializeFormats(program: HoistedIrProgram): { program: OptimizedIrProgram; changes: number } {
  const jwt = specialize(program, program.jwt, program.jwtBasic);
  const saml = specialize(program, program.saml, program.samlBasic);
  return { program: { ...program, formats: { jwt: jwt.format, saml: saml.format } }, changes: jwt.dropped + saml.dropped };
}
