import { jwtNameRestriction, samlNameRestriction, isPrototypeKey } from '@claimc/model';
export type { NodeFn } from './link/node.js';
import { ClaimcRuntimeError } from './errors.js';
import type { CompiledRegex } from './lib/regex.js';
import { Reason, reasonCode, reasonName } from './lib/values.js';
import type { AbsenceReason, Computed } from './lib/values.js';
import { nodeRefs } from './plan/refs.js';
import { linkCall } from './link/calls.js';
import { fail, type NodeFn } from './link/node.js';
import { constant, constantOf, deriveFn, firstOf, readFn, slotReader, staticAbsence } from './link/reads.js';
import { compileRegexTable, linkRegex } from './link/regex.js';
import { buildClaimsPrograms } from './claims-program.js';
import type { ClaimsProgram } from './claims-program.js';
import { PlanDocumentSchema } from './plan/schema.js';
import type { PlanDocument, PlanJwtEmit, PlanNode, PlanSamlEmit, PlanSettings } from './plan/schema.js';

// Validation and program linking live here; leaf reads, method calls and regexes are linked in link/*.ts.

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
  /** The emits whose value depends on the context, in order: the only ones a token evaluates. */
  readonly computing: readonly LinkedEmit[];
  /**
   * The absences of the other emits (past the entry limit, an unsupported source, another format only, a constant
   * absence): the same for every token, so made once, frozen, in entry order. Returned as it is when a token has no
   * absence of its own.
   */
  readonly staticAbsent: readonly Absence[];
  /**
   * When there are many static absences and all come after every computing emit (entries past the limit):
   * `computing.length` placeholders, then the static records, in an unfrozen array never handed out. A token's k
   * absences go into a `slice` of it from `computing.length - k`: one copy of the static records (a `concat` onto the
   * token's list costs about 1.4 times as much, a merge loop several times).
   */
  readonly staticLead: readonly Absence[] | undefined;
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
  return linkPlanDocument(parsed.data);
}

/**
 * @internal Links a plan document that is already typed (the compiler's own emitted plan): every check of
 * {@link linkPlan} except the schema validation, which for an emitted plan only repeats what the types say (the
 * compiler's tests validate emitted plans against the schema). Reference, name, method and pattern checks all run.
 *
 * @example
 * const linked = linkPlanDocument(emitPlan(program));
 */
export function linkPlanDocument(plan: PlanDocument, compiledRegexes?: ReadonlyMap<string, CompiledRegex>): LinkedPlan {
  const regexes = compileRegexTable(plan.regexes, compiledRegexes);
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
  const { groupFilter } = plan.settings;
  // Copied, so a later change to the document cannot reach the linked plan.
  const settings = Object.freeze(groupFilter === undefined ? { ...plan.settings } : { ...plan.settings, groupFilter: Object.freeze({ ...groupFilter }) });
  return Object.freeze({ settings, [linkedInternals]: Object.freeze({ jwt, saml }) });
}

type EmitInput =
  | { readonly entry: number; readonly name: string; readonly node: number; readonly nameFormat: string | undefined; readonly nameId: { readonly format?: string | undefined } | undefined }
  | { readonly entry: number; readonly name: string; readonly absent: AbsenceReason; readonly nameFormat: undefined; readonly nameId: undefined };


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
  // Slots are numbered densely over the shared nodes only, so a token allocates one entry per shared node.
  const slotOf = new Array<number>(nodes.length).fill(-1);
  let slotCount = 0;
  uses.forEach((count, i) => {
    if (count > 1) slotOf[i] = slotCount++;
  });
  const readers = new Map<number, NodeFn>();
  const ref = (i: number): NodeFn => {
    const slot = slotOf[i] ?? -1;
    if (slot < 0) return fns[i] as NodeFn;
    let reader = readers.get(slot);
    if (reader === undefined) readers.set(slot, (reader = slotReader(slot)));
    return reader;
  };
  nodes.forEach((node, i) => {
    const fn = linkNode(node, ref, regexes, `${at}/nodes/${i}`);
    fns.push(fn);
    const slot = slotOf[i] ?? -1;
    if (slot >= 0) shared.push({ index: slot, fn });
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
  // An emit whose value is a constant absence code gives the same record for every token (it never sets a name).
  const computing: LinkedEmit[] = [];
  const staticTail: Absence[] = [];
  for (const e of linkedEmits) {
    const fixed = constantOf(e.fn as NodeFn);
    if (typeof fixed === 'number') staticTail.push(Object.freeze({ name: e.name, entry: e.entry, reason: reasonName(fixed) }));
    else computing.push(e);
  }
  staticTail.sort((a, b) => a.entry - b.entry);
  const basicFor = (version: number) => Object.freeze(basic.filter((b) => b.versions.includes(version)).map((b) => Object.freeze({ name: b.name, fn: ref(b.node) })));
  const basicByVersion = Object.freeze([Object.freeze([]), basicFor(1), basicFor(2)]);
  return Object.freeze({
    shared: Object.freeze(shared),
    slotCount,
    basic: basicByVersion,
    emits: Object.freeze(linkedEmits),
    computing: staticTail.length === 0 ? linkedEmits : Object.freeze(computing),
    staticAbsent: staticTail.length === 0 ? noAbsences : Object.freeze(staticTail),
    staticLead: staticTail.length > leadThreshold && computing.every((e) => e.entry < (staticTail[0] as Absence).entry) ? [...computing.map(() => staticTail[0] as Absence), ...staticTail] : undefined,
    duplicateCount: duplicateIndex.size,
    claimsOnly: buildClaimsPrograms(basicByVersion, linkedEmits.map((e, i) => ({ name: e.name, fn: e.fn as NodeFn, computes: 'node' in (emits[i] as EmitInput) }))),
  });
}

const noAbsences: readonly Absence[] = Object.freeze([]);
// Below this many static absences the merge loop is cheap enough and the plan keeps no second copy of them.
const leadThreshold = 64;

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
