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

interface Decoded {
  readonly text: string;
  /** Raw offset of each decoded code unit, plus one final entry for the end. */
  readonly map: readonly number[];
}

/** Decodes the inside of a JSON string (no quotes), keeping where each character came from. */
function decodeJsonContent(raw: string): Decoded | undefined {
  let text = '';
  const map: number[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i] ?? '';
    if (c !== '\\') {
      text += c;
      map.push(i);
      i++;
      continue;
    }
    const e = raw[i + 1];
    if (e === 'u') {
      const hex = raw.slice(i + 2, i + 6);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) return undefined;
      text += String.fromCharCode(parseInt(hex, 16));
      map.push(i);
      i += 6;
      continue;
    }
    const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
    const decoded = e === undefined ? undefined : simple[e];
    if (decoded === undefined) return undefined;
    text += decoded;
    map.push(i);
    i += 2;
  }
  map.push(raw.length);
  return { text, map };
}

function decodeJsonLiteral(raw: string): Decoded | undefined {
  if (raw.length < 2 || !raw.startsWith('"') || !raw.endsWith('"')) return undefined;
  const inner = decodeJsonContent(raw.slice(1, -1));
  return inner === undefined ? undefined : { text: inner.text, map: inner.map.map((m) => m + 1) };
}

/** PowerShell single-quoted text: `''` stands for `'`. */
function decodePowerShellContent(raw: string): Decoded {
  let text = '';
  const map: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    text += raw[i];
    map.push(i);
    if (raw[i] === "'" && raw[i + 1] === "'") i++;
  }
  map.push(raw.length);
  return { text, map };
}

function compose(outer: Decoded, inner: Decoded | undefined): Decoded | undefined {
  return inner === undefined ? undefined : { text: inner.text, map: inner.map.map((m) => outer.map[m] ?? outer.map.length - 1) };
}

/** The raw-to-decoded mappings of the three envelopes (D4): a JSON string, a JSON string inside a JSON string, a JSON string inside a PowerShell string. */
function decodeValue(raw: string, value: string): Decoded | undefined {
  const direct = decodeJsonLiteral(raw);
  if (direct?.text === value) return direct;
  const graphOuter = decodeJsonContent(raw);
  const graph = graphOuter === undefined ? undefined : compose(graphOuter, decodeJsonLiteral(graphOuter.text));
  if (graph?.text === value) return graph;
  const psOuter = decodePowerShellContent(raw);
  const ps = compose(psOuter, decodeJsonLiteral(psOuter.text));
  if (ps?.text === value) return ps;
  return undefined;
}

/**
 * Narrows the location of a string value to the characters `offset … offset+length` of its decoded text
 * (a regex construct inside a pattern). Exact in all three envelopes when the source text is given; without
 * it, exact for a plain string with no escapes, otherwise the whole value.
 */
export function locateInString(location: Location | undefined, value: string, offset: number, length: number, sourceText?: string): Location | undefined {
  if (location === undefined) return undefined;
  const { start, end } = location.span;
  if (sourceText !== undefined) {
    const decoded = decodeValue(sourceText.slice(start, end), value);
    if (decoded !== undefined) {
      const from = decoded.map[Math.min(offset, value.length)] ?? 0;
      const to = decoded.map[Math.min(offset + length, value.length)] ?? from;
      return { pointer: location.pointer, span: { start: start + from, end: start + Math.max(to, from + 1) } };
    }
  }
  // Without the text, only a plain `"…"` with no escapes maps one to one.
  if (end - start === value.length + 2) {
    const from = start + 1 + Math.min(offset, value.length);
    return { pointer: location.pointer, span: { start: from, end: Math.max(from + 1, Math.min(end - 1, from + length)) } };
  }
  return location;
}
