import { join, mailPrefix, toLowercase, toUppercase, conditional, extract, extractAlpha, extractNumeric, ifEmpty, ifNotEmpty, substring, trim } from '../lib/strings.js';
import type { Affix, ExtractType, TrimType } from '../lib/strings.js';
import type { CallMethodName } from '@claimc/model';
import { ClaimcRuntimeError } from '../errors.js';

/**
 * The positional form of each non-regex method: which argument names it takes, in which order,
 * which are required (D10: an absent required input gives no value), which must be constant
 * parameters, and the leaf primitive it applies. `'*'` is "the one input claim, whatever its name"
 * (ToLowercase, ToUppercase, ExtractMailPrefix — D11).
 * Enumerated and integer parameters are validated once (at link time) by `prepare`.
 */
/**
 * A method with its constants bound, called with its positional values (no array per call).
 *
 * @example
 * const join: MethodFn = prepareMethod('Join', []);
 */
export type MethodFn = (v0?: string, v1?: string, v2?: string) => string | undefined;

export interface MethodShape {
  readonly params: readonly string[];
  readonly required: readonly boolean[];
  /** Names that must be constant parameters (checked at link time). */
  readonly constant: readonly string[];
  /** Turns the constant parameters into the per-call function; throws a {@link ClaimcRuntimeError} for a bad parameter. */
  readonly prepare: (constants: ReadonlyMap<string, string>) => MethodFn;
}

const lowerEnum = <T extends string>(value: string | undefined, allowed: readonly T[], name: string): T => {
  const found = allowed.find((a) => a.toLowerCase() === value?.toLowerCase());
  if (found === undefined) throw new ClaimcRuntimeError('ERR_PLAN_FORGED', `parameter ${name} must be one of ${allowed.join(', ')}`);
  return found;
};

const integer = (value: string | undefined, name: string): number => {
  if (value === undefined || !/^[0-9]{1,9}$/.test(value)) throw new ClaimcRuntimeError('ERR_PLAN_FORGED', `parameter ${name} must be a non-negative integer`);
  return Number(value);
};

const s = (v: string | undefined): string => v ?? '';

/**
 * Method shapes by canonical method name: one per `call` method of the method table (a missing row fails to compile).
 *
 * @example
 * methodShapes['Join'].params // ['string1', 'separator', 'string2']
 */
export const methodShapes: Readonly<Record<CallMethodName, MethodShape>> = {
  Join: {
    params: ['string1', 'separator', 'string2'],
    required: [true, false, true],
    constant: [],
    prepare: () => (v0, v1, v2) => join(s(v0), s(v1), s(v2)),
  },
  ExtractMailPrefix: { params: ['*'], required: [true], constant: [], prepare: () => (v0) => mailPrefix(s(v0)) },
  ToLowercase: { params: ['*'], required: [true], constant: [], prepare: () => (v0) => toLowercase(s(v0)) },
  ToUppercase: { params: ['*'], required: [true], constant: [], prepare: () => (v0) => toUppercase(s(v0)) },
  CreateStringClaim: { params: ['value'], required: [true], constant: [], prepare: () => (v0) => v0 },
  Contains: { params: ['input', 'value', 'output'], required: [true, true, true], constant: ['value'], prepare: () => (v0, v1, v2) => conditional('contains', s(v0), s(v1), s(v2)) },
  StartWith: { params: ['input', 'value', 'output'], required: [true, true, true], constant: ['value'], prepare: () => (v0, v1, v2) => conditional('startsWith', s(v0), s(v1), s(v2)) },
  EndWith: { params: ['input', 'value', 'output'], required: [true, true, true], constant: ['value'], prepare: () => (v0, v1, v2) => conditional('endsWith', s(v0), s(v1), s(v2)) },
  Extract: {
    params: ['input', 'value', 'value2'],
    required: [true, true, false],
    constant: ['type', 'value', 'value2'],
    prepare: (c) => {
      const type = lowerEnum<ExtractType>(c.get('type'), ['after', 'before', 'between'], 'type');
      return (v0, v1, v2) => extract(type, s(v0), s(v1), v2);
    },
  },
  ExtractAlpha: {
    params: ['input'],
    required: [true],
    constant: ['type'],
    prepare: (c) => {
      const type = lowerEnum<Affix>(c.get('type'), ['prefix', 'suffix'], 'type');
      return (v0) => extractAlpha(type, s(v0));
    },
  },
  ExtractNumeric: {
    params: ['input'],
    required: [true],
    constant: ['type'],
    prepare: (c) => {
      const type = lowerEnum<Affix>(c.get('type'), ['prefix', 'suffix'], 'type');
      return (v0) => extractNumeric(type, s(v0));
    },
  },
  IfEmpty: { params: ['input', 'output'], required: [false, true], constant: [], prepare: () => (v0, v1) => ifEmpty(v0, s(v1)) },
  IfNotEmpty: { params: ['input', 'output'], required: [false, true], constant: [], prepare: () => (v0, v1) => ifNotEmpty(v0, s(v1)) },
  Substring: {
    params: ['input'],
    required: [true],
    constant: ['index', 'length'],
    prepare: (c) => {
      const index = integer(c.get('index'), 'index');
      const lengthText = c.get('length');
      const length = lengthText === undefined ? undefined : integer(lengthText, 'length');
      return (v0) => substring(s(v0), index, length);
    },
  },
  Trim: {
    params: ['input'],
    required: [true],
    constant: ['type', 'value'],
    prepare: (c) => {
      const type = lowerEnum<TrimType>(c.get('type'), ['leading', 'trailing', 'leadingAndTrailing'], 'type');
      const value = c.get('value');
      return (v0) => trim(type, s(v0), value);
    },
  },
};

/**
 * The per-call function of a method with its constant parameters bound; used by AOT modules, which
 * emit straight-line code around it (the linker does the same through {@link methodShapes}).
 *
 * @example
 * prepareMethod('Join', [['separator', '.']])('foo@bar.com', '.', 'sandbox') // 'foo@bar.com.sandbox'
 */
export function prepareMethod(method: string, constants: readonly (readonly [string, string])[]): MethodFn {
  const shape = methodShape(method);
  if (shape === undefined) throw new ClaimcRuntimeError('ERR_PLAN_INVALID', `unknown method ${method}`);
  return shape.prepare(new Map(constants));
}

/**
 * The shape of a `call` method by its canonical name; `undefined` for any other string (own keys only,
 * so `constructor` or `__proto__` never resolve).
 *
 * @example
 * methodShape('Trim')?.constant // ['type', 'value']
 */
export function methodShape(method: string): MethodShape | undefined {
  return Object.hasOwn(methodShapes, method) ? methodShapes[method as CallMethodName] : undefined;
}
