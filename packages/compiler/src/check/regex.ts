import { findMethodInput, limits } from '@claimc/model';
import { resolveTemplate } from '../regex/resolve-template.js';
import type { CheckContext } from './context.js';
import { locateInValue, ptr } from './locate.js';

/** RegexReplace (D11, §3.3, threats X1–X4): the pattern runs on re2js, every template reference resolves, every extra input is used. Reports from bind's resolution (`BoundTransformation.regex`). */
export function checkRegexReplace(ctx: CheckContext): void {
  for (const bound of ctx.bound.transformations) {
    if (bound.method?.name !== 'RegexReplace') continue;
    const t = ctx.bound.policy.ClaimsTransformation?.[bound.index];
    if (t === undefined) continue;
    const base = (...rest: (string | number)[]): string => ptr('ClaimsTransformation', bound.index, ...rest);
    const parameters = t.InputParameters ?? [];
    const regexAt = parameters.findIndex((p) => p.ID.toLowerCase() === 'regex');
    const replacementAt = parameters.findIndex((p) => p.ID.toLowerCase() === 'replacement');
    const extras = (t.InputClaims ?? [])
      .map((c, k) => ({ name: c.TransformationClaimType, k }))
      .filter((c) => findMethodInput(bound.method, c.name) === undefined);
    if (extras.length > limits.regexExtraInputs) {
      ctx.report('CM4306', { id: t.ID, count: extras.length, limit: limits.regexExtraInputs }, ctx.at(base('InputClaims'), base()));
    }
    const resolved = bound.regex;
    if (resolved === undefined) continue;
    const pattern = resolved.pattern;
    // Locations are looked up only when a diagnostic needs them (the lookup costs more than the rule on a clean policy).
    const patternLocation = (): ReturnType<CheckContext['at']> => ctx.at(base('InputParameters', regexAt, 'Value'), base('InputParameters', regexAt));
    const translated = resolved.translation;
    if (!translated.ok) {
      const inside = locateInValue(ctx.bound.locations, base('InputParameters', regexAt, 'Value'), pattern, translated.offset, translated.length, patternLocation);
      if (translated.construct === 'too long') ctx.report('CM4302', { length: pattern.length, limit: limits.regexPatternLength }, inside);
      else if (translated.construct === 'program too large') ctx.report('CM4303', { size: translated.programSize ?? 0, limit: limits.regexProgramSize }, patternLocation());
      else ctx.report('CM4301', { construct: translated.construct }, inside);
      continue;
    }
    if (resolved.replacement === undefined) continue;
    const template = resolved.replacement.text;
    const templateLocation = (): ReturnType<CheckContext['at']> => ctx.at(base('InputParameters', replacementAt, 'Value'), base('InputParameters', replacementAt));
    const named = translated.pattern.groupNames.length > 0;
    const used = new Set<string>();
    const use = (input: number): void => void used.add((extras[input]?.name ?? '').toLowerCase());
    for (const ref of resolveTemplate(resolved.replacement.parts, translated.pattern, extras.map((e) => e.name))) {
      if (ref.kind === 'text') continue;
      const inside = (): ReturnType<CheckContext['at']> => locateInValue(ctx.bound.locations, base('InputParameters', replacementAt, 'Value'), template, ref.offset, ref.length, templateLocation);
      if (ref.kind === 'group' && ref.numbered) {
        if (named) ctx.report('CM4307', { name: ref.name }, inside());
        else if (!ref.exists) ctx.report('CM4304', { name: ref.name }, inside());
      } else if (ref.kind === 'group') {
        if (ref.alsoInput !== undefined) {
          use(ref.alsoInput);
          ctx.report('CM4308', { name: ref.name }, inside());
        }
      } else if (ref.kind === 'input') use(ref.input);
      else ctx.report('CM4304', { name: ref.name }, inside());
    }
    for (const extra of extras) {
      if (!used.has(extra.name.toLowerCase())) {
        ctx.report('CM4305', { name: extra.name, id: t.ID }, ctx.at(base('InputClaims', extra.k, 'TransformationClaimType'), base('InputClaims', extra.k)));
      }
    }
  }
}
