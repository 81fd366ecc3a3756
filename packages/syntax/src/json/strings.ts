import type { Span } from '@claimc/model';

/** A string escape problem, at offsets of the text the string was read from. */
export interface StringProblem {
  readonly code: 'CM1103' | 'CM1104';
  readonly span: Span;
  readonly text: string;
}

/** Decoded text plus, for each decoded UTF-16 unit i, the outer offset it came from; `map[length]` is the closing delimiter. */
export interface MappedText {
  readonly text: string;
  readonly map: readonly number[];
}

const simpleEscapes: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const hex4 = /^[0-9a-fA-F]{4}$/;

/**
 * Decodes the body of a JSON string token (`raw` without its quotes, starting at `offset`), reporting
 * bad escapes and raw control characters. With `withMap`, also records where each decoded unit came from.
 */
export function decodeJsonString(raw: string, offset: number, problems: StringProblem[], withMap = false): MappedText {
  const map: number[] = [];
  let fast = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 92 || c < 32) {
      fast = false;
      break;
    }
  }
  if (fast) {
    if (withMap) for (let i = 0; i <= raw.length; i++) map.push(offset + i);
    return { text: raw, map };
  }
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const ch = raw.charAt(i);
    const c = raw.charCodeAt(i);
    if (c === 92) {
      const next = raw.charAt(i + 1);
      const simple = Object.hasOwn(simpleEscapes, next) ? simpleEscapes[next] : undefined;
      if (simple !== undefined) {
        if (withMap) map.push(offset + i);
        out += simple;
        i += 2;
      } else if (next === 'u' && hex4.test(raw.slice(i + 2, i + 6))) {
        if (withMap) map.push(offset + i);
        out += String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        const length = next === 'u' ? Math.min(raw.length - i, 6) : Math.min(raw.length - i, 2);
        problems.push({ code: 'CM1103', span: { start: offset + i, end: offset + i + length }, text: raw.slice(i, i + length) });
        // keep the text as written so later stages still see something close to it
        for (let k = 0; k < length; k++) if (withMap) map.push(offset + i + k);
        out += raw.slice(i, i + length);
        i += length;
      }
      continue;
    }
    if (c < 32) problems.push({ code: 'CM1104', span: { start: offset + i, end: offset + i + 1 }, text: ch });
    if (withMap) map.push(offset + i);
    out += ch;
    i++;
  }
  if (withMap) map.push(offset + raw.length);
  return { text: out, map };
}

/** Maps a span of a decoded text back to the outer text through its offset map. */
export function mapSpan(span: Span, map: readonly number[]): Span {
  const last = map.length - 1;
  const clamp = (n: number): number => map[Math.max(0, Math.min(n, last))] ?? 0;
  return { start: clamp(span.start), end: Math.max(clamp(span.end), clamp(span.start)) };
}

/**
 * Where each decoded UTF-16 unit of the JSON string token at `span` of `text` starts (offsets of `text`, plus
 * one final entry for the end); undefined when the span is not a string token.
 *
 * @example
 * stringUnitStarts('{"a":"x\\ny"}', { start: 5, end: 12 }) // [6, 7, 9, 10]
 */
export function stringUnitStarts(text: string, span: Span): readonly number[] | undefined {
  const token = text.slice(span.start, span.end);
  if (token.length < 2 || !token.startsWith('"')) return undefined;
  const closed = /^"(?:[^"\\\r\n]|\\[^\r\n])*"$/.test(token);
  return decodeJsonString(token.slice(1, closed ? -1 : undefined), span.start + 1, [], true).map;
}
