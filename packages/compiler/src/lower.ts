import type { Diagnostic, SourceAttribute, Target } from '@claimc/model';
import { basicClaims, diagnosticAt, findAttribute, jwtNameRestriction, limits, samlNameFormats, samlNameIdentifierClaim, samlNameRestriction, toPointer } from '@claimc/model';
import type { PlanArg, PlanReadSource, PlanSettings, PlanTemplatePart, PlanMethod } from '@claimc/runtime/internal';
import type { BoundEntry, BoundPolicy, BoundTransformation, DataSource } from './bind.js';
import type { IrBasic, IrEmit, IrNode, IrProgram } from './ir.js';
import { resolveTemplate } from './regex/index.js';

export interface LowerOptions {
  readonly target?: Target;
  /** The application has a custom signing key: the key-unlocked SAML names are allowed (§4). */
  readonly hasCustomSigningKey?: boolean;
}

const contextSource: Readonly<Record<DataSource, PlanReadSource>> = {
  user: 'user',
  application: 'client',
  resource: 'resource',
  audience: 'audience',
  company: 'tenant',
};

/** The two values an entry has: what a transformation input reads (every value), and what it emits (D12). */
interface EntryNodes {
  readonly raw: number;
  readonly emitted: number;
}

/**
 * Lowers a bound, checked policy to the IR: one node per distinct value, emissions per format in
 * document order with the reasons known at compile time (D7 limits, D6 restricted names, format
 * selection). Anything it cannot translate exactly is a CM5xxx error, never a guess.
 *
 * @example
 * const { program, diagnostics } = lowerPolicy(bound, { target: 'lenient' });
 */
export function lowerPolicy(bound: BoundPolicy, options: LowerOptions = {}): { program: IrProgram | undefined; diagnostics: Diagnostic[] } {
  return new Lowering(bound, options).run();
}

