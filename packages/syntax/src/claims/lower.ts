import type { DiagnosticCode } from '@claimc/model';
import {
  createDiagnostic,
  canonicalAttributeId,
  canonicalInputName,
  canonicalOutputName,
  findMethod,
  orderPolicy,
  samlNameFormats,
  samlNameIdFormats,
  suggest,
  methodSignatures,
  type ClaimsMappingPolicy,
  type ClaimsSchemaEntry,
  type ClaimsTransformation,
  type Diagnostic,
  type GroupFilter,
  type InputClaim,
  type InputParameter,
  type Location,
  type OutputClaim,
  type Span,
} from '@claimc/model';
import type { ClaimNode, ClauseNode, ExprNode, InputNode, PolicyNode, SettingNode, TransformNode } from './ast.js';

/** The settings a policy block takes, as the words a reader writes them. */
export const policySettings = ['version', 'basic claims', 'issuer with application id', 'audience override', 'group filter', 'claims', 'transformations'] as const;
/** The settings a transform block takes (only `none`: an empty list in the JSON). */
export const transformSettings = ['inputs', 'params', 'outputs'] as const;

/** Default TransformationClaimType of the first positional argument of a method that takes one input under any name (D11). */
export const anyNameInput = 'inputClaim';

export interface LowerResult {
  readonly policy: ClaimsMappingPolicy;
  readonly locations: Map<string, Location>;
  readonly diagnostics: Diagnostic[];
  readonly displayName?: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type EntryDraft = Mutable<ClaimsSchemaEntry>;

/** An entry the reader generates (a read inside a call, a nested call's output), placed just before the claim that needs it. */
interface PendingEntry {
  readonly entry: ClaimsSchemaEntry;
  readonly spans: Map<string, Span>;
  readonly span: Span;
}

interface ReadTarget {
  readonly source: string;
  readonly key: string;
}

export function isExtensionName(attribute: string): boolean {
  return /^extension_/i.test(attribute);
}

const nameFormatShortcuts: Readonly<Record<string, string>> = samlNameFormats;
const nameIdFormatShortcuts: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(samlNameIdFormats).map(([k, v]) => [k.toLowerCase(), v]));

/**
 * Lowers the AST to the canonical model. Inline calls become ClaimsTransformation items with
 * deterministic IDs (`<claim>.<Method>`, nested ones `<claim>.<Method>.<n>` in pre-order, `~2`… on
 * collision); a source read inside a call reuses the entry with that ID or adds an input-only entry
 * just before the claim that first needs it.
 */
export function lowerPolicy(ast: PolicyNode): LowerResult {
  return new Lowering(ast).run();
}

class Lowering {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly locations = new Map<string, Location>();
  private readonly entries: ClaimsSchemaEntry[] = [];
  private readonly transformations: ClaimsTransformation[] = [];
  /** Lower-cased ID → source of every entry whose ID is written in the file. */
  private readonly explicitIds = new Map<string, string>();
  /** Lower-cased IDs already taken by transformations or entries, for generated names. */
  private readonly usedIds = new Set<string>();
  private readonly generatedReads = new Map<string, string>();

  constructor(private readonly ast: PolicyNode) {}

