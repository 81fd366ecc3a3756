import type { CallMethodName, MethodSignature, SourceAttribute } from '@claimc/model';
import { assertNever, basicClaims, findAttribute, jwtNameRestriction, limits, samlNameFormats, samlNameIdentifierClaim, samlNameRestriction } from '@claimc/model';
import {
  compileRegex,
  conditional,
  extract,
  extractAlpha,
  extractNumeric,
  fromDirectory,
  groupNumber,
  ifEmpty,
  ifNotEmpty,
  join,
  mailPrefix,
  netbiosFromDomain,
  readPath,
  reasonName,
  regexReplace,
  substring,
  toLowercase,
  toUppercase,
  trim,
} from '@claimc/runtime/internal';
import type { Absence, AbsenceReason, ClaimValue, EvaluationContext, JwtEvaluation, ResolvedTemplatePart, SamlAttribute, SamlEvaluation } from '@claimc/runtime/internal';
import type { BoundPolicy, BoundTransformation, DataSource } from '../bind.js';
import { parseReplacementTemplate, resolveTemplate, translateDotNetPattern } from '../regex/index.js';

/**
 * The reference interpreter: deliberately plain, written from entra-semantics.md and decisions.md and
 * reading the bound policy directly. It shares only the leaf string primitives and directory value
 * conversions with the plan (runtime/lib); references, multi-value, precedence, limits, the basic set
 * and format selection are its own, so the equivalence tests compare two independent readings.
 */

/** A value as the interpreter sees it. */
type Value = { readonly kind: 'absent'; readonly reason: AbsenceReason } | { readonly kind: 'one'; readonly value: string } | { readonly kind: 'many'; readonly values: readonly string[] };

const absent = (reason: AbsenceReason): Value => ({ kind: 'absent', reason });

/** Options of the reference interpreter. */
export interface InterpretOptions {
  /** JWT version for the basic set (D15). Default 2, as the runtime. */
  readonly jwtVersion?: 1 | 2;
  /** The application has a custom signing key: key-unlocked SAML names are allowed (D6). */
  readonly hasCustomSigningKey?: boolean;
}

/** Converts a runtime-style computed directory value into the interpreter's own shape. */
function fromComputed(computed: string | readonly string[] | number): Value {
  if (typeof computed === 'number') return absent(reasonName(computed));
  if (typeof computed === 'string') return { kind: 'one', value: computed };
  return { kind: 'many', values: computed };
}

class Interpreter {
  private readonly rawCache = new Map<number, Value>();
  private readonly busy = new Set<number>();

  constructor(
    private readonly bound: BoundPolicy,
    private readonly context: EvaluationContext,
  ) {}

  /** The object a Source reads (§2); `audience` is the audience, else the resource, else the client (D16). */
  private sourceObject(source: DataSource): unknown {
    const c = this.context;
    switch (source) {
      case 'user':
        return c.user;
      case 'application':
        return c.client;
      case 'resource':
        return c.resource;
      case 'audience':
        return c.audience ?? c.resource ?? c.client;
      case 'company':
        return c.tenant;
    }
  }

  /** Every value of a directory attribute. */
  readAttribute(source: DataSource, attribute: SourceAttribute): Value {
    const read = attribute.read;
    if (read.kind === 'graph') return fromComputed(fromDirectory(readPath(this.sourceObject(source), read.path)));
    if (read.derivation === 'netbiosname') return fromComputed(netbiosFromDomain(readPath(this.context.user, ['onPremisesDomainName'])));
    if (read.derivation === 'assignedroles') return fromComputed(fromDirectory(this.context.assignedRoles));
    return fromComputed(fromDirectory(this.context.groups));
  }

  /** What an entry emits: D12, a multi-valued attribute documented as single emits its first value. */
  emitted(index: number): Value {
    const raw = this.raw(index);
    const value = this.bound.entries[index]?.value;
    if (value?.kind === 'attribute' && value.attribute.multiValued && !value.attribute.emitsAllValues && raw.kind === 'many') return { kind: 'one', value: raw.values[0] as string };
    return raw;
  }

