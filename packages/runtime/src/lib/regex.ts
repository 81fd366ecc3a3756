import { RE2JS } from 're2js';
import { limits } from '@claimc/model';
import type { PlanTemplatePart } from '../plan/schema.js';

/** A replacement template with every `{name}` already resolved to a regex group or an extra input. */
export type ResolvedTemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  /** A capture group by number (0 = the whole match); a group that did not take part renders as empty, as in .NET. */
  | { readonly kind: 'group'; readonly group: number }
  /** An extra input claim of RegexReplace, by its position among the extra inputs. */
  | { readonly kind: 'input'; readonly input: number };

/** A compiled policy regex (re2js, linear time). */
export type CompiledRegex = RE2JS;

/** Why a pattern cannot be compiled. */
export interface RegexCompileFailure {
  readonly ok: false;
  readonly reason: 'syntax' | 'too long' | 'program too large';
  readonly message: string;
}

/**
 * Compiles an RE2-syntax pattern (already translated from .NET syntax by the compiler) with the caps
 * of threats X2: pattern length and program size. Called once per pattern at link time, never per token.
 *
 * @example
 * const compiled = compileRegex('(?P<domain>@.+)$');
 * if (compiled.ok) regexReplace(compiled.regex, 'joe@contoso.com', [{ kind: 'text', text: '@fabrikam.com' }], []) // 'joe@fabrikam.com'
 */
export function compileRegex(source: string, compiled?: CompiledRegex): { readonly ok: true; readonly regex: CompiledRegex } | RegexCompileFailure {
  if (source.length > limits.regexPatternLength) return { ok: false, reason: 'too long', message: `pattern longer than ${limits.regexPatternLength} characters` };
  let regex: RE2JS;
  try {
    // a program compiled from this source elsewhere is reused; the caps below still apply to it
    regex = compiled ?? RE2JS.compile(source);
  } catch (error) {
    return { ok: false, reason: 'syntax', message: error instanceof Error ? error.message : String(error) };
  }
  if (regex.programSize() > limits.regexProgramSize) return { ok: false, reason: 'program too large', message: `program size ${regex.programSize()} exceeds ${limits.regexProgramSize}` };
  return { ok: true, regex };
}

/**
 * The number of a named group in a compiled pattern, or of a numeric reference (`1`); undefined when
 * the pattern has no such group.
 *
 * @example
 * groupNumber(compiled, 'domain') // 1
 */
export function groupNumber(regex: CompiledRegex, name: string): number | undefined {
  if (/^[0-9]+$/.test(name)) {
    const n = Number(name);
    return n <= regex.groupCount() ? n : undefined;
  }
  const named = regex.namedGroups();
  return Object.hasOwn(named, name) ? named[name] : undefined;
}

/**
 * Resolves a plan's replacement template against its compiled pattern (group names become group numbers), the one
 * place the linker and ahead-of-time modules do it. Returns the problem as text for a template the pattern cannot
 * serve (an unknown group, an extra input that does not exist), which only a hand-edited plan can contain.
 *
 * @example
 * resolvePlanTemplate(compiled, [{ kind: 'group', group: 'user' }, { kind: 'text', text: '@contoso.com' }], 0)
 * // [{ kind: 'group', group: 1 }, { kind: 'text', text: '@contoso.com' }]
 */
export function resolvePlanTemplate(regex: CompiledRegex, parts: readonly PlanTemplatePart[], extraCount: number): ResolvedTemplatePart[] | { readonly problem: string } {
  const resolved: ResolvedTemplatePart[] = [];
  for (const part of parts) {
    // Fresh literals, not the plan document's objects: regexReplace reads them per token.
    if (part.kind === 'text') resolved.push({ kind: 'text', text: part.text });
    else if (part.kind === 'input') {
      if (part.input >= extraCount) return { problem: `template input ${part.input} has no extra input` };
      resolved.push({ kind: 'input', input: part.input });
    } else {
      const group = groupNumber(regex, part.group);
      if (group === undefined) return { problem: `template group ${JSON.stringify(part.group)} is not in the pattern` };
      resolved.push({ kind: 'group', group });
    }
  }
  return resolved;
}

/**
 * `RegexReplace` with .NET `Regex.Replace` semantics: every non-overlapping match, left to right,
 * is replaced by the rendered template; text outside matches is kept; an empty match advances by one
 * character as in .NET. No match at all gives no value (`undefined`).
 *
 * @example
 * regexReplace(re, 'swmal@fabrikam.com', [{ kind: 'input', input: 0 }, { kind: 'text', text: '.' }, { kind: 'group', group: 1 }, { kind: 'text', text: '@xyz.com' }], ['US'])
 */
export function regexReplace(regex: CompiledRegex, input: string, template: readonly ResolvedTemplatePart[], extras: readonly string[]): string | undefined {
  const matcher = regex.matcher(input);
  if (!matcher.find()) return undefined;
  let out = '';
  let last = 0;
  do {
    const start = matcher.start();
    out += input.slice(last, start);
    for (const part of template) {
      if (part.kind === 'text') out += part.text;
      else if (part.kind === 'group') out += matcher.group(part.group) ?? '';
      else out += extras[part.input] ?? '';
    }
    last = matcher.end();
  } while (matcher.find());
  return out + input.slice(last);
}