  run(): LowerResult {
    // Entra accepts only Version 1, so a file says nothing about it unless it differs (`version: none` leaves it out)
    const policy: Mutable<ClaimsMappingPolicy> = { Version: 1 };
    this.at('', this.ast.span);
    this.collectExplicitIds();
    let emptyClaims: SettingNode | undefined;
    let emptyTransformations: SettingNode | undefined;
    const seen = new Map<string, SettingNode>();
    let entryOrdinal = 0;
    for (const statement of this.ast.statements) {
      switch (statement.kind) {
        case 'setting': {
          const key = settingKey(statement);
          if (seen.has(key)) {
            this.report('CM6022', { name: key }, statement.words[0]?.span);
            break;
          }
          seen.set(key, statement);
          if (key === 'claims') {
            if (this.expectNone(statement)) emptyClaims = statement;
          } else if (key === 'transformations') {
            if (this.expectNone(statement)) emptyTransformations = statement;
          } else this.applySetting(policy, key, statement);
          break;
        }
        case 'claim':
        case 'input':
          entryOrdinal++;
          this.lowerEntry(statement, entryOrdinal);
          break;
        case 'transform':
          this.lowerTransformBlock(statement);
          break;
      }
    }
    if (emptyClaims !== undefined) {
      if (this.entries.length > 0) this.report('CM6023', { name: 'claims', what: 'claim statements' }, emptyClaims.span);
      else this.at('/ClaimsSchema', emptyClaims.span);
      policy.ClaimsSchema = [];
    }
    if (emptyTransformations !== undefined) {
      if (this.transformations.length > 0) this.report('CM6023', { name: 'transformations', what: 'transformations' }, emptyTransformations.span);
      else this.at('/ClaimsTransformation', emptyTransformations.span);
      policy.ClaimsTransformation = [];
    }
    if (this.entries.length > 0) {
      policy.ClaimsSchema = this.entries;
      if (!this.locations.has('/ClaimsSchema')) this.at('/ClaimsSchema', this.ast.span);
    }
    if (this.transformations.length > 0) {
      policy.ClaimsTransformation = this.transformations;
      if (!this.locations.has('/ClaimsTransformation')) this.at('/ClaimsTransformation', this.ast.span);
    }
    return {
      policy: orderPolicy(policy),
      locations: this.locations,
      diagnostics: this.diagnostics,
      ...(this.ast.name !== undefined ? { displayName: this.ast.name.text } : {}),
    };
  }

  private at(pointer: string, span: Span | undefined): void {
    if (span !== undefined) this.locations.set(pointer, { span, pointer });
  }

  private report(code: DiagnosticCode, args: Record<string, string | number>, span: Span | undefined, hint?: string): void {
    this.diagnostics.push(createDiagnostic(code, args, { span, ...(hint !== undefined ? { hint } : {}) }));
  }

  private expectNone(setting: SettingNode): boolean {
    const value = setting.values[0];
    if (setting.values.length === 1 && value?.kind === 'word' && value.text === 'none') return true;
    this.report('CM6021', { name: settingKey(setting), expected: '`none` (an empty list)' }, setting.values[0]?.span ?? setting.span);
    return false;
  }

  private applySetting(policy: Mutable<ClaimsMappingPolicy>, key: string, setting: SettingNode): void {
    const values = setting.values;
    const one = values.length === 1 ? values[0] : undefined;
    const keySpan = joinAll(setting.words.map((w) => w.span));
    const place = (pointer: string, span: Span): void => {
      this.at(pointer, span);
      if (keySpan !== undefined) this.at(pointer + '#key', keySpan);
    };
    const wrong = (expected: string): void => this.report('CM6021', { name: key, expected }, values[0]?.span ?? setting.span);
    switch (key) {
      case 'version':
        if (one?.kind === 'number') {
          policy.Version = Number(one.text);
          place('/Version', one.span);
        } else if (one?.kind === 'word' && one.text === 'none') policy.Version = undefined;
        else wrong('a number, or `none` for no Version');
        return;
      case 'basic claims':
        if (one?.kind === 'word' && /^(include|exclude|true|false)$/.test(one.text)) {
          policy.IncludeBasicClaimSet = one.text === 'include' || one.text === 'true';
          place('/IncludeBasicClaimSet', one.span);
        } else wrong('`include` or `exclude`');
        return;
      case 'issuer with application id':
        if (one?.kind === 'word' && (one.text === 'true' || one.text === 'false')) {
          policy.issuerWithApplicationId = one.text === 'true';
          place('/issuerWithApplicationId', one.span);
        } else wrong('`true` or `false`');
        return;
      case 'audience override':
        if (one?.kind === 'string') {
          policy.audienceOverride = one.text;
          place('/audienceOverride', one.span);
        } else wrong('a "string" (an absolute URI)');
        return;
      case 'group filter': {
        const [matchOn, type, value] = values;
        if (values.length === 3 && matchOn !== undefined && type !== undefined && value?.kind === 'string' && matchOn.kind !== 'number' && type.kind !== 'number') {
          const filter: GroupFilter = { MatchOn: matchOn.text, Type: type.text, Value: value.text };
          policy.GroupFilter = filter;
          place('/GroupFilter', setting.span);
          this.at('/GroupFilter/MatchOn', matchOn.span);
          this.at('/GroupFilter/Type', type.span);
          this.at('/GroupFilter/Value', value.span);
        } else wrong('`<displayname|samaccountname> <prefix|suffix|contains> "value"`');
        return;
      }
      default: {
        const near = suggest(key, policySettings);
        this.report('CM6020', { name: key, known: policySettings.map((s) => '`' + s + '`').join(', ') }, keySpan ?? setting.span, near === undefined ? undefined : `did you mean \`${near}\`?`);
      }
    }
  }

