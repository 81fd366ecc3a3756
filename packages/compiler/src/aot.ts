import { limits } from '@claimc/model';
import { methodShapes, Reason } from '@claimc/runtime';
import type { PlanDocument, PlanNode } from '@claimc/runtime';

/** Options of {@link emitModule}. */
export interface EmitModuleOptions {
  readonly language: 'ts' | 'js';
}

const str = (text: string): string => JSON.stringify(text);

/** JavaScript that computes node `i` into `n<i>` (straight-line; every node of a specialized program is needed). */
function nodeCode(node: PlanNode, i: number, lines: string[], prelude: string[], typed: boolean): void {
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
      lines.push(`  const ${v}${T} = ${Reason[reasonKey(node.reason)]};`);
      return;
    case 'read': {
      const object = node.source === 'audience' ? '(c.audience ?? c.resource ?? c.client)' : `c.${node.source}`;
      lines.push(
        node.path.length === 1
          ? `  const ${v}${T} = rd(${object}, ${str(node.path[0] as string)});`
          : `  const ${v}${T} = fromDirectory(readPath(${object}, ${JSON.stringify(node.path)}));`,
      );
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
      lines.push(`  const ${v}${T} = rd(c.user, ${str(node.name)});`);
      return;
    case 'first':
      lines.push(`  const ${v}${T} = typeof n${node.of} === 'object' ? (n${node.of}[0] ?? ${Reason.sourceEmpty}) : n${node.of};`);
      return;
    case 'call': {
      const shape = methodShapes[node.method];
      if (shape === undefined) throw new Error(`aot: unknown method ${node.method}`);
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
          values.push(k === multiIndex ? 'undefined' : `(typeof ${input} === 'string' ? ${input} : ${input}[0])`);
        } else values.push(`(typeof ${input} === 'number' ? undefined : typeof ${input} === 'string' ? ${input} : ${input}[0])`);
      });
      if (multiIndex < 0) {
        lines.push(`    ${v} = cap(F${i}([${values.join(', ')}]));`, '  }');
        return;
      }
      const list = `n${(slots[multiIndex] as { node: number }).node}`;
      lines.push(
        `    const vals${typed ? ': (string | undefined)[]' : ''} = [${values.join(', ')}];`,
        `    const outs${typed ? ': string[]' : ''} = [];`,
        `    for (const item of (typeof ${list} === 'string' ? [${list}] : ${list}${typed ? ' as readonly string[]' : ''})) {`,
        `      vals[${multiIndex}] = item;`,
        `      const r = F${i}(vals);`,
        '      if (r === undefined) continue;',
        `      if (r.length > ${limits.valueLength}) { ${v} = ${Reason.valueTooLong}; break b${i}; }`,
        '      outs.push(r);',
        '    }',
        `    ${v} = outs.length === 0 ? ${Reason.noMatch} : outs;`,
        '  }',
      );
      return;
    }
    case 'regex': {
      prelude.push(`const T${i}${typed ? ': ResolvedTemplatePart[]' : ''} = resolveTemplate(R${node.regex}, ${JSON.stringify(node.template)});`);
      const source = `n${node.of}`;
      lines.push(`  let ${v}${T};`, `  b${i}: {`, `    if (typeof ${source} === 'number') { ${v} = ${Reason.inputAbsent}; break b${i}; }`);
      node.extras.forEach((e) => lines.push(`    if (typeof n${e} === 'number') { ${v} = ${Reason.inputAbsent}; break b${i}; }`));
      const extras = `[${node.extras.map((e) => `(typeof n${e} === 'string' ? n${e} : n${e}[0])`).join(', ')}]`;
      if (!node.multi) {
        lines.push(`    ${v} = cap(regexReplace(R${node.regex}, typeof ${source} === 'string' ? ${source} : ${source}[0], T${i}, ${extras}));`, '  }');
        return;
      }
      lines.push(
        `    const extras = ${extras};`,
        `    const outs${typed ? ': string[]' : ''} = [];`,
        `    for (const item of (typeof ${source} === 'string' ? [${source}] : ${source})) {`,
        `      const r = regexReplace(R${node.regex}, item, T${i}, extras);`,
        '      if (r === undefined) continue;',
        `      if (r.length > ${limits.valueLength}) { ${v} = ${Reason.valueTooLong}; break b${i}; }`,
        '      outs.push(r);',
        '    }',
        `    ${v} = outs.length === 0 ? ${Reason.noMatch} : outs;`,
        '  }',
      );
      return;
    }
  }
}

