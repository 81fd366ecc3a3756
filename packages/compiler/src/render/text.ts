import { escapeForDisplay } from '@claimc/model';
import type { Diagnostic, Severity } from '@claimc/model';
import type { DiagnosticFile, RenderOptions } from './files.js';
import { RegionFinder } from './positions.js';
import type { Region } from './positions.js';

const tabWidth = 4;
/** Code-frame lines longer than this many display columns are windowed around the span. */
const maxFrameWidth = 120;
/** How many columns of context a windowed frame keeps left of the span. */
const leftContext = 40;
/** Lines up to this many UTF-16 units are laid out whole; longer ones only around the span, so a frame costs O(1) whatever the line length. */
const wholeLineLimit = 4 * maxFrameWidth;
/** Default of {@link RenderOptions.maxCodeFrames}: enough to fix a file by, few enough that a flood stays readable. */
export const defaultMaxCodeFrames = 50;

const ansi = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m' } as const;
const severityColor: Readonly<Record<Severity, string>> = { error: ansi.red, warning: ansi.yellow, info: ansi.cyan };

interface Painter {
  (style: string, text: string): string;
}

/**
 * Renders diagnostics as `file:line:col: severity CODE message`, a code frame, the hint and related locations.
 * The first {@link RenderOptions.maxCodeFrames} diagnostics of a file get the full form, the rest one line each and a
 * closing note; every frame is bounded, so the output and the work are linear in the number of diagnostics.
 */
export function renderText(files: readonly DiagnosticFile[], options: RenderOptions): string {
  const paint: Painter = options.color === true ? (style, text) => style + text + ansi.reset : (_style, text) => text;
  const maxFrames = Math.max(0, options.maxCodeFrames ?? defaultMaxCodeFrames);
  const blocks: string[] = [];
  for (const file of files) {
    const context: FileContext = { name: escapeForDisplay(file.file), text: file.text, finder: new RegionFinder(file.text), paint, showPointers: file.showPointers === true };
    const full = file.diagnostics.slice(0, maxFrames);
    const brief = file.diagnostics.slice(maxFrames);
    for (const diagnostic of full) blocks.push(renderFull(context, diagnostic));
    if (brief.length === 0) continue;
    const lines = brief.map((diagnostic) => headerLine(context, diagnostic, severityColor[diagnostic.severity]));
    const more = `${brief.length} more ${brief.length === 1 ? 'diagnostic' : 'diagnostics'}`;
    lines.push(`${paint(ansi.bold, context.name + ':')} ${more} shown on one line each, without code frame or hint (the first ${maxFrames} are in full; --format json lists every one in full)`);
    blocks.push(lines.join('\n') + '\n');
  }
  return blocks.join('\n');
}

interface FileContext {
  readonly name: string;
  readonly text: string;
  readonly finder: RegionFinder;
  readonly paint: Painter;
  /** Print each diagnostic's JSON Pointer (snapshots and other JSON documents where it names the place best). */
  readonly showPointers: boolean;
}

function headerLine(context: FileContext, diagnostic: Diagnostic, color: string): string {
  const { paint, name } = context;
  const label = paint(ansi.bold + color, `${diagnostic.severity} ${diagnostic.code}`);
  if (diagnostic.span === undefined) return `${paint(ansi.bold, name + ':')} ${label} ${diagnostic.message}`;
  const region = context.finder.region(diagnostic.span);
  return `${paint(ansi.bold, `${name}:${region.line}:${region.column}:`)} ${label} ${diagnostic.message}`;
}

function renderFull(context: FileContext, diagnostic: Diagnostic): string {
  const { paint, finder, name } = context;
  const color = severityColor[diagnostic.severity];
  const out = [headerLine(context, diagnostic, color)];
  if (diagnostic.span !== undefined) out.push(...codeFrame(context, finder.region(diagnostic.span), diagnostic.span.start, diagnostic.span.end, color));
  // A place without a span (a snapshot given as a value, not a file) is named by its pointer.
  if (diagnostic.pointer !== undefined && diagnostic.pointer !== '' && (context.showPointers || diagnostic.span === undefined)) {
    out.push(`  ${paint(ansi.bold, 'at:')} ${escapeForDisplay(diagnostic.pointer)}`);
  }
  if (diagnostic.hint !== undefined) out.push(`  ${paint(ansi.bold, 'hint:')} ${diagnostic.hint}`);
  for (const related of diagnostic.related ?? []) {
    const region = finder.region(related.span);
    out.push(`  ${paint(ansi.bold, 'note:')} ${name}:${region.line}:${region.column}: ${related.message}`);
  }
  return out.join('\n') + '\n';
}

