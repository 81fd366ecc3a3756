import { limits } from '@claimc/model';
import { methodShapes, nodeRefs, Reason, reasonCode } from '@claimc/runtime/internal';
import type { PlanDocument, PlanNode } from '@claimc/runtime/internal';
import { claimsFunctions } from './aot-claims.js';
import { OwnReads, sourceObject } from './aot-reads.js';

/** Options of {@link emitModule}. */
export interface EmitModuleOptions {
  readonly language: 'ts' | 'js';
}

const str = (text: string): string => JSON.stringify(text);

/** JavaScript that computes node `i` into `n<i>` (straight-line; every node of a specialized program is needed). */
function nodeCode(node: PlanNode, i: number, lines: string[], prelude: string[], typed: boolean, reads: OwnReads): void {
  const T = typed ? ': Computed' : '';
  const v = `n${i}`;
  switch (node.op) {
    case 'const':
      lines.push(`  const ${v}${T} = ${str(node.value)};`);
      return;
    case 'constList':
      prelude.push(`const K${i}${typed ? ': readonly string[]' : ''} = Object.freeze(${JSON.stringify(node.values)});`);
      lines.push(`  const ${v}${T} = K${i};`);
      return;
    case 'absent':
      lines.push(`  const ${v}${T} = ${reasonCode(node.reason)};`);
      return;
    case 'read': {
      const own = reads.own(node.source, node.path);
      lines.push(own === undefined ? `  const ${v}${T} = fromDirectory(readPath(${sourceObject(node.source)}, ${JSON.stringify(node.path)}));` : `  const ${v}${T} = txt(${own});`);
      return;
    }
    case 'derive':
      lines.push(
        node.derivation === 'netbiosname'
          ? `  const ${v}${T} = netbiosFromDomain(readPath(c.user, ["onPremisesDomainName"]));`
          : `  const ${v}${T} = fromDirectory(c.${node.derivation === 'assignedroles' ? 'assignedRoles' : 'groups'});`,
      );
      return;
    case 'extension':
      lines.push(`  const ${v}${T} = txt(${reads.own('user', [node.name]) as string});`);
      return;
    case 'first':
      lines.push(`  const ${v}${T} = typeof n${node.of} === 'object' ? (n${node.of}[0] ?? ${Reason.sourceEmpty}) : n${node.of};`);
      return;
    case 'call': {
      const shape = methodShapes[node.method];
      const constants = node.args.flatMap((a) => ('value' in a ? [[a.name, a.value] as const] : []));
      prelude.push(`const F${i} = prepareMethod(${str(node.method)}, ${JSON.stringify(constants)});`);
      const anyName = shape.params[0] === '*';
      const nodeArgs = node.args.filter((a): a is { name: string; node: number } => 'node' in a);
      const slots = anyName ? [nodeArgs[0]] : shape.params.map((p) => node.args.find((a) => a.name === p));
      const multiIndex = node.multi === undefined ? -1 : anyName ? 0 : shape.params.indexOf(node.multi);
      lines.push(`  let ${v}${T};`, `  b${i}: {`);
      const values: string[] = [];
      slots.forEach((arg, k) => {
        if (arg === undefined) {
          values.push('undefined');
          return;
        }
        if ('value' in arg) {
          values.push(str(arg.value));
          return;
        }
        const input = `n${arg.node}`;
        if (shape.required[k] === true || k === multiIndex) {
          lines.push(`    if (typeof ${input} === 'number') { ${v} = ${Reason.inputAbsent}; break b${i}; }`);
          values.push(k === multiIndex ? 'undefined' : `(typeof ${input} === 'string' ? ${input} : ${input}[0]${typed ? ' as string' : ''})`);
        } else values.push(`(typeof ${input} === 'number' ? undefined : typeof ${input} === 'string' ? ${input} : ${input}[0])`);
      });
      if (multiIndex < 0) {
        lines.push(`    ${v} = cap(F${i}(${values.join(', ')}));`, '  }');
        return;
      }
      const list = `n${(slots[multiIndex] as { node: number }).node}`;
      const withItem = values.map((value, k) => (k === multiIndex ? 'item' : value));
      eachItemCode(lines, i, `(typeof ${list} === 'string' ? [${list}] : ${list}${typed ? ' as readonly string[]' : ''})`, `F${i}(${withItem.join(', ')})`, typed);
      return;
    }
    case 'regex': {
      prelude.push(`const T${i}${typed ? ': ResolvedTemplatePart[]' : ''} = resolveTemplate(R${node.regex}, ${JSON.stringify(node.template)}, ${node.extras.length});`);
      const source = `n${node.of}`;
      lines.push(`  let ${v}${T};`, `  b${i}: {`, `    if (typeof ${source} === 'number') { ${v} = ${Reason.inputAbsent}; break b${i}; }`);
      node.extras.forEach((e) => lines.push(`    if (typeof n${e} === 'number') { ${v} = ${Reason.inputAbsent}; break b${i}; }`));
      // No extra inputs (the usual pattern): one shared empty list, not an array per call.
      const extras = node.extras.length === 0 ? 'noExtras' : `[${node.extras.map((e) => `(typeof n${e} === 'string' ? n${e} : n${e}[0]${typed ? ' as string' : ''})`).join(', ')}]`;
      if (!node.multi) {
        lines.push(`    ${v} = cap(regexReplace(R${node.regex}, typeof ${source} === 'string' ? ${source} : ${source}[0]${typed ? ' as string' : ''}, T${i}, ${extras}));`, '  }');
        return;
      }
      lines.push(`    const extras${typed ? ': readonly string[]' : ''} = ${extras};`);
      eachItemCode(lines, i, `(typeof ${source} === 'string' ? [${source}] : ${source})`, `regexReplace(R${node.regex}, item, T${i}, extras)`, typed);
      return;
    }
  }
}

