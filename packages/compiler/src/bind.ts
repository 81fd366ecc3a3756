import type { DiagnosticCode } from '@claimc/model';
import { parseReplacementTemplate, translateDotNetPattern } from './regex/index.js';
import type { TemplatePart, TranslationResult } from './regex/index.js';
import type {
  ClaimsMappingPolicy,
  ClaimsSchemaEntry,
  ClaimsTransformation,
  Diagnostic,
  DiagnosticPlace,
  LocationIndex,
  MethodSignature,
  SourceAttribute,
  Target,
} from '@claimc/model';
import {
  attributesOf,
  diagnosticAt,
  extensionIdPattern,
  findAttribute,
  findMethod,
  canonicalInputName,
  canonicalOutputName,
  historicalMisspellings,
  isPrototypeKey,
  limits,
  methodSignatures,
  sourceNames,
  suggest,
} from '@claimc/model';
import { didYouMean, locate, ptr, relatedAt } from './check/locate.js';

export interface BindOptions {
  readonly target?: Target;
}

/** The data sources an attribute can be read from (every Source except `transformation`). */
export type DataSource = 'user' | 'application' | 'resource' | 'audience' | 'company';

/** What a ClaimsSchema entry reads. */
export type BoundValue =
  | { readonly kind: 'constant'; readonly value: string }
  | { readonly kind: 'attribute'; readonly source: DataSource; readonly attribute: SourceAttribute }
  /** A directory extension on the user; the name keeps its case (EXT: read case-sensitively). */
  | { readonly kind: 'extension'; readonly name: string }
  /** `transformation` indexes {@link BoundPolicy.transformations}; `output` is the canonical output name. */
  | { readonly kind: 'transformation'; readonly transformation: number; readonly output: string }
  /** The entry yields no value: an error was reported (or CM3022, an output nothing delivers). */
  | { readonly kind: 'unresolved' };

export interface BoundEntry {
  /** Position in `policy.ClaimsSchema`. */
  readonly index: number;
  readonly entry: ClaimsSchemaEntry;
  /** Within the first `limits.claimsSchemaEntries` (D7). */
  readonly effective: boolean;
  readonly value: BoundValue;
}

export interface BoundTransformation {
  readonly index: number;
  readonly id: string;
  /** Undefined: the method is unknown and an error was reported. */
  readonly method: MethodSignature | undefined;
  /** Within the first `limits.transformations` (D7). */
  readonly effective: boolean;
  /** `name`: canonical TransformationClaimType (or the extra name for RegexReplace); `entry`: the ClaimsSchema entry read. */
  readonly inputs: readonly { readonly name: string; readonly entry: number; readonly treatAsMultiValue: boolean }[];
  readonly parameters: readonly { readonly name: string; readonly value: string }[];
  /** `entry`: the ClaimsSchema entry the output is delivered to. */
  readonly outputs: readonly { readonly name: string; readonly entry: number }[];
  /** RegexReplace with a `regex` parameter: the pattern and template resolved once, for the checker to report from and the lowerer to copy. */
  readonly regex?: BoundRegex;
}

/**
 * A RegexReplace resolved once by bind: the pattern's translation to the linear-time engine (shared by equal
 * patterns within the policy) and the parsed replacement template.
 *
 * @example
 * bound.transformations[0]?.regex?.translation.ok // true when the pattern runs on re2js
 */
export interface BoundRegex {
  /** The pattern as written. */
  readonly pattern: string;
  readonly translation: TranslationResult;
  /** The `replacement` parameter and its parts (text and `{name}` / `$n` references with their offsets); undefined when absent. */
  readonly replacement: { readonly text: string; readonly parts: readonly TemplatePart[] } | undefined;
}

export interface BoundPolicy {
  readonly policy: ClaimsMappingPolicy;
  readonly locations: LocationIndex;
  /** `IncludeBasicClaimSet`, true when absent. */
  readonly includeBasicClaimSet: boolean;
  /** Document order; one per `policy.ClaimsSchema` item. */
  readonly entries: readonly BoundEntry[];
  /** One per `policy.ClaimsTransformation` item. */
  readonly transformations: readonly BoundTransformation[];
}

