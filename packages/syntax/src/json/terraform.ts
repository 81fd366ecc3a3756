import type { Span } from '@claimc/model';
import type { Finding } from './parser.js';
import type { MappedText } from './strings.js';

/** One `azuread_claims_mapping_policy` resource: its address, display name and the policy JSON with its offset map. */
export interface TerraformPolicy {
  /** `azuread_claims_mapping_policy.<name>`. */
  readonly address: string;
  readonly displayName: string | undefined;
  /** Undefined when the definition could not be read (a finding says why). */
  readonly definition: MappedText | undefined;
  readonly span: Span;
  /** Problems of this resource (unsupported expressions, missing attributes). */
  readonly findings: Finding[];
}

/** What a `.tf` file yields: every claims-mapping policy resource and the problems found reading them. */
export interface TerraformEnvelope {
  readonly policies: TerraformPolicy[];
  readonly findings: Finding[];
}

type HclToken =
  | { readonly kind: 'ident' | 'number' | 'punct'; readonly span: Span; readonly text: string; readonly newline: boolean }
  | { readonly kind: 'string'; readonly span: Span; readonly text: string; readonly newline: boolean; readonly interpolated: Span | undefined; readonly closed: boolean }
  | { readonly kind: 'heredoc'; readonly span: Span; readonly text: string; readonly newline: boolean; readonly body: MappedText; readonly closed: boolean };

const resourceType = 'azuread_claims_mapping_policy';
const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isIdent = (c: string): boolean => /[A-Za-z0-9_\-.]/.test(c);

/** Scans HCL into the token kinds a resource block needs; linear, never throws. */
function scan(text: string): HclToken[] {
  const tokens: HclToken[] = [];
  const n = text.length;
  let i = 0;
  let newline = true;
  while (i < n) {
    const c = text.charAt(i);
    if (c === '\n') {
      newline = true;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
      i++;
    } else if (c === '#' || (c === '/' && text.charAt(i + 1) === '/')) {
      while (i < n && text.charAt(i) !== '\n') i++;
    } else if (c === '/' && text.charAt(i + 1) === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === '"') {
      const start = i;
      let interpolated: Span | undefined;
      i++;
      while (i < n && text.charAt(i) !== '"' && text.charAt(i) !== '\n') {
        if (text.charAt(i) === '\\') i += 2;
        else if ((text.startsWith('${', i) || text.startsWith('%{', i)) && text.charAt(i - 1) !== '$' && text.charAt(i - 1) !== '%') {
          const close = text.indexOf('}', i);
          interpolated ??= { start: i, end: close < 0 ? n : close + 1 };
          i += 2;
        } else i++;
      }
      const closed = text.charAt(i) === '"';
      if (closed) i++;
      tokens.push({ kind: 'string', span: { start, end: i }, text: text.slice(start, i), newline, interpolated, closed });
      newline = false;
    } else if (c === '<' && text.charAt(i + 1) === '<' && /^<<-?[A-Za-z_]/.test(text.slice(i, i + 4))) {
      const start = i;
      const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_]*)[^\n]*\n?/.exec(text.slice(i))!;
      const marker = m[2]!;
      let lineStart = i + m[0].length;
      const bodyStart = lineStart;
      let bodyEnd = n;
      let end = n;
      let closed = false;
      while (lineStart < n) {
        let lineEnd = text.indexOf('\n', lineStart);
        if (lineEnd < 0) lineEnd = n;
        if (text.slice(lineStart, lineEnd).trim() === marker) {
          bodyEnd = lineStart;
          end = lineEnd;
          closed = true;
          break;
        }
        lineStart = lineEnd + 1;
      }
      const map: number[] = [];
      for (let k = bodyStart; k <= bodyEnd; k++) map.push(k);
      tokens.push({ kind: 'heredoc', span: { start, end }, text: text.slice(start, end), newline, body: { text: text.slice(bodyStart, bodyEnd), map }, closed });
      newline = false;
      i = end;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text.charAt(i + 1)))) {
      const m = /^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i))!;
      tokens.push({ kind: 'number', span: { start: i, end: i + m[0].length }, text: m[0], newline });
      newline = false;
      i += m[0].length;
    } else if (isIdentStart(c)) {
      const start = i;
      while (i < n && isIdent(text.charAt(i))) i++;
      tokens.push({ kind: 'ident', span: { start, end: i }, text: text.slice(start, i), newline });
      newline = false;
    } else {
      tokens.push({ kind: 'punct', span: { start: i, end: i + 1 }, text: c, newline });
      newline = false;
      i++;
    }
  }
  return tokens;
}

