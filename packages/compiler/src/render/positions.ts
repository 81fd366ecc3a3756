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

  get lines(): LineMap {
    return (this.lineMap ??= new LineMap(this.text));
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(Number.isFinite(value) ? Math.trunc(value) : low, low), high);
}