class Lowering {
  private readonly nodes: IrNode[] = [];
  private readonly owners: number[][] = [];
  private readonly transformationOf: number[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly entryNodes = new Map<number, EntryNodes>();
  private readonly transformationNodes = new Map<number, number>();
  private readonly inProgress = new Set<number>();
  private owner = -1;
  private currentTransformation = -1;
  private readonly target: Target;

  constructor(
    private readonly bound: BoundPolicy,
    private readonly options: LowerOptions,
  ) {
    this.target = options.target ?? 'lenient';
  }

  run(): { program: IrProgram | undefined; diagnostics: Diagnostic[] } {
    const settings = this.settings();
    const jwt: IrEmit[] = [];
    const saml: IrEmit[] = [];
    const allowKeyUnlocked = this.options.hasCustomSigningKey === true;
    for (const bound of this.bound.entries) {
      const { entry, index } = bound;
      const jwtName = entry.JwtClaimType;
      const samlName = entry.SamlClaimType;
      if (jwtName === undefined && samlName === undefined) continue;
      const value = bound.effective ? this.entryValue(index).emitted : undefined;
      if (jwtName === undefined) jwt.push({ entry: index, name: samlName as string, value: { absent: 'not-this-format' } });
      else if (value === undefined) jwt.push({ entry: index, name: jwtName, value: { absent: 'beyond-limit' } });
      else if (jwtNameRestriction(jwtName) !== undefined) jwt.push({ entry: index, name: jwtName, value: { absent: 'restricted' } });
      else jwt.push({ entry: index, name: jwtName, value });
      if (samlName === undefined) saml.push({ entry: index, name: jwtName as string, value: { absent: 'not-this-format' } });
      else if (value === undefined) saml.push({ entry: index, name: samlName, value: { absent: 'beyond-limit' } });
      else if (samlNameRestriction(samlName, allowKeyUnlocked) !== undefined) saml.push({ entry: index, name: samlName, value: { absent: 'restricted' } });
      else {
        const nameFormat = normalizeNameFormat(entry.SAMLNameForm);
        const isNameId = samlName.toLowerCase() === samlNameIdentifierClaim.toLowerCase();
        saml.push({
          entry: index,
          name: samlName,
          value,
          ...(nameFormat !== undefined && !isNameId ? { nameFormat } : {}),
          ...(isNameId ? { nameId: entry.samlNameIdFormat === undefined ? {} : { format: entry.samlNameIdFormat } } : {}),
        });
      }
    }
    this.owner = -1;
    const jwtBasic: IrBasic[] = [];
    const samlBasic: IrBasic[] = [];
    if (this.bound.includeBasicClaimSet) {
      for (const b of basicClaims) {
        const attribute = findAttribute(b.source, b.id);
        if (attribute === undefined) {
          this.error({ what: `basic claim ${b.name}`, reason: `unknown attribute user.${b.id}` }, undefined);
          continue;
        }
        const node = this.attributeNodes('user', attribute).emitted;
        if (b.format === 'jwt') jwtBasic.push({ name: b.name, versions: b.versions ?? [1, 2], node });
        else samlBasic.push({ name: b.name, versions: [1, 2], node });
      }
    }
    if (this.diagnostics.some((d) => d.severity === 'error')) return { program: undefined, diagnostics: this.diagnostics };
    return {
      program: {
        settings,
        allowKeyUnlockedSamlNames: allowKeyUnlocked,
        nodes: this.nodes,
        jwtBasic,
        samlBasic,
        jwt,
        saml,
        owners: this.owners,
        transformationOf: this.transformationOf,
      },
      diagnostics: this.diagnostics,
    };
  }

  private settings(): PlanSettings {
    const policy = this.bound.policy;
    const filter = policy.GroupFilter;
    let groupFilter: PlanSettings['groupFilter'];
    if (filter !== undefined) {
      const matchOn = filter.MatchOn.toLowerCase();
      const type = filter.Type.toLowerCase();
      if ((matchOn === 'displayname' || matchOn === 'samaccountname') && (type === 'prefix' || type === 'suffix' || type === 'contains')) groupFilter = { matchOn, type, value: filter.Value };
      else this.error({ what: 'GroupFilter', reason: `MatchOn "${filter.MatchOn}" / Type "${filter.Type}" is not a known combination` }, '/GroupFilter');
    }
    return {
      includeBasicClaimSet: this.bound.includeBasicClaimSet,
      issuerWithApplicationId: policy.issuerWithApplicationId ?? false,
      ...(policy.audienceOverride !== undefined ? { audienceOverride: policy.audienceOverride } : {}),
      ...(groupFilter !== undefined ? { groupFilter } : {}),
    };
  }

  private add(node: IrNode): number {
    this.nodes.push(node);
    this.owners.push(this.owner >= 0 ? [this.owner] : []);
    this.transformationOf.push(this.currentTransformation);
    return this.nodes.length - 1;
  }

  private error(args: { what: string; reason: string }, pointer: string | undefined): void {
    this.diagnostics.push(diagnosticAt('CM5002', args, pointer === undefined ? undefined : this.bound.locations.get(pointer), this.target));
  }

  private attributeNodes(source: DataSource, attribute: SourceAttribute): EntryNodes {
    const read = attribute.read;
    const raw = read.kind === 'graph' ? this.add({ op: 'read', source: contextSource[source], path: read.path }) : this.add({ op: 'derive', derivation: read.derivation });
    // D12: a multi-valued attribute documented as emitting one value emits its first value.
    const emitted = attribute.multiValued && !attribute.emitsAllValues ? this.add({ op: 'first', of: raw }) : raw;
    return { raw, emitted };
  }

  /** The nodes of a ClaimsSchema entry's value, lowered once. */
  private entryValue(index: number): EntryNodes {
    const known = this.entryNodes.get(index);
    if (known !== undefined) return known;
    const bound = this.bound.entries[index] as BoundEntry;
    const saved = this.owner;
    this.owner = index;
    let nodes: EntryNodes;
    if (!bound.effective) {
      // D7: an entry past the first 50 does not exist at run time, so a transformation reading it sees no value.
      const n = this.add({ op: 'absent', reason: 'beyond-limit' });
      nodes = { raw: n, emitted: n };
    } else {
      const value = bound.value;
      switch (value.kind) {
        case 'constant': {
          if (value.value.length > limits.valueLength) {
            this.diagnostics.push(diagnosticAt('CM5001', { index, length: value.value.length, limit: limits.valueLength }, this.bound.locations.get(toPointer(['ClaimsSchema', index, 'Value'])), this.target));
            const n = this.add({ op: 'absent', reason: 'value-too-long' });
            nodes = { raw: n, emitted: n };
          } else {
            const n = this.add({ op: 'const', value: value.value });
            nodes = { raw: n, emitted: n };
          }
          break;
        }
        case 'attribute':
          nodes = this.attributeNodes(value.source, value.attribute);
          break;
        case 'extension': {
          const n = this.add({ op: 'extension', name: value.name });
          nodes = { raw: n, emitted: n };
          break;
        }
        case 'transformation': {
          const n = this.transformationValue(value.transformation, value.output, index);
          nodes = { raw: n, emitted: n };
          break;
        }
        case 'unresolved': {
          this.error({ what: `ClaimsSchema entry ${index}`, reason: 'its value source is unresolved' }, toPointer(['ClaimsSchema', index]));
          const n = this.add({ op: 'absent', reason: 'invalid' });
          nodes = { raw: n, emitted: n };
          break;
        }
      }
    }
    this.owner = saved;
    this.entryNodes.set(index, nodes);
    return nodes;
  }

  private transformationValue(index: number, output: string, entry: number): number {
    const known = this.transformationNodes.get(index);
    if (known !== undefined) return known;
    const t = this.bound.transformations[index];
    const pointer = toPointer(['ClaimsTransformation', index]);
    if (t === undefined) {
      this.error({ what: `ClaimsSchema entry ${entry}`, reason: `transformation ${index} does not exist` }, toPointer(['ClaimsSchema', entry]));
      return this.add({ op: 'absent', reason: 'invalid' });
    }
    if (!t.effective) {
      const n = this.add({ op: 'absent', reason: 'beyond-limit' });
      this.transformationNodes.set(index, n);
      return n;
    }
    if (this.inProgress.has(index)) {
      this.error({ what: `transformation "${t.id}"`, reason: 'it feeds its own input (a cycle)' }, pointer);
      return this.add({ op: 'absent', reason: 'invalid' });
    }
    if (t.method === undefined) {
      this.error({ what: `transformation "${t.id}"`, reason: 'its method is unknown' }, pointer);
      return this.add({ op: 'absent', reason: 'invalid' });
    }
    if (!t.method.outputs.includes(output)) {
      this.error({ what: `transformation "${t.id}"`, reason: `${t.method.name} has no output "${output}"` }, pointer);
      return this.add({ op: 'absent', reason: 'invalid' });
    }
    this.inProgress.add(index);
    const savedTransformation = this.currentTransformation;
    const method = t.method.name;
    const node = method === 'RegexReplace' ? this.lowerRegex(t, pointer) : this.lowerCall(t, method, pointer);
    this.currentTransformation = savedTransformation;
    this.inProgress.delete(index);
    this.transformationNodes.set(index, node);
    return node;
  }

  private lowerCall(t: BoundTransformation, method: PlanMethod, pointer: string): number {
    const args: PlanArg[] = [];
    let multi: string | undefined;
    const seen = new Set<string>();
    for (const input of t.inputs) {
      if (seen.has(input.name)) {
        this.error({ what: `transformation "${t.id}"`, reason: `input ${input.name} is given twice` }, pointer);
        continue;
      }
      seen.add(input.name);
      const node = this.entryValue(input.entry).raw;
      args.push({ name: input.name, node });
      if (input.treatAsMultiValue) multi = input.name;
    }
    for (const p of t.parameters) {
      if (seen.has(p.name)) {
        this.error({ what: `transformation "${t.id}"`, reason: `${p.name} is given both as an input claim and a parameter, or twice` }, pointer);
        continue;
      }
      seen.add(p.name);
      args.push({ name: p.name, value: p.value });
    }
    this.currentTransformation = t.index;
    return this.add({ op: 'call', method, args, ...(multi !== undefined ? { multi } : {}) });
  }

  private lowerRegex(t: BoundTransformation, pointer: string): number {
    // Bind resolved the pattern and the template once; lowering copies that resolution.
    const resolved = t.regex;
    const source = t.inputs.find((i) => i.name === 'sourceClaim');
    if (resolved === undefined || resolved.replacement === undefined || source === undefined) {
      this.error({ what: `transformation "${t.id}"`, reason: 'RegexReplace needs the sourceClaim input and the regex and replacement parameters' }, pointer);
      return this.add({ op: 'absent', reason: 'invalid' });
    }
    const translated = resolved.translation;
    if (!translated.ok) {
      this.diagnostics.push(diagnosticAt('CM5003', { id: t.id, construct: translated.construct }, this.bound.locations.get(pointer), this.target));
      return this.add({ op: 'absent', reason: 'invalid' });
    }
    const extraInputs = t.inputs.filter((i) => i !== source);
    for (const extra of extraInputs) {
      if (extra.treatAsMultiValue) this.diagnostics.push(diagnosticAt('CM5005', { id: t.id, name: extra.name }, this.bound.locations.get(pointer), this.target));
    }
    const extras: number[] = [];
    const extraIndex = new Map<number, number>();
    const template: PlanTemplatePart[] = [];
    for (const ref of resolveTemplate(resolved.replacement.parts, translated.pattern, extraInputs.map((i) => i.name))) {
      if (ref.kind === 'text') {
        template.push({ kind: 'text', text: ref.text });
        continue;
      }
      if (ref.kind === 'group') {
        if (!ref.exists) this.diagnostics.push(diagnosticAt('CM5004', { id: t.id, ref: `{${ref.name}}` }, this.bound.locations.get(pointer), this.target));
        template.push({ kind: 'group', group: ref.group });
        continue;
      }
      if (ref.kind === 'unknown') {
        this.diagnostics.push(diagnosticAt('CM5004', { id: t.id, ref: `{${ref.name}}` }, this.bound.locations.get(pointer), this.target));
        continue;
      }
      const at = ref.input;
      let slot = extraIndex.get(at);
      if (slot === undefined) {
        slot = extras.length;
        extraIndex.set(at, slot);
        extras.push(this.entryValue((extraInputs[at] as (typeof extraInputs)[number]).entry).raw);
      }
      template.push({ kind: 'input', input: slot });
    }
    const of = this.entryValue(source.entry).raw;
    this.currentTransformation = t.index;
    return this.add({ op: 'regex', of, multi: source.treatAsMultiValue, pattern: translated.pattern.source, template, extras });
  }
}

/**
 * NameFormat as written, with the short words `unspecified`/`uri`/`basic` expanded to their URNs.
 *
 * @example
 * normalizeNameFormat('uri') // 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri'
 */
export function normalizeNameFormat(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  return lower === 'unspecified' || lower === 'uri' || lower === 'basic' ? samlNameFormats[lower] : value;
}