  /** Every entry whose ID is written (not generated), so source reads inside calls can find it. */
  private collectExplicitIds(): void {
    for (const statement of this.ast.statements) {
      if (statement.kind === 'transform') {
        this.usedIds.add(statement.id.text.toLowerCase());
        continue;
      }
      if (statement.kind === 'setting') continue;
      this.collectAsNames(statement.value);
      const idClause = statement.clauses.find((c) => c.keyword === 'id');
      const sourceClause = statement.clauses.find((c) => c.keyword === 'source');
      const value = statement.value;
      let id: string | undefined;
      let source: string | undefined = sourceClause?.value.text.toLowerCase();
      if (value?.kind === 'read') {
        source = value.source.text.toLowerCase();
        id = isExtensionName(value.attribute.text) ? value.attribute.text : canonicalAttributeId(source, value.attribute.text);
      } else if (value?.kind === 'call') {
        source = 'transformation';
        if (value.as !== undefined) id = value.as.text;
      }
      if (idClause !== undefined) id = canonicalAttributeId(source ?? '', idClause.value.text);
      const extension = statement.clauses.find((c) => c.keyword === 'extension');
      for (const key of [id, extension?.value.text]) {
        if (key === undefined) continue;
        if (!this.explicitIds.has(key.toLowerCase())) this.explicitIds.set(key.toLowerCase(), source ?? '');
        this.usedIds.add(key.toLowerCase());
      }
    }
  }

  private collectAsNames(expr: ExprNode | undefined): void {
    if (expr?.kind !== 'call') return;
    if (expr.as !== undefined) this.usedIds.add(expr.as.text.toLowerCase());
    for (const arg of expr.args) this.collectAsNames(arg.value);
  }

