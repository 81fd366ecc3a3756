import type { AbsenceReason, PlanArg, PlanReadSource, PlanSettings, PlanTemplatePart, PlanMethod } from '@claimc/runtime/internal';

/** The value nodes that every IR phase shares (everything but the regex node). */
export type IrCommonNode =
  | { readonly op: 'const'; readonly value: string }
  | { readonly op: 'constList'; readonly values: readonly string[] }
  | { readonly op: 'absent'; readonly reason: AbsenceReason }
  | { readonly op: 'read'; readonly source: PlanReadSource; readonly path: readonly string[] }
  | { readonly op: 'derive'; readonly derivation: 'netbiosname' | 'assignedroles' | 'groups' }
  | { readonly op: 'extension'; readonly name: string }
  | { readonly op: 'first'; readonly of: number }
  | { readonly op: 'call'; readonly method: PlanMethod; readonly args: readonly PlanArg[]; readonly multi?: string };

/** What a RegexReplace node holds in every phase: its source node, the template and the extra inputs. */
interface RegexNodeFields {
  readonly op: 'regex';
  readonly of: number;
  readonly multi: boolean;
  readonly template: readonly PlanTemplatePart[];
  readonly extras: readonly number[];
}

/** A RegexReplace node as lowered: the translated RE2 source inline. */
export interface IrRegexNode extends RegexNodeFields {
  readonly pattern: string;
}

/** A RegexReplace node after the hoisting pass: `regex` indexes the program's pattern table. */
export interface HoistedRegexNode extends RegexNodeFields {
  readonly regex: number;
}

/**
 * The compiler's intermediate representation as lowered: one shared pool of value nodes (a DAG in topological
 * order: a node refers only to earlier nodes) and, per token format, the emission list in document order.
 * Regex patterns are inline and both formats share one pool; {@link HoistedIrProgram} and
 * {@link OptimizedIrProgram} are the later phases, distinct types so `emitPlan` only accepts the last.
 */
export type IrNode = IrCommonNode | IrRegexNode;

/** A value node after the hoisting pass. */
export type HoistedIrNode = IrCommonNode | HoistedRegexNode;

/** One entry's emission in one format: a node, or a reason known at compile time. */
export interface IrEmit {
  readonly entry: number;
  readonly name: string;
  readonly value: number | { readonly absent: AbsenceReason };
  readonly nameFormat?: string;
  readonly nameId?: { readonly format?: string };
}

export interface IrBasic {
  readonly name: string;
  readonly versions: readonly (1 | 2)[];
  readonly node: number;
}

/** A node pool with what reads it: one token format's program after specialization. */
export interface IrFormat {
  readonly nodes: readonly HoistedIrNode[];
  readonly basic: readonly IrBasic[];
  readonly emits: readonly IrEmit[];
}

/** The lowered IR (and the product of each rewriting pass): one shared pool, patterns inline. */
export interface IrProgram<Node extends IrNode | HoistedIrNode = IrNode> {
  readonly settings: PlanSettings;
  readonly allowKeyUnlockedSamlNames: boolean;
  /** The shared node pool (before specialization). */
  readonly nodes: readonly Node[];
  readonly jwtBasic: readonly IrBasic[];
  readonly samlBasic: readonly IrBasic[];
  readonly jwt: readonly IrEmit[];
  readonly saml: readonly IrEmit[];
  /** Which entry each node was lowered for (-1: basic claims or shared); used to count pruned entries. */
  readonly owners: readonly (readonly number[])[];
  /** Which transformation each node was lowered for (-1: none). */
  readonly transformationOf: readonly number[];
}

/** The IR after the hoisting pass: every pattern in one table, regex nodes index it. */
export interface HoistedIrProgram extends IrProgram<HoistedIrNode> {
  readonly regexes: readonly string[];
}

/** The optimized IR, the only input `emitPlan` accepts: hoisted, and specialized into one pool per token format. */
export interface OptimizedIrProgram extends HoistedIrProgram {
  readonly formats: { readonly jwt: IrFormat; readonly saml: IrFormat };
}

/** Rewrites a node's references through `map` (lowered or hoisted; the node keeps its phase). */
export function remapNode<Node extends IrNode | HoistedIrNode>(node: Node, map: (ref: number) => number): Node {
  return remapAny(node, map) as Node;
}

function remapAny(node: IrNode | HoistedIrNode, map: (ref: number) => number): IrNode | HoistedIrNode {
  switch (node.op) {
    case 'first':
      return { op: 'first', of: map(node.of) };
    case 'call': {
      // Same keys in the same order as the lowerer writes them, so a remapped node reads like a lowered one.
      const args = node.args.map((a) => ('node' in a ? { name: a.name, node: map(a.node) } : a));
      return node.multi === undefined ? { op: 'call', method: node.method, args } : { op: 'call', method: node.method, args, multi: node.multi };
    }
    case 'regex': {
      const of = map(node.of);
      const extras = node.extras.map(map);
      const { multi, template } = node;
      return 'pattern' in node ? { op: 'regex', of, multi, pattern: node.pattern, template, extras } : { op: 'regex', of, multi, regex: node.regex, template, extras };
    }
    default:
      return node;
  }
}

/** Rewrites an emission's node through `map`. */
export function remapEmit(emit: IrEmit, map: (ref: number) => number): IrEmit {
  if (typeof emit.value !== 'number') return emit;
  const { entry, name, nameFormat, nameId } = emit;
  const value = map(emit.value);
  if (nameFormat !== undefined && nameId !== undefined) return { entry, name, value, nameFormat, nameId };
  if (nameFormat !== undefined) return { entry, name, value, nameFormat };
  if (nameId !== undefined) return { entry, name, value, nameId };
  return { entry, name, value };
}

/** Rewrites a basic claim's node through `map`. */
export function remapBasic(basic: IrBasic, map: (ref: number) => number): IrBasic {
  return { name: basic.name, versions: basic.versions, node: map(basic.node) };
}

/** Rewrites everything that reads the shared pool (both formats' basic claims and emissions) through `map`. */
export function remapReaders(program: IrProgram<IrNode | HoistedIrNode>, map: (ref: number) => number): Pick<IrProgram, 'jwtBasic' | 'samlBasic' | 'jwt' | 'saml'> {
  return {
    jwtBasic: program.jwtBasic.map((b) => remapBasic(b, map)),
    samlBasic: program.samlBasic.map((b) => remapBasic(b, map)),
    jwt: program.jwt.map((e) => remapEmit(e, map)),
    saml: program.saml.map((e) => remapEmit(e, map)),
  };
}