/** The loop of a multi-valued node `i`: `call` (which reads `item`) once per item of `items`, keeping the matches (D7 caps each). */
function eachItemCode(lines: string[], i: number, items: string, call: string, typed: boolean): void {
  lines.push(
    `    const outs${typed ? ': string[]' : ''} = [];`,
    `    for (const item of ${items}) {`,
    `      const r = ${call};`,
    '      if (r === undefined) continue;',
    `      if (r.length > ${limits.valueLength}) { n${i} = ${Reason.valueTooLong}; break b${i}; }`,
    '      outs.push(r);',
    '    }',
    `    n${i} = outs.length === 0 ? ${Reason.noMatch} : outs;`,
    '  }',
  );
}

// The runtime's public entry where a name is public; engine primitives from its internal entry (same package, same version).
const publicRuntimeNames = new Set(['linkPlan', 'evaluateSaml as evaluateSamlPlan', 'ClaimcRuntimeError', 'Absence', 'ClaimValue', 'EvaluateOptions', 'EvaluationContext', 'JwtClaims', 'JwtEvaluation', 'LinkedPlan', 'PlanDocument', 'SamlEvaluation']);

function importLines(values: readonly string[], types: readonly string[], typed: boolean): string[] {
  const line = (keyword: string, names: readonly string[], from: string) => (names.length === 0 ? [] : [`${keyword} { ${names.join(', ')} } from '${from}';`]);
  return [
    ...line('import', values.filter((n) => publicRuntimeNames.has(n)), '@claimc/runtime'),
    ...line('import', values.filter((n) => !publicRuntimeNames.has(n)), '@claimc/runtime/internal'),
    ...(typed ? line('import type', types.filter((n) => publicRuntimeNames.has(n)), '@claimc/runtime') : []),
    ...(typed ? line('import type', types.filter((n) => !publicRuntimeNames.has(n)), '@claimc/runtime/internal') : []),
  ];
}

