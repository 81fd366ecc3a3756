import type { Span } from '@claimc/model';
import type { Finding } from './parser.js';
import type { MappedText } from './strings.js';

/** A PowerShell string literal, decoded, with the outer offset of every decoded unit (D4). */
interface PsString extends MappedText {
  readonly span: Span;
}

type PsToken =
  | { readonly kind: 'string'; readonly span: Span; readonly value: PsString }
  | { readonly kind: 'parameter' | 'variable' | 'word' | 'punct'; readonly span: Span; readonly text: string };

/** What a PowerShell envelope holds: the -Definition string (decoded, with its offset map) and the display name. */
export interface PowerShellEnvelope {
  readonly definition: MappedText | undefined;
  readonly displayName: string | undefined;
  readonly findings: Finding[];
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0xfeff || c === 12 || c === 11;
const isWordStop = (c: number): boolean => isSpace(c) || c === 40 || c === 41 || c === 44 || c === 59 || c === 124 || c === 61 || c === 39 || c === 34 || c === 123 || c === 125;
const backtickEscapes: Readonly<Record<string, string>> = { '0': '\0', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Scans PowerShell text into the few token kinds an envelope needs; linear, never throws. */
function scan(text: string, findings: Finding[]): PsToken[] {
  const tokens: PsToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
    } else if (c === 96 /* ` line continuation or escaped char outside strings */) {
      i += 2;
    } else if (c === 60 && text.charCodeAt(i + 1) === 35 /* <# … #> */) {
      const close = text.indexOf('#>', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === 35 /* # comment */) {
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (c === 64 && (text.charCodeAt(i + 1) === 39 || text.charCodeAt(i + 1) === 34) && /^[ \t]*\r?\n/.test(text.slice(i + 2, i + 200))) {
      const quote = text.charAt(i + 1);
      const here = hereString(text, i, quote, findings);
      tokens.push({ kind: 'string', span: here.span, value: here });
      i = here.span.end;
    } else if (c === 39 || c === 34) {
      const str = c === 39 ? singleQuoted(text, i, findings) : doubleQuoted(text, i, findings);
      tokens.push({ kind: 'string', span: str.span, value: str });
      i = str.span.end;
    } else if (c === 64 && text.charCodeAt(i + 1) === 40) {
      tokens.push({ kind: 'punct', span: { start: i, end: i + 2 }, text: '@(' });
      i += 2;
    } else if (c === 40 || c === 41 || c === 44 || c === 59 || c === 124 || c === 61 || c === 123 || c === 125) {
      tokens.push({ kind: 'punct', span: { start: i, end: i + 1 }, text: text.charAt(i) });
      i++;
    } else {
      const start = i;
      const parameter = c === 45 && /[A-Za-z]/.test(text.charAt(i + 1));
      // -Name:value binds the value after the colon
      while (i < n && !isWordStop(text.charCodeAt(i)) && !(parameter && text.charCodeAt(i) === 58)) i++;
      const word = text.slice(start, i);
      if (parameter && text.charCodeAt(i) === 58) i++;
      const kind = parameter ? 'parameter' : word.startsWith('$') ? 'variable' : 'word';
      tokens.push({ kind, span: { start, end: i }, text: word });
    }
  }
  return tokens;
}

function singleQuoted(text: string, start: number, findings: Finding[]): PsString {
  let out = '';
  const map: number[] = [];
  let i = start + 1;
  while (i < text.length) {
    if (text.charCodeAt(i) === 39) {
      if (text.charCodeAt(i + 1) !== 39) return { text: out, map: [...map, i], span: { start, end: i + 1 } };
      // '' is one quote
      map.push(i);
      out += "'";
      i += 2;
    } else {
      map.push(i);
      out += text.charAt(i);
      i++;
    }
  }
  findings.push({ code: 'CM1312', args: {}, span: { start, end: start + 1 } });
  return { text: out, map: [...map, text.length], span: { start, end: text.length } };
}

function doubleQuoted(text: string, start: number, findings: Finding[]): PsString {
  let out = '';
  const map: number[] = [];
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      if (text.charCodeAt(i + 1) !== 34) return { text: out, map: [...map, i], span: { start, end: i + 1 } };
      map.push(i);
      out += '"';
      i += 2;
    } else if (c === 96 && i + 1 < text.length) {
      const next = text.charAt(i + 1);
      map.push(i);
      out += Object.hasOwn(backtickEscapes, next) ? (backtickEscapes[next] ?? next) : next;
      i += 2;
    } else {
      map.push(i);
      out += text.charAt(i);
      i++;
    }
  }
  findings.push({ code: 'CM1312', args: {}, span: { start, end: start + 1 } });
  return { text: out, map: [...map, text.length], span: { start, end: text.length } };
}

/** `@'` newline … newline `'@`: verbatim (double-quoted here-strings decode backtick escapes). */
function hereString(text: string, start: number, quote: string, findings: Finding[]): PsString {
  let contentStart = text.indexOf('\n', start + 2) + 1;
  const closing = new RegExp(`\\r?\\n${quote}@`, 'g');
  closing.lastIndex = contentStart - 1;
  const match = closing.exec(text);
  const contentEnd = match === null ? text.length : match.index;
  const end = match === null ? text.length : match.index + match[0].length;
  if (match === null) findings.push({ code: 'CM1312', args: {}, span: { start, end: start + 2 } });
  if (contentStart > contentEnd) contentStart = contentEnd;
  let out = '';
  const map: number[] = [];
  for (let i = contentStart; i < contentEnd; i++) {
    const c = text.charCodeAt(i);
    if (quote === '"' && c === 96 && i + 1 < contentEnd) {
      const next = text.charAt(i + 1);
      map.push(i);
      out += Object.hasOwn(backtickEscapes, next) ? (backtickEscapes[next] ?? next) : next;
      i++;
    } else {
      map.push(i);
      out += text.charAt(i);
    }
  }
  map.push(contentEnd);
  return { text: out, map, span: { start, end } };
}

