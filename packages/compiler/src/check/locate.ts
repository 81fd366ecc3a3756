import type { DiagnosticPlace, Location, LocationIndex, RelatedLocation } from '@claimc/model';
import { toPointer } from '@claimc/model';

/** Canonical pointer from model segments; same result as `toPointer`, without regexes for the usual segments. */
export function ptr(...segments: (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += '/' + String(s);
    else if (s.includes('~') || s.includes('/')) return toPointer(segments);
    else out += '/' + s;
  }
  return out;
}

/** The first of the canonical pointers that the front end located (most precise first). */
export function locate(locations: LocationIndex, ...pointers: string[]): Location | undefined {
  for (const p of pointers) {
    const found = locations.get(p);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * A did-you-mean hint with its quick fix: replace the value `from` at the location by the guess. Nothing when
 * there is no guess; the hint alone when the value is not located.
 *
 * @example
 * ctx.report('CM4005', { value }, at, didYouMean(at, value, suggest(value, groupFilterMatchOn)));
 */
export function didYouMean(location: Location | undefined, from: string, guess: string | undefined, hint = `Did you mean "${guess ?? ''}"?`): Pick<DiagnosticPlace, 'hint' | 'fix'> {
  if (guess === undefined) return {};
  return { hint, ...(location !== undefined ? { fix: { kind: 'replace', title: `Change to "${guess}"`, span: location.span, from, to: guess } } : {}) };
}

/** A related location for a diagnostic, when the pointer is located. */
export function relatedAt(location: Location | undefined, message: string): RelatedLocation[] {
  return location === undefined ? [] : [{ span: location.span, pointer: location.pointer, message }];
}

/**
 * The characters `offset … offset+length` of the string value at `valuePointer`, located by the front end
 * (through the escapes of every envelope it read); `fallback` when that pointer is not located. An index
 * built in memory (no file, no `locateWithin`) maps a plain `"…"` one to one and otherwise gives the whole value.
 */
export function locateInValue(locations: LocationIndex, valuePointer: string, value: string, offset: number, length: number, fallback: () => Location | undefined): Location | undefined {
  const location = locations.get(valuePointer);
  if (location === undefined) return fallback();
  if (locations.locateWithin !== undefined) return locations.locateWithin(valuePointer, offset, length) ?? location;
  const { start, end } = location.span;
  if (end - start !== value.length + 2) return location;
  const from = start + 1 + Math.min(offset, value.length);
  return { pointer: location.pointer, span: { start: from, end: Math.max(from + 1, Math.min(end - 1, from + length)) } };
}
