import { isPrototypeKey, limits } from '@claimc/model';
import { methodShapes, nodeRefs } from '@claimc/runtime/internal';
import type { PlanDocument, PlanNode } from '@claimc/runtime/internal';
import { OwnReads, sourceObject } from './aot-reads.js';

const str = (text: string): string => JSON.stringify(text);

/**
 * Methods whose per-call function is a leaf primitive of the runtime applied to its arguments, each an absent optional
 * argument read as `''` (methodShapes' `prepare`): the claims function calls the primitive itself, which V8 can inline.
 */
const primitives: Readonly<Record<string, string>> = { ExtractMailPrefix: 'mailPrefix', ToLowercase: 'toLowercase', ToUppercase: 'toUppercase' };

/** The claims functions of an AOT module. */
interface ClaimsCode {
  /** The lines of `evaluateJwtClaims` (version 2) and of the function it hands any other version to. */
  readonly lines: readonly string[];
}

/**
 * The AOT module's `evaluateJwtClaims` (and the function it hands versions other than 2 to): node values are a string,
 * a list or `undefined` (an absence's reason does not reach a claims-only result), one object literal per token version,
 * keys in the linked plan's order (basic claims of that version, then the policy's names in first-emission order), each
 * value the last candidate that has one. The version-2 function computes only the nodes its literal needs and puts each
 * node used once straight into the literal; a node known to be a string (a call's or a regex's result, a constant, a
 * `first`) is used without the string-or-list test.
 *
 * @example
 * const { lines } = claimsFunctions(plan, false);
 * lines[0] // 'export function evaluateJwtClaims(c, options) {'
 */
export function claimsFunctions(plan: PlanDocument, typed: boolean): ClaimsCode {
  const nodes = plan.jwt.nodes;
  const candidates = (version: number): Map<string, number[]> => {
    const names = new Map<string, number[]>();
    const add = (name: string, node: number): void => {
      // linkPlan refuses such plans when the module loads; refusing here too keeps a literal from ever setting a prototype.
      if (isPrototypeKey(name)) throw new Error(`aot: claim name ${JSON.stringify(name)} is a prototype key`);
      const list = names.get(name);
      if (list === undefined) names.set(name, [node]);
      else list.push(node);
    };
    for (const b of plan.jwt.basic) if (b.versions.includes(version as 1 | 2)) add(b.name, b.node);
    for (const e of plan.jwt.emits) if ('node' in e) add(e.name, e.node);
    return names;
  };
  const t = (annotation: string): string => (typed ? annotation : '');
  const V = t(': Value');

  /** The statements computing the nodes the literals of `versions` need, and those literals' return statements. */
  const functionBody = (versions: readonly number[], dispatch: boolean): string[] => {
    const literals = versions.map((v) => candidates(v));
    const uses = new Array<number>(nodes.length).fill(0);
    const needed = new Set<number>();
    const need = (i: number): void => {
      if (needed.has(i)) return;
      needed.add(i);
      for (const ref of nodeRefs(nodes[i] as PlanNode)) need(ref);
    };
    for (const literal of literals) for (const list of literal.values()) for (const n of list) need(n);
    for (const i of needed) for (const ref of nodeRefs(nodes[i] as PlanNode)) uses[ref] = (uses[ref] ?? 0) + 1;
    for (const literal of literals) for (const list of literal.values()) for (const n of list) uses[n] = (uses[n] ?? 0) + 1;

    const inLiteral = new Set(literals.flatMap((l) => [...l.values()].flat()));
    const reads = new OwnReads(typed);
    const lines: string[] = [];
    const inline = new Map<number, string>();
    // Known to be a string whenever it is not undefined: no string-or-list test where it is used.
    const scalar = (i: number): boolean => {
      const op = nodes[i]?.op;
      return op === 'const' || op === 'first' || op === 'absent' || (op === 'call' && nodes[i]?.multi === undefined) || (op === 'regex' && nodes[i]?.multi === false);
    };
    const ref = (i: number): string => inline.get(i) ?? `n${i}`;
    const one = (i: number): string => (scalar(i) ? `n${i}` : `(typeof n${i} === 'string' ? n${i} : n${i}[0]${t(' as string')})`);
    for (let i = 0; i < nodes.length; i++) {
      if (!needed.has(i)) continue;
      const node = nodes[i] as PlanNode;
      const expression = nodeExpression(node, i, reads, lines, typed, one);
      if (expression === undefined) continue;
      const whole = typeof expression === 'string' ? expression : `${expression.absentIf}capped(${expression.result})`;
      // A node used only by the literal goes into it: one expression, no local.
      if (uses[i] === 1 && inLiteral.has(i)) inline.set(i, whole);
      else if (typeof expression === 'string') lines.push(`  const n${i}${scalar(i) ? t(': string | undefined') : V} = ${expression};`);
      // The length cap as a statement: 49 inlined helper calls in one function would use up V8's inlining budget.
      else lines.push(`  let n${i}${t(': string | undefined')} = ${expression.absentIf}${expression.result};`, `  if (n${i} !== undefined && n${i}.length > ${limits.valueLength}) n${i} = undefined;`);
    }
    const literal = (names: Map<string, number[]>): string =>
      `{ ${[...names].map(([name, list]) => `${str(name)}: ${list.length === 1 ? ref(list[0] as number) : list.map((n) => (inline.has(n) ? `(${ref(n)})` : ref(n))).reverse().join(' ?? ')}`).join(', ')} }`;
    const returns = versions.map((v, k) => (dispatch && k < versions.length - 1 ? `  if (version === ${v}) return ${literal(literals[k] as Map<string, number[]>)};` : `  return ${literal(literals[k] as Map<string, number[]>)};`));
    return [...reads.hoisted, ...lines, ...returns];
  };

  const other = functionBody([1, 0], true);
  return {
    lines: [
      "/** The policy's JWT claims only, as one object literal of stable shape: same claims as the runtime's evaluateJwtClaims(plan, context, options). */",
      `export function evaluateJwtClaims(c${t(': EvaluationContext')}, options${t('?: EvaluateOptions')})${t(': JwtClaims')} {`,
      // A test of `options`, not a default `{}` (which allocates on every call made without options); version 2 stays straight-line.
      '  if (options !== undefined) {',
      '    const version = options.jwtVersion ?? 2;',
      '    if (version !== 2) return claimsOfVersion(c, version);',
      '  }',
      ...functionBody([2], false),
      '}',
      '',
      '/** evaluateJwtClaims for a token version other than 2: version 1 has its own basic claims, any other version none. */',
      `function claimsOfVersion(${other.some((line) => /\bc[.,)]/.test(line)) ? 'c' : '_c'}${t(': EvaluationContext')}, version${t(': number')})${t(': JwtClaims')} {`,
      ...other,
      '}',
    ],
  };
}