function reasonKey(reason: string): keyof typeof Reason {
  const key = reason.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
  if (!(key in Reason)) throw new Error(`aot: unknown reason ${reason}`);
  return key as keyof typeof Reason;
}

/**
 * Writes an ahead-of-time module for a plan: it imports only `@claimc/runtime`, exports the plan
 * document, the ready linked `plan`, and `evaluateJwt` as straight-line code specialized to this
 * policy (same results as the runtime's `evaluateJwt(plan, …)`); `evaluateSaml` evaluates the linked plan.
 * No `eval`, no `new Function`, at build time or at run time.
 *
 * @example
 * writeFileSync('policy.plan.js', emitModule(compilePolicy(text).plan!, { language: 'js' }));
 * const { evaluateJwt } = await import('./policy.plan.js');
 */
export function emitModule(plan: PlanDocument, options: EmitModuleOptions): string {
  const typed = options.language === 'ts';
  const prelude: string[] = [];
  const body: string[] = [];
  plan.regexes.forEach((source, i) => prelude.push(`const R${i} = regex(${str(source)});`));
  // A read used only by one version's basic claim (given_name, family_name: v1 only, D15) is computed inside that version's branch.
  const uses = new Array<number>(plan.jwt.nodes.length).fill(0);
  const count = (ref: number): void => {
    uses[ref] = (uses[ref] ?? 0) + 1;
  };
  plan.jwt.nodes.forEach((node) => {
    if (node.op === 'first') count(node.of);
    else if (node.op === 'call') node.args.forEach((a) => ('node' in a ? count(a.node) : undefined));
    else if (node.op === 'regex') [node.of, ...node.extras].forEach(count);
  });
  plan.jwt.emits.forEach((e) => ('node' in e ? count(e.node) : undefined));
  plan.jwt.basic.forEach((b) => count(b.node));
  const lazy = new Set(plan.jwt.basic.filter((b) => b.versions.length === 1 && uses[b.node] === 1 && plan.jwt.nodes[b.node]?.op === 'read').map((b) => b.node));
  plan.jwt.nodes.forEach((node, i) => {
    if (!lazy.has(i)) nodeCode(node, i, body, prelude, typed);
  });

  const emits = plan.jwt.emits;
  const nameCount = new Map<string, number>();
  for (const e of emits) if ('node' in e) nameCount.set(e.name, (nameCount.get(e.name) ?? 0) + 1);
  emits.forEach((e, k) => prelude.push(`const A${k} = absences(${str(e.name)}, ${e.entry});`));
  const duplicates = [...nameCount].filter(([, count]) => count > 1).map(([name]) => name);
  prelude.push(`const AS${typed ? ': readonly (readonly Absence[])[]' : ''} = [${emits.map((_, k) => `A${k}`).join(', ')}];`);

  const out: string[] = [];
  out.push('  const basic = Object.create(null)' + (typed ? ' as Record<string, ClaimValue>' : '') + ';');
  out.push('  const policy = Object.create(null)' + (typed ? ' as Record<string, ClaimValue>' : '') + ';');
  out.push('  const claims = Object.create(null)' + (typed ? ' as Record<string, ClaimValue>' : '') + ';');
  out.push(`  let absent${typed ? ': Absence[] | undefined' : ''};`, '  let overridden = false;');
  for (const b of plan.jwt.basic) {
    const store = `if (typeof n${b.node} !== 'number') { basic[${str(b.name)}] = n${b.node}; claims[${str(b.name)}] = n${b.node}; }`;
    if (b.versions.length === 2) out.push(`  ${store}`);
    else if (!lazy.has(b.node)) out.push(`  if (version === ${b.versions[0] ?? 0}) ${store}`);
    else {
      const inner: string[] = [];
      nodeCode(plan.jwt.nodes[b.node] as PlanNode, b.node, inner, prelude, typed);
      out.push(`  if (version === ${b.versions[0] ?? 0}) {`, ...inner.map((line) => '  ' + line), `    ${store}`, '  }');
    }
  }
  duplicates.forEach((_, d) => out.push(`  let d${d} = -1;`));
  emits.forEach((e, k) => {
    if (!('node' in e)) {
      out.push(`  (absent ??= []).push(A${k}[${Reason[reasonKey(e.absent)]}]${typed ? ' as Absence' : ''});`);
      return;
    }
    const n = `n${e.node}`;
    const d = duplicates.indexOf(e.name);
    const track = d < 0 ? '' : ` if (d${d} >= 0) { (absent ??= []).push((AS[d${d}] as readonly Absence[])[${Reason.overridden}] as Absence); overridden = true; } d${d} = ${k};`.replace(/ as (readonly Absence\[\]|Absence)/g, typed ? ' as $1' : '');
    out.push(
      `  if (typeof ${n} === 'number') (absent ??= []).push(A${k}[${n}]${typed ? ' as Absence' : ''}); else {${track} policy[${str(e.name)}] = ${n}; claims[${str(e.name)}] = ${n}; }`,
    );
  });
  out.push('  if (overridden && absent !== undefined) absent.sort((a, b) => a.entry - b.entry);', '  return { basic, policy, claims, absent: absent ?? none };');

  const header = [
    '// Generated by `claimc compile`: do not edit. It imports only @claimc/runtime (no compiler, no parser).',
    `// Plan format ${plan.version}.`,
    '/* eslint-disable */',
    typed
      ? "import { linkPlan, evaluateSaml as evaluateSamlPlan, fromDirectory, readPath, netbiosFromDomain, compileRegex, groupNumber, regexReplace, prepareMethod, absenceReasons, ClaimcRuntimeError } from '@claimc/runtime';\nimport type { Absence, ClaimValue, Computed, EvaluateOptions, EvaluationContext, JwtEvaluation, LinkedPlan, PlanDocument, ResolvedTemplatePart, SamlEvaluation, CompiledRegex } from '@claimc/runtime';"
      : "import { linkPlan, evaluateSaml as evaluateSamlPlan, fromDirectory, readPath, netbiosFromDomain, compileRegex, groupNumber, regexReplace, prepareMethod, absenceReasons, ClaimcRuntimeError } from '@claimc/runtime';",
    '',
    `export const planDocument${typed ? ': PlanDocument' : ''} = ${JSON.stringify(plan, null, 2)};`,
    '',
    '/** The linked plan (validated, regexes compiled once); usable with the runtime\'s evaluateJwt / evaluateSaml. */',
    `export const plan${typed ? ': LinkedPlan' : ''} = linkPlan(planDocument);`,
    '',
    `const none${typed ? ': readonly Absence[]' : ''} = Object.freeze([]);`,
    `const absences = (name${typed ? ': string' : ''}, entry${typed ? ': number' : ''})${typed ? ': readonly Absence[]' : ''} => Object.freeze(absenceReasons.map((reason) => Object.freeze({ name, entry, reason })));`,
    `const rd = (o${typed ? ': unknown' : ''}, k${typed ? ': string' : ''})${typed ? ': Computed' : ''} => {`,
    `  if (o === null || typeof o !== 'object' || !Object.hasOwn(o, k)) return ${Reason.sourceEmpty};`,
    `  const raw = (o${typed ? ' as Record<string, unknown>' : ''})[k];`,
    `  return typeof raw === 'string' ? (raw.length > ${limits.valueLength} ? ${Reason.valueTooLong} : raw) : fromDirectory(raw);`,
    '};',
    `const cap = (r${typed ? ': string | undefined' : ''})${typed ? ': Computed' : ''} => (r === undefined ? ${Reason.noMatch} : r.length > ${limits.valueLength} ? ${Reason.valueTooLong} : r);`,
    `const regex = (source${typed ? ': string' : ''})${typed ? ': CompiledRegex' : ''} => {`,
    '  const compiled = compileRegex(source);',
    "  if (!compiled.ok) throw new ClaimcRuntimeError('ERR_PLAN_REGEX', compiled.message);",
    '  return compiled.regex;',
    '};',
    `const resolveTemplate = (re${typed ? ': CompiledRegex' : ''}, parts${typed ? ': readonly ({ kind: "text"; text: string } | { kind: "group"; group: string } | { kind: "input"; input: number })[]' : ''})${typed ? ': ResolvedTemplatePart[]' : ''} =>`,
    "  parts.map((p) => (p.kind === 'group' ? { kind: 'group', group: groupNumber(re, p.group) ?? 0 } : p));",
  ].join('\n');
  return [
    header,
    ...prelude,
    '',
    '/** The policy\'s JWT claims: straight-line code, same results as the runtime\'s evaluateJwt(plan, context, options). */',
    `export function evaluateJwt(c${typed ? ': EvaluationContext' : ''}, options${typed ? ': EvaluateOptions' : ''} = {})${typed ? ': JwtEvaluation' : ''} {`,
    '  const version = options.jwtVersion ?? 2;',
    ...body,
    ...out,
    '}',
    '',
    '/** The policy\'s SAML attributes and NameID, from the linked plan. */',
    `export function evaluateSaml(c${typed ? ': EvaluationContext' : ''})${typed ? ': SamlEvaluation' : ''} {`,
    '  return evaluateSamlPlan(plan, c);',
    '}',
    '',
  ].join('\n');
}
