import { jwtNameRestriction, samlNameRestriction, isPrototypeKey, limits } from '@claimc/model';
import type { EvaluationContext } from './context.js';
import { ClaimcRuntimeError } from './errors.js';
import { compileRegex, groupNumber, regexReplace } from './lib/regex.js';
import type { CompiledRegex, ResolvedTemplatePart } from './lib/regex.js';
import { fromDirectory, netbiosFromDomain, readPath, Reason, reasonCode, tooLong } from './lib/values.js';
import type { AbsenceReason, Computed } from './lib/values.js';
import { buildClaimsPrograms } from './claims-program.js';
import type { ClaimsProgram } from './claims-program.js';
import { methodShapes } from './plan/methods.js';
import type { MethodFn } from './plan/methods.js';
import { PlanDocumentSchema } from './plan/schema.js';
import type { PlanArg, PlanJwtEmit, PlanNode, PlanSamlEmit, PlanSettings } from './plan/schema.js';

/**
 * A linked node: computes its value from the context and the shared slots.
 *
 * @example
 * const read: NodeFn = (context) => (typeof context.user?.mail === 'string' ? context.user.mail : Reason.sourceEmpty);
 */
export type NodeFn = (context: EvaluationContext, slots: Computed[]) => Computed;

/**
 * Why an entry is missing from the output. See docs/evaluate.md for each reason.
 *
 * @example
 * const absence: Absence = { name: 'JoinedData', entry: 1, reason: 'input-absent' };
 */
export interface Absence {
  readonly name: string;
  /** Index of the entry in the policy's ClaimsSchema. */
  readonly entry: number;
  readonly reason: AbsenceReason;
}

/** @internal One emission step of a linked format program. */
export interface LinkedEmit {
  readonly entry: number;
  readonly name: string;
  /** Undefined for a static absence. */
  readonly fn: NodeFn | undefined;
  /** Index into the per-call "last setter" array when the name is emitted by more than one entry (D14). */
  readonly duplicate: number;
  readonly nameFormat: string | undefined;
  readonly nameId: { readonly format: string | undefined } | undefined;
}

/** @internal A linked format program. */
export interface LinkedProgram {
  /** Nodes used more than once: computed first, into `slots[index]`. */
  readonly shared: readonly { readonly index: number; readonly fn: NodeFn }[];
  readonly slotCount: number;
  /** Basic claims per JWT version (index 1 and 2; SAML uses index 2), D15. */
  readonly basic: readonly (readonly { readonly name: string; readonly fn: NodeFn }[])[];
  readonly emits: readonly LinkedEmit[];
  readonly duplicateCount: number;
  /** `evaluateJwtClaims`'s program per JWT version (same indexes as `basic`). */
  readonly claimsOnly: readonly ClaimsProgram[];
}

/** @internal Where a linked plan keeps its closures. */
export const linkedInternals: unique symbol = Symbol('claimc.linkedPlan');

/**
 * A plan ready to evaluate: frozen closures, regexes compiled once. Obtain one with {@link linkPlan}.
 *
 * @example
 * const plan = linkPlan(document);
 * plan.settings.includeBasicClaimSet // true
 */
export interface LinkedPlan {
  readonly settings: PlanSettings;
  readonly [linkedInternals]: { readonly jwt: LinkedProgram; readonly saml: LinkedProgram };
}

const valueLength = limits.valueLength;

const fail = (code: 'ERR_PLAN_INVALID' | 'ERR_PLAN_FORGED' | 'ERR_PLAN_REGEX', message: string, pointer: string): never => {
  throw new ClaimcRuntimeError(code, `${message} (at ${pointer})`, { pointer });
};

