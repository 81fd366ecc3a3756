import { isNumberedReference, type TemplatePart } from './template.js';

/** Where a template reference goes once resolved against the pattern's groups and the extra input claims. */
export type ResolvedReference =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'group';
      /** The plan's group: the number without leading zeros (`$01` → `1`) or the group's name. */
      readonly group: string;
      readonly numbered: boolean;
      /** False for a number past the pattern's group count. */
      readonly exists: boolean;
      /** The extra input claim (index into the extras given) the name also matches: ambiguous for a named group, the fallback for a missing number. */
      readonly alsoInput: number | undefined;
      readonly name: string;
      readonly offset: number;
      readonly length: number;
    }
  | { readonly kind: 'input'; readonly input: number; readonly name: string; readonly offset: number; readonly length: number }
  | { readonly kind: 'unknown'; readonly name: string; readonly offset: number; readonly length: number };

/** The groups of a translated pattern, as template resolution needs them. */
export interface PatternGroups {
  readonly groupNames: readonly string[];
  readonly groupCount: number;
}

/**
 * Resolves a parsed RegexReplace template (D11): a number is a group; a name is a group of the pattern first,
 * then an extra input claim (case-insensitively), else unknown. The one place the checker, the lowerer and the
 * reference interpreter decide what a reference means; each reports or evaluates from the result.
 *
 * @example
 * resolveTemplate(parseReplacementTemplate('{d}-{tail}'), { groupNames: ['d'], groupCount: 1 }, ['Tail']);
 * // [{ kind: 'group', group: 'd', … }, { kind: 'text', text: '-' }, { kind: 'input', input: 0, … }]
 */
export function resolveTemplate(parts: readonly TemplatePart[], pattern: PatternGroups, extraNames: readonly string[]): ResolvedReference[] {
  const groups = new Set(pattern.groupNames);
  const lowerExtras = extraNames.map((name) => name.toLowerCase());
  return parts.map((part): ResolvedReference => {
    if (part.kind === 'text') return { kind: 'text', text: part.text };
    const { name, offset, length } = part;
    const at = lowerExtras.indexOf(name.toLowerCase());
    const input = at < 0 ? undefined : at;
    if (isNumberedReference(name)) return { kind: 'group', group: String(Number(name)), numbered: true, exists: Number(name) <= pattern.groupCount, alsoInput: input, name, offset, length };
    if (groups.has(name)) return { kind: 'group', group: name, numbered: false, exists: true, alsoInput: input, name, offset, length };
    return input === undefined ? { kind: 'unknown', name, offset, length } : { kind: 'input', input, name, offset, length };
  });
}