  private lowerEntry(statement: ClaimNode | InputNode, ordinal: number): void {
    const entry: EntryDraft = {};
    const spans = new Map<string, Span>();
    const keySpans = new Map<string, Span>();
    const pending: PendingEntry[] = [];
    const set = (field: keyof ClaimsSchemaEntry, value: string, span: Span, keySpan?: Span): void => {
      if (entry[field] !== undefined) {
        this.report('CM6022', { name: field }, keySpan ?? span);
        return;
      }
      entry[field] = value;
      spans.set(field, span);
      if (keySpan !== undefined) keySpans.set(field, keySpan);
    };
    if (statement.kind === 'claim') {
      if (statement.jwt !== undefined) set('JwtClaimType', statement.jwt.text, statement.jwt.span);
      if (statement.saml !== undefined) set('SamlClaimType', statement.saml.value.text, statement.saml.value.span, statement.saml.keywordSpan);
    }
    const value = statement.value;
    if (value?.modifier !== undefined) this.report('CM6028', { modifier: value.modifier.kind }, value.modifier.span);
    let callRoot: { id: string; span: Span; idSpan: Span } | undefined;
    if (value !== undefined) {
      switch (value.kind) {
        case 'literal':
          set('Value', value.value.text, value.value.span);
          break;
        case 'read': {
          const source = value.source.text.toLowerCase();
          set('Source', source, value.source.span);
          if (isExtensionName(value.attribute.text)) set('ExtensionID', value.attribute.text, value.attribute.span);
          else set('ID', canonicalAttributeId(source, value.attribute.text), value.attribute.span);
          break;
        }
        case 'call': {
          const key = claimKey(statement, ordinal);
          const counter = { n: 0 };
          const idClause = statement.clauses.find((c) => c.keyword === 'id');
          const outputId = (tid: string): string => idClause?.value.text ?? tid;
          const tid = this.lowerCall(value, key, counter, pending, outputId);
          set('Source', 'transformation', value.fn.span);
          set('TransformationId', tid, value.as?.span ?? value.fn.span);
          callRoot = { id: tid, span: value.span, idSpan: value.as?.span ?? value.fn.span };
          break;
        }
      }
    }
    for (const clause of statement.clauses) this.applyClause(clause, set);
    if (value?.kind !== 'read' && entry.ID !== undefined && entry.Source !== undefined) entry.ID = canonicalAttributeId(entry.Source, entry.ID);
    if (callRoot !== undefined && entry.ID === undefined) {
      entry.ID = callRoot.id;
      spans.set('ID', callRoot.idSpan);
    }
    for (const generated of pending) {
      const index = this.entries.length;
      this.entries.push(generated.entry);
      this.at('/ClaimsSchema/' + index, generated.span);
      for (const [field, span] of generated.spans) this.at('/ClaimsSchema/' + index + '/' + field, span);
    }
    const index = this.entries.length;
    this.entries.push(entry);
    this.at('/ClaimsSchema/' + index, statement.span);
    for (const [field, span] of spans) this.at('/ClaimsSchema/' + index + '/' + field, span);
    for (const [field, span] of keySpans) this.at('/ClaimsSchema/' + index + '/' + field + '#key', span);
  }

  private applyClause(clause: ClauseNode, set: (field: keyof ClaimsSchemaEntry, value: string, span: Span, keySpan?: Span) => void): void {
    const text = clause.value.text;
    const span = clause.value.span;
    const key = clause.keywordSpan;
    switch (clause.keyword) {
      case 'saml':
        return set('SamlClaimType', text, span, key);
      case 'format':
        return set('SAMLNameForm', clause.value.quoted ? text : (nameFormatShortcuts[text] ?? text), span, key);
      case 'nameid':
        return set('samlNameIdFormat', clause.value.quoted ? text : (nameIdFormatShortcuts[text.toLowerCase()] ?? text), span, key);
      case 'id':
        return set('ID', text, span, key);
      case 'source':
        return set('Source', text.toLowerCase(), span, key);
      case 'extension':
        return set('ExtensionID', text, span, key);
      case 'value':
        return set('Value', text, span, key);
      case 'via':
        return set('TransformationId', text, span, key);
    }
  }