/**
 * Validates a plan document (any value: JSON.parse output, an imported JSON module) and links it into closures. No `eval`, no `new Function`: it runs under a
 * strict CSP and in edge runtimes. Throws a {@link ClaimcRuntimeError} for a malformed document
 * (`ERR_PLAN_INVALID`), an unsafe one — a restricted or prototype claim name, a forward or dangling
 * node reference (`ERR_PLAN_FORGED`, threats N4: fail closed) — or a pattern that does not compile
 * within the caps (`ERR_PLAN_REGEX`).
 *
 * @example
 * const plan = linkPlan(JSON.parse(readFileSync('policy.plan.json', 'utf8'))); // written by `claimc compile --out policy.plan.json`
 * const { claims } = evaluateJwt(plan, { user: { id: 'u1', employeeId: 'E1' } });
 */
export function linkPlan(document: unknown): LinkedPlan {
  const parsed = PlanDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const pointer = '/' + (issue?.path ?? []).map((p) => String(p)).join('/');
    throw new ClaimcRuntimeError('ERR_PLAN_INVALID', `not a claimc plan document: ${issue?.message ?? 'invalid'} (at ${pointer})`, { pointer, cause: parsed.error });
  }
  const plan = parsed.data;
  const regexes = compileRegexTable(plan.regexes);
  // Emits are rebuilt field by field: object spread over zod's output objects costs about 1 µs each (bench/evaluate.md).
  const jwt = linkProgram(plan.jwt.nodes, regexes, '/jwt', plan.jwt.basic, plan.jwt.emits.map(jwtEmitInput), (name, at) => {
    if (jwtNameRestriction(name) !== undefined) fail('ERR_PLAN_FORGED', `JWT claim name ${JSON.stringify(name)} is restricted`, at);
  });
  const saml = linkProgram(
    plan.saml.nodes,
    regexes,
    '/saml',
    plan.saml.basic.map((b) => ({ name: b.name, versions: bothVersions, node: b.node })),
    plan.saml.emits.map(samlEmitInput),
    (name, at) => {
      if (samlNameRestriction(name, plan.allowKeyUnlockedSamlNames) !== undefined) fail('ERR_PLAN_FORGED', `SAML attribute name ${JSON.stringify(name)} is restricted`, at);
    },
  );
  return Object.freeze({ settings: Object.freeze({ ...plan.settings }), [linkedInternals]: Object.freeze({ jwt, saml }) });
}

type EmitInput =
  | { readonly entry: number; readonly name: string; readonly node: number; readonly nameFormat: string | undefined; readonly nameId: { readonly format?: string | undefined } | undefined }
  | { readonly entry: number; readonly name: string; readonly absent: AbsenceReason; readonly nameFormat: undefined; readonly nameId: undefined };

/** Compiles a plan's pattern table once, at link time; a pattern that does not compile fails the whole link. */
function compileRegexTable(sources: readonly string[]): CompiledRegex[] {
  return sources.map((source, i) => {
    const compiled = compileRegex(source);
    return compiled.ok ? compiled.regex : fail('ERR_PLAN_REGEX', `pattern ${i} does not compile: ${compiled.message}`, `/regexes/${i}`);
  });
}

const bothVersions: readonly (1 | 2)[] = Object.freeze([1, 2]);

function jwtEmitInput(e: PlanJwtEmit): EmitInput {
  return 'node' in e
    ? { entry: e.entry, name: e.name, node: e.node, nameFormat: undefined, nameId: undefined }
    : { entry: e.entry, name: e.name, absent: e.absent, nameFormat: undefined, nameId: undefined };
}

function samlEmitInput(e: PlanSamlEmit): EmitInput {
  return 'node' in e
    ? { entry: e.entry, name: e.name, node: e.node, nameFormat: e.nameFormat, nameId: e.nameId }
    : { entry: e.entry, name: e.name, absent: e.absent, nameFormat: undefined, nameId: undefined };
}