/** A call's or a regex's result, `undefined` when `absentIf` (a `… ? undefined : ` prefix) holds, and still to be capped in length. */
interface Capped {
  readonly absentIf: string;
  readonly result: string;
}

/**
 * The expression computing node `i` as a string, a list or `undefined` (a call's or a regex's still to be capped), or undefined when the node needs statements
 * (a multi-valued call or regex: a loop), which are then pushed to `lines`.
 */
function nodeExpression(node: PlanNode, i: number, reads: OwnReads, lines: string[], typed: boolean, one: (i: number) => string): string | Capped | undefined {
  const t = (annotation: string): string => (typed ? annotation : '');
  switch (node.op) {
    case 'const':
      return str(node.value);
    case 'constList':
      return `K${i}`;
    case 'absent':
      return 'undefined';
    case 'read': {
      const own = reads.own(node.source, node.path);
      return own === undefined ? `present(fromDirectory(readPath(${sourceObject(node.source)}, ${JSON.stringify(node.path)})))` : `value(${own})`;
    }
    case 'derive':
      return node.derivation === 'netbiosname'
        ? 'present(netbiosFromDomain(readPath(c.user, ["onPremisesDomainName"])))'
        : `present(fromDirectory(c.${node.derivation === 'assignedroles' ? 'assignedRoles' : 'groups'}))`;
    case 'extension':
      return `value(${reads.own('user', [node.name]) as string})`;
    case 'first':
      return `(typeof n${node.of} === 'object' ? n${node.of}[0] : n${node.of})`;
    case 'call': {
      const shape = methodShapes[node.method];
      const anyName = shape.params[0] === '*';
      const nodeArgs = node.args.filter((a): a is { name: string; node: number } => 'node' in a);
      const slots = anyName ? [nodeArgs[0]] : shape.params.map((p) => node.args.find((a) => a.name === p));
      const multiIndex = node.multi === undefined ? -1 : anyName ? 0 : shape.params.indexOf(node.multi);
      const required: string[] = [];
      const values: string[] = [];
      // The same arguments with an absent optional one as '' (how the prepared functions read it): for the primitives.
      const orEmpty: string[] = [];
      slots.forEach((arg, k) => {
        if (arg === undefined) {
          values.push('undefined');
          orEmpty.push('""');
        } else if ('value' in arg) {
          values.push(str(arg.value));
          orEmpty.push(str(arg.value));
        } else if (shape.required[k] === true || k === multiIndex) {
          required.push(`n${arg.node} === undefined`);
          values.push(k === multiIndex ? 'item' : one(arg.node));
          orEmpty.push(k === multiIndex ? 'item' : one(arg.node));
        } else {
          values.push(`(n${arg.node} === undefined ? undefined : ${one(arg.node)})`);
          orEmpty.push(`(n${arg.node} === undefined ? "" : ${one(arg.node)})`);
        }
      });
      const absentIf = required.length === 0 ? '' : `${[...new Set(required)].join(' || ')} ? undefined : `;
      if (multiIndex >= 0) {
        const list = `n${(slots[multiIndex] as { node: number }).node}`;
        eachItem(lines, i, absentIf, `(typeof ${list} === 'string' ? [${list}] : ${list}${t(' as readonly string[]')})`, `F${i}(${values.join(', ')})`, typed);
        return undefined;
      }
      return { absentIf, result: directCall(node.method, orEmpty) ?? `F${i}(${values.join(', ')})` };
    }
    case 'regex': {
      const source = `n${node.of}`;
      const absentIf = `${[...new Set([node.of, ...node.extras])].map((e) => `n${e} === undefined`).join(' || ')} ? undefined : `;
      // No extra inputs (the usual pattern): one shared empty list, not an array per call.
      const extras = node.extras.length === 0 ? 'noExtras' : `[${node.extras.map(one).join(', ')}]`;
      if (!node.multi) return { absentIf, result: `regexReplace(R${node.regex}, ${one(node.of)}, T${i}, ${extras})` };
      eachItem(lines, i, absentIf, `(typeof ${source} === 'string' ? [${source}] : ${source})`, `regexReplace(R${node.regex}, item, T${i}, extras)`, typed, extras);
      return undefined;
    }
  }
}