  /** Every value of an entry, as a transformation input sees it. */
  raw(index: number): Value {
    const cached = this.rawCache.get(index);
    if (cached !== undefined) return cached;
    const value = this.computeRaw(index);
    this.rawCache.set(index, value);
    return value;
  }

  private computeRaw(index: number): Value {
    const entry = this.bound.entries[index];
    if (entry === undefined) return absent('invalid');
    if (index >= limits.claimsSchemaEntries) return absent('beyond-limit'); // D7: entries past the 50th do not exist
    const value = entry.value;
    switch (value.kind) {
      case 'constant':
        return value.value.length > limits.valueLength ? absent('value-too-long') : { kind: 'one', value: value.value };
      case 'attribute':
        return this.readAttribute(value.source, value.attribute);
      case 'extension':
        // EXT: the property name is matched exactly, case-sensitively.
        return fromComputed(fromDirectory(readPath(this.context.user, [value.name])));
      case 'transformation': {
        if (this.busy.has(index)) return absent('invalid');
        this.busy.add(index);
        const result = this.transform(value.transformation, value.output);
        this.busy.delete(index);
        return result;
      }
      case 'unresolved':
        return absent('invalid');
    }
  }

  private transform(index: number, output: string): Value {
    const t = this.bound.transformations[index];
    if (t === undefined || t.method === undefined) return absent('invalid');
    if (index >= limits.transformations) return absent('beyond-limit'); // D7
    if (!t.method.outputs.includes(output)) return absent('invalid');
    const name = t.method.name;
    return name === 'RegexReplace' ? this.regexReplace(t) : this.method(t, t.method, name);
  }

  /** Applies `apply` to one value, or to every value of the TreatAsMultiValue input (D12). */
  private fanOut(multi: Value | undefined, apply: (item: string | undefined) => string | undefined): Value {
    if (multi === undefined) {
      const out = apply(undefined);
      if (out === undefined) return absent('no-match');
      return out.length > limits.valueLength ? absent('value-too-long') : { kind: 'one', value: out };
    }
    if (multi.kind === 'absent') return absent('input-absent');
    const items = multi.kind === 'one' ? [multi.value] : multi.values;
    const outs: string[] = [];
    for (const item of items) {
      const out = apply(item);
      if (out === undefined) continue;
      if (out.length > limits.valueLength) return absent('value-too-long');
      outs.push(out);
    }
    return outs.length === 0 ? absent('no-match') : { kind: 'many', values: outs };
  }