function linkProgram(
  nodes: readonly PlanNode[],
  regexes: readonly CompiledRegex[],
  at: string,
  basic: readonly { readonly name: string; readonly versions: readonly number[]; readonly node: number }[],
  emits: readonly EmitInput[],
  checkName: (name: string, pointer: string) => void,
): LinkedProgram {
  const uses = new Array<number>(nodes.length).fill(0);
  const refer = (ref: number, from: number, pointer: string): void => {
    if (ref >= from) fail('ERR_PLAN_FORGED', `node reference ${ref} is not before ${from}`, pointer);
    uses[ref] = (uses[ref] ?? 0) + 1;
  };
  nodes.forEach((node, i) => {
    for (const ref of nodeRefs(node)) refer(ref, i, `${at}/nodes/${i}`);
  });
  basic.forEach((b, i) => {
    refer(b.node, nodes.length, `${at}/basic/${i}`);
    checkName(b.name, `${at}/basic/${i}/name`);
  });
  emits.forEach((e, i) => {
    if ('node' in e) refer(e.node, nodes.length, `${at}/emits/${i}`);
    if (isPrototypeKey(e.name)) fail('ERR_PLAN_FORGED', `claim name ${JSON.stringify(e.name)} is a prototype key`, `${at}/emits/${i}/name`);
    if ('node' in e) checkName(e.name, `${at}/emits/${i}/name`);
  });

  const fns: NodeFn[] = [];
  const shared: { index: number; fn: NodeFn }[] = [];
  const ref = (i: number): NodeFn => ((uses[i] ?? 0) > 1 ? slotReader(i) : (fns[i] as NodeFn));
  nodes.forEach((node, i) => {
    const fn = linkNode(node, ref, regexes, `${at}/nodes/${i}`);
    fns.push(fn);
    if ((uses[i] ?? 0) > 1) shared.push({ index: i, fn });
  });

  const nameCount = new Map<string, number>();
  for (const e of emits) if ('node' in e) nameCount.set(e.name, (nameCount.get(e.name) ?? 0) + 1);
  const duplicateIndex = new Map<string, number>();
  for (const [name, count] of nameCount) if (count > 1) duplicateIndex.set(name, duplicateIndex.size);

  const linkedEmits: LinkedEmit[] = emits.map((e) =>
    Object.freeze({
      entry: e.entry,
      name: e.name,
      fn: 'node' in e ? ref(e.node) : staticAbsence(e.absent),
      duplicate: 'node' in e ? (duplicateIndex.get(e.name) ?? -1) : -1,
      nameFormat: e.nameFormat,
      nameId: e.nameId === undefined ? undefined : Object.freeze({ format: e.nameId.format }),
    }),
  );
  const basicFor = (version: number) => Object.freeze(basic.filter((b) => b.versions.includes(version)).map((b) => Object.freeze({ name: b.name, fn: ref(b.node) })));
  const basicByVersion = Object.freeze([Object.freeze([]), basicFor(1), basicFor(2)]);
  return Object.freeze({
    shared: Object.freeze(shared),
    slotCount: shared.length === 0 ? 0 : nodes.length,
    basic: basicByVersion,
    emits: Object.freeze(linkedEmits),
    duplicateCount: duplicateIndex.size,
    claimsOnly: buildClaimsPrograms(basicByVersion, linkedEmits.map((e, i) => ({ name: e.name, fn: e.fn as NodeFn, computes: 'node' in (emits[i] as EmitInput) }))),
  });
}

// Closures are made in small factories so each captures only what it uses, not the linker's whole scope.
function slotReader(index: number): NodeFn {
  return (_c, slots) => slots[index] as Computed;
}

function constant(value: Computed): NodeFn {
  return () => value;
}

function firstOf(of: NodeFn): NodeFn {
  return (c, s) => {
    const v = of(c, s);
    return typeof v === 'object' ? (v[0] ?? Reason.sourceEmpty) : v;
  };
}

function staticAbsence(reason: AbsenceReason): NodeFn {
  const code = reasonCode(reason);
  return () => code;
}