/** A Terraform expression claimc cannot read without running Terraform. */
class Unsupported {
  constructor(
    readonly found: string,
    readonly span: Span,
  ) {}
}

const isPunct = (t: HclToken | undefined, p: string): boolean => t !== undefined && t.kind === 'punct' && t.text === p;

/** Builds JSON text with, for every character, the offset in the `.tf` file it stands for. */
class JsonWriter {
  text = '';
  readonly map: number[] = [];
  emit(chunk: string, at: number): void {
    this.text += chunk;
    for (let k = 0; k < chunk.length; k++) this.map.push(at);
  }
  /** Copies source text one-to-one, so positions inside strings stay exact. */
  copy(source: string, span: Span): void {
    this.text += source.slice(span.start, span.end);
    for (let k = span.start; k < span.end; k++) this.map.push(k);
  }
}

/**
 * Transliterates the literal HCL expression starting at `tokens[at]` (objects, tuples, strings, numbers,
 * true/false/null) into JSON; returns the index after it. Throws {@link Unsupported} for anything else.
 */
function hclToJson(tokens: readonly HclToken[], at: number, source: string, out: JsonWriter): number {
  const token = tokens[at];
  if (token === undefined) throw new Unsupported('the end of the file', { start: source.length, end: source.length });
  if (token.kind === 'string') {
    if (token.interpolated !== undefined) throw new Unsupported('a template interpolation', token.interpolated);
    if (!token.closed) throw new Unsupported('an unterminated string', token.span);
    out.copy(source, token.span);
    return at + 1;
  }
  if (token.kind === 'number') {
    out.copy(source, token.span);
    return at + 1;
  }
  if (token.kind === 'ident' && (token.text === 'true' || token.text === 'false' || token.text === 'null')) {
    out.copy(source, token.span);
    return at + 1;
  }
  if (isPunct(token, '{')) {
    out.emit('{', token.span.start);
    let i = at + 1;
    let first = true;
    while (!isPunct(tokens[i], '}')) {
      if (isPunct(tokens[i], ',')) {
        i++;
        continue;
      }
      const key = tokens[i];
      if (key === undefined) throw new Unsupported('an object that is never closed', token.span);
      if (!first) out.emit(',', key.span.start);
      first = false;
      if (key.kind === 'string' && key.interpolated === undefined && key.closed) out.copy(source, key.span);
      else if (key.kind === 'ident') {
        out.emit('"', key.span.start);
        out.copy(source, key.span);
        out.emit('"', key.span.end - 1);
      } else throw new Unsupported(`"${key.text.slice(0, 40)}" as an object key`, key.span);
      const separator = tokens[i + 1];
      if (!isPunct(separator, '=') && !isPunct(separator, ':')) throw new Unsupported(separator === undefined ? 'the end of the file' : `"${separator.text.slice(0, 40)}" after an object key`, separator?.span ?? key.span);
      out.emit(':', separator!.span.start);
      i = hclToJson(tokens, i + 2, source, out);
    }
    out.emit('}', tokens[i]!.span.start);
    return i + 1;
  }
  if (isPunct(token, '[')) {
    out.emit('[', token.span.start);
    let i = at + 1;
    let first = true;
    while (!isPunct(tokens[i], ']')) {
      if (isPunct(tokens[i], ',')) {
        i++;
        continue;
      }
      if (tokens[i] === undefined) throw new Unsupported('a list that is never closed', token.span);
      if (!first) out.emit(',', tokens[i]!.span.start);
      first = false;
      i = hclToJson(tokens, i, source, out);
    }
    out.emit(']', tokens[i]!.span.start);
    return i + 1;
  }
  const call = token.kind === 'ident' && isPunct(tokens[at + 1], '(');
  throw new Unsupported(call ? `a call to ${token.text}()` : token.kind === 'ident' ? `the reference ${token.text}` : `"${token.text.slice(0, 40)}"`, token.span);
}