  private method(t: BoundTransformation, method: MethodSignature, name: CallMethodName): Value {
    const first = (v: Value): string | undefined => (v.kind === 'one' ? v.value : v.kind === 'many' ? v.values[0] : undefined);
    const claims = new Map<string, Value>();
    for (const input of t.inputs) claims.set(input.name, this.raw(input.entry));
    const params = new Map<string, string>();
    for (const p of t.parameters) params.set(p.name, p.value);
    const multiInput = t.inputs.find((i) => i.treatAsMultiValue);

    // ToLowercase / ToUppercase take their one input under any name; ExtractMailPrefix accepts any single input claim (D11).
    const anyName = method.singleInputAnyName === true || method.name === 'ExtractMailPrefix';
    const onlyInput = t.inputs[0];
    const names = anyName ? (onlyInput === undefined ? [] : [onlyInput.name]) : method.inputs.map((i) => i.name);
    const required = anyName ? [true] : method.inputs.map((i) => i.required);

    // Resolve every input that is not the multi-valued one to a single string; an absent required one stops here (D10).
    const single = new Map<string, string | undefined>();
    for (let k = 0; k < names.length; k++) {
      const name = names[k] as string;
      if (multiInput !== undefined && name === multiInput.name) continue;
      const claim = claims.get(name);
      const value = claim !== undefined ? first(claim) : params.get(name);
      if (value === undefined && required[k] === true) return absent('input-absent');
      single.set(name, value);
    }
    const get = (name: string, item: string | undefined): string | undefined => (multiInput !== undefined && name === multiInput.name ? item : single.get(name));
    const text = (name: string, item: string | undefined): string => get(name, item) ?? '';
    const enumParam = (name: string): string => (params.get(name) ?? '').toLowerCase();

    let apply: (item: string | undefined) => string | undefined;
    switch (name) {
      case 'Join':
        apply = (item) => join(text('string1', item), text('separator', item), text('string2', item));
        break;
      case 'ExtractMailPrefix':
        apply = (item) => mailPrefix(text(names[0] as string, item));
        break;
      case 'ToLowercase':
        apply = (item) => toLowercase(text(names[0] as string, item));
        break;
      case 'ToUppercase':
        apply = (item) => toUppercase(text(names[0] as string, item));
        break;
      case 'CreateStringClaim':
        apply = (item) => get('value', item);
        break;
      case 'Contains':
        apply = (item) => conditional('contains', text('input', item), text('value', item), text('output', item));
        break;
      case 'StartWith':
        apply = (item) => conditional('startsWith', text('input', item), text('value', item), text('output', item));
        break;
      case 'EndWith':
        apply = (item) => conditional('endsWith', text('input', item), text('value', item), text('output', item));
        break;
      case 'Extract': {
        const type = enumParam('type');
        if (type !== 'after' && type !== 'before' && type !== 'between') return absent('invalid');
        apply = (item) => extract(type, text('input', item), text('value', item), get('value2', item));
        break;
      }
      case 'ExtractAlpha':
      case 'ExtractNumeric': {
        const type = enumParam('type');
        if (type !== 'prefix' && type !== 'suffix') return absent('invalid');
        apply = name === 'ExtractAlpha' ? (item) => extractAlpha(type, text('input', item)) : (item) => extractNumeric(type, text('input', item));
        break;
      }
      case 'IfEmpty':
        apply = (item) => ifEmpty(get('input', item), text('output', item));
        break;
      case 'IfNotEmpty':
        apply = (item) => ifNotEmpty(get('input', item), text('output', item));
        break;
      case 'Substring': {
        const index = params.get('index');
        const length = params.get('length');
        if (index === undefined || !/^[0-9]{1,9}$/.test(index) || (length !== undefined && !/^[0-9]{1,9}$/.test(length))) return absent('invalid');
        apply = (item) => substring(text('input', item), Number(index), length === undefined ? undefined : Number(length));
        break;
      }
      case 'Trim': {
        const typeText = enumParam('type');
        const type = typeText === 'leading' ? 'leading' : typeText === 'trailing' ? 'trailing' : typeText === 'leadingandtrailing' ? 'leadingAndTrailing' : undefined;
        if (type === undefined) return absent('invalid');
        const value = params.get('value');
        apply = (item) => trim(type, text('input', item), value);
        break;
      }
      default:
        return assertNever(name);
    }
    return this.fanOut(multiInput === undefined ? undefined : (claims.get(multiInput.name) ?? absent('input-absent')), apply);
  }

  private regexReplace(t: BoundTransformation): Value {
    const pattern = t.parameters.find((p) => p.name === 'regex')?.value;
    const replacement = t.parameters.find((p) => p.name === 'replacement')?.value;
    const source = t.inputs.find((i) => i.name === 'sourceClaim');
    if (pattern === undefined || replacement === undefined || source === undefined) return absent('invalid');
    const translated = translateDotNetPattern(pattern);
    if (!translated.ok) return absent('invalid');
    const compiled = compileRegex(translated.pattern.source);
    if (!compiled.ok) return absent('invalid');
    const extraInputs = t.inputs.filter((i) => i !== source);
    const template: ResolvedTemplatePart[] = [];
    const extraValues: string[] = [];
    let missing = false;
    for (const ref of resolveTemplate(parseReplacementTemplate(replacement), translated.pattern, extraInputs.map((i) => i.name))) {
      if (ref.kind === 'text') {
        template.push(ref);
        continue;
      }
      const group = ref.kind === 'group' ? groupNumber(compiled.regex, ref.group) : undefined;
      if (group !== undefined) {
        template.push({ kind: 'group', group });
        continue;
      }
      const at = ref.kind === 'input' ? ref.input : ref.kind === 'group' ? ref.alsoInput : undefined;
      const extra = at === undefined ? undefined : extraInputs[at];
      if (extra === undefined) return absent('invalid');
      const value = this.raw(extra.entry);
      if (value.kind === 'absent') missing = true;
      template.push({ kind: 'input', input: extraValues.length });
      extraValues.push(value.kind === 'one' ? value.value : value.kind === 'many' ? (value.values[0] as string) : '');
    }
    const input = this.raw(source.entry);
    if (input.kind === 'absent' || missing) return absent('input-absent');
    const run = (item: string | undefined): string | undefined => regexReplace(compiled.regex, item ?? '', template, extraValues);
    if (source.treatAsMultiValue) return this.fanOut(input, run);
    const text = input.kind === 'one' ? input.value : (input.values[0] as string);
    return this.fanOut(undefined, () => run(text));
  }
}

