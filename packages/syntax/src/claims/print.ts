import {
  findMethod,
  samlNameFormats,
  samlNameIdFormats,
  serializePolicy,
  type ClaimsMappingPolicy,
  type ClaimsSchemaEntry,
  type ClaimsTransformation,
  type MethodSignature,
} from '@claimc/model';
import { anyNameInput, functionName, lowerPolicy } from './lower.js';
import { parseClaims } from './read-claims.js';
import { encodeString } from './strings.js';
import { collectOrder, collectTransformations, identifierPattern, isReadable, planSugar, type CallPlan } from './sugar.js';
import { reservedWords, statementWords } from './tokens.js';

const indent = '  ';
const continuation = '    ';

/** A name as written in name positions: bare when it is an identifier and not a keyword, else quoted. */
function nameText(text: string): string {
  return identifierPattern.test(text) && !reservedWords.has(text) ? text : encodeString(text);
}

/** A name where keywords are allowed (argument names): bare when identifier-shaped. */
function wordText(text: string): string {
  return identifierPattern.test(text) ? text : encodeString(text);
}

/** A name after `.`: like {@link wordText}, but a statement keyword is quoted. */
function attributeText(text: string): string {
  return identifierPattern.test(text) && !statementWords.has(text) ? text : encodeString(text);
}

