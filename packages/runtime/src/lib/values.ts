import { limits } from '@claimc/model';

/**
 * Values as both engines see them: a single string, a multi-valued list (never empty), or a number
 * naming why there is no value (an index into {@link absenceReasons}). Numbers keep the hot path free
 * of allocations; strings are always values (D10: the empty string is a present value).
 */
export type Computed = string | readonly string[] | number;

/**
 * Why a claim is not in the output. Shared by the plan and the reference interpreter, documented in
 * docs/evaluate.md.
 *
 * @example
 * absenceReasons[Reason.noMatch] // 'no-match'
 */
export const absenceReasons = [
  /** The directory attribute or extension is missing, null, or an empty list (D10). */
  'source-empty',
  /** A required input of the transformation has no value (D10). */
  'input-absent',
  /** The transformation ran and produced nothing (no regex match, no Contains match, Substring past the end, …). */
  'no-match',
  /** A value is longer than `limits.valueLength`; claimc never truncates (threats V11, X6). */
  'value-too-long',
  /** The entry, or the transformation it names, lies past the first 50 (D7). */
  'beyond-limit',
  /** The entry has a claim type for the other token format only. */
  'not-this-format',
  /** A later entry with the same claim type yielded a value and replaced this one (D14). */
  'overridden',
  /** The claim name is restricted (D6); the entry is dropped. Reported by the interpreter; a plan with one does not link. */
  'restricted',
  /** The entry could not be resolved (the policy has errors); reported by the interpreter only. */
  'invalid',
] as const;

/** One reason from {@link absenceReasons}. */
export type AbsenceReason = (typeof absenceReasons)[number];

/** The camelCase key of a kebab-case reason name: `no-match` → `noMatch`. */
type ReasonKey<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<ReasonKey<Tail>>}` : S;

/**
 * Reason codes as numbers, for the hot path: derived from {@link absenceReasons} (the code is the index),
 * keyed by the camelCase form of each name, so the list above is the one place a reason is defined.
 *
 * @example
 * typeof value === 'number' && value === Reason.inputAbsent
 */
export const Reason = Object.fromEntries(absenceReasons.map((name, code) => [name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()), code])) as {
  readonly [Name in AbsenceReason as ReasonKey<Name>]: number;
};

/**
 * The reason name for a reason code.
 *
 * @example
 * reasonName(Reason.sourceEmpty) // 'source-empty'
 */
export function reasonName(code: number): AbsenceReason {
  return absenceReasons[code] ?? 'invalid';
}

/**
 * The reason code for a reason name.
 *
 * @example
 * reasonCode('overridden') // 6
 */
export function reasonCode(name: AbsenceReason): number {
  return absenceReasons.indexOf(name);
}

const maxLength = limits.valueLength;

/**
 * Converts one raw directory value to its string form (D13): strings as they are, booleans as
 * `"true"`/`"false"`, finite numbers in their JavaScript form; anything else (objects, null) is no value.
 *
 * @example
 * scalarText(true) // 'true'
 * scalarText(null) // undefined
 */
export function scalarText(raw: unknown): string | undefined {
  switch (typeof raw) {
    case 'string':
      return raw;
    case 'boolean':
      return raw ? 'true' : 'false';
    case 'number':
      return Number.isFinite(raw) ? String(raw) : undefined;
    default:
      return undefined;
  }
}

/**
 * Turns a raw directory value into a {@link Computed}: a scalar becomes a string, an array a fresh list
 * of its convertible elements (never the caller's array), null/missing/empty list the reason
 * `source-empty`, and any element longer than `limits.valueLength` the reason `value-too-long`.
 *
 * @example
 * fromDirectory(['a', null, 'b']) // ['a', 'b']
 * fromDirectory([]) // Reason.sourceEmpty
 */
export function fromDirectory(raw: unknown): Computed {
  if (typeof raw === 'string') return raw.length > maxLength ? Reason.valueTooLong : raw;
  if (Array.isArray(raw)) {
    const list: string[] = [];
    for (const element of raw as readonly unknown[]) {
      const text = scalarText(element);
      if (text === undefined) continue;
      if (text.length > maxLength) return Reason.valueTooLong;
      list.push(text);
    }
    return list.length === 0 ? Reason.sourceEmpty : list;
  }
  const text = scalarText(raw);
  if (text === undefined) return Reason.sourceEmpty;
  return text.length > maxLength ? Reason.valueTooLong : text;
}

/**
 * Reads an own property path from a Graph-shaped object. Only own properties are read, so `__proto__`,
 * `constructor` and friends can never leak in (threats N3).
 *
 * @example
 * readPath({ onPremisesExtensionAttributes: { extensionAttribute1: 'x' } }, ['onPremisesExtensionAttributes', 'extensionAttribute1']) // 'x'
 */
export function readPath(object: unknown, path: readonly string[]): unknown {
  let current: unknown = object;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The documented derivation of `user.netbiosname`: the first DNS label of `onPremisesDomainName`,
 * upper-cased with the locale-independent mapping (`contoso.com` → `CONTOSO`). No domain, or an empty
 * one, gives no value.
 *
 * @example
 * netbiosFromDomain('corp.contoso.com') // 'CORP'
 */
export function netbiosFromDomain(domain: unknown): Computed {
  if (typeof domain !== 'string' || domain.length === 0) return Reason.sourceEmpty;
  const dot = domain.indexOf('.');
  const label = dot < 0 ? domain : domain.slice(0, dot);
  if (label.length === 0) return Reason.sourceEmpty;
  return label.length > maxLength ? Reason.valueTooLong : label.toUpperCase();
}

/**
 * True when a string is longer than `limits.valueLength`.
 *
 * @example
 * tooLong('x'.repeat(4097)) // true
 */
export function tooLong(text: string): boolean {
  return text.length > maxLength;
}

/**
 * The first value of a computed value (D12: without TreatAsMultiValue a transformation sees the first value).
 *
 * @example
 * firstValue(['a', 'b']) // 'a'
 */
export function firstValue(value: Computed): string | number {
  if (typeof value === 'string' || typeof value === 'number') return value;
  return value[0] ?? Reason.sourceEmpty;
}