function claimValue(value: Value & { kind: 'one' | 'many' }): ClaimValue {
  return value.kind === 'one' ? value.value : [...value.values];
}

function samlValues(value: Value & { kind: 'one' | 'many' }): string[] {
  return value.kind === 'one' ? [value.value] : [...value.values];
}

function basicValue(interpreter: Interpreter, id: string): Value {
  const attribute = findAttribute('user', id);
  if (attribute === undefined) return absent('invalid');
  const raw = interpreter.readAttribute('user', attribute);
  if (attribute.multiValued && !attribute.emitsAllValues && raw.kind === 'many') return { kind: 'one', value: raw.values[0] as string };
  return raw;
}

/**
 * Interprets a bound policy for a JWT, independently of the plan.
 *
 * @example
 * const compiled = compilePolicy(text);
 * if (compiled.ok) interpretJwt(compiled.bound, { user: { id: 'u1', employeeId: 'E1' } }).claims // { employeeid: 'E1', … }
 */
export function interpretJwt(bound: BoundPolicy, context: EvaluationContext, options: InterpretOptions = {}): JwtEvaluation {
  const version = options.jwtVersion ?? 2;
  const interpreter = new Interpreter(bound, context);
  const basic: Record<string, ClaimValue> = Object.create(null) as Record<string, ClaimValue>;
  if (bound.includeBasicClaimSet) {
    for (const row of basicClaims) {
      if (row.format !== 'jwt' || !(row.versions ?? [1, 2]).includes(version)) continue;
      const value = basicValue(interpreter, row.id);
      if (value.kind !== 'absent') basic[row.name] = claimValue(value);
    }
  }
  const policy: Record<string, ClaimValue> = Object.create(null) as Record<string, ClaimValue>;
  const setBy = new Map<string, number>();
  const absences: Absence[] = [];
  for (const entry of bound.entries) {
    const name = entry.entry.JwtClaimType;
    if (name === undefined) {
      if (entry.entry.SamlClaimType !== undefined) absences.push({ name: entry.entry.SamlClaimType, entry: entry.index, reason: 'not-this-format' });
      continue;
    }
    if (entry.index >= limits.claimsSchemaEntries) {
      absences.push({ name, entry: entry.index, reason: 'beyond-limit' });
      continue;
    }
    if (jwtNameRestriction(name) !== undefined) {
      absences.push({ name, entry: entry.index, reason: 'restricted' }); // D6
      continue;
    }
    const value = interpreter.emitted(entry.index);
    if (value.kind === 'absent') {
      absences.push({ name, entry: entry.index, reason: value.reason });
      continue;
    }
    // D14: a later entry that yields a value replaces the earlier one.
    const previous = setBy.get(name);
    if (previous !== undefined) absences.push({ name, entry: previous, reason: 'overridden' });
    setBy.set(name, entry.index);
    policy[name] = claimValue(value);
  }
  const claims: Record<string, ClaimValue> = Object.create(null) as Record<string, ClaimValue>;
  for (const key of Object.keys(basic)) claims[key] = basic[key] as ClaimValue;
  for (const key of Object.keys(policy)) claims[key] = policy[key] as ClaimValue;
  absences.sort((a, b) => a.entry - b.entry);
  return { basic, policy, claims, absent: absences };
}

