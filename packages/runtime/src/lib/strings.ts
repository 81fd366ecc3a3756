/**
 * Leaf string primitives of the transformation methods (D11, entra-semantics.md §3). Each takes
 * strings and returns a string, or `undefined` for "no value". Both engines (the plan and the
 * reference interpreter) call these and nothing else for the string work; the wiring is their own.
 * Offsets and lengths are UTF-16 code units, as in .NET strings.
 */

/**
 * `Join`: `string1 + separator + string2` (D11).
 *
 * @example
 * join('foo@bar.com', '.', 'sandbox') // 'foo@bar.com.sandbox'
 */
export function join(string1: string, separator: string, string2: string): string {
  return string1 + separator + string2;
}

/**
 * `ExtractMailPrefix`: the part before the last `@` (a quoted local part may contain `@`, a domain
 * cannot); a value without `@` is returned unchanged (D11).
 *
 * @example
 * mailPrefix('joe_smith@contoso.com') // 'joe_smith'
 * mailPrefix('joe_smith') // 'joe_smith'
 */
export function mailPrefix(mail: string): string {
  const at = mail.lastIndexOf('@');
  return at < 0 ? mail : mail.slice(0, at);
}

/**
 * `ToLowercase`: locale-independent lower case (D11).
 *
 * @example
 * toLowercase('ÄBC') // 'äbc'
 */
export function toLowercase(text: string): string {
  return text.toLowerCase();
}

/**
 * `ToUppercase`: locale-independent upper case (D11).
 *
 * @example
 * toUppercase('straße') // 'STRASSE'
 */
export function toUppercase(text: string): string {
  return text.toUpperCase();
}

/** The three admin-center tests behind `Contains`, `StartWith` and `EndWith` (ordinal, case-sensitive). */
export type TextTest = 'contains' | 'startsWith' | 'endsWith';

/**
 * `Contains` / `StartWith` / `EndWith`: `output` when the input passes the test, otherwise no value (D11).
 *
 * @example
 * conditional('contains', 'Finance_BSimon', 'Finance', 'FIN') // 'FIN'
 * conditional('startsWith', 'BSimon', 'Finance', 'FIN') // undefined
 */
export function conditional(test: TextTest, input: string, value: string, output: string): string | undefined {
  const passed = test === 'contains' ? input.includes(value) : test === 'startsWith' ? input.startsWith(value) : input.endsWith(value);
  return passed ? output : undefined;
}

/** The `type` parameter of `Extract`. */
export type ExtractType = 'after' | 'before' | 'between';

/**
 * `Extract`: the text after the first `value`, before the first `value`, or between the first `value`
 * and the first `value2` after it. No occurrence gives no value (D11).
 *
 * @example
 * extract('after', 'Finance_BSimon', 'Finance_') // 'BSimon'
 * extract('before', 'BSimon_US', '_US') // 'BSimon'
 * extract('between', 'Finance_BSimon_US', 'Finance_', '_US') // 'BSimon'
 */
export function extract(type: ExtractType, input: string, value: string, value2?: string): string | undefined {
  const at = input.indexOf(value);
  if (at < 0) return undefined;
  if (type === 'before') return input.slice(0, at);
  const after = input.slice(at + value.length);
  if (type === 'after') return after;
  if (value2 === undefined) return undefined;
  const end = after.indexOf(value2);
  return end < 0 ? undefined : after.slice(0, end);
}

/** `prefix` or `suffix`, for `ExtractAlpha` and `ExtractNumeric`. */
export type Affix = 'prefix' | 'suffix';

// Unicode letters (\p{L}), as .NET Char.IsLetter; digits are ASCII 0-9 only (docs/evaluate.md).
const alphaPrefix = /^\p{L}+/u;
const alphaSuffix = /\p{L}+$/u;
const numericPrefix = /^[0-9]+/;
const numericSuffix = /[0-9]+$/;

/**
 * `ExtractAlpha`: the leading (prefix) or trailing (suffix) run of Unicode letters; none gives no value.
 *
 * @example
 * extractAlpha('prefix', 'BSimon_123') // 'BSimon'
 * extractAlpha('suffix', '123_Simon') // 'Simon'
 */
export function extractAlpha(type: Affix, input: string): string | undefined {
  return (type === 'prefix' ? alphaPrefix : alphaSuffix).exec(input)?.[0];
}

/**
 * `ExtractNumeric`: the leading (prefix) or trailing (suffix) run of ASCII digits; none gives no value.
 *
 * @example
 * extractNumeric('prefix', '123_BSimon') // '123'
 * extractNumeric('suffix', 'BSimon_123') // '123'
 */
export function extractNumeric(type: Affix, input: string): string | undefined {
  return (type === 'prefix' ? numericPrefix : numericSuffix).exec(input)?.[0];
}

/**
 * `IfEmpty`: `output` when the input is absent or empty, otherwise the input itself (D11).
 *
 * @example
 * ifEmpty(undefined, 'n/a') // 'n/a'
 * ifEmpty('x', 'n/a') // 'x'
 */
export function ifEmpty(input: string | undefined, output: string): string {
  return input === undefined || input.length === 0 ? output : input;
}

/**
 * `IfNotEmpty`: `output` when the input is non-empty, otherwise no value (D11).
 *
 * @example
 * ifNotEmpty('x', 'yes') // 'yes'
 * ifNotEmpty('', 'yes') // undefined
 */
export function ifNotEmpty(input: string | undefined, output: string): string | undefined {
  return input === undefined || input.length === 0 ? undefined : output;
}

/**
 * `Substring`: from the 0-based `index`, `length` code units or to the end. An index at or past the
 * end gives no value; a length past the end runs to the end (D11).
 *
 * @example
 * substring('PleaseExtractThisNow', 6, 11) // 'ExtractThis'
 * substring('PleaseExtractThisNow', 6) // 'ExtractThisNow'
 */
export function substring(input: string, index: number, length?: number): string | undefined {
  if (index >= input.length) return undefined;
  return length === undefined ? input.slice(index) : input.slice(index, index + length);
}

/** The `type` parameter of `Trim`. */
export type TrimType = 'leading' | 'trailing' | 'leadingAndTrailing';

/**
 * `Trim`: removes repetitions of `value` at the start and/or end; without `value` (or with an empty
 * one) removes Unicode white space as `String.prototype.trim` does.
 *
 * @example
 * trim('leadingAndTrailing', '  x  ') // 'x'
 * trim('leading', '00042', '0') // '42'
 */
export function trim(type: TrimType, input: string, value?: string): string {
  const leading = type !== 'trailing';
  const trailing = type !== 'leading';
  if (value === undefined || value.length === 0) {
    if (leading && trailing) return input.trim();
    return leading ? input.trimStart() : input.trimEnd();
  }
  let start = 0;
  let end = input.length;
  if (leading) while (input.startsWith(value, start) && start + value.length <= end) start += value.length;
  if (trailing) while (end - value.length >= start && input.endsWith(value, end)) end -= value.length;
  return input.slice(start, end);
}