const dataSources: ReadonlySet<string> = new Set<DataSource>(['user', 'application', 'resource', 'audience', 'company']);

/**
 * The name InputClaims use to reach an entry, lower-cased (D1): its `ID`, or, for a directory extension
 * read without an `ID`, its `ExtensionID` (extensions are referenced by their full name).
 *
 * @example
 * referenceKey({ Source: 'user', ExtensionID: 'extension_0123456789abcdef0123456789abcdef_skype' }) // 'extension_0123456789abcdef0123456789abcdef_skype'
 */
export function referenceKey(entry: ClaimsSchemaEntry): string | undefined {
  return (entry.ID ?? entry.ExtensionID)?.toLowerCase();
}

/**
 * Resolves every name of a policy (D8): what each ClaimsSchema entry reads, which transformation and
 * method each reference names, which entry each InputClaims/OutputClaims item joins (case-insensitively, D1).
 * Reference problems are diagnostics (CM30xx); the bound policy is always complete, with `unresolved` values
 * where resolution failed.
 *
 * @example
 * const { policy, locations } = readPolicy(text);
 * const { bound, diagnostics } = bindPolicy(policy!, locations, { target: 'entra' });
 * bound.entries[0]?.value // { kind: 'attribute', source: 'user', attribute: { id: 'employeeid', … } }
 */
export function bindPolicy(policy: ClaimsMappingPolicy, locations: LocationIndex, options: BindOptions = {}): { bound: BoundPolicy; diagnostics: Diagnostic[] } {
  const binder = new Binder(policy, locations, options.target ?? 'lenient');
  return binder.run();
}

class Binder {
  readonly diagnostics: Diagnostic[] = [];
  private readonly schema: readonly ClaimsSchemaEntry[];
  private readonly transformationList: readonly ClaimsTransformation[];
  /** Lower-cased transformation ID → first index (D1). */
  private readonly transformationById = new Map<string, number>();
  /** Lower-cased ClaimsSchema ID → indexes in document order (D1). */
  private readonly entriesById = new Map<string, number[]>();
  /** Pattern → translation, per bind call (never module state). */
  private readonly regexTranslations = new Map<string, TranslationResult>();

  constructor(
    private readonly policy: ClaimsMappingPolicy,
    private readonly locations: LocationIndex,
    private readonly target: Target,
  ) {
    this.schema = policy.ClaimsSchema ?? [];
    this.transformationList = policy.ClaimsTransformation ?? [];
  }

  run(): { bound: BoundPolicy; diagnostics: Diagnostic[] } {
    this.indexTransformations();
    this.schema.forEach((entry, index) => {
      const key = referenceKey(entry);
      if (key === undefined) return;
      const list = this.entriesById.get(key);
      if (list === undefined) this.entriesById.set(key, [index]);
      else list.push(index);
    });
    const entries = this.schema.map((entry, index): BoundEntry => ({
      index,
      entry,
      effective: index < limits.claimsSchemaEntries,
      value: this.bindEntry(entry, index),
    }));
    const transformations = this.transformationList.map((t, index) => this.bindTransformation(t, index, entries));
    const bound: BoundPolicy = {
      policy: this.policy,
      locations: this.locations,
      includeBasicClaimSet: this.policy.IncludeBasicClaimSet ?? true,
      entries,
      transformations,
    };
    return { bound, diagnostics: this.diagnostics };
  }

  private report(code: DiagnosticCode, args: Record<string, string | number>, pointers: readonly string[], extra: Pick<DiagnosticPlace, 'hint' | 'related' | 'fix'> = {}): void {
    this.diagnostics.push(diagnosticAt(code, args, locate(this.locations, ...pointers), this.target, extra));
  }

  /** A did-you-mean hint with the matching quick fix: replace the value at the pointer by the guess. */
  private didYouMean(pointer: string, from: string, guess: string | undefined, hint?: string): Pick<DiagnosticPlace, 'hint' | 'fix'> {
    return didYouMean(this.locations.get(pointer), from, guess, hint);
  }