function numberText(value: number): string {
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

const nameFormatByValue = new Map<string, string>(Object.entries(samlNameFormats).map(([k, v]) => [v, k]));
const nameIdFormatByValue = new Map<string, string>(Object.entries(samlNameIdFormats).map(([k, v]) => [v, k]));

export interface PrintOptions {
  readonly displayName?: string;
}

/** How much of the readable sugar a print may use; each level is checked by reading the text back. */
type SugarLevel = 'full' | 'explicit-names' | 'none';

/**
 * Prints a policy as `.claims` text (the decompiler). Transformations that belong to one claim are
 * written inline as function calls; everything else in its explicit form. The result always reads
 * back to exactly the same model: each candidate text is re-read and compared, falling back to a
 * more explicit form when it would not.
 *
 * @example
 * printPolicyClaims({ Version: 1, ClaimsSchema: [{ Source: 'user', ID: 'employeeid', JwtClaimType: 'employeeid' }] }, { displayName: 'Example' })
 * // 'policy "Example" {\n  claim employeeid = user.employeeid\n}\n'
 */
export function printPolicyClaims(policy: ClaimsMappingPolicy, options: PrintOptions = {}): string {
  const expected = serializePolicy(policy);
  let text = '';
  for (const level of ['full', 'explicit-names', 'none'] as const) {
    text = new Printer(policy, options, level).print();
    if (readsBackTo(text, expected)) return text;
  }
  return text;
}

function readsBackTo(text: string, expected: string): boolean {
  const parsed = parseClaims(text);
  if (parsed.ast === undefined || parsed.diagnostics.some((d) => d.severity === 'error')) return false;
  const lowered = lowerPolicy(parsed.ast);
  return !lowered.diagnostics.some((d) => d.severity === 'error') && serializePolicy(lowered.policy) === expected;
}

class Printer {
  private readonly entries: readonly ClaimsSchemaEntry[];
  private readonly transformations: readonly ClaimsTransformation[];
  private readonly lines: string[] = [];
  /** Entry index → its inline call plan, for claims written with a function call. */
  private readonly roots: ReadonlyMap<number, CallPlan>;
  /** Entries that are not written as statements: nested call outputs and reads the reader regenerates. */
  private readonly hidden: ReadonlySet<number>;

  constructor(
    private readonly policy: ClaimsMappingPolicy,
    private readonly options: PrintOptions,
    private readonly level: SugarLevel,
  ) {
    this.entries = policy.ClaimsSchema ?? [];
    this.transformations = policy.ClaimsTransformation ?? [];
    const sugar = level === 'none' ? { roots: new Map<number, CallPlan>(), hidden: new Set<number>() } : planSugar(this.entries, this.transformations, level);
    this.roots = sugar.roots;
    this.hidden = sugar.hidden;
  }

  print(): string {
    const p = this.policy;
    const head = this.options.displayName === undefined ? 'policy {' : `policy ${encodeString(this.options.displayName)} {`;
    this.lines.push(head);
    const settings: string[] = [];
    if (p.Version === undefined) settings.push('version: none');
    else if (p.Version !== 1) settings.push(`version: ${numberText(p.Version)}`);
    if (p.IncludeBasicClaimSet !== undefined) settings.push(`basic claims: ${p.IncludeBasicClaimSet ? 'include' : 'exclude'}`);
    if (p.issuerWithApplicationId !== undefined) settings.push(`issuer with application id: ${String(p.issuerWithApplicationId)}`);
    if (p.audienceOverride !== undefined) settings.push(`audience override: ${encodeString(p.audienceOverride)}`);
    if (p.GroupFilter !== undefined) {
      const g = p.GroupFilter;
      settings.push(`group filter: ${nameText(g.MatchOn)} ${nameText(g.Type)} ${encodeString(g.Value)}`);
    }
    if (p.ClaimsSchema !== undefined && p.ClaimsSchema.length === 0) settings.push('claims: none');
    if (p.ClaimsTransformation !== undefined && p.ClaimsTransformation.length === 0) settings.push('transformations: none');
    for (const s of settings) this.lines.push(indent + s);
    const body: string[][] = [];
    const owned = new Set<number>();
    for (const plan of this.roots.values()) collectTransformations(plan, owned);
    let nextTransformation = 0;
    const flushBlocks = (until: number): void => {
      for (; nextTransformation < until; nextTransformation++) {
        if (!owned.has(nextTransformation)) body.push(this.transformBlock(nextTransformation));
      }
    };
    let ordinal = 0;
    this.entries.forEach((entry, index) => {
      if (this.hidden.has(index)) return;
      ordinal++;
      const plan = this.roots.get(index);
      if (plan !== undefined) {
        const order: number[] = [];
        collectOrder(plan, order);
        flushBlocks(Math.min(...order));
        nextTransformation = Math.max(nextTransformation, Math.max(...order) + 1);
        body.push(this.sugarStatement(entry, plan, ordinal));
      } else body.push(this.entryStatement(entry));
    });
    flushBlocks(this.transformations.length);
    if (settings.length > 0 && body.length > 0) this.lines.push('');
    const isBlock = (lines: readonly string[]): boolean => lines[0]?.startsWith(indent + 'transform ') === true;
    body.forEach((lines, i) => {
      // a transform block stands apart; claims sit together
      const previous = body[i - 1];
      if (previous !== undefined && (isBlock(lines) || isBlock(previous))) this.lines.push('');
      this.lines.push(...lines);
    });
    this.lines.push('}');
    return this.lines.join('\n') + '\n';
  }

  // ---- explicit forms ----

  private entryStatement(entry: ClaimsSchemaEntry): string[] {
    const remaining: Record<string, string | undefined> = { ...entry };
    const head = claimHead(entry, remaining, '');
    const value = this.valuePart(entry, remaining);
    let first: string;
    if (head === '') first = value === undefined ? 'claim' : `input ${value}`;
    else first = value === undefined ? head : `${head} = ${value}`;
    return [indent + first, ...clauseLines(remaining)];
  }

  /** `user.mail` or `"literal"` when the entry's fields allow it; removes the fields it writes. */
  private valuePart(entry: ClaimsSchemaEntry, remaining: Record<string, string | undefined>): string | undefined {
    if (isReadable(entry)) {
      delete remaining['Source'];
      delete remaining[entry.ID !== undefined ? 'ID' : 'ExtensionID'];
      return this.readText(entry);
    }
    if (entry.Value !== undefined) {
      delete remaining['Value'];
      return encodeString(entry.Value);
    }
    return undefined;
  }

  private transformBlock(index: number): string[] {
    const t = this.transformations[index] as ClaimsTransformation;
    const lines = [`${indent}transform ${nameText(t.ID)} = ${nameText(t.TransformationMethod)} {`];
    const inner = indent + indent;
    for (const c of t.InputClaims ?? []) {
      const modifier = c.TreatAsMultiValue === undefined ? '' : c.TreatAsMultiValue ? 'each ' : 'first ';
      const source = c.claimTypeReferenceSource === undefined ? '' : ` source ${encodeString(c.claimTypeReferenceSource)}`;
      lines.push(`${inner}input ${nameText(c.TransformationClaimType)} = ${modifier}${nameText(c.ClaimTypeReferenceId)}${source}`);
    }
    for (const p of t.InputParameters ?? []) {
      const dataType = p.DataType === undefined ? '' : ` datatype ${encodeString(p.DataType)}`;
      lines.push(`${inner}param ${nameText(p.ID)} = ${encodeString(p.Value)}${dataType}`);
    }
    for (const o of t.OutputClaims ?? []) lines.push(`${inner}output ${nameText(o.TransformationClaimType)} = ${nameText(o.ClaimTypeReferenceId)}`);
    if (t.InputClaims?.length === 0) lines.push(`${inner}inputs: none`);
    if (t.InputParameters?.length === 0) lines.push(`${inner}params: none`);
    if (t.OutputClaims?.length === 0) lines.push(`${inner}outputs: none`);
    lines.push(`${indent}}`);
    return lines;
  }

  // ---- inline sugar ----

  private sugarStatement(entry: ClaimsSchemaEntry, plan: CallPlan, ordinal: number): string[] {
    const remaining: Record<string, string | undefined> = { ...entry };
    delete remaining['Source'];
    delete remaining['TransformationId'];
    const head = claimHead(entry, remaining, 'input');
    const key = generatedKey(entry, ordinal);
    const counter = { n: 0 };
    const call = this.callText(plan, key, counter);
    const rootId = (this.transformations[plan.transformation] as ClaimsTransformation).ID;
    if (entry.ID === rootId) delete remaining['ID'];
    const first = head === 'input' ? `input ${call}` : `${head} = ${call}`;
    return [indent + first, ...clauseLines(remaining)];
  }

  private callText(plan: CallPlan, key: string, counter: { n: number }): string {
    counter.n++;
    const t = this.transformations[plan.transformation] as ClaimsTransformation;
    const method = findMethod(t.TransformationMethod) as MethodSignature;
    const generated = counter.n === 1 ? `${key}.${method.name}` : `${key}.${method.name}.${counter.n}`;
    const args: string[] = [];
    let positional = true;
    plan.args.forEach((arg, i) => {
      // parameters are always named (`separator: "."`): a bare literal in third place says little to a reviewer
      const input = method.inputs[i];
      const expectedName = method.singleInputAnyName === true ? (i === 0 ? anyNameInput : undefined) : input?.kind === 'parameter' ? undefined : input?.name;
      positional = positional && expectedName === arg.name;
      const prefix = positional ? '' : `${wordText(arg.name)}: `;
      let value: string;
      if (arg.kind === 'literal') value = encodeString(arg.value);
      else {
        const modifier = arg.modifier === undefined ? '' : arg.modifier ? 'each ' : 'first ';
        value = modifier + (arg.kind === 'read' ? this.readText(this.entries[arg.entry] as ClaimsSchemaEntry) : this.callText(arg.call, key, counter));
      }
      args.push(prefix + value);
    });
    const as = this.level === 'full' && t.ID === generated ? '' : ` as ${nameText(t.ID)}`;
    return `${functionName(method.name)}(${args.join(', ')})${as}`;
  }

  /** `source.attribute` of an entry that {@link isReadable} accepts. */
  private readText(e: ClaimsSchemaEntry): string {
    return `${e.Source as string}.${attributeText(e.ID ?? (e.ExtensionID as string))}`;
  }


}

/** The key the reader derives generated IDs from (see lower.ts `claimKey`). */
function generatedKey(entry: ClaimsSchemaEntry, ordinal: number): string {
  if (entry.JwtClaimType !== undefined && entry.JwtClaimType !== '') return entry.JwtClaimType;
  const segment = entry.SamlClaimType?.split('/').filter((s) => s !== '').pop();
  return segment ?? `claim${ordinal}`;
}

const clauseOrder: readonly [keyof ClaimsSchemaEntry, string][] = [
  ['SamlClaimType', 'saml'],
  ['SAMLNameForm', 'format'],
  ['samlNameIdFormat', 'nameid format'],
  ['ID', 'id'],
  ['Source', 'source'],
  ['ExtensionID', 'extension'],
  ['Value', 'value'],
  ['TransformationId', 'via'],
];

function clauseLines(remaining: Record<string, string | undefined>): string[] {
  const lines: string[] = [];
  for (const [field, keyword] of clauseOrder) {
    const value = remaining[field];
    if (value === undefined) continue;
    let text: string;
    if (field === 'SAMLNameForm') text = nameFormatByValue.get(value) ?? encodeString(value);
    else if (field === 'samlNameIdFormat') text = nameIdFormatByValue.get(value) ?? encodeString(value);
    else if (field === 'SamlClaimType' || field === 'Value') text = encodeString(value);
    else if (field === 'Source') text = nameText(value);
    else text = nameText(value);
    lines.push(`${continuation}${keyword} ${text}`);
  }
  return lines;
}

/** The statement head an entry prints with (`claim <jwt name>`, `claim saml "<uri>"`, or the fallback); drops the name it used from `remaining`. */
function claimHead(entry: ClaimsSchemaEntry, remaining: Record<string, string | undefined>, fallback: string): string {
  if (entry.JwtClaimType !== undefined) {
    delete remaining['JwtClaimType'];
    return `claim ${nameText(entry.JwtClaimType)}`;
  }
  if (entry.SamlClaimType !== undefined) {
    delete remaining['SamlClaimType'];
    return `claim saml ${encodeString(entry.SamlClaimType)}`;
  }
  return fallback;
}