/**
 * The call of a method's leaf primitive, or undefined for a method that goes through its prepared function. Join with
 * a constant separator and second string is one concatenation of the joined constant (what a hand-written `a + '.x'`
 * does; two concatenations would build a two-level rope that every later string operation flattens).
 */
function directCall(method: string, orEmpty: readonly string[]): string | undefined {
  const primitive = primitives[method];
  if (primitive !== undefined) return `${primitive}(${orEmpty[0] ?? '""'})`;
  if (method !== 'Join') return undefined;
  // methodShapes' Join: string1 + separator + string2, every operand a string here.
  const merged: string[] = [];
  for (const part of orEmpty) {
    const previous = merged[merged.length - 1];
    if (part.startsWith('"') && previous !== undefined && previous.startsWith('"')) merged[merged.length - 1] = str((JSON.parse(previous) as string) + (JSON.parse(part) as string));
    else merged.push(part);
  }
  const operands = merged.filter((p) => p !== '""');
  return operands.length === 0 ? '""' : operands.length === 1 ? (operands[0] as string) : `(${operands.join(' + ')})`;
}

/** The loop of a multi-valued node `i`: `call` (which reads `item`) once per item of `items`, keeping the results (each capped in length). */
function eachItem(lines: string[], i: number, absentIf: string, items: string, call: string, typed: boolean, extras?: string): void {
  const t = (annotation: string): string => (typed ? annotation : '');
  lines.push(`  let n${i}${t(': Value')};`, `  b${i}: {`);
  if (absentIf !== '') lines.push(`    if (${absentIf.replace(/ \? undefined : $/, '')}) break b${i};`);
  if (extras !== undefined) lines.push(`    const extras${t(': readonly string[]')} = ${extras};`);
  lines.push(
    `    const outs${t(': string[]')} = [];`,
    `    for (const item of ${items}) {`,
    `      const r = ${call};`,
    '      if (r === undefined) continue;',
    `      if (r.length > ${limits.valueLength}) break b${i};`,
    '      outs.push(r);',
    '    }',
    `    n${i} = outs.length === 0 ? undefined : outs;`,
    '  }',
  );
}
