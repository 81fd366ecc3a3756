import { LineMap } from '@claimc/model';
import type { Span } from '@claimc/model';

/** 1-based start and exclusive end position of a span (columns in UTF-16 code units, as SARIF's default `columnKind`). */
export interface Region {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** Whole-file problems (no span) are placed at 1:1 so machine formats always carry numbers. */
export const wholeFileRegion: Region = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** Computes regions for the spans of one file, clamping spans that run past the text. */
export class RegionFinder {
  private lineMap: LineMap | undefined;
  constructor(private readonly text: string) {}

  region(span: Span | undefined): Region {
    if (span === undefined) return wholeFileRegion;
    const map = this.lines;
    const start = clamp(span.start, 0, this.text.length);
    const end = clamp(span.end, start, this.text.length);
    const from = map.position(start);
    const to = map.position(end);
    return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  }

  /** Offset where the 1-based line starts. */
  lineStart(line: number): number {
    return this.lines.lineStart(line);
  }

  /** Offset where the 1-based line's text ends (before its line break), found from the next line's start in O(1). */
  lineEnd(line: number): number {
    const map = this.lines;
    if (line >= map.lineCount) return this.text.length;
    let end = map.lineStart(line + 1);
    if (end > 0 && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  private get lines(): LineMap {
    return (this.lineMap ??= new LineMap(this.text));
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(Number.isFinite(value) ? Math.trunc(value) : low, low), high);
}