/**
 * The source line of the span's start with a caret/tilde underline; tabs expanded, unsafe characters escaped.
 * Long lines are laid out only in a bounded slice around the span and shown windowed with `…` at the cut ends.
 */
function codeFrame(context: FileContext, region: Region, spanStart: number, spanEnd: number, color: string): string[] {
  const { text, finder, paint } = context;
  const lineStart = finder.lineStart(region.line);
  const lineEnd = finder.lineEnd(region.line);
  const start = Math.min(Math.max(spanStart, lineStart), lineEnd);
  const end = region.endLine === region.line ? Math.min(Math.max(spanEnd, start), lineEnd) : lineEnd;

  let sliceFrom = lineStart;
  let sliceTo = lineEnd;
  if (lineEnd - lineStart > wholeLineLimit) {
    sliceFrom = pairStart(text, Math.max(lineStart, start - maxFrameWidth), lineStart);
    sliceTo = pairEnd(text, Math.min(lineEnd, start + 2 * maxFrameWidth), lineEnd);
  }
  const { cells, columnOf } = displayCells(text.slice(sliceFrom, sliceTo));
  const startCell = columnOf(start - sliceFrom);
  const endCell = columnOf(Math.min(end, sliceTo) - sliceFrom);
  const underlineWidth = Math.max(1, endCell - startCell);

  let from = 0;
  let to = cells.length;
  if (cells.length > maxFrameWidth) {
    from = Math.max(0, Math.min(startCell - leftContext, cells.length - maxFrameWidth));
    to = Math.min(cells.length, from + maxFrameWidth);
  }
  const prefix = from > 0 || sliceFrom > lineStart ? '…' : '';
  const suffix = to < cells.length || sliceTo < lineEnd ? '…' : '';
  const shown = prefix + cells.slice(from, to).join('') + suffix;
  // The window always contains startCell, so the caret is visible; the tildes stop at the window's edge.
  const caretStart = startCell - from + prefix.length;
  const caretWidth = Math.max(1, Math.min(startCell + underlineWidth, to) - startCell);
  const underline = ' '.repeat(caretStart) + '^' + '~'.repeat(caretWidth - 1);

  const gutter = String(region.line);
  const pad = ' '.repeat(gutter.length);
  return [
    `${paint(ansi.dim, ` ${gutter} |`)} ${shown}`.trimEnd(),
    `${paint(ansi.dim, ` ${pad} |`)} ${paint(ansi.bold + color, underline)}`,
  ];
}

/** Moves a slice start off the second half of a surrogate pair (never before `low`). */
function pairStart(text: string, offset: number, low: number): number {
  return offset > low && isLowSurrogate(text.charCodeAt(offset)) && isHighSurrogate(text.charCodeAt(offset - 1)) ? offset - 1 : offset;
}

/** Moves a slice end past the second half of a surrogate pair it would split (never after `high`). */
function pairEnd(text: string, offset: number, high: number): number {
  return offset < high && isHighSurrogate(text.charCodeAt(offset - 1)) && isLowSurrogate(text.charCodeAt(offset)) ? offset + 1 : offset;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** Splits a line into display cells (one per terminal column) and maps each UTF-16 offset to its first cell. */
function displayCells(line: string): { cells: string[]; columnOf: (offset: number) => number } {
  const cells: string[] = [];
  const firstCell = new Array<number>(line.length + 1);
  for (let i = 0; i < line.length; ) {
    firstCell[i] = cells.length;
    const code = line.charCodeAt(i);
    const pair = isHighSurrogate(code) && i + 1 < line.length && isLowSurrogate(line.charCodeAt(i + 1));
    if (pair) {
      cells.push(line.slice(i, i + 2));
      firstCell[i + 1] = cells.length - 1;
      i += 2;
      continue;
    }
    const char = line[i] ?? '';
    if (code >= 0x20 && code < 0x7f) {
      cells.push(char);
    } else if (char === '\t') {
      do cells.push(' ');
      while (cells.length % tabWidth !== 0);
    } else {
      // Control, bidi, zero-width and lone surrogates become \uXXXX cells (threats P6, V4).
      cells.push(...escapeForDisplay(char));
    }
    i++;
  }
  firstCell[line.length] = cells.length;
  return { cells, columnOf: (offset) => firstCell[Math.min(Math.max(offset, 0), line.length)] ?? cells.length };
}
