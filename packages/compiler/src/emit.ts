import { planVersion } from '@claimc/runtime/internal';
import type { PlanDocument, PlanJwtEmit, PlanNode, PlanSamlEmit } from '@claimc/runtime/internal';
import type { HoistedIrNode, IrEmit, IrFormat, OptimizedIrProgram } from './ir.js';

function planNode(node: HoistedIrNode): PlanNode {
  if (node.op === 'regex') {
    return { op: 'regex', of: node.of, multi: node.multi, regex: node.regex, template: [...node.template], extras: [...node.extras] };
  }
  switch (node.op) {
    case 'constList':
      return { op: 'constList', values: [...node.values] };
    case 'read':
      return { op: 'read', source: node.source, path: [...node.path] };
    case 'call':
      return { op: 'call', method: node.method, args: node.args.map((a) => ({ ...a })), ...(node.multi !== undefined ? { multi: node.multi } : {}) };
    default:
      return { ...node };
  }
}

function jwtEmit(e: IrEmit): PlanJwtEmit {
  return typeof e.value === 'number' ? { entry: e.entry, name: e.name, node: e.value } : { entry: e.entry, name: e.name, absent: e.value.absent };
}

function samlEmit(e: IrEmit): PlanSamlEmit {
  if (typeof e.value !== 'number') return { entry: e.entry, name: e.name, absent: e.value.absent };
  return {
    entry: e.entry,
    name: e.name,
    node: e.value,
    ...(e.nameFormat !== undefined ? { nameFormat: e.nameFormat } : {}),
    ...(e.nameId !== undefined ? { nameId: e.nameId.format === undefined ? {} : { format: e.nameId.format } } : {}),
  };
}

function formatOf(format: IrFormat): { nodes: PlanNode[] } {
  return { nodes: format.nodes.map(planNode) };
}

/**
 * Emits the plan document (plain JSON data, versioned) from the optimized IR; the type admits only an IR
 * that went through the hoisting and specialization passes.
 *
 * @example
 * const document = emitPlan(optimized);
 * JSON.stringify(document) // a plan any runtime of the same version can link
 */
export function emitPlan(program: OptimizedIrProgram): PlanDocument {
  const formats = program.formats;
  return {
    format: 'claimc-plan',
    version: planVersion,
    settings: { ...program.settings },
    allowKeyUnlockedSamlNames: program.allowKeyUnlockedSamlNames,
    regexes: [...program.regexes],
    jwt: { ...formatOf(formats.jwt), basic: formats.jwt.basic.map((b) => ({ name: b.name, versions: [...b.versions], node: b.node })), emits: formats.jwt.emits.map(jwtEmit) },
    saml: { ...formatOf(formats.saml), basic: formats.saml.basic.map((b) => ({ name: b.name, node: b.node })), emits: formats.saml.emits.map(samlEmit) },
  };
}