  private indexTransformations(): void {
    this.transformationList.forEach((t, index) => {
      const idPointers = (): string[] => [ptr('ClaimsTransformation', index, 'ID'), ptr('ClaimsTransformation', index)];
      if (isPrototypeKey(t.ID)) this.report('CM3020', { name: t.ID, what: 'a transformation ID' }, idPointers());
      const key = t.ID.toLowerCase();
      const first = this.transformationById.get(key);
      if (first === undefined) {
        this.transformationById.set(key, index);
        return;
      }
      this.report('CM3013', { id: t.ID }, idPointers(), {
        related: relatedAt(locate(this.locations, ptr('ClaimsTransformation', first, 'ID')), 'first defined here'),
      });
    });
  }

  private bindEntry(entry: ClaimsSchemaEntry, index: number): BoundValue {
    const at = (field: string): string[] => [ptr('ClaimsSchema', index, field), ptr('ClaimsSchema', index)];
    if (entry.ID !== undefined && isPrototypeKey(entry.ID)) {
      this.report('CM3020', { name: entry.ID, what: 'a ClaimsSchema ID' }, at('ID'));
      return { kind: 'unresolved' };
    }
    if (entry.Value !== undefined) {
      const others = [entry.Source !== undefined ? 'Source' : '', entry.ID !== undefined ? 'ID' : '', entry.ExtensionID !== undefined ? 'ExtensionID' : '']
        .filter((s) => s !== '')
        .join('/');
      if (others !== '') this.report('CM3021', { other: others }, [ptr('ClaimsSchema', index, 'Value') + '#key', ...at('Value')]);
      return { kind: 'constant', value: entry.Value };
    }
    const source = entry.Source?.toLowerCase();
    if (source === undefined) return this.bindSourceless(entry, index);
    if (entry.TransformationId !== undefined && source !== 'transformation') {
      this.report('CM3012', { id: entry.TransformationId, source: entry.Source ?? '' }, at('TransformationId'));
    }
    if (source === 'transformation') return this.bindTransformationEntry(entry, index);
    if (!dataSources.has(source)) {
      this.report('CM3002', { source: entry.Source ?? '' }, at('Source'), this.didYouMean(ptr('ClaimsSchema', index, 'Source'), entry.Source ?? '', suggest(source, sourceNames)));
      return { kind: 'unresolved' };
    }
    if (entry.ExtensionID !== undefined) return this.bindExtension(entry, index, source);
    if (entry.ID === undefined) {
      this.report('CM3004', { source }, [ptr('ClaimsSchema', index, 'Source'), ptr('ClaimsSchema', index)]);
      return { kind: 'unresolved' };
    }
    if (entry.ID.toLowerCase().startsWith('extension_')) {
      this.report('CM3006', { id: entry.ID }, at('ID'), this.renameKey(index, 'ID', 'ExtensionID'));
      return { kind: 'unresolved' };
    }
    const attribute = findAttribute(source, entry.ID);
    if (attribute === undefined) {
      const known = (attributesOf(source) ?? []).map((a) => a.id);
      const lower = entry.ID.toLowerCase();
      const historical = Object.hasOwn(historicalMisspellings, lower) ? historicalMisspellings[lower] : undefined;
      const sameSource = historical ?? suggest(entry.ID, known);
      const guess = sameSource ?? this.otherSourceFor(entry.ID);
      this.report(
        'CM3003',
        { source, id: entry.ID },
        at('ID'),
        sameSource !== undefined ? this.didYouMean(ptr('ClaimsSchema', index, 'ID'), entry.ID, sameSource, `Did you mean ${sameSource}?`) : guess === undefined ? {} : { hint: `Did you mean ${guess}?` },
      );
      return { kind: 'unresolved' };
    }
    if (attribute.undocumented === true) this.report('CM3026', { source, id: attribute.id }, at('ID'));
    return { kind: 'attribute', source: source as DataSource, attribute };
  }

