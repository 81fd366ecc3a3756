/**
 * The method table (entra-semantics.md §3, D11): one row per transformation method. Every engine derives
 * from it: the checker validates InputClaims/InputParameters/OutputClaims against the row, the plan schema's
 * `call` methods, the runtime's primitive map, the reference interpreter's dispatch, the AOT emitter and the
 * testkit generators are keyed by {@link MethodName}, and exhaustive switches end in {@link assertNever},
 * so a new row fails to compile until every engine handles it.
 */

export type InputKind = 'claim' | 'parameter' | 'either';

export interface MethodInput {
  /** Canonical TransformationClaimType / InputParameters ID. */
  readonly name: string;
  /** Whether it comes from an InputClaims item, an InputParameters item, or either. */
  readonly kind: InputKind;
  readonly required: boolean;
  /** Allowed values (case-insensitive) for enumerated parameters. */
  readonly values?: readonly string[];
  /** Parameter holds a non-negative integer. */
  readonly integer?: boolean;
}

export interface MethodSignature<Name extends string = MethodName> {
  /** Canonical spelling of TransformationMethod. */
  readonly name: Name;
  /** Accepted by claimc only (admin-center functions, D11): a warning, an error under `--target entra`. */
  readonly extension: boolean;
  readonly inputs: readonly MethodInput[];
  /** Canonical output TransformationClaimType names. */
  readonly outputs: readonly string[];
  /** Exactly one input claim under any TransformationClaimType name (ToLowercase/ToUppercase, D11). */
  readonly singleInputAnyName?: boolean;
  /** Further input claims under any name are allowed; they are referenced from a template (RegexReplace). */
  readonly extraInputClaims?: boolean;
  /** One line for docs. */
  readonly summary: string;
}

const claim = (name: string, required = true): MethodInput => ({ name, kind: 'claim', required });
const param = (name: string, required = true, extra: Partial<MethodInput> = {}): MethodInput => ({ name, kind: 'parameter', required, ...extra });
const either = (name: string, required = true): MethodInput => ({ name, kind: 'either', required });

const conditional = <Name extends string>(name: Name, summary: string): MethodSignature<Name> => ({
  name,
  extension: true,
  inputs: [claim('input'), param('value'), either('output')],
  outputs: ['outputClaim'],
  summary,
});

const methodTable = [
  {
    name: 'Join',
    extension: false,
    inputs: [either('string1'), either('string2'), param('separator', false)],
    outputs: ['outputClaim'],
    summary: 'string1 + separator + string2; each side may be a claim or a parameter.',
  },
  {
    name: 'ExtractMailPrefix',
    extension: false,
    inputs: [claim('mail')],
    outputs: ['outputClaim'],
    summary: 'The part before the last `@`; a value without `@` is returned unchanged.',
  },
  { name: 'ToLowercase', extension: false, inputs: [], singleInputAnyName: true, outputs: ['outputClaim'], summary: 'Locale-independent lower case.' },
  { name: 'ToUppercase', extension: false, inputs: [], singleInputAnyName: true, outputs: ['outputClaim'], summary: 'Locale-independent upper case.' },
  {
    name: 'RegexReplace',
    extension: false,
    inputs: [claim('sourceClaim'), param('regex'), param('replacement')],
    extraInputClaims: true,
    outputs: ['outputClaim'],
    summary: '.NET Regex.Replace semantics on a linear-time engine; `{name}` refers to groups and extra inputs; no match gives no value.',
  },
  { name: 'CreateStringClaim', extension: false, inputs: [param('value')], outputs: ['createdClaim'], summary: 'A constant string.' },
  conditional('Contains', 'If the input contains `value`, emit `output`; otherwise no value.'),
  conditional('StartWith', 'If the input starts with `value`, emit `output`; otherwise no value.'),
  conditional('EndWith', 'If the input ends with `value`, emit `output`; otherwise no value.'),
  {
    name: 'Extract',
    extension: true,
    inputs: [claim('input'), param('type', true, { values: ['after', 'before', 'between'] }), param('value'), param('value2', false)],
    outputs: ['outputClaim'],
    summary: 'Text after `value`, before `value`, or between `value` and `value2`; no match gives no value.',
  },
  {
    name: 'ExtractAlpha',
    extension: true,
    inputs: [claim('input'), param('type', true, { values: ['prefix', 'suffix'] })],
    outputs: ['outputClaim'],
    summary: 'The leading (prefix) or trailing (suffix) run of letters; none gives no value.',
  },
  {
    name: 'ExtractNumeric',
    extension: true,
    inputs: [claim('input'), param('type', true, { values: ['prefix', 'suffix'] })],
    outputs: ['outputClaim'],
    summary: 'The leading (prefix) or trailing (suffix) run of digits; none gives no value.',
  },
  {
    name: 'IfEmpty',
    extension: true,
    inputs: [claim('input', false), either('output')],
    outputs: ['outputClaim'],
    summary: 'When the input is absent or empty, `output`; otherwise the input itself.',
  },
  {
    name: 'IfNotEmpty',
    extension: true,
    inputs: [claim('input', false), either('output')],
    outputs: ['outputClaim'],
    summary: 'When the input is non-empty, `output`; otherwise no value.',
  },
  {
    name: 'Substring',
    extension: true,
    inputs: [claim('input'), param('index', true, { integer: true }), param('length', false, { integer: true })],
    outputs: ['outputClaim'],
    summary: '0-based `index`, optional `length`; a start past the end gives no value, a length past the end runs to the end.',
  },
  {
    name: 'Trim',
    extension: true,
    inputs: [claim('input'), param('type', true, { values: ['leading', 'trailing', 'leadingAndTrailing'] }), param('value', false)],
    outputs: ['outputClaim'],
    summary: 'Removes leading and/or trailing repetitions of `value` (white space when absent).',
  },
] as const satisfies readonly MethodSignature<string>[];

