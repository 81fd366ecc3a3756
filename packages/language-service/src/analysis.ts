import type { Diagnostic, Location, Target } from '@claimc/model';
import { LineMap, sortDiagnostics } from '@claimc/model';
import { bindPolicy, checkPolicy } from '@claimc/compiler';
import type { BoundPolicy, TokenSizeApplication, TranslationResult } from '@claimc/compiler';
import { readPolicy } from '@claimc/syntax';
import type { PolicyReadResult } from '@claimc/syntax';

/** What a snapshot tells the editor: directory extensions users carry and, for one app, the settings that change tokens. */
export interface SnapshotKnowledge {
  /** `extension_<appId>_<name>` attributes seen on users or declared by applications. */
  readonly extensions: readonly string[];
  /** The configured application's optional claims, group claims and app roles (token-size bound). */
  readonly application?: TokenSizeApplication;
}

/** The checker options an editor session chooses; the same as `claimc check`'s flags. */
export interface ServiceSettings {
  readonly target: Target;
  readonly hasCustomSigningKey?: boolean;
  readonly verifiedDomains?: readonly string[];
  readonly knowledge?: SnapshotKnowledge;
}

/** The settings `claimc check` uses without flags. */
export const defaultSettings: ServiceSettings = { target: 'lenient' };

/** One policy text read, bound and checked: everything the language features need, computed once per text. */
export interface PolicyAnalysis {
  readonly fileName: string;
  readonly text: string;
  readonly lines: LineMap;
  readonly read: PolicyReadResult;
  /** Undefined when nothing could be read. */
  readonly bound: BoundPolicy | undefined;
  /** Sorted, exactly as `claimc check` reports them. */
  readonly diagnostics: readonly Diagnostic[];
}

/** A located model value: the canonical pointer, where it stands and how the file spells the pointer. */
export interface LocatedValue {
  readonly canonical: string;
  readonly location: Location;
}

/** True for file names the `.claims` front end reads. @example isClaimsFile('a.claims') // true */
export function isClaimsFile(fileName: string): boolean {
  return fileName.toLowerCase().endsWith('.claims');
}

/**
 * True when a text is worth checking as a policy: any `.claims` file, or JSON/PowerShell text with a
 * `ClaimsMappingPolicy` key (also escaped inside a definition string). An editor opens every JSON file; the
 * others get no diagnostics, and neither does a directory snapshot (its `claimsMappingPolicies` list holds policies).
 *
 * @example
 * looksLikePolicy('package.json', '{"name":"x"}') // false
 */
export function looksLikePolicy(fileName: string, text: string): boolean {
  return isClaimsFile(fileName) || (/\\?"claimsmappingpolicy\\?"\s*:/i.test(text) && !/"claimsmappingpolicies"\s*:/i.test(text));
}

/**
 * Reads, binds and checks a policy text: the pipeline of `claimc check`, with the same diagnostics in the same order.
 *
 * @example
 * const analysis = analyzePolicy('{"ClaimsMappingPolicy":{"Version":1}}', 'policy.json', defaultSettings);
 * analysis.diagnostics.length // 0
 */
export function analyzePolicy(text: string, fileName: string, settings: ServiceSettings = defaultSettings, regexTranslations?: Map<string, TranslationResult>): PolicyAnalysis {
  const read = readPolicy(text, { fileName, target: settings.target });
  const found: Diagnostic[] = [...read.diagnostics];
  let bound: BoundPolicy | undefined;
  if (read.policy !== undefined) {
    const bind = bindPolicy(read.policy, read.locations, { target: settings.target });
    bound = bind.bound;
    found.push(...bind.diagnostics);
    found.push(
      ...checkPolicy(bind.bound, {
        target: settings.target,
        ...(settings.hasCustomSigningKey !== undefined ? { hasCustomSigningKey: settings.hasCustomSigningKey } : {}),
        ...(settings.verifiedDomains !== undefined ? { verifiedDomains: settings.verifiedDomains } : {}),
        ...(settings.knowledge?.application !== undefined ? { application: settings.knowledge.application } : {}),
        ...(regexTranslations !== undefined ? { regexTranslations } : {}),
      }),
    );
  }
  return { fileName, text, lines: new LineMap(text), read, bound, diagnostics: sortDiagnostics(found) };
}

// Sorted once per analysis, and only when a feature asks (a keystroke needs diagnostics only).
const sortedValues = new WeakMap<PolicyAnalysis, readonly LocatedValue[]>();

/** Every located value of an analysis, smallest span first: what the cursor can stand on. */
export function locatedValues(analysis: PolicyAnalysis): readonly LocatedValue[] {
  const known = sortedValues.get(analysis);
  if (known !== undefined) return known;
  const located = [...analysis.read.locations]
    .filter(([canonical]) => canonical !== '' && !canonical.endsWith('#key'))
    .map(([canonical, location]) => ({ canonical, location }))
    .sort((a, b) => a.location.span.end - a.location.span.start - (b.location.span.end - b.location.span.start));
  sortedValues.set(analysis, located);
  return located;
}

/**
 * The innermost located values at an offset (end inclusive, so a cursor right after a value still counts), smallest first.
 *
 * @example
 * const [innermost] = valuesAt(analysis, 42);
 */
export function valuesAt(analysis: PolicyAnalysis, offset: number): LocatedValue[] {
  return locatedValues(analysis).filter((v) => v.location.span.start <= offset && offset <= v.location.span.end);
}

/**
 * Caches one analysis per document: a keystroke re-reads and re-checks the new text once, and every
 * feature asked about the same text reuses it; RegexReplace patterns are translated and compiled once per
 * document, not once per keystroke. The last readable analysis is kept for completion while the text is
 * momentarily broken.
 *
 * @example
 * const docs = new PolicyDocuments();
 * const analysis = docs.analyze('file:///p.claims', 'policy {}', 'p.claims');
 */
export class PolicyDocuments {
  private readonly current = new Map<string, PolicyAnalysis>();
  private readonly readable = new Map<string, PolicyAnalysis>();
  // A pattern's translation depends on the pattern alone; bounded so a long session does not grow without limit.
  private readonly translations = new Map<string, Map<string, TranslationResult>>();
  private settingsValue: ServiceSettings;

  constructor(settings: ServiceSettings = defaultSettings) {
    this.settingsValue = settings;
  }

  get settings(): ServiceSettings {
    return this.settingsValue;
  }

  /** New settings invalidate every cached analysis. */
  set settings(settings: ServiceSettings) {
    this.settingsValue = settings;
    this.current.clear();
    this.readable.clear();
  }

  analyze(uri: string, text: string, fileName: string): PolicyAnalysis {
    const cached = this.current.get(uri);
    if (cached !== undefined && cached.text === text && cached.fileName === fileName) return cached;
    let translations = this.translations.get(uri);
    if (translations === undefined || translations.size > 500) {
      translations = new Map();
      this.translations.set(uri, translations);
    }
    const analysis = analyzePolicy(text, fileName, this.settingsValue, translations);
    this.current.set(uri, analysis);
    if (analysis.read.policy !== undefined) this.readable.set(uri, analysis);
    return analysis;
  }

  /** The latest analysis whose text could be read (for completion inside a half-typed value). */
  lastReadable(uri: string): PolicyAnalysis | undefined {
    return this.readable.get(uri);
  }

  close(uri: string): void {
    this.current.delete(uri);
    this.readable.delete(uri);
    this.translations.delete(uri);
  }
}