function nodeRefs(node: PlanNode): number[] {
  switch (node.op) {
    case 'first':
      return [node.of];
    case 'call': {
      // Plain loops here and in linkCall: Array#flatMap is several times slower and linking is on the compile path.
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

const domainPath = ['onPremisesDomainName'];

/** The documented derivations (docs/evaluate.md). */
function deriveFn(derivation: 'netbiosname' | 'assignedroles' | 'groups'): NodeFn {
  switch (derivation) {
    case 'netbiosname':
      return (c) => netbiosFromDomain(readPath(c.user, domainPath));
    case 'assignedroles':
      return (c) => fromDirectory(c.assignedRoles);
    case 'groups':
      return (c) => fromDirectory(c.groups);
  }
}

/** Reads one own property and converts it; the string case is inlined because it is by far the most common. */
function readOwn(object: unknown, key: string): Computed {
  if (object === null || typeof object !== 'object' || !Object.hasOwn(object, key)) return Reason.sourceEmpty;
  const raw = (object as Record<string, unknown>)[key];
  if (typeof raw === 'string') return raw.length > valueLength ? Reason.valueTooLong : raw;
  return fromDirectory(raw);
}

/** An own property that is a (non-array) object, else undefined: the middle step of a two-segment path. */
function ownObject(object: unknown, key: string): unknown {
  if (object === null || typeof object !== 'object' || !Object.hasOwn(object, key)) return undefined;
  const value = (object as Record<string, unknown>)[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/** A directory read as a closure specialised on the source and the path length (the common case is one segment). */
function readFn(source: 'user' | 'tenant' | 'client' | 'resource' | 'audience', path: readonly string[]): NodeFn {
  if (path.length === 1) {
    const key = path[0] as string;
    switch (source) {
      case 'user':
        return (c) => readOwn(c.user, key);
      case 'tenant':
        return (c) => readOwn(c.tenant, key);
      case 'client':
        return (c) => readOwn(c.client, key);
      case 'resource':
        return (c) => readOwn(c.resource, key);
      case 'audience':
        return (c) => readOwn(c.audience ?? c.resource ?? c.client, key);
    }
  }
  if (path.length === 2) {
    const [outer, inner] = path as readonly [string, string];
    switch (source) {
      case 'user':
        return (c) => readOwn(ownObject(c.user, outer), inner);
      case 'tenant':
        return (c) => readOwn(ownObject(c.tenant, outer), inner);
      case 'client':
        return (c) => readOwn(ownObject(c.client, outer), inner);
      case 'resource':
        return (c) => readOwn(ownObject(c.resource, outer), inner);
      case 'audience':
        return (c) => readOwn(ownObject(c.audience ?? c.resource ?? c.client, outer), inner);
    }
  }
  const head = path.slice(0, -1);
  const last = path[path.length - 1] as string;
  switch (source) {
    case 'user':
      return (c) => readOwn(readPath(c.user, head), last);
    case 'tenant':
      return (c) => readOwn(readPath(c.tenant, head), last);
    case 'client':
      return (c) => readOwn(readPath(c.client, head), last);
    case 'resource':
      return (c) => readOwn(readPath(c.resource, head), last);
    case 'audience':
      return (c) => readOwn(readPath(c.audience ?? c.resource ?? c.client, head), last);
  }
}

function linkNode(node: PlanNode, ref: (i: number) => NodeFn, regexes: readonly CompiledRegex[], pointer: string): NodeFn {
  switch (node.op) {
    case 'const':
      return constant(node.value);
    case 'constList':
      return constant(Object.freeze([...node.values]));
    case 'absent':
      return constant(reasonCode(node.reason));
    case 'read':
      for (const key of node.path) if (isPrototypeKey(key)) fail('ERR_PLAN_FORGED', `read path segment ${JSON.stringify(key)} is a prototype key`, pointer);
      return readFn(node.source, node.path);
    case 'derive':
      return deriveFn(node.derivation);
    case 'extension': {
      if (isPrototypeKey(node.name)) fail('ERR_PLAN_FORGED', `extension name ${JSON.stringify(node.name)} is a prototype key`, pointer);
      return readFn('user', [node.name]);
    }
    case 'first':
      return firstOf(ref(node.of));
    case 'call':
      return linkCall(node.method, node.args, node.multi, ref, pointer);
    case 'regex':
      return linkRegex(node, ref, regexes, pointer);
  }
  return fail('ERR_PLAN_INVALID', 'unknown node', pointer);
}

type ArgGetter = { readonly constant: string } | { readonly fn: NodeFn };

function linkCall(method: string, args: readonly PlanArg[], multi: string | undefined, ref: (i: number) => NodeFn, pointer: string): NodeFn {
  const shape = methodShapes[method];
  if (shape === undefined) return fail('ERR_PLAN_INVALID', `unknown method ${method}`, pointer);
  const byName = new Map<string, ArgGetter>();
  const constants = new Map<string, string>();
  for (const arg of args) {
    if (byName.has(arg.name)) fail('ERR_PLAN_FORGED', `argument ${arg.name} given twice`, pointer);
    if ('node' in arg) byName.set(arg.name, { fn: ref(arg.node) });
    else {
      byName.set(arg.name, { constant: arg.value });
      constants.set(arg.name, arg.value);
    }
  }
  for (const name of shape.constant) {
    const arg = byName.get(name);
    if (arg !== undefined && 'fn' in arg) fail('ERR_PLAN_FORGED', `argument ${name} of ${method} must be a constant parameter`, pointer);
  }
  const anyName = shape.params[0] === '*';
  const firstNodeArg = anyName ? args.find((a) => 'node' in a) : undefined;
  const getters: (ArgGetter | undefined)[] = anyName ? [firstNodeArg === undefined ? undefined : byName.get(firstNodeArg.name)] : shape.params.map((p) => byName.get(p));
  getters.forEach((g, i) => {
    if (g === undefined && shape.required[i] === true) fail('ERR_PLAN_FORGED', `method ${method} lacks its required argument ${shape.params[i] ?? '?'}`, pointer);
  });
  let apply: MethodFn;
  try {
    apply = shape.prepare(constants);
  } catch (error) {
    return fail('ERR_PLAN_FORGED', `method ${method}: ${(error as Error).message}`, pointer);
  }
  const multiIndex = multi === undefined ? -1 : anyName ? 0 : shape.params.indexOf(multi);
  if (multi !== undefined) {
    const g = getters[multiIndex];
    if (g === undefined || !('fn' in g)) fail('ERR_PLAN_FORGED', `TreatAsMultiValue argument ${multi} is not an input claim of ${method}`, pointer);
  }
  const required = shape.required;
  const base = getters.map((g) => (g !== undefined && 'constant' in g ? g.constant : undefined));
  // Only the node arguments are read per token; their positions and requiredness are fixed at link time.
  const inputs: { readonly at: number; readonly fn: NodeFn; readonly required: boolean }[] = [];
  getters.forEach((g, i) => {
    if (g !== undefined && 'fn' in g && i !== multiIndex) inputs.push({ at: i, fn: g.fn, required: required[i] === true });
  });
  const multiFn = multiIndex < 0 ? undefined : (getters[multiIndex] as { fn: NodeFn }).fn;

  return callFn(base, inputs, multiFn, multiIndex, apply);
}

function callFn(
  base: readonly (string | undefined)[],
  inputs: readonly { readonly at: number; readonly fn: NodeFn; readonly required: boolean }[],
  multiFn: NodeFn | undefined,
  multiIndex: number,
  apply: MethodFn,
): NodeFn {
  const [b0, b1, b2] = base;
  return (c, s) => {
    // At most three positional values: kept in locals so a call allocates nothing.
    let v0 = b0;
    let v1 = b1;
    let v2 = b2;
    for (let k = 0; k < inputs.length; k++) {
      const input = inputs[k] as (typeof inputs)[number];
      const v = input.fn(c, s);
      if (typeof v === 'number') {
        if (input.required) return Reason.inputAbsent;
        continue;
      }
      const text = typeof v === 'string' ? v : v[0];
      if (input.at === 0) v0 = text;
      else if (input.at === 1) v1 = text;
      else v2 = text;
    }
    if (multiFn === undefined) {
      const out = apply(v0, v1, v2);
      if (out === undefined) return Reason.noMatch;
      return tooLong(out) ? Reason.valueTooLong : out;
    }
    const m = multiFn(c, s);
    if (typeof m === 'number') return Reason.inputAbsent;
    const list = typeof m === 'string' ? [m] : m;
    const outs: string[] = [];
    for (const item of list) {
      const out = multiIndex === 0 ? apply(item, v1, v2) : multiIndex === 1 ? apply(v0, item, v2) : apply(v0, v1, item);
      if (out === undefined) continue;
      if (tooLong(out)) return Reason.valueTooLong;
      outs.push(out);
    }
    return outs.length === 0 ? Reason.noMatch : outs;
  };
}

function linkRegex(node: Extract<PlanNode, { op: 'regex' }>, ref: (i: number) => NodeFn, regexes: readonly CompiledRegex[], pointer: string): NodeFn {
  const regex = regexes[node.regex];
  if (regex === undefined) return fail('ERR_PLAN_FORGED', `regex ${node.regex} is not in the pattern table`, pointer);
  // Fresh literals, not the validated document's objects: regexReplace reads them per token.
  const template: ResolvedTemplatePart[] = node.template.map((part): ResolvedTemplatePart => {
    if (part.kind === 'text') return { kind: 'text', text: part.text };
    if (part.kind === 'input') {
      if (part.input >= node.extras.length) fail('ERR_PLAN_FORGED', `template input ${part.input} has no extra input`, pointer);
      return { kind: 'input', input: part.input };
    }
    const group = groupNumber(regex, part.group);
    return group === undefined ? fail('ERR_PLAN_FORGED', `template group ${JSON.stringify(part.group)} is not in the pattern`, pointer) : { kind: 'group', group };
  });
  return regexFn(regex, template, ref(node.of), node.extras.map(ref), node.multi);
}

const noExtras: string[] = [];

function regexFn(regex: CompiledRegex, template: readonly ResolvedTemplatePart[], source: NodeFn, extras: readonly NodeFn[], multi: boolean): NodeFn {
  return (c, s) => {
    const v = source(c, s);
    if (typeof v === 'number') return Reason.inputAbsent;
    // no per-token array for the usual pattern without extra inputs (noExtras is never written: the loop is empty)
    const extraValues: string[] = extras.length === 0 ? noExtras : [];
    for (const extra of extras) {
      const e = extra(c, s);
      if (typeof e === 'number') return Reason.inputAbsent;
      extraValues.push(typeof e === 'string' ? e : (e[0] as string));
    }
    if (!multi || typeof v === 'string') {
      const input = typeof v === 'string' ? v : (v[0] as string);
      const out = regexReplace(regex, input, template, extraValues);
      if (out === undefined) return Reason.noMatch;
      if (tooLong(out)) return Reason.valueTooLong;
      return multi ? [out] : out;
    }
    const outs: string[] = [];
    for (const item of v) {
      const out = regexReplace(regex, item, template, extraValues);
      if (out === undefined) continue;
      if (tooLong(out)) return Reason.valueTooLong;
      outs.push(out);
    }
    return outs.length === 0 ? Reason.noMatch : outs;
  };
}

/**
 * @internal For the compiler's constant folder: links `nodes` without a context and returns the value
 * of the last node, so folding uses exactly the runtime's semantics.
 *
 * @example
 * evaluateDetached([{ op: 'const', value: 'a' }, { op: 'call', method: 'ToUppercase', args: [{ name: 'x', node: 0 }] }], []) // 'A'
 */
export function evaluateDetached(nodes: readonly PlanNode[], regexSources: readonly string[]): Computed {
  const regexes = compileRegexTable(regexSources);
  const fns: NodeFn[] = [];
  nodes.forEach((node, i) => {
    for (const r of nodeRefs(node)) if (r >= i) fail('ERR_PLAN_FORGED', `node reference ${r} is not before ${i}`, `/nodes/${i}`);
    fns.push(linkNode(node, (j) => fns[j] as NodeFn, regexes, `/nodes/${i}`));
  });
  const last = fns[fns.length - 1];
  return last === undefined ? Reason.invalid : last({}, []);
}