/** Every transformation method claimc knows, Entra's and the admin-center extensions (D11): the method table. @example methodSignatures.find((m) => m.name === 'Join')?.outputs // ['outputClaim'] */
export const methodSignatures: readonly MethodSignature[] = methodTable;

/**
 * The canonical name of a transformation method, the union of the method table's rows.
 *
 * @example
 * const name: MethodName = 'RegexReplace';
 */
export type MethodName = (typeof methodTable)[number]['name'];

/**
 * A method that the plan evaluates through a `call` node (every method but RegexReplace, which has its own
 * `regex` node with a compiled pattern and template).
 *
 * @example
 * const name: CallMethodName = 'Join';
 */
export type CallMethodName = Exclude<MethodName, 'RegexReplace'>;

/**
 * Every method name in table order.
 *
 * @example
 * methodNames.includes('Trim') // true
 */
export const methodNames: readonly MethodName[] = methodSignatures.map((m) => m.name);

/**
 * The methods a plan `call` node may name, in table order.
 *
 * @example
 * callMethodNames.includes('RegexReplace') // false
 */
export const callMethodNames: readonly CallMethodName[] = methodNames.filter((name): name is CallMethodName => name !== 'RegexReplace');

/**
 * Ends an exhaustive `switch`: it only compiles when every case is handled, so adding a row to a table
 * (methods, absence reasons) fails to compile until every engine handles it.
 *
 * @example
 * switch (name) { case 'a': return 1; default: return assertNever(name); }
 */
export function assertNever(value: never): never {
  throw new Error(`unhandled case ${String(value)}`);
}

/**
 * A method's input (claim or parameter) by name, case-insensitively (D1).
 *
 * @example
 * findMethodInput(findMethod('Join'), 'Separator')?.name; // 'separator'
 */
export function findMethodInput(method: MethodSignature | undefined, name: string): MethodInput | undefined {
  const lower = name.toLowerCase();
  return method?.inputs.find((input) => input.name.toLowerCase() === lower);
}

/**
 * The canonical spelling of an input name (TransformationClaimType or parameter ID) when the method knows it (D1),
 * else as written (RegexReplace's extra inputs, unknown names). The one place readers and bind spell input names.
 *
 * @example
 * canonicalInputName(findMethod('Join'), 'STRING1'); // 'string1'
 */
export function canonicalInputName(method: MethodSignature | undefined, name: string): string {
  return findMethodInput(method, name)?.name ?? name;
}

/**
 * The canonical spelling of an output name (TransformationClaimType) when the method knows it (D1), else as written.
 *
 * @example
 * canonicalOutputName(findMethod('Join'), 'OutputClaim'); // 'outputClaim'
 */
export function canonicalOutputName(method: MethodSignature | undefined, name: string): string {
  const lower = name.toLowerCase();
  return method?.outputs.find((output) => output.toLowerCase() === lower) ?? name;
}

/** Looks a method up case-insensitively (D1). Accepts the UI aliases ToLower/ToUpper/StartsWith/EndsWith/ExtractNumber. */
export function findMethod(name: string): MethodSignature | undefined {
  const lower = name.toLowerCase();
  const alias = methodAliases[lower] ?? lower;
  return methodSignatures.find((m) => m.name.toLowerCase() === alias);
}

const methodAliases: Readonly<Record<string, string>> = {
  tolower: 'tolowercase',
  toupper: 'touppercase',
  startswith: 'startwith',
  endswith: 'endwith',
  extractnumber: 'extractnumeric',
};
