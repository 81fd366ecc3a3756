/** A half-open range of UTF-16 offsets into the text of the file the user wrote. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Where one value of a policy stands: its span and its JSON Pointer as the file spells it. */
export interface Location {
  readonly span: Span;
  /** JSON Pointer inside the policy object, with property names spelled as in the file, e.g. `/ClaimsSchema/2/JWTClaimType`. */
  readonly pointer: string;
}

/**
 * Maps a canonical JSON Pointer of the model (`/ClaimsSchema/2/JwtClaimType`, canonical spellings) to
 * the place the value stands in the source. Front ends fill it; the checker reads it.
 * A pointer to an object or array locates the whole container; `pointer + '#key'` locates the property name.
 * The front ends also answer {@link LocationIndex.locateWithin} for positions inside a string value, through
 * the escapes of every envelope they read, so no later stage needs the source text.
 *
 * @example
 * index.locateWithin?.('/ClaimsTransformation/0/InputParameters/0/Value', 3, 2)?.span // the two characters in the file
 */
export interface LocationIndex extends ReadonlyMap<string, Location> {
  /**
   * The location of the decoded characters `offset … offset+length` of the string value at `pointer` (a regex
   * construct inside a pattern, a reference inside a template); undefined when the pointer is not located.
   * Optional: an index built in memory (a model with no file) has none, and callers fall back to the whole value.
   */
  readonly locateWithin?: (pointer: string, offset: number, length: number) => Location | undefined;
}

/**
 * Narrows `location` to the decoded characters `offset … offset+length`, given where each decoded UTF-16 unit
 * starts in the file (`starts`, plus one final entry for the end); an empty range still covers one character.
 *
 * @example
 * narrowLocation({ span: { start: 10, end: 14 }, pointer: '/x' }, [11, 12, 13], 1, 1) // { span: { start: 12, end: 13 }, pointer: '/x' }
 */
export function narrowLocation(location: Location, starts: readonly number[], offset: number, length: number): Location {
  const last = starts.length - 1;
  const from = starts[Math.min(offset, last)] ?? location.span.start;
  const to = starts[Math.min(offset + length, last)] ?? from;
  return { pointer: location.pointer, span: { start: from, end: Math.max(to, from + 1) } };
}

/** Builds a JSON Pointer from segments (RFC 6901 escaping). */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Turns offsets into 1-based line and column (UTF-16 code units), built once per source text. */
export class LineMap {
  private readonly lineStarts: number[];
  constructor(text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }
  /** 1-based `{ line, column }` of an offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.lineStarts[lo] ?? 0) + 1 };
  }
  /** Offset where the 1-based line starts. */
  lineStart(line: number): number {
    return this.lineStarts[line - 1] ?? 0;
  }
  get lineCount(): number {
    return this.lineStarts.length;
  }
}
