import type { Diagnostic, DiagnosticDefinition, DiagnosticFix, RelatedLocation, Severity, Target } from './diagnostic.js';
import type { Location, Span } from '../span.js';
import { cliCodes } from './codes/cli.js';
import { inputCodes } from './codes/input.js';
import { structureCodes } from './codes/structure.js';
import { checkCodes } from './codes/check.js';
import { compileCodes } from './codes/compile.js';
import { languageCodes } from './codes/language.js';
import { snapshotCodes } from './codes/snapshot.js';
import { samlCodes } from './codes/saml.js';
import { tokenSizeCodes } from './codes/token-size.js';
import { envelopeCollectionCodes, tenantCodes } from './codes/tenant.js';

const all = [
  ...cliCodes,
  ...inputCodes,
  ...structureCodes,
  ...checkCodes,
  ...compileCodes,
  ...languageCodes,
  ...snapshotCodes,
  ...samlCodes,
  ...tokenSizeCodes,
  ...envelopeCollectionCodes,
  ...tenantCodes,
] as const;

/**
 * A code of the catalog: the union of every code file's codes, so a typo in a code fails to compile.
 *
 * @example
 * const code: DiagnosticCode = 'CM4001';
 */
export type DiagnosticCode = (typeof all)[number]['code'];

/** Every diagnostic claimc can report, keyed by its stable code. */
export const diagnosticCatalog: ReadonlyMap<string, DiagnosticDefinition> = buildCatalog(all as readonly DiagnosticDefinition[]);

function buildCatalog(defs: readonly DiagnosticDefinition[]): Map<string, DiagnosticDefinition> {
  const map = new Map<string, DiagnosticDefinition>();
  for (const def of defs) {
    if (!/^CM\d{4}$/.test(def.code)) throw new Error(`catalog: malformed code ${def.code}`);
    if (map.has(def.code)) throw new Error(`catalog: duplicate code ${def.code}`);
    map.set(def.code, def);
  }
  return map;
}

/** The arguments a message template takes. */
export type DiagnosticArgs = Readonly<Record<string, string | number>>;

export interface DiagnosticPlace {
  readonly span?: Span | undefined;
  readonly pointer?: string | undefined;
  readonly related?: readonly RelatedLocation[] | undefined;
  /** Overrides the catalog hint (e.g. a computed did-you-mean). */
  readonly hint?: string | undefined;
  /** A mechanical correction an editor can offer. */
  readonly fix?: DiagnosticFix | undefined;
}

function render(template: string, args: DiagnosticArgs): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = Object.hasOwn(args, key) ? args[key] : undefined;
    return v === undefined ? whole : escapeForDisplay(shortenForDisplay(String(v)));
  });
}

/** Longest argument a message or hint shows in full; a longer name or value keeps its start and end around `…`. */
export const maxDisplayedArgumentLength = 200;
const keptHead = 150;
const keptTail = 40;

/**
 * Shortens a value for a message: past {@link maxDisplayedArgumentLength} UTF-16 units it keeps the first 150 and the
 * last 40 around `…`, never splitting a surrogate pair, so a hostile 900 KB name costs a message of bounded size.
 *
 * @example
 * shortenForDisplay('x'.repeat(1000)).length // 191
 */
export function shortenForDisplay(text: string): string {
  if (text.length <= maxDisplayedArgumentLength) return text;
  let head = keptHead;
  if (isHigh(text.charCodeAt(head - 1))) head--;
  let tail = text.length - keptTail;
  if (isHigh(text.charCodeAt(tail - 1)) && isLow(text.charCodeAt(tail))) tail++;
  return text.slice(0, head) + '…' + text.slice(tail);
}

const isHigh = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** Escapes control, bidi and zero-width characters so that a message never carries them raw (threats P6, V4). */
export function escapeForDisplay(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) =>
    '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

/**
 * Creates a diagnostic from the catalog.
 *
 * @example
 * const d = createDiagnostic('CM4001', { name: 'iss' }, { span: { start: 10, end: 15 }, pointer: '/ClaimsSchema/0/JwtClaimType' });
 */
export function createDiagnostic(code: DiagnosticCode, args: DiagnosticArgs = {}, place: DiagnosticPlace = {}, target: Target = 'lenient'): Diagnostic {
  const def = diagnosticCatalog.get(code);
  // Unreachable for typed callers; kept for JavaScript callers of the published package.
  if (def === undefined) throw new Error(`createDiagnostic: unknown code ${code}`);
  const severity: Severity = target === 'entra' && def.entraSeverity !== undefined ? def.entraSeverity : def.severity;
  const hint = place.hint ?? (def.hint !== undefined ? render(def.hint, args) : undefined);
  return {
    code,
    severity,
    message: render(def.message, args),
    ...(place.span !== undefined ? { span: place.span } : {}),
    ...(place.pointer !== undefined ? { pointer: place.pointer } : {}),
    ...(place.related !== undefined && place.related.length > 0 ? { related: place.related } : {}),
    ...(hint !== undefined ? { hint } : {}),
    ...(place.fix !== undefined ? { fix: place.fix } : {}),
  };
}

/** Same as {@link createDiagnostic}, placed at a {@link Location}. */
export function diagnosticAt(code: DiagnosticCode, args: DiagnosticArgs, location: Location | undefined, target: Target = 'lenient', extra: Omit<DiagnosticPlace, 'span' | 'pointer'> = {}): Diagnostic {
  return createDiagnostic(code, args, { ...extra, span: location?.span, pointer: location?.pointer }, target);
}
