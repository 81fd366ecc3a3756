import { escapeForDisplay } from '@claimc/model';
import type { Diagnostic, Severity, Span } from '@claimc/model';
import type { DiagnosticFile, RenderOptions } from './files.js';
import { RegionFinder } from './positions.js';

const tabWidth = 4;
/** Code-frame lines longer than this many display columns are windowed around the span. */
const maxFrameWidth = 120;
/** How many columns of context a windowed frame keeps left of the span. */
const leftContext = 40;

const ansi = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m' } as const;
const severityColor: Readonly<Record<Severity, string>> = { error: ansi.red, warning: ansi.yellow, info: ansi.cyan };

interface Painter {
  (style: string, text: string): string;
}

/** Renders diagnostics as `file:line:col: severity CODE message`, a code frame, the hint and related locations. */
export function renderText(files: readonly DiagnosticFile[], options: RenderOptions): string {
  const paint: Painter = options.color === true ? (style, text) => style + text + ansi.reset : (_style, text) => text;
  const blocks: string[] = [];
  for (const file of files) {
    const finder = new RegionFinder(file.text);
    const name = escapeForDisplay(file.file);
    for (const diagnostic of file.diagnostics) blocks.push(renderOne(name, file.text, finder, diagnostic, paint));
  }
  return blocks.join('\n');
}

function renderOne(name: string, text: string, finder: RegionFinder, diagnostic: Diagnostic, paint: Painter): string {
  const color = severityColor[diagnostic.severity];
  const label = paint(ansi.bold + color, `${diagnostic.severity} ${diagnostic.code}`);
  const out: string[] = [];
  if (diagnostic.span === undefined) {
    out.push(`${paint(ansi.bold, name + ':')} ${label} ${diagnostic.message}`);
  } else {
    const region = finder.region(diagnostic.span);
    out.push(`${paint(ansi.bold, `${name}:${region.line}:${region.column}:`)} ${label} ${diagnostic.message}`);
    out.push(...codeFrame(text, finder, diagnostic.span, color, paint));
  }
  if (diagnostic.hint !== undefined) out.push(`  ${paint(ansi.bold, 'hint:')} ${diagnostic.hint}`);
  for (const related of diagnostic.related ?? []) {
    const region = finder.region(related.span);
    out.push(`  ${paint(ansi.bold, 'note:')} ${name}:${region.line}:${region.column}: ${related.message}`);
  }
  return out.join('\n') + '\n';
}

/** The source line of the span's start with a caret/tilde underline; tabs expanded, unsafe characters escaped, long lines windowed. */
function codeFrame(text: string, finder: RegionFinder, span: Span, color: string, paint: Painter): string[] {
  const lines = finder.lines;
  const region = finder.region(span);
  const lineStart = lines.lineStart(region.line);
  const lineEnd = endOfLine(text, lineStart);
  const { cells, columnOf } = displayCells(text.slice(lineStart, lineEnd));
  const startCell = columnOf(Math.min(Math.max(span.start, lineStart), lineEnd) - lineStart);
  const endCell = region.endLine === region.line ? columnOf(Math.min(span.end, lineEnd) - lineStart) : cells.length;
  const underlineWidth = Math.max(1, endCell - startCell);

  let from = 0;
  let to = cells.length;
  if (cells.length > maxFrameWidth) {
    from = Math.max(0, Math.min(startCell - leftContext, cells.length - maxFrameWidth));
    to = Math.min(cells.length, from + maxFrameWidth);
  }
  const prefix = from > 0 ? '…' : '';
  const suffix = to < cells.length ? '…' : '';
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

function endOfLine(text: string, start: number): number {
  let end = start;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  return end;
}

/** Splits a line into display cells (one per terminal column) and maps each UTF-16 offset to its first cell. */
function displayCells(line: string): { cells: string[]; columnOf: (offset: number) => number } {
  const cells: string[] = [];
  const firstCell = new Array<number>(line.length + 1);
  for (let i = 0; i < line.length; ) {
    firstCell[i] = cells.length;
    const code = line.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < line.length && (line.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (pair) {
      cells.push(line.slice(i, i + 2));
      firstCell[i + 1] = cells.length - 1;
      i += 2;
      continue;
    }
    const char = line[i] ?? '';
    if (char === '\t') {
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
