import type { Diagnostic, DiagnosticFix, LineMap, Span } from '@claimc/model';
import type { CodeAction, Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, Position, Range, TextEdit } from 'vscode-languageserver-types';
import { CodeActionKind, DiagnosticSeverity } from 'vscode-languageserver-types';
import type { PolicyAnalysis } from './analysis.js';
import { isClaimsFile } from './analysis.js';

/** An offset as an LSP position (0-based line, UTF-16 character). @example positionAt(new LineMap('a\nb'), 2) // { line: 1, character: 0 } */
export function positionAt(lines: LineMap, offset: number): Position {
  const { line, column } = lines.position(offset);
  return { line: line - 1, character: column - 1 };
}

/** An LSP position as an offset into the text. @example offsetAt(new LineMap('a\nb'), { line: 1, character: 0 }) // 2 */
export function offsetAt(lines: LineMap, position: Position): number {
  return lines.lineStart(position.line + 1) + position.character;
}

/** A span as an LSP range. */
export function rangeOf(lines: LineMap, span: Span): Range {
  return { start: positionAt(lines, span.start), end: positionAt(lines, span.end) };
}

const severities = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** What an LSP diagnostic carries in `data`: the catalog fix, so a code action needs no second analysis. */
export interface DiagnosticData {
  readonly fix?: DiagnosticFix;
}

/**
 * The analysis's diagnostics for an editor: same code, range and order as `claimc check`; the hint is the
 * message's second line; related locations point into the same document.
 *
 * @example
 * const squiggles = toLspDiagnostics(analysis, 'file:///policy.json');
 */
export function toLspDiagnostics(analysis: PolicyAnalysis, uri: string): LspDiagnostic[] {
  return analysis.diagnostics.map((d) => toLspDiagnostic(analysis, uri, d));
}

function toLspDiagnostic(analysis: PolicyAnalysis, uri: string, d: Diagnostic): LspDiagnostic {
  const range = rangeOf(analysis.lines, d.span ?? { start: 0, end: 0 });
  const related: DiagnosticRelatedInformation[] = (d.related ?? []).map((r) => ({ location: { uri, range: rangeOf(analysis.lines, r.span) }, message: r.message }));
  const data: DiagnosticData = d.fix !== undefined ? { fix: d.fix } : {};
  return {
    range,
    severity: severities[d.severity],
    code: d.code,
    source: 'claimc',
    message: d.hint !== undefined ? `${d.message}\n${d.hint}` : d.message,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
    ...(d.fix !== undefined ? { data } : {}),
  };
}

// A value written by a fix must read the same in every envelope: no quotes, backslashes or white space to escape.
const plainValue = /^[A-Za-z0-9_.:/#@+-]+$/;

/**
 * The text edit that applies a catalog fix to this document, or undefined when the fix does not apply to
 * the text as written (the value is spelled differently, or would need escaping).
 *
 * @example
 * const edit = fixEdit(analysis, { kind: 'replace', title: 'Change to "objectid"', span, from: 'objected', to: 'objectid' });
 */
export function fixEdit(analysis: PolicyAnalysis, fix: DiagnosticFix): TextEdit | undefined {
  const text = analysis.text;
  const slice = text.slice(fix.span.start, fix.span.end);
  if (fix.kind === 'replace') {
    if (!plainValue.test(fix.to)) return undefined;
    const at = slice.indexOf(fix.from);
    if (at < 0 || fix.from === '') return undefined;
    const start = fix.span.start + at;
    return { range: rangeOf(analysis.lines, { start, end: start + fix.from.length }), newText: fix.to };
  }
  if (isClaimsFile(analysis.fileName) || !plainValue.test(fix.value) || !plainValue.test(fix.property)) return undefined;
  // The quote as the envelope writes it: `"` in raw JSON and PowerShell, `\"` inside a Graph body's definition string.
  const quote = /^(\\*")/.exec(slice)?.[1];
  if (quote === undefined) return undefined;
  const insertion = `, ${quote}${fix.property}${quote}: ${quote}${fix.value}${quote}`;
  const end = rangeOf(analysis.lines, { start: fix.span.end, end: fix.span.end });
  return { range: end, newText: insertion };
}

/**
 * Quick fixes for the diagnostics in a range: one code action per diagnostic whose fix applies.
 *
 * @example
 * const actions = quickFixes(analysis, 'file:///policy.json', { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } });
 */
export function quickFixes(analysis: PolicyAnalysis, uri: string, range: Range): CodeAction[] {
  const from = offsetAt(analysis.lines, range.start);
  const to = offsetAt(analysis.lines, range.end);
  const actions: CodeAction[] = [];
  for (const d of analysis.diagnostics) {
    if (d.fix === undefined) continue;
    const span = d.span ?? { start: 0, end: 0 };
    if (span.end < from || span.start > to) continue;
    const edit = fixEdit(analysis, d.fix);
    if (edit === undefined) continue;
    actions.push({
      title: d.fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [toLspDiagnostic(analysis, uri, d)],
      isPreferred: true,
      edit: { changes: { [uri]: [edit] } },
    });
  }
  return actions;
}
