import type { Span } from '@claimc/model';
import { formatClaims } from '@claimc/syntax';
import type { Location, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { PolicyAnalysis } from './analysis.js';
import { isClaimsFile } from './analysis.js';
import { offsetAt, rangeOf } from './diagnostics.js';

/** A transformation ID or a ClaimsSchema ID where it is written: defined (`ID` of the transformation / entry) or referenced. */
export interface PolicySymbol {
  readonly kind: 'transformation' | 'schema';
  /** Lower-cased: references match case-insensitively. */
  readonly key: string;
  readonly name: string;
  readonly definition: boolean;
  /** The span of the name itself inside the file (quotes and escapes excluded). */
  readonly span: Span;
}

/** The span of `value` as written inside a located span, or undefined when the file spells it otherwise (generated IDs, escapes). */
function literalSpan(text: string, span: Span, value: string): Span | undefined {
  const at = text.slice(span.start, span.end).indexOf(value);
  return at < 0 || value === '' ? undefined : { start: span.start + at, end: span.start + at + value.length };
}

/**
 * Every transformation ID and ClaimsSchema ID of the policy, where it is defined and where it is referenced
 * (TransformationId; InputClaims/OutputClaims ClaimTypeReferenceId), in document order.
 *
 * @example
 * const symbols = policySymbols(analysis).filter((s) => s.kind === 'transformation');
 */
export function policySymbols(analysis: PolicyAnalysis): PolicySymbol[] {
  const policy = analysis.read.policy;
  if (policy === undefined) return [];
  const out: PolicySymbol[] = [];
  const add = (kind: PolicySymbol['kind'], canonical: string, name: string | undefined, definition: boolean): void => {
    const at = name === undefined ? undefined : analysis.read.locations.get(canonical);
    const span = at === undefined || name === undefined ? undefined : literalSpan(analysis.text, at.span, name);
    if (span !== undefined && name !== undefined) out.push({ kind, key: name.toLowerCase(), name, definition, span });
  };
  (policy.ClaimsSchema ?? []).forEach((e, i) => {
    add('schema', `/ClaimsSchema/${i}/ID`, e.ID, true);
    if (e.ID === undefined) add('schema', `/ClaimsSchema/${i}/ExtensionID`, e.ExtensionID, true);
    add('transformation', `/ClaimsSchema/${i}/TransformationId`, e.TransformationId, false);
  });
  (policy.ClaimsTransformation ?? []).forEach((t, i) => {
    add('transformation', `/ClaimsTransformation/${i}/ID`, t.ID, true);
    (t.InputClaims ?? []).forEach((c, k) => add('schema', `/ClaimsTransformation/${i}/InputClaims/${k}/ClaimTypeReferenceId`, c.ClaimTypeReferenceId, false));
    (t.OutputClaims ?? []).forEach((c, k) => add('schema', `/ClaimsTransformation/${i}/OutputClaims/${k}/ClaimTypeReferenceId`, c.ClaimTypeReferenceId, false));
  });
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** The symbol under the cursor (end inclusive). */
export function symbolAt(analysis: PolicyAnalysis, position: Position): PolicySymbol | undefined {
  const offset = offsetAt(analysis.lines, position);
  return policySymbols(analysis).find((s) => s.span.start <= offset && offset <= s.span.end);
}

const sameSymbol = (a: PolicySymbol) => (b: PolicySymbol): boolean => a.kind === b.kind && a.key === b.key;

/**
 * Where the transformation or ClaimsSchema ID under the cursor is defined (several places when IDs repeat).
 *
 * @example
 * const [target] = definitionAt(analysis, 'file:///p.json', { line: 9, character: 30 });
 */
export function definitionAt(analysis: PolicyAnalysis, uri: string, position: Position): Location[] {
  const symbol = symbolAt(analysis, position);
  if (symbol === undefined) return [];
  return policySymbols(analysis)
    .filter((s) => s.definition && sameSymbol(symbol)(s))
    .map((s) => ({ uri, range: rangeOf(analysis.lines, s.span) }));
}

/** Every place the ID under the cursor is written; definitions only when asked. */
export function referencesAt(analysis: PolicyAnalysis, uri: string, position: Position, includeDeclaration: boolean): Location[] {
  const symbol = symbolAt(analysis, position);
  if (symbol === undefined) return [];
  return policySymbols(analysis)
    .filter((s) => sameSymbol(symbol)(s) && (includeDeclaration || !s.definition))
    .map((s) => ({ uri, range: rangeOf(analysis.lines, s.span) }));
}

// A new ID must read the same in every envelope (no escaping) and be a name the .claims language accepts.
const plainName = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The range of the renameable ID under the cursor and its current name, or undefined. */
export function prepareRenameAt(analysis: PolicyAnalysis, position: Position): { range: Range; placeholder: string } | undefined {
  const symbol = symbolAt(analysis, position);
  return symbol === undefined ? undefined : { range: rangeOf(analysis.lines, symbol.span), placeholder: symbol.name };
}

/**
 * Renames a transformation or ClaimsSchema ID everywhere it is written in the document. Throws a `RangeError`
 * with a user-facing message for a name that would need escaping (the server answers it as a request error).
 *
 * @example
 * const edit = renameAt(analysis, 'file:///p.json', { line: 9, character: 30 }, 'JoinParts');
 */
export function renameAt(analysis: PolicyAnalysis, uri: string, position: Position, newName: string): WorkspaceEdit | undefined {
  const symbol = symbolAt(analysis, position);
  if (symbol === undefined) return undefined;
  if (!plainName.test(newName)) throw new RangeError(`"${newName}" is not a plain name: use letters, digits, _ . - (starting with a letter or _)`);
  const edits: TextEdit[] = policySymbols(analysis)
    .filter(sameSymbol(symbol))
    .map((s) => ({ range: rangeOf(analysis.lines, s.span), newText: newName }));
  return { changes: { [uri]: edits } };
}

/**
 * Formats a `.claims` document with `claimc fmt`'s formatter: one edit replacing the whole text, none when it is
 * already formatted, has a syntax error, or is JSON.
 *
 * @example
 * const edits = formatDocument(analysis);
 */
export function formatDocument(analysis: PolicyAnalysis): TextEdit[] {
  if (!isClaimsFile(analysis.fileName)) return [];
  const formatted = formatClaims(analysis.text);
  if (formatted.diagnostics.some((d) => d.severity === 'error') || formatted.text === analysis.text) return [];
  return [{ range: rangeOf(analysis.lines, { start: 0, end: analysis.text.length }), newText: formatted.text }];
}