/** Reads a value expression at `index`: a string, `@(…)`/`(…)` of strings, or a `$variable` assigned earlier. */
function valueAt(
  tokens: readonly PsToken[],
  index: number,
  variables: ReadonlyMap<string, PsString[]>,
): { strings: PsString[]; bad?: PsToken; unclosed?: PsToken; next: number } {
  const first = tokens[index];
  if (first === undefined) return { strings: [], next: index };
  if (first.kind === 'string') return { strings: [first.value], next: index + 1 };
  if (first.kind === 'variable') {
    const value = variables.get(first.text.toLowerCase());
    return value === undefined ? { strings: [], bad: first, next: index + 1 } : { strings: value, next: index + 1 };
  }
  if (first.kind === 'punct' && (first.text === '@(' || first.text === '(')) {
    const strings: PsString[] = [];
    let i = index + 1;
    for (; i < tokens.length; i++) {
      const t = tokens[i];
      if (t === undefined || (t.kind === 'punct' && t.text === ')')) break;
      const known = t.kind === 'variable' ? variables.get(t.text.toLowerCase()) : undefined;
      if (t.kind === 'string') strings.push(t.value);
      else if (known !== undefined) strings.push(...known);
      else if (!(t.kind === 'punct' && t.text === ',')) return { strings, bad: t, next: i + 1 };
    }
    return { strings, next: i + 1, ...(i >= tokens.length ? { unclosed: first } : {}) };
  }
  return { strings: [], bad: first, next: index + 1 };
}

function textOf(token: PsToken | undefined): string | undefined {
  if (token === undefined) return undefined;
  return token.kind === 'string' ? token.value.text : token.kind === 'word' ? token.text : undefined;
}

/**
 * Reads a `New-MgPolicyClaimMappingPolicy` / `New-AzureADPolicy` line or script (D4) without running it:
 * the -Definition string with its offset map, -DisplayName, and a -Type check.
 *
 * @example
 * readPowerShellEnvelope(`New-MgPolicyClaimMappingPolicy -Definition @('{"ClaimsMappingPolicy":{}}') -DisplayName "X"`).displayName // 'X'
 */
export function readPowerShellEnvelope(text: string): PowerShellEnvelope {
  const findings: Finding[] = [];
  const tokens = scan(text, findings);
  const variables = new Map<string, PsString[]>();
  let definition: MappedText | undefined;
  let definitionSeen = false;
  let displayName: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === undefined) continue;
    if (token.kind === 'variable' && tokens[i + 1]?.kind === 'punct' && (tokens[i + 1] as { text: string }).text === '=') {
      const value = valueAt(tokens, i + 2, variables);
      if (value.bad === undefined) variables.set(token.text.toLowerCase(), value.strings);
      continue;
    }
    if (token.kind !== 'parameter') continue;
    const name = token.text.toLowerCase();
    if (name === '-definition' && !definitionSeen) {
      definitionSeen = true;
      const value = valueAt(tokens, i + 1, variables);
      if (value.unclosed !== undefined) findings.push({ code: 'CM1315', args: {}, span: value.unclosed.span });
      if (value.bad !== undefined) {
        const found = value.bad.kind === 'string' ? 'a string' : value.bad.text;
        findings.push({ code: 'CM1311', args: { found }, span: value.bad.span });
      } else if (value.strings.length !== 1) {
        const at = tokens[i + 1]?.span ?? token.span;
        findings.push({ code: 'CM1313', args: { count: value.strings.length }, span: at });
        if (value.strings[0] !== undefined) definition = value.strings[0];
      } else definition = value.strings[0];
    } else if (name === '-displayname' && displayName === undefined) {
      displayName = textOf(tokens[i + 1]);
    } else if (name === '-type') {
      const type = textOf(tokens[i + 1]);
      const at = tokens[i + 1];
      if (type !== undefined && at !== undefined && type.toLowerCase() !== 'claimsmappingpolicy') {
        findings.push({ code: 'CM1314', args: { found: `"${type}"` }, span: at.span });
      }
    }
  }
  if (definitionSeen && displayName === undefined) findings.push({ code: 'CM1316', args: {}, span: { start: 0, end: Math.min(text.length, firstLineEnd(text)) } });
  if (!definitionSeen) findings.push({ code: 'CM1310', args: {}, span: { start: 0, end: Math.min(text.length, firstLineEnd(text)) } });
  return { definition, displayName, findings };
}

function firstLineEnd(text: string): number {
  const m = /\r|\n/.exec(text);
  return m === null ? text.length : m.index;
}

/** Whether a text looks like PowerShell rather than JSON: its first significant character is not JSON's. */
export function looksLikePowerShell(text: string): boolean {
  const m = /[^\s\uFEFF]/.exec(text);
  if (m === null) return false;
  const first = m[0];
  if (first === '{' || first === '[' || first === '"' || first === '/') return false;
  return /-definition\b|new-mgpolicyclaimmappingpolicy|new-azureadpolicy/i.test(text);
}