/** Index of the token closing the bracket opened at `open` (or the token count when it never closes). */
function closing(tokens: readonly HclToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'punct') continue;
    if (t.text === '{' || t.text === '[' || t.text === '(') depth++;
    else if (t.text === '}' || t.text === ']' || t.text === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return tokens.length;
}

/** A quoted HCL string without interpolation, decoded (JSON escapes are a subset of HCL's). */
function stringValue(token: HclToken | undefined): string | undefined {
  if (token?.kind !== 'string' || token.interpolated !== undefined || !token.closed) return undefined;
  try {
    return JSON.parse(token.text.replace(/\$\$\{/g, '${')) as string;
  } catch {
    return token.text.slice(1, -1);
  }
}

/** Reads one element of `definition = [ … ]`: jsonencode({…}), a quoted JSON string or a heredoc. */
function readDefinition(tokens: readonly HclToken[], at: number, source: string): MappedText {
  const token = tokens[at];
  if (token?.kind === 'ident' && token.text === 'jsonencode' && isPunct(tokens[at + 1], '(')) {
    const out = new JsonWriter();
    const end = hclToJson(tokens, at + 2, source, out);
    if (!isPunct(tokens[end], ')')) throw new Unsupported(tokens[end] === undefined ? 'the end of the file' : `"${tokens[end]!.text.slice(0, 40)}" inside jsonencode()`, tokens[end]?.span ?? token.span);
    out.map.push(tokens[end]!.span.start);
    return { text: out.text, map: out.map };
  }
  if (token?.kind === 'heredoc') {
    if (!token.closed) throw new Unsupported('a heredoc that is never closed', token.span);
    if (/\$\{|%\{/.test(token.body.text.replace(/\$\$\{|%%\{/g, ''))) throw new Unsupported('a template interpolation', token.span);
    return token.body;
  }
  if (token?.kind === 'string') {
    if (token.interpolated !== undefined) throw new Unsupported('a template interpolation', token.interpolated);
    const value = stringValue(token);
    if (value === undefined) throw new Unsupported('an unterminated string', token.span);
    // a quoted JSON string: decode with JSON rules and keep each unit's offset
    const raw = token.text.slice(1, -1);
    const map: number[] = [];
    let text = '';
    for (let k = 0; k < raw.length; k++) {
      const from = token.span.start + 1 + k;
      if (raw.charAt(k) === '\\') {
        const next = raw.charAt(k + 1);
        if (next === 'u') {
          text += String.fromCharCode(parseInt(raw.slice(k + 2, k + 6), 16) || 0);
          map.push(from);
          k += 5;
        } else {
          text += ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[next] ?? next;
          map.push(from);
          k += 1;
        }
      } else if (raw.startsWith('$${', k)) {
        text += '${';
        map.push(from, from + 2);
        k += 2;
      } else {
        text += raw.charAt(k);
        map.push(from);
      }
    }
    map.push(token.span.end - 1);
    return { text, map };
  }
  if (token === undefined) throw new Unsupported('the end of the file', { start: source.length, end: source.length });
  const call = token.kind === 'ident' && isPunct(tokens[at + 1], '(');
  throw new Unsupported(call ? `a call to ${token.text}()` : token.kind === 'ident' ? `the reference ${token.text}` : `"${token.text.slice(0, 40)}"`, token.span);
}

/**
 * Reads every `resource "azuread_claims_mapping_policy" "<name>" { definition = [ … ] display_name = "…" }`
 * of a Terraform file without running Terraform: `jsonencode({…})` of a literal, a quoted JSON string or a
 * heredoc. Anything Terraform would have to evaluate (variables, other functions, interpolation) is one
 * CM1401 at that expression, never a cascade of syntax errors.
 *
 * @example
 * readTerraformEnvelope('resource "azuread_claims_mapping_policy" "p" {\n  definition = [jsonencode({ ClaimsMappingPolicy = { Version = 1 } })]\n  display_name = "P"\n}').policies[0]?.definition?.text
 * // '{"ClaimsMappingPolicy":{"Version":1}}'
 */
export function readTerraformEnvelope(text: string): TerraformEnvelope {
  const tokens = scan(text);
  const policies: TerraformPolicy[] = [];
  const findings: Finding[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!(t.kind === 'ident' && t.text === 'resource' && t.newline && stringValue(tokens[i + 1]) === resourceType)) continue;
    const name = stringValue(tokens[i + 2]) ?? (tokens[i + 2]?.kind === 'ident' ? tokens[i + 2]!.text : '?');
    if (!isPunct(tokens[i + 3], '{')) continue;
    const end = closing(tokens, i + 3);
    const address = `${resourceType}.${name}`;
    let displayName: string | undefined;
    let definition: MappedText | undefined;
    let definitionSeen = false;
    const own: Finding[] = [];
    for (let k = i + 4; k < end; k++) {
      const attr = tokens[k]!;
      if (attr.kind !== 'ident' || !attr.newline || !isPunct(tokens[k + 1], '=')) {
        if (attr.kind === 'punct' && (attr.text === '{' || attr.text === '[' || attr.text === '(')) k = closing(tokens, k);
        continue;
      }
      if (attr.text === 'display_name') displayName = stringValue(tokens[k + 2]);
      if (attr.text !== 'definition') continue;
      definitionSeen = true;
      try {
        if (!isPunct(tokens[k + 2], '[')) {
          const at = tokens[k + 2];
          throw new Unsupported(at === undefined ? 'the end of the file' : at.kind === 'ident' ? `the reference ${at.text}` : `"${at.text.slice(0, 40)}"`, at?.span ?? attr.span);
        }
        const close = closing(tokens, k + 2);
        const items: number[] = [];
        for (let e = k + 3; e < close; e++) {
          items.push(e);
          // skip to the next top-level comma of the list
          let depth = 0;
          let f = e;
          for (; f < close; f++) {
            const tk = tokens[f]!;
            if (tk.kind === 'punct' && (tk.text === '{' || tk.text === '[' || tk.text === '(')) depth++;
            else if (tk.kind === 'punct' && (tk.text === '}' || tk.text === ']' || tk.text === ')')) depth--;
            else if (depth === 0 && isPunct(tk, ',') && f > e) break;
          }
          e = f;
        }
        if (items.length !== 1) own.push({ code: 'CM1305', args: { count: items.length }, span: tokens[k + 2]!.span });
        if (items[0] !== undefined) definition = readDefinition(tokens, items[0], text);
        k = close;
      } catch (error) {
        if (!(error instanceof Unsupported)) throw error;
        own.push({ code: 'CM1401', args: { found: error.found }, span: error.span });
      }
    }
    const span = { start: t.span.start, end: tokens[end]?.span.end ?? text.length };
    if (!definitionSeen) own.push({ code: 'CM1403', args: { address }, span: t.span });
    if (displayName === undefined) own.push({ code: 'CM1404', args: { address }, span: t.span });
    policies.push({ address, displayName, definition, span, findings: own });
    i = end;
  }
  if (policies.length === 0) findings.push({ code: 'CM1402', args: {}, span: { start: 0, end: 0 } });
  return { policies, findings };
}

/** Whether a text is Terraform configuration (HCL) rather than JSON or PowerShell. */
export function looksLikeTerraform(text: string, fileName: string | undefined): boolean {
  if (fileName !== undefined && /\.tf$/i.test(fileName)) return true;
  // the cheap anchored test first: JSON (the usual input) starts with a bracket and never needs the scan of every line
  return !/^[\s\uFEFF]*[{[]/.test(text) && /^\s*(?:resource|provider|terraform|variable|locals|data|module)\s+["{a-z]/m.test(text);
}
