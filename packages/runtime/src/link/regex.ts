// Linking `regex` nodes: the plan's pattern table compiled once, templates resolved against it.
import { compileRegex, regexReplace, resolvePlanTemplate } from '../lib/regex.js';
import type { CompiledRegex, ResolvedTemplatePart } from '../lib/regex.js';
import { Reason, tooLong } from '../lib/values.js';
import type { PlanNode } from '../plan/schema.js';
import { fail, type NodeFn } from './node.js';
import { slotIndexOf } from './reads.js';
import type { Computed } from '../lib/values.js';

/**
 * Compiles a plan's pattern table once, at link time; a pattern that does not compile fails the whole link. `known`
 * holds programs the caller already compiled from the same source (the compiler's own validation), used as they are.
 */
export function compileRegexTable(sources: readonly string[], known?: ReadonlyMap<string, CompiledRegex>): CompiledRegex[] {
  return sources.map((source, i) => {
    const compiled = compileRegex(source, known?.get(source));
    return compiled.ok ? compiled.regex : fail('ERR_PLAN_REGEX', `pattern ${i} does not compile: ${compiled.message}`, `/regexes/${i}`);
  });
}

export function linkRegex(node: Extract<PlanNode, { op: 'regex' }>, ref: (i: number) => NodeFn, regexes: readonly CompiledRegex[], pointer: string): NodeFn {
  const regex = regexes[node.regex];
  if (regex === undefined) return fail('ERR_PLAN_FORGED', `regex ${node.regex} is not in the pattern table`, pointer);
  const template = resolvePlanTemplate(regex, node.template, node.extras.length);
  if (!Array.isArray(template)) return fail('ERR_PLAN_FORGED', template.problem, pointer);
  return regexFn(regex, template, ref(node.of), node.extras.map(ref), node.multi);
}

const noExtras: string[] = [];

function regexFn(regex: CompiledRegex, template: readonly ResolvedTemplatePart[], source: NodeFn, extras: readonly NodeFn[], multi: boolean): NodeFn {
  const slot = slotIndexOf(source);
  if (!multi && extras.length === 0) return singleRegexFn(regex, template, source, slot);
  return (c, s) => {
    const v = slot >= 0 ? (s[slot] as Computed) : source(c, s);
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

/** The common RegexReplace (one value, no extra inputs): its own closure literal, without the extras and multi-value paths. */
function singleRegexFn(regex: CompiledRegex, template: readonly ResolvedTemplatePart[], source: NodeFn, slot: number): NodeFn {
  return (c, s) => {
    const v = slot >= 0 ? (s[slot] as Computed) : source(c, s);
    if (typeof v === 'number') return Reason.inputAbsent;
    const out = regexReplace(regex, typeof v === 'string' ? v : (v[0] as string), template, noExtras);
    if (out === undefined) return Reason.noMatch;
    return tooLong(out) ? Reason.valueTooLong : out;
  };
}
