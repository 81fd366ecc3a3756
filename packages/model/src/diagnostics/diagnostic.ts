import type { Span } from '../span.js';

export type Severity = 'error' | 'warning' | 'info';

/** Strict mode turns extensions and leniencies into errors (docs/semantics.md). */
export type Target = 'lenient' | 'entra';

/** One entry of the diagnostic catalog. Codes are stable and never reused. */
export interface DiagnosticDefinition {
  readonly code: string;
  readonly severity: Severity;
  /** Severity under `--target entra`, when it differs. */
  readonly entraSeverity?: Severity;
  /** Message template; `{name}` placeholders are filled from the arguments. */
  readonly message: string;
  /** Optional hint template, same placeholders. */
  readonly hint?: string;
  /** One line for docs/diagnostics.md: why this matters, which decision or doc section. */
  readonly why: string;
}

/**
 * A mechanical correction an editor can apply. Fixes name values, not text: the editor finds `from` inside
 * `span` (in whatever quoting the envelope uses) and writes `to`, or adds a property after the value at `span`.
 *
 * @example
 * const fix: DiagnosticFix = { kind: 'replace', title: 'Change to "objectid"', span: { start: 40, end: 50 }, from: 'objected', to: 'objectid' };
 */
export type DiagnosticFix =
  | { readonly kind: 'replace'; readonly title: string; readonly span: Span; readonly from: string; readonly to: string }
  | { readonly kind: 'add-property'; readonly title: string; readonly span: Span; readonly property: string; readonly value: string };

export interface RelatedLocation {
  readonly span: Span;
  readonly pointer?: string;
  readonly message: string;
}

/** A user-facing problem: data, never an exception. */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Undefined only for whole-file problems. */
  readonly span?: Span;
  /** JSON Pointer into the policy object, spelled as in the file. */
  readonly pointer?: string;
  readonly related?: readonly RelatedLocation[];
  readonly hint?: string;
  /** A mechanical correction, when the hint has one. */
  readonly fix?: DiagnosticFix;
}

/** True when any diagnostic is an error. @example hasErrors([]) // false */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts diagnostics deterministically: by offset, then code. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => (a.span?.start ?? -1) - (b.span?.start ?? -1) || (a.span?.end ?? -1) - (b.span?.end ?? -1) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/**
 * Drops every diagnostic identical to an earlier one (code, severity, message, span, pointer, hint, related), keeping
 * order, so a problem found on two paths is reported once. Linear: one key per diagnostic in a set.
 *
 * @example
 * uniqueDiagnostics([d, d]).length // 1
 */
export function uniqueDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = JSON.stringify([d.code, d.severity, d.message, d.span?.start, d.span?.end, d.pointer, d.hint, d.related]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