  /** Lowers a call and its nested calls (post-order); returns the transformation's ID. */
  private lowerCall(
    call: Extract<ExprNode, { kind: 'call' }>,
    key: string,
    counter: { n: number },
    pending: PendingEntry[],
    outputId: (tid: string) => string,
  ): string {
    counter.n++;
    const method = findMethod(call.fn.text);
    if (method === undefined) {
      const near = suggest(call.fn.text, methodSignatures.map((m) => functionName(m.name)));
      this.report(
        'CM6024',
        { name: call.fn.text, known: methodSignatures.map((m) => functionName(m.name)).join(', ') },
        call.fn.span,
        near === undefined ? undefined : `did you mean \`${near}\`?`,
      );
    }
    const methodName = method?.name ?? call.fn.text;
    const tid = call.as?.text ?? this.generateId(counter.n === 1 ? `${key}.${methodName}` : `${key}.${methodName}.${counter.n}`);
    const inputClaims: { claim: InputClaim; arg: (typeof call.args)[number]; nameSpan: Span }[] = [];
    const parameters: { parameter: InputParameter; arg: (typeof call.args)[number]; nameSpan: Span }[] = [];
    const names = new Set<string>();
    let sawNamed = false;
    call.args.forEach((arg, position) => {
      let name: string | undefined;
      if (arg.name !== undefined) {
        sawNamed = true;
        name = canonicalInputName(method, arg.name.text);
      } else if (sawNamed) {
        this.report('CM6026', {}, arg.span);
      } else if (method !== undefined) {
        name = method.singleInputAnyName === true && position === 0 ? anyNameInput : method.inputs[position]?.name;
        if (name === undefined) this.report('CM6025', { name: call.fn.text, count: method.singleInputAnyName === true ? 1 : method.inputs.length }, arg.span);
      }
      if (name === undefined) return;
      if (names.has(name.toLowerCase())) this.report('CM6027', { name }, arg.name?.span ?? arg.span);
      names.add(name.toLowerCase());
      const nameSpan = arg.name?.span ?? arg.span;
      const value = arg.value;
      if (value.kind === 'literal') {
        if (value.modifier !== undefined) this.report('CM6031', {}, value.modifier.span);
        parameters.push({ parameter: { ID: name, Value: value.value.text }, arg, nameSpan });
        return;
      }
      let ref: string;
      if (value.kind === 'read') ref = this.resolveRead(value, pending);
      else {
        ref = this.lowerCall(value, key, counter, pending, (id) => id);
        const spans = new Map<string, Span>([
          ['Source', value.fn.span],
          ['ID', value.as?.span ?? value.fn.span],
          ['TransformationId', value.as?.span ?? value.fn.span],
        ]);
        pending.push({ entry: { Source: 'transformation', ID: ref, TransformationId: ref }, spans, span: value.span });
      }
      const claim: Mutable<InputClaim> = { ClaimTypeReferenceId: ref, TransformationClaimType: name };
      if (value.modifier !== undefined) claim.TreatAsMultiValue = value.modifier.kind === 'each';
      inputClaims.push({ claim, arg, nameSpan });
    });
    const transformation: Mutable<ClaimsTransformation> = { ID: tid, TransformationMethod: methodName };
    if (inputClaims.length > 0) transformation.InputClaims = inputClaims.map((i) => i.claim);
    if (parameters.length > 0) transformation.InputParameters = parameters.map((p) => p.parameter);
    const output: OutputClaim = { ClaimTypeReferenceId: outputId(tid), TransformationClaimType: method?.outputs[0] ?? 'outputClaim' };
    transformation.OutputClaims = [output];
    const index = this.transformations.length;
    this.transformations.push(transformation);
    // canonical pointers: segments here are property names and indexes, which need no RFC 6901 escaping
    const base = '/ClaimsTransformation/' + index;
    this.at(base, call.span);
    this.at(base + '/ID', call.as?.span ?? call.fn.span);
    this.at(base + '/TransformationMethod', call.fn.span);
    if (inputClaims.length > 0) this.at(base + '/InputClaims', call.span);
    inputClaims.forEach(({ arg, nameSpan }, k) => {
      this.at(base + '/InputClaims/' + k, arg.span);
      this.at(base + '/InputClaims/' + k + '/ClaimTypeReferenceId', arg.value.kind === 'read' ? arg.value.attribute.span : arg.value.span);
      this.at(base + '/InputClaims/' + k + '/TransformationClaimType', nameSpan);
      if (arg.value.modifier !== undefined) this.at(base + '/InputClaims/' + k + '/TreatAsMultiValue', arg.value.modifier.span);
    });
    if (parameters.length > 0) this.at(base + '/InputParameters', call.span);
    parameters.forEach(({ arg, nameSpan }, k) => {
      this.at(base + '/InputParameters/' + k, arg.span);
      this.at(base + '/InputParameters/' + k + '/ID', nameSpan);
      this.at(base + '/InputParameters/' + k + '/Value', arg.value.kind === 'literal' ? arg.value.value.span : arg.value.span);
    });
    this.at(base + '/OutputClaims', call.span);
    this.at(base + '/OutputClaims/0', call.span);
    this.at(base + '/OutputClaims/0/ClaimTypeReferenceId', call.fn.span);
    this.at(base + '/OutputClaims/0/TransformationClaimType', call.fn.span);
    return tid;
  }