/**
 * Writes an ahead-of-time module for a plan: it imports only `@claimc/runtime`, exports the plan
 * document, the ready linked `plan`, and `evaluateJwt` and `evaluateJwtClaims` as straight-line code specialized
 * to this policy (same results as the runtime's `evaluateJwt(plan, …)` / `evaluateJwtClaims(plan, …)`; the claims
 * function is written by {@link claimsFunctions}); `evaluateSaml` evaluates the linked plan.
 * No `eval`, no `new Function`, at build time or at run time.
 *
 * @example
 * const compiled = compilePolicy(text);
 * if (compiled.ok) writeFileSync('policy.plan.js', emitModule(compiled.plan, { language: 'js' }));
 * const { evaluateJwt } = await import('./policy.plan.js');
 */
export function emitModule(plan: PlanDocument, options: EmitModuleOptions): string {
  const typed = options.language === 'ts';
  const prelude: string[] = [];
  const body: string[] = [];
  const reads = new OwnReads(typed);
  plan.regexes.forEach((source, i) => prelude.push(`const R${i} = regex(${str(source)});`));
  // A read used only by one version's basic claim (given_name, family_name: v1 only, D15) is computed inside that version's branch.
  const uses = new Array<number>(plan.jwt.nodes.length).fill(0);
  const count = (ref: number): void => {
    uses[ref] = (uses[ref] ?? 0) + 1;
  };
  for (const node of plan.jwt.nodes) for (const ref of nodeRefs(node)) count(ref);
  plan.jwt.emits.forEach((e) => ('node' in e ? count(e.node) : undefined));
  plan.jwt.basic.forEach((b) => count(b.node));
  const lazy = new Set(plan.jwt.basic.filter((b) => b.versions.length === 1 && uses[b.node] === 1 && plan.jwt.nodes[b.node]?.op === 'read').map((b) => b.node));
  plan.jwt.nodes.forEach((node, i) => {
    if (!lazy.has(i)) nodeCode(node, i, body, prelude, typed, reads);
  });

  const emits = plan.jwt.emits;
  const nameCount = new Map<string, number>();
  for (const e of emits) if ('node' in e) nameCount.set(e.name, (nameCount.get(e.name) ?? 0) + 1);
  emits.forEach((e, k) => prelude.push(`const A${k} = absences(${str(e.name)}, ${e.entry});`));
  const duplicates = [...nameCount].filter(([, count]) => count > 1).map(([name]) => name);
  if (duplicates.length > 0) prelude.push(`const AS${typed ? ': readonly (readonly Absence[])[]' : ''} = [${emits.map((_, k) => `A${k}`).join(', ')}];`);

  // The lazy reads' objects are hoisted with the others (their code is written again inside the version branch below).
  for (const i of lazy) nodeCode(plan.jwt.nodes[i] as PlanNode, i, [], [], typed, reads);
  body.unshift(...reads.hoisted);
  const claims = claimsFunctions(plan, typed).lines;

  const out: string[] = [];
  out.push('  const basic = Object.create(null)' + (typed ? ' as Record<string, ClaimValue>' : '') + ';');
  out.push('  const policy = Object.create(null)' + (typed ? ' as Record<string, ClaimValue>' : '') + ';');
  out.push('  const claims = Object.create(null)' + (typed ? ' as Record<string, ClaimValue>' : '') + ';');
  out.push(`  let absent${typed ? ': Absence[] | undefined' : ''};`);
  if (duplicates.length > 0) out.push('  let overridden = false;');
  for (const b of plan.jwt.basic) {
    const store = `if (typeof n${b.node} !== 'number') { basic[${str(b.name)}] = n${b.node}; claims[${str(b.name)}] = n${b.node}; }`;
    if (b.versions.length === 2) out.push(`  ${store}`);
    else if (!lazy.has(b.node)) out.push(`  if (version === ${b.versions[0] ?? 0}) ${store}`);
    else {
      const inner: string[] = [];
      nodeCode(plan.jwt.nodes[b.node] as PlanNode, b.node, inner, prelude, typed, reads);
      out.push(`  if (version === ${b.versions[0] ?? 0}) {`, ...inner.map((line) => '  ' + line), `    ${store}`, '  }');
    }
  }
  duplicates.forEach((_, d) => out.push(`  let d${d} = -1;`));
  emits.forEach((e, k) => {
    if (!('node' in e)) {
      out.push(`  (absent ??= []).push(A${k}[${reasonCode(e.absent)}]${typed ? ' as Absence' : ''});`);
      return;
    }
    const n = `n${e.node}`;
    const d = duplicates.indexOf(e.name);
    const track = d < 0 ? '' : ` if (d${d} >= 0) { (absent ??= []).push((AS[d${d}] as readonly Absence[])[${Reason.overridden}] as Absence); overridden = true; } d${d} = ${k};`.replace(/ as (readonly Absence\[\]|Absence)/g, typed ? ' as $1' : '');
    out.push(
      `  if (typeof ${n} === 'number') (absent ??= []).push(A${k}[${n}]${typed ? ' as Absence' : ''}); else {${track} policy[${str(e.name)}] = ${n}; claims[${str(e.name)}] = ${n}; }`,
    );
  });
  if (duplicates.length > 0) out.push('  if (overridden && absent !== undefined) absent.sort((a, b) => a.entry - b.entry);');
  out.push('  return { basic, policy, claims, absent: absent ?? none };');

  const t = (annotation: string): string => (typed ? annotation : '');
  const helpers: string[] = [];
  const code = [...prelude, ...body, ...out, ...claims].join('\n');
  // A helper is defined only when the generated code calls it, so a strict TS build sees no unused locals.
  const mentions = (name: string): boolean => new RegExp(`(^|[^\\w."])${name}\\(`, 'm').test(code);
  if (code.includes('?? none')) helpers.push(`const none${t(': readonly Absence[]')} = Object.freeze([]);`);
  if (mentions('absences')) helpers.push(`const absences = (name${t(': string')}, entry${t(': number')})${t(': readonly Absence[]')} => Object.freeze(absenceReasons.map((reason) => Object.freeze({ name, entry, reason })));`);
  if (code.includes(' in OP)')) helpers.push('const OP = Object.prototype;');
  if (mentions('own')) helpers.push(`const own = (o${t(': unknown')}, k${t(': string')})${t(': unknown')} => (o !== null && typeof o === 'object' && Object.hasOwn(o, k) ? (o${t(' as Record<string, unknown>')})[k] : undefined);`);
  if (mentions('objectOf')) helpers.push(`const objectOf = (v${t(': unknown')})${t(': unknown')} => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined);`);
  if (mentions('txt')) helpers.push(`const txt = (raw${t(': unknown')})${t(': Computed')} => (typeof raw === 'string' ? (raw.length > ${limits.valueLength} ? ${Reason.valueTooLong} : raw) : fromDirectory(raw));`);
  if (/\bnoExtras\b/.test(code)) helpers.push(`const noExtras${t(': readonly string[]')} = Object.freeze([]);`);
  if (mentions('value')) helpers.push(`const value = (raw${t(': unknown')})${t(': Value')} => (typeof raw === 'string' ? (raw.length > ${limits.valueLength} ? undefined : raw) : present(fromDirectory(raw)));`);
  if (mentions('present') || mentions('value')) helpers.push(`const present = (v${t(': Computed')})${t(': Value')} => (typeof v === 'number' ? undefined : v);`);
  if (mentions('capped')) helpers.push(`const capped = (r${t(': string | undefined')})${t(': string | undefined')} => (r === undefined || r.length > ${limits.valueLength} ? undefined : r);`);
  if (typed && /\bValue\b/.test([...helpers, code].join('\n'))) helpers.unshift('/** A node\'s value in evaluateJwtClaims: a string, a list, or undefined when absent. */', 'type Value = string | readonly string[] | undefined;');
  if (mentions('cap')) helpers.push(`const cap = (r${t(': string | undefined')})${t(': Computed')} => (r === undefined ? ${Reason.noMatch} : r.length > ${limits.valueLength} ? ${Reason.valueTooLong} : r);`);
  if (mentions('regex'))
    helpers.push(
      `const regex = (source${t(': string')})${t(': CompiledRegex')} => {`,
      '  const compiled = compileRegex(source);',
      "  if (!compiled.ok) throw new ClaimcRuntimeError('ERR_PLAN_REGEX', compiled.message);",
      '  return compiled.regex;',
      '};',
    );
  if (mentions('resolveTemplate'))
    helpers.push(
      `const resolveTemplate = (re${t(': CompiledRegex')}, parts${t(': readonly PlanTemplatePart[]')}, extraCount${t(': number')})${t(': ResolvedTemplatePart[]')} => {`,
      '  const template = resolvePlanTemplate(re, parts, extraCount);',
      "  if (!Array.isArray(template)) throw new ClaimcRuntimeError('ERR_PLAN_FORGED', template.problem);",
      '  return template;',
      '};',
    );
  const all = [...helpers, code].join('\n');
  const values = ['linkPlan', 'evaluateSaml as evaluateSamlPlan', 'fromDirectory', 'readPath', 'netbiosFromDomain', 'compileRegex', 'groupNumber', 'resolvePlanTemplate', 'regexReplace', 'prepareMethod', 'mailPrefix', 'toLowercase', 'toUppercase', 'absenceReasons', 'ClaimcRuntimeError'].filter(
    (name) => name.startsWith('linkPlan') || name.startsWith('evaluateSaml') || new RegExp(`\\b${name}\\b`).test(all),
  );
  const types = ['Absence', 'ClaimValue', 'Computed', 'CompiledRegex', 'EvaluateOptions', 'EvaluationContext', 'JwtClaims', 'JwtEvaluation', 'LinkedPlan', 'PlanDocument', 'PlanTemplatePart', 'ResolvedTemplatePart', 'SamlEvaluation'].filter(
    (name) => ['EvaluateOptions', 'EvaluationContext', 'JwtClaims', 'JwtEvaluation', 'LinkedPlan', 'PlanDocument', 'SamlEvaluation', 'ClaimValue'].includes(name) || new RegExp(`\\b${name}\\b`).test(all),
  );
  const header = [
    '// Generated by `claimc compile`: do not edit. It imports only @claimc/runtime (no compiler, no parser).',
    `// Plan format ${plan.version}.`,
    ...importLines(values, types, typed),
    '',
    `export const planDocument${t(': PlanDocument')} = ${JSON.stringify(plan, null, 2)};`,
    '',
    "/** The linked plan (validated, regexes compiled once); usable with the runtime's evaluateJwt / evaluateSaml. */",
    `export const plan${t(': LinkedPlan')} = linkPlan(planDocument);`,
    '',
    ...helpers,
  ].join('\n');
  return [
    header,
    ...prelude,
    '',
    '/** The policy\'s JWT claims: straight-line code, same results as the runtime\'s evaluateJwt(plan, context, options). */',
    `export function evaluateJwt(${plan.jwt.nodes.length === 0 ? '_c' : 'c'}${typed ? ': EvaluationContext' : ''}, ${out.some((line) => line.includes('version === ')) ? 'options' : '_options'}${typed ? '?: EvaluateOptions' : ''})${typed ? ': JwtEvaluation' : ''} {`,
    ...(out.some((line) => line.includes('version === ')) ? ['  const version = options?.jwtVersion ?? 2;'] : []),
    ...body,
    ...out,
    '}',
    '',
    ...claims,
    '',
    '/** The policy\'s SAML attributes and NameID, from the linked plan. */',
    `export function evaluateSaml(c${typed ? ': EvaluationContext' : ''})${typed ? ': SamlEvaluation' : ''} {`,
    '  return evaluateSamlPlan(plan, c);',
    '}',
    '',
  ].join('\n');
}