  /** CM3006's fix: the property name, as the file spells it (the key's pointer ends with it), becomes `to`. */
  private renameKey(index: number, from: string, to: string): Pick<DiagnosticPlace, 'fix'> {
    const key = this.locations.get(ptr('ClaimsSchema', index, from) + '#key');
    if (key === undefined) return {};
    const written = key.pointer.slice(key.pointer.lastIndexOf('/') + 1).replace(/#key$/, '');
    return { fix: { kind: 'replace', title: `Write it as "${to}"`, span: key.span, from: written, to } };
  }

  /** CM3005's fix: `"Source": "user"` after the value that has no source. */
  private addSource(index: number, field: string): Pick<DiagnosticPlace, 'fix'> {
    const value = this.locations.get(ptr('ClaimsSchema', index, field));
    return value === undefined ? {} : { fix: { kind: 'add-property', title: 'Add "Source": "user"', span: value.span, property: 'Source', value: 'user' } };
  }

  /** The transformation a `Source "transformation"` entry most likely means: the one that outputs its ID, else the only one. */
  private transformationFor(entry: ClaimsSchemaEntry): string | undefined {
    const id = entry.ID?.toLowerCase();
    const producing = this.transformationList.filter((t) => id !== undefined && (t.OutputClaims ?? []).some((o) => o.ClaimTypeReferenceId.toLowerCase() === id));
    if (producing.length === 1) return producing[0]?.ID;
    return this.transformationList.length === 1 ? this.transformationList[0]?.ID : undefined;
  }

  /** A did-you-mean across sources: `tenantcountry` under user → `Source "company"`. */
  private otherSourceFor(id: string): string | undefined {
    for (const s of ['user', 'application', 'company'] as const) {
      const found = findAttribute(s, id);
      if (found !== undefined) return `"${found.id}" with Source "${s}"`;
    }
    return undefined;
  }

  private bindSourceless(entry: ClaimsSchemaEntry, index: number): BoundValue {
    const entryPointer = ptr('ClaimsSchema', index);
    if (entry.ID !== undefined) {
      if (entry.ID.toLowerCase().startsWith('extension_')) this.report('CM3006', { id: entry.ID }, [ptr('ClaimsSchema', index, 'ID'), entryPointer], this.renameKey(index, 'ID', 'ExtensionID'));
      else this.report('CM3005', { id: entry.ID }, [ptr('ClaimsSchema', index, 'ID'), entryPointer], this.addSource(index, 'ID'));
    } else if (entry.ExtensionID !== undefined) {
      this.report('CM3005', { id: entry.ExtensionID }, [ptr('ClaimsSchema', index, 'ExtensionID'), entryPointer], this.addSource(index, 'ExtensionID'));
    } else if (entry.TransformationId !== undefined) {
      this.report('CM3012', { id: entry.TransformationId, source: '(none)' }, [ptr('ClaimsSchema', index, 'TransformationId'), entryPointer]);
    } else {
      this.report('CM3001', { index }, [entryPointer]);
    }
    return { kind: 'unresolved' };
  }

  private bindExtension(entry: ClaimsSchemaEntry, index: number, source: string): BoundValue {
    const name = entry.ExtensionID ?? '';
    let ok = true;
    if (entry.ID !== undefined) {
      this.report('CM3009', { id: entry.ID, extension: name }, [ptr('ClaimsSchema', index, 'ID'), ptr('ClaimsSchema', index)]);
      ok = false;
    }
    if (source !== 'user') {
      this.report('CM3008', { source }, [ptr('ClaimsSchema', index, 'Source'), ptr('ClaimsSchema', index)]);
      ok = false;
    }
    if (!extensionIdPattern.test(name)) {
      this.report('CM3007', { id: name }, [ptr('ClaimsSchema', index, 'ExtensionID'), ptr('ClaimsSchema', index)]);
      ok = false;
    }
    return ok ? { kind: 'extension', name } : { kind: 'unresolved' };
  }

  private bindTransformationEntry(entry: ClaimsSchemaEntry, index: number): BoundValue {
    if (entry.TransformationId === undefined) {
      const candidate = this.transformationFor(entry);
      const sourceAt = this.locations.get(ptr('ClaimsSchema', index, 'Source'));
      this.report('CM3010', {}, [ptr('ClaimsSchema', index, 'Source'), ptr('ClaimsSchema', index)], candidate === undefined || sourceAt === undefined ? {} : {
        hint: `Add "TransformationId": "${candidate}".`,
        fix: { kind: 'add-property', title: `Add "TransformationId": "${candidate}"`, span: sourceAt.span, property: 'TransformationId', value: candidate },
      });
      return { kind: 'unresolved' };
    }
    const transformation = this.transformationById.get(entry.TransformationId.toLowerCase());
    if (transformation === undefined) {
      const guess = suggest(entry.TransformationId, this.transformationList.map((t) => t.ID));
      this.report('CM3011', { id: entry.TransformationId }, [ptr('ClaimsSchema', index, 'TransformationId'), ptr('ClaimsSchema', index)], this.didYouMean(ptr('ClaimsSchema', index, 'TransformationId'), entry.TransformationId, guess));
      return { kind: 'unresolved' };
    }
    if (entry.ID === undefined) {
      this.report('CM3004', { source: 'transformation' }, [ptr('ClaimsSchema', index, 'Source'), ptr('ClaimsSchema', index)]);
      return { kind: 'unresolved' };
    }
    const t = this.transformationList[transformation];
    const id = entry.ID.toLowerCase();
    const output = t?.OutputClaims?.find((o) => o.ClaimTypeReferenceId.toLowerCase() === id);
    if (t === undefined || output === undefined) {
      this.report('CM3022', { id: entry.ID, transformation: t?.ID ?? entry.TransformationId }, [ptr('ClaimsSchema', index, 'TransformationId'), ptr('ClaimsSchema', index)], {
        related: relatedAt(locate(this.locations, ptr('ClaimsTransformation', transformation, 'OutputClaims'), ptr('ClaimsTransformation', transformation)), 'the transformation\'s outputs'),
      });
      return { kind: 'unresolved' };
    }
    return { kind: 'transformation', transformation, output: canonicalOutputName(findMethod(t.TransformationMethod), output.TransformationClaimType) };
  }

  private bindTransformation(t: ClaimsTransformation, index: number, entries: readonly BoundEntry[]): BoundTransformation {
    const base = (...rest: (string | number)[]): string => ptr('ClaimsTransformation', index, ...rest);
    const method = findMethod(t.TransformationMethod);
    if (method === undefined) {
      const guess = suggest(t.TransformationMethod, methodSignatures.map((m) => m.name));
      this.report('CM3019', { method: t.TransformationMethod }, [base('TransformationMethod'), base()], this.didYouMean(base('TransformationMethod'), t.TransformationMethod, guess));
    }
    const inputs: { name: string; entry: number; treatAsMultiValue: boolean }[] = [];
    (t.InputClaims ?? []).forEach((claim, k) => {
      const ref = claim.ClaimTypeReferenceId;
      const refPointers = (): string[] => [base('InputClaims', k, 'ClaimTypeReferenceId'), base('InputClaims', k)];
      if (isPrototypeKey(ref)) {
        this.report('CM3020', { name: ref, what: 'a ClaimTypeReferenceId' }, refPointers());
        return;
      }
      const matches = this.entriesById.get(ref.toLowerCase());
      const first = matches?.[0];
      if (matches === undefined || first === undefined) {
        const guess = suggest(ref, this.schema.flatMap((e) => e.ID ?? e.ExtensionID ?? []));
        this.report('CM3014', { id: ref }, refPointers(), this.didYouMean(base('InputClaims', k, 'ClaimTypeReferenceId'), ref, guess));
        return;
      }
      if (matches.length > 1 && new Set(matches.map((m) => valueKey(entries[m]?.value))).size > 1) {
        this.report('CM3025', { id: ref, count: matches.length }, refPointers(), {
          related: matches.slice(1).flatMap((m) => relatedAt(locate(this.locations, ptr('ClaimsSchema', m, 'ID'), ptr('ClaimsSchema', m)), 'also matches')),
        });
      }
      if (isPrototypeKey(claim.TransformationClaimType)) {
        this.report('CM3020', { name: claim.TransformationClaimType, what: 'a TransformationClaimType' }, [base('InputClaims', k, 'TransformationClaimType'), base('InputClaims', k)]);
        return;
      }
      inputs.push({ name: canonicalInputName(method, claim.TransformationClaimType), entry: first, treatAsMultiValue: claim.TreatAsMultiValue === true });
    });
    const parameters: { name: string; value: string }[] = [];
    (t.InputParameters ?? []).forEach((p, k) => {
      if (isPrototypeKey(p.ID)) {
        this.report('CM3020', { name: p.ID, what: 'a parameter ID' }, [base('InputParameters', k, 'ID'), base('InputParameters', k)]);
        return;
      }
      parameters.push({ name: canonicalInputName(method, p.ID), value: p.Value });
    });
    const outputs: { name: string; entry: number }[] = [];
    (t.OutputClaims ?? []).forEach((o, k) => {
      const ref = o.ClaimTypeReferenceId;
      const refPointers = (): string[] => [base('OutputClaims', k, 'ClaimTypeReferenceId'), base('OutputClaims', k)];
      if (isPrototypeKey(ref)) {
        this.report('CM3020', { name: ref, what: 'a ClaimTypeReferenceId' }, refPointers());
        return;
      }
      const matches = this.entriesById.get(ref.toLowerCase()) ?? [];
      if (matches.length === 0) {
        this.report('CM3015', { id: ref, transformation: t.ID }, refPointers());
        return;
      }
      const ownKey = t.ID.toLowerCase();
      const target = matches.find((m) => {
        const e = this.schema[m];
        return e?.Source?.toLowerCase() === 'transformation' && e.TransformationId?.toLowerCase() === ownKey;
      });
      if (target !== undefined) {
        outputs.push({ name: canonicalOutputName(method, o.TransformationClaimType), entry: target });
        return;
      }
      const firstMatch = matches[0] ?? 0;
      const entry = this.schema[firstMatch];
      const related = relatedAt(locate(this.locations, ptr('ClaimsSchema', firstMatch, 'Source'), ptr('ClaimsSchema', firstMatch)), 'the entry');
      if (entry?.Source?.toLowerCase() !== 'transformation') {
        this.report('CM3016', { id: ref, source: entry?.Source ?? '(none)', transformation: t.ID }, refPointers(), { related });
      } else {
        this.report('CM3017', { id: ref, other: entry.TransformationId ?? '(none)', transformation: t.ID }, refPointers(), { related });
      }
    });
    const regex = method?.name === 'RegexReplace' ? this.resolveRegex(parameters) : undefined;
    return { index, id: t.ID, method, effective: index < limits.transformations, inputs, parameters, outputs, ...(regex !== undefined ? { regex } : {}) };
  }

  /** Translates the pattern (once per distinct pattern: re2js compilation dominates) and parses the template. */
  private resolveRegex(parameters: readonly { readonly name: string; readonly value: string }[]): BoundRegex | undefined {
    const pattern = parameters.find((p) => p.name === 'regex')?.value;
    if (pattern === undefined) return undefined;
    let translation = this.regexTranslations.get(pattern);
    if (translation === undefined) {
      translation = translateDotNetPattern(pattern);
      this.regexTranslations.set(pattern, translation);
    }
    const text = parameters.find((p) => p.name === 'replacement')?.value;
    return { pattern, translation, replacement: text === undefined ? undefined : { text, parts: parseReplacementTemplate(text) } };
  }
}

/** Identity of what an entry reads, to tell whether same-ID entries read the same thing. */
function valueKey(value: BoundValue | undefined): string {
  switch (value?.kind) {
    case 'constant':
      return 'c:' + value.value;
    case 'attribute':
      return `a:${value.source}:${value.attribute.id}`;
    case 'extension':
      return 'e:' + value.name;
    case 'transformation':
      return `t:${value.transformation}:${value.output}`;
    default:
      return 'u';
  }
}