/**
 * Interprets a bound policy for a SAML assertion, independently of the plan.
 *
 * @example
 * interpretSaml(bound, { user: { id: 'u1', mail: 'joe@contoso.com' } }).attributes
 */
export function interpretSaml(bound: BoundPolicy, context: EvaluationContext, options: InterpretOptions = {}): SamlEvaluation {
  const interpreter = new Interpreter(bound, context);
  const basic: SamlAttribute[] = [];
  if (bound.includeBasicClaimSet) {
    for (const row of basicClaims) {
      if (row.format !== 'saml') continue;
      const value = basicValue(interpreter, row.id);
      if (value.kind !== 'absent') basic.push({ name: row.name, values: samlValues(value) });
    }
  }
  const policy: SamlAttribute[] = [];
  const setBy = new Map<string, number>();
  const absences: Absence[] = [];
  let nameId: { value: string; format?: string } | undefined;
  let nameIdBy: number | undefined;
  for (const entry of bound.entries) {
    const name = entry.entry.SamlClaimType;
    if (name === undefined) {
      if (entry.entry.JwtClaimType !== undefined) absences.push({ name: entry.entry.JwtClaimType, entry: entry.index, reason: 'not-this-format' });
      continue;
    }
    if (entry.index >= limits.claimsSchemaEntries) {
      absences.push({ name, entry: entry.index, reason: 'beyond-limit' });
      continue;
    }
    if (samlNameRestriction(name, options.hasCustomSigningKey === true) !== undefined) {
      absences.push({ name, entry: entry.index, reason: 'restricted' });
      continue;
    }
    const value = interpreter.emitted(entry.index);
    if (value.kind === 'absent') {
      absences.push({ name, entry: entry.index, reason: value.reason });
      continue;
    }
    if (name.toLowerCase() === samlNameIdentifierClaim.toLowerCase()) {
      // §3.5: this entry sets the NameID, one value.
      if (nameIdBy !== undefined) absences.push({ name, entry: nameIdBy, reason: 'overridden' });
      nameIdBy = entry.index;
      const first = value.kind === 'one' ? value.value : (value.values[0] as string);
      const format = entry.entry.samlNameIdFormat;
      nameId = format === undefined ? { value: first } : { value: first, format };
      continue;
    }
    const written = entry.entry.SAMLNameForm;
    const short = written?.toLowerCase();
    const nameFormat = short === 'unspecified' || short === 'uri' || short === 'basic' ? samlNameFormats[short] : written;
    const attribute: SamlAttribute = nameFormat === undefined ? { name, values: samlValues(value) } : { name, nameFormat, values: samlValues(value) };
    const previous = setBy.get(name);
    if (previous !== undefined) {
      absences.push({ name, entry: previous, reason: 'overridden' });
      policy[policy.findIndex((a) => a.name === name)] = attribute;
    } else policy.push(attribute);
    setBy.set(name, entry.index);
  }
  const attributes: SamlAttribute[] = basic.map((b) => policy.find((p) => p.name === b.name) ?? b);
  for (const p of policy) if (!basic.some((b) => b.name === p.name)) attributes.push(p);
  absences.sort((a, b) => a.entry - b.entry);
  const result: SamlEvaluation = { basic, policy, attributes, absent: absences };
  return nameId === undefined ? result : { ...result, nameId };
}

/**
 * The reference interpreter for either format, with the same result shapes as `evaluateJwt` / `evaluateSaml`.
 *
 * @example
 * interpret(bound, context, { format: 'saml' }).attributes
 */
export function interpret(bound: BoundPolicy, context: EvaluationContext, options: InterpretOptions & { readonly format: 'jwt' }): JwtEvaluation;
export function interpret(bound: BoundPolicy, context: EvaluationContext, options: InterpretOptions & { readonly format: 'saml' }): SamlEvaluation;
export function interpret(bound: BoundPolicy, context: EvaluationContext, options: InterpretOptions & { readonly format: 'jwt' | 'saml' }): JwtEvaluation | SamlEvaluation {
  return options.format === 'jwt' ? interpretJwt(bound, context, options) : interpretSaml(bound, context, options);
}