  private generateId(base: string): string {
    let id = base;
    for (let n = 2; this.usedIds.has(id.toLowerCase()); n++) id = `${base}~${n}`;
    this.usedIds.add(id.toLowerCase());
    return id;
  }

  /** A source read inside a call: the ID of the entry that holds it, added before the claim when absent. */
  private resolveRead(read: Extract<ExprNode, { kind: 'read' }>, pending: PendingEntry[]): string {
    const target = readTarget(read);
    const lower = target.key.toLowerCase();
    const explicit = this.explicitIds.get(lower);
    if (explicit !== undefined) {
      if (explicit !== target.source) this.report('CM6029', { source: read.source.text, id: target.key, other: explicit === '' ? 'source-less' : `\`${explicit}\`` }, read.span);
      return target.key;
    }
    const generated = this.generatedReads.get(lower);
    if (generated !== undefined) {
      if (generated !== target.source) this.report('CM6029', { source: read.source.text, id: target.key, other: `\`${generated}\`` }, read.span);
      return target.key;
    }
    this.generatedReads.set(lower, target.source);
    const extension = isExtensionName(read.attribute.text);
    const entry: ClaimsSchemaEntry = extension ? { Source: target.source, ExtensionID: target.key } : { Source: target.source, ID: target.key };
    const spans = new Map<string, Span>([
      ['Source', read.source.span],
      [extension ? 'ExtensionID' : 'ID', read.attribute.span],
    ]);
    pending.push({ entry, spans, span: read.span });
    return target.key;
  }

  private lowerTransformBlock(block: TransformNode): void {
    const method = findMethod(block.method.text);
    const transformation: Mutable<ClaimsTransformation> = { ID: block.id.text, TransformationMethod: method?.name ?? block.method.text };
    const index = this.transformations.length;
    // canonical pointers: segments here are property names and indexes, which need no RFC 6901 escaping
    const base = '/ClaimsTransformation/' + index;
    this.at(base, block.span);
    this.at(base + '/ID', block.id.span);
    this.at(base + '/TransformationMethod', block.method.span);
    const inputs: InputClaim[] = [];
    const params: InputParameter[] = [];
    const outputs: OutputClaim[] = [];
    const none = new Map<string, SettingNode>();
    for (const item of block.items) {
      switch (item.kind) {
        case 'input': {
          const claim: Mutable<InputClaim> = { ClaimTypeReferenceId: item.ref.text, TransformationClaimType: canonicalInputName(method, item.name.text) };
          if (item.modifier !== undefined) claim.TreatAsMultiValue = item.modifier.kind === 'each';
          if (item.refSource !== undefined) claim.claimTypeReferenceSource = item.refSource.text;
          const k = inputs.length;
          inputs.push(claim);
          this.at(base + '/InputClaims/' + k, item.span);
          this.at(base + '/InputClaims/' + k + '/TransformationClaimType', item.name.span);
          this.at(base + '/InputClaims/' + k + '/ClaimTypeReferenceId', item.ref.span);
          if (item.modifier !== undefined) this.at(base + '/InputClaims/' + k + '/TreatAsMultiValue', item.modifier.span);
          if (item.refSource !== undefined) this.at(base + '/InputClaims/' + k + '/claimTypeReferenceSource', item.refSource.span);
          break;
        }
        case 'param': {
          const parameter: Mutable<InputParameter> = { ID: canonicalInputName(method, item.name.text), Value: item.value.text };
          if (item.dataType !== undefined) parameter.DataType = item.dataType.text;
          const k = params.length;
          params.push(parameter);
          this.at(base + '/InputParameters/' + k, item.span);
          this.at(base + '/InputParameters/' + k + '/ID', item.name.span);
          this.at(base + '/InputParameters/' + k + '/Value', item.value.span);
          if (item.dataType !== undefined) this.at(base + '/InputParameters/' + k + '/DataType', item.dataType.span);
          break;
        }
        case 'output': {
          const k = outputs.length;
          outputs.push({ ClaimTypeReferenceId: item.ref.text, TransformationClaimType: canonicalOutputName(method, item.name.text) });
          this.at(base + '/OutputClaims/' + k, item.span);
          this.at(base + '/OutputClaims/' + k + '/TransformationClaimType', item.name.span);
          this.at(base + '/OutputClaims/' + k + '/ClaimTypeReferenceId', item.ref.span);
          break;
        }
        case 'setting': {
          const key = settingKey(item);
          if (!(transformSettings as readonly string[]).includes(key)) {
            const near = suggest(key, transformSettings);
            this.report('CM6020', { name: key, known: transformSettings.map((s) => '`' + s + '`').join(', ') }, item.span, near === undefined ? undefined : `did you mean \`${near}\`?`);
          } else if (none.has(key)) this.report('CM6022', { name: key }, item.span);
          else if (this.expectNone(item)) none.set(key, item);
          break;
        }
      }
    }
    const lists = [
      ['inputs', 'InputClaims', inputs, 'input lines'],
      ['params', 'InputParameters', params, 'param lines'],
      ['outputs', 'OutputClaims', outputs, 'output lines'],
    ] as const;
    for (const [setting, field, list, what] of lists) {
      const empty = none.get(setting);
      if (empty !== undefined && list.length > 0) this.report('CM6023', { name: setting, what }, empty.span);
      if (list.length > 0 || empty !== undefined) {
        (transformation as Record<string, unknown>)[field] = list;
        if (!this.locations.has(base + '/' + field)) this.at(base + '/' + field, empty?.span ?? block.span);
      }
    }
    this.transformations.push(transformation);
  }
}

function readTarget(read: Extract<ExprNode, { kind: 'read' }>): ReadTarget {
  const source = read.source.text.toLowerCase();
  const attribute = read.attribute.text;
  return { source, key: isExtensionName(attribute) ? attribute : canonicalAttributeId(source, attribute) };
}

function settingKey(setting: SettingNode): string {
  return setting.words.map((w) => w.text.toLowerCase()).join(' ');
}

function joinAll(spans: readonly Span[]): Span | undefined {
  if (spans.length === 0) return undefined;
  return { start: Math.min(...spans.map((s) => s.start)), end: Math.max(...spans.map((s) => s.end)) };
}

/** The key generated IDs start with: the JWT name, else the last segment of the SAML name, else `claim<n>`. */
function claimKey(statement: ClaimNode | InputNode, ordinal: number): string {
  if (statement.kind === 'claim' && statement.jwt !== undefined && statement.jwt.text !== '') return statement.jwt.text;
  const saml = statement.kind === 'claim' ? (statement.saml?.value.text ?? statement.clauses.find((c) => c.keyword === 'saml')?.value.text) : statement.clauses.find((c) => c.keyword === 'saml')?.value.text;
  const segment = saml?.split('/').filter((s) => s !== '').pop();
  return segment ?? `claim${ordinal}`;
}

/** The function name a method is written with: its canonical name with a lower-case first letter (`join`, `regexReplace`). */
export function functionName(method: string): string {
  return method.charAt(0).toLowerCase() + method.slice(1);
}
