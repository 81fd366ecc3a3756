import { RE2JS, RE2JSSyntaxException } from 're2js';
import { limits } from '@claimc/model';

/** A .NET pattern rewritten into the RE2 syntax re2js compiles, with what the replacement template can name. */
export interface TranslatedPattern {
  /** RE2 source; compile it with `RE2JS.compile(source)` and no flags. */
  readonly source: string;
  /** Named groups in order of appearance. */
  readonly groupNames: readonly string[];
  /** Capturing groups, named and unnamed (group 0, the whole match, not counted). */
  readonly groupCount: number;
}

/** Why a pattern cannot run: `offset`/`length` point into the ORIGINAL .NET pattern. */
export interface PatternFailure {
  readonly ok: false;
  readonly offset: number;
  readonly length: number;
  readonly construct: string;
  /** The re2js program size, for `program too large`. */
  readonly programSize?: number;
}

export type TranslationResult =
  | {
      readonly ok: true;
      readonly pattern: TranslatedPattern;
      readonly programSize: number;
      /** The re2js program compiled to validate the pattern, handed to the compile pipeline's own link so it is compiled once. */
      readonly compiled: RE2JS;
    }
  | PatternFailure;

const groupNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Translates a .NET regular expression (the dialect RegexReplace documents) into RE2 syntax and compiles
 * it with re2js to validate it (D11, threats X1–X3). Named groups `(?<n>…)` / `(?'n'…)` become `(?P<n>…)`,
 * inline options `i`, `m`, `s` are kept, `\uXXXX` becomes `\x{XXXX}`, `\e` becomes `\x1B`, `\Z` becomes `\z`.
 * `\w`, `\d`, `\s` (and `\W`, `\D`, `\S`) become the Unicode classes .NET means by them, and a character-class
 * subtraction `[a-z-[aeiou]]` becomes the equivalent class. Constructs that need backtracking (backreferences,
 * lookaround, atomic groups, possessive quantifiers, conditionals, balancing groups) fail with their offset in the
 * pattern. Differences that stay are listed in docs/evaluate.md (RegexReplace).
 *
 * @example
 * translateDotNetPattern("(?'domain'^.*?)(?i)(\\@fabrikam\\.com)$")
 * // { ok: true, pattern: { source: '(?P<domain>^.*?)(?i)(\\@fabrikam\\.com)$', groupNames: ['domain'], groupCount: 2 }, programSize: … }
 * translateDotNetPattern('(\\w)\\1') // { ok: false, offset: 4, length: 2, construct: 'a backreference' }
 */
export function translateDotNetPattern(pattern: string): TranslationResult {
  if (pattern.length > limits.regexPatternLength) {
    return { ok: false, offset: limits.regexPatternLength, length: pattern.length - limits.regexPatternLength, construct: 'too long' };
  }
  const scanned = scan(pattern);
  if (!scanned.ok) return scanned;
  const { out, map, groupNames, groupCount } = scanned;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(out);
  } catch (error) {
    return compileFailure(error, out, map, pattern);
  }
  const programSize = compiled.programSize();
  if (programSize > limits.regexProgramSize) return { ok: false, offset: 0, length: pattern.length, construct: 'program too large', programSize };
  return { ok: true, pattern: { source: out, groupNames, groupCount }, programSize, compiled };
}

interface Scanned {
  readonly ok: true;
  readonly out: string;
  /** For each character of `out`, the offset in the .NET pattern it came from. */
  readonly map: readonly number[];
  readonly groupNames: string[];
  readonly groupCount: number;
}

const fail = (offset: number, length: number, construct: string): PatternFailure => ({ ok: false, offset, length, construct });

function scan(p: string): Scanned | PatternFailure {
  let out = '';
  const map: number[] = [];
  const emit = (text: string, from: number): void => {
    out += text;
    for (let k = 0; k < text.length; k++) map.push(from);
  };
  const emitRaw = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      out += p[k];
      map.push(k);
    }
  };
  const groupNames: string[] = [];
  let groupCount = 0;
  let inClass = false;
  let classStart = -1;
  // where the current class began, in the pattern and in the output (a subtraction rewrites the whole class)
  let classOpen = -1;
  let classOut = 0;
  let afterQuantifier = false;
  let quantifierStart = 0;
  let i = 0;
  while (i < p.length) {
    const c = p[i] ?? '';
    if (c === '\\') {
      const escaped = translateEscape(p, i, inClass);
      if (!escaped.ok) return escaped;
      if (escaped.text === undefined) emitRaw(i, i + escaped.length);
      else emit(escaped.text, i);
      i += escaped.length;
      afterQuantifier = false;
      continue;
    }
    if (inClass) {
      if (c === ']' && i > classStart) {
        inClass = false;
        emitRaw(i, i + 1);
      } else if (c === '-' && p[i + 1] === '[') {
        const set = parseClassSet(p, classOpen);
        if (!set.ok) return set;
        out = out.slice(0, classOut);
        map.length = classOut;
        emit(renderRanges(set.ranges), classOpen);
        inClass = false;
        i = set.end;
        continue;
      } else if (c === '[') {
        // .NET reads '[' in a class literally; RE2 would read '[:alpha:]' as a POSIX class.
        emit('\\[', i);
      } else emitRaw(i, i + 1);
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      classOpen = i;
      classOut = out.length;
      emitRaw(i, i + 1);
      i++;
      if (p[i] === '^') {
        emitRaw(i, i + 1);
        i++;
      }
      // A ']' right after '[' or '[^' is a literal in both dialects.
      classStart = p[i] === ']' ? i + 1 : i;
      afterQuantifier = false;
      continue;
    }
    if (c === '(') {
      afterQuantifier = false;
      if (p[i + 1] !== '?') {
        groupCount++;
        emitRaw(i, i + 1);
        i++;
        continue;
      }
      const group = translateGroupOpening(p, i);
      if (!group.ok) return group;
      if (group.name !== undefined) {
        groupNames.push(group.name);
        groupCount++;
      }
      if (group.text !== undefined) emit(group.text, i);
      i += group.length;
      continue;
    }
    if (c === '+' && afterQuantifier) return fail(quantifierStart, i + 1 - quantifierStart, 'a possessive quantifier');
    if (c === '*' || c === '+' || c === '?') {
      quantifierStart = i;
      emitRaw(i, i + 1);
      i++;
      afterQuantifier = true;
      if (p[i] === '?') {
        emitRaw(i, i + 1);
        i++;
        afterQuantifier = false;
      }
      continue;
    }
    if (c === '{') {
      const m = /^\{\d+(,\d*)?\}/.exec(p.slice(i, i + 24));
      if (m !== null) {
        quantifierStart = i;
        emitRaw(i, i + m[0].length);
        i += m[0].length;
        afterQuantifier = true;
        if (p[i] === '?') {
          emitRaw(i, i + 1);
          i++;
          afterQuantifier = false;
        }
        continue;
      }
    }
    afterQuantifier = false;
    emitRaw(i, i + 1);
    i++;
  }
  return { ok: true, out, map, groupNames, groupCount };
}

/** `text` undefined: copy the escape verbatim. */
function translateEscape(p: string, i: number, inClass: boolean): { ok: true; length: number; text?: string } | PatternFailure {
  const next = p[i + 1];
  if (next === undefined) return { ok: true, length: 1 };
  if (!inClass && next >= '1' && next <= '9') {
    let end = i + 2;
    while (end < p.length && /[0-9]/.test(p[end] ?? '')) end++;
    return fail(i, end - i, 'a backreference');
  }
  if (next === 'k' && (p[i + 2] === '<' || p[i + 2] === "'")) {
    const close = p.indexOf(p[i + 2] === '<' ? '>' : "'", i + 3);
    return fail(i, (close < 0 ? p.length : close + 1) - i, 'a backreference');
  }
  if (next === 'u') {
    const hex = p.slice(i + 2, i + 6);
    if (/^[0-9A-Fa-f]{4}$/.test(hex)) return { ok: true, length: 6, text: `\\x{${hex}}` };
  }
  if (next === 'e') return { ok: true, length: 2, text: '\\x1B' };
  const shorthand = unicodeShorthands[next];
  if (shorthand !== undefined) {
    if (!inClass) return { ok: true, length: 2, text: shorthand.alone };
    if (shorthand.inClass === undefined) return fail(i, 2, `\\${next} inside a character class (write the class it stands for with [^…])`);
    return { ok: true, length: 2, text: shorthand.inClass };
  }
  if (next === 'Z' && !inClass) return { ok: true, length: 2, text: '\\z' };
  if (next === 'G' && !inClass) return fail(i, 2, 'the \\G anchor');
  return { ok: true, length: 2 };
}

// .NET's shorthands are Unicode classes (RE2's are ASCII): \w = [\p{L}\p{Mn}\p{Nd}\p{Pc}], \d = \p{Nd},
// \s = [\f\n\r\t\v\x85\p{Z}]. A negated one inside a class has no RE2 spelling (RE2 classes do not nest).
const wordClass = '\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}';
const spaceClass = '\\x{0C}\\x{0A}\\x{0D}\\x{09}\\x{0B}\\x{85}\\p{Z}';
const unicodeShorthands: Readonly<Record<string, { readonly alone: string; readonly inClass: string | undefined }>> = {
  w: { alone: `[${wordClass}]`, inClass: wordClass },
  W: { alone: `[^${wordClass}]`, inClass: undefined },
  d: { alone: '\\p{Nd}', inClass: '\\p{Nd}' },
  D: { alone: '\\P{Nd}', inClass: '\\P{Nd}' },
  s: { alone: `[${spaceClass}]`, inClass: spaceClass },
  S: { alone: `[^${spaceClass}]`, inClass: undefined },
};

/** Inclusive code point ranges, sorted and disjoint. */
type Ranges = readonly (readonly [number, number])[];

const maxCodePoint = 0x10ffff;

function normalize(ranges: (readonly [number, number])[]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(ranges: Ranges): [number, number][] {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= maxCodePoint) out.push([next, maxCodePoint]);
  return out;
}

/** a \ b over sorted disjoint ranges. */
const subtract = (a: Ranges, b: Ranges): [number, number][] => {
  const keep = complement(b);
  const out: [number, number][] = [];
  for (const [lo, hi] of a) for (const [klo, khi] of keep) if (klo <= hi && khi >= lo) out.push([Math.max(lo, klo), Math.min(hi, khi)]);
  return out;
};

const hex = (cp: number): string => `\\x{${cp.toString(16).toUpperCase()}}`;

/** An RE2 class for the ranges; an empty set becomes a class that matches nothing. */
function renderRanges(ranges: Ranges): string {
  if (ranges.length === 0) return `[^${hex(0)}-${hex(maxCodePoint)}]`;
  return `[${ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('')}]`;
}

const classEscapes: Readonly<Record<string, number>> = { n: 0x0a, r: 0x0d, t: 0x09, f: 0x0c, v: 0x0b, e: 0x1b, a: 0x07, b: 0x08 };

/** One character of a class at `i` (a literal or an escape): its code point and length, or a failure. */
function classChar(p: string, i: number): { ok: true; cp: number; length: number } | PatternFailure {
  if (p[i] !== '\\') {
    const cp = p.codePointAt(i)!;
    return { ok: true, cp, length: cp > 0xffff ? 2 : 1 };
  }
  const next = p[i + 1];
  if (next === undefined) return fail(i, 1, 'an unterminated escape');
  const mapped = classEscapes[next];
  if (mapped !== undefined) return { ok: true, cp: mapped, length: 2 };
  const u = /^u([0-9A-Fa-f]{4})/.exec(p.slice(i + 1, i + 6));
  if (u !== null) return { ok: true, cp: parseInt(u[1]!, 16), length: 6 };
  const x = /^x([0-9A-Fa-f]{2})/.exec(p.slice(i + 1, i + 4));
  if (x !== null) return { ok: true, cp: parseInt(x[1]!, 16), length: 4 };
  if (/[A-Za-z0-9]/.test(next)) return fail(i, 2, `\\${next} in a class with a subtraction (list the characters instead)`);
  return { ok: true, cp: next.codePointAt(0)!, length: 2 };
}

/**
 * Parses a .NET class with a subtraction (`[base-[subtracted]]`, nesting allowed) starting at the `[` at `open`,
 * into code point ranges: .NET's class subtraction, computed at compile time because RE2 has none.
 */
function parseClassSet(p: string, open: number): { ok: true; ranges: [number, number][]; end: number } | PatternFailure {
  let i = open + 1;
  const negated = p[i] === '^';
  if (negated) i++;
  const items: [number, number][] = [];
  let first = true;
  let subtracted: Ranges = [];
  while (i < p.length) {
    if (p[i] === ']' && !first) break;
    first = false;
    if (p[i] === '-' && p[i + 1] === '[') {
      const inner = parseClassSet(p, i + 1);
      if (!inner.ok) return inner;
      subtracted = inner.ranges;
      i = inner.end;
      if (p[i] !== ']') return fail(open, i - open, 'a class subtraction that is not the last item of its class');
      break;
    }
    const lo = classChar(p, i);
    if (!lo.ok) return lo;
    i += lo.length;
    if (p[i] === '-' && p[i + 1] !== ']' && p[i + 1] !== '[' && i + 1 < p.length) {
      const hi = classChar(p, i + 1);
      if (!hi.ok) return hi;
      if (hi.cp < lo.cp) return fail(i - lo.length, lo.length + 1 + hi.length, 'a character range out of order');
      items.push([lo.cp, hi.cp]);
      i += 1 + hi.length;
    } else items.push([lo.cp, lo.cp]);
  }
  if (p[i] !== ']') return fail(open, p.length - open, 'an unterminated character class');
  const base = negated ? complement(normalize(items)) : normalize(items);
  return { ok: true, ranges: subtract(base, normalize([...subtracted])), end: i + 1 };
}

/** Handles `(?…`: returns the RE2 text (undefined: copy nothing, i.e. a comment) and the group name if capturing. */
function translateGroupOpening(p: string, i: number): { ok: true; length: number; text?: string; name?: string } | PatternFailure {
  const rest = p.slice(i + 2, i + 3);
  const two = p.slice(i + 2, i + 4);
  if (rest === ':') return { ok: true, length: 3, text: '(?:' };
  if (rest === '=' || rest === '!') return fail(i, 3, 'a lookahead');
  if (two === '<=' || two === '<!') return fail(i, 4, 'a lookbehind');
  if (rest === '>') return fail(i, 3, 'an atomic group');
  if (rest === '(') return fail(i, 3, 'a conditional');
  if (rest === '#') {
    const close = p.indexOf(')', i);
    if (close < 0) return fail(i, p.length - i, 'an unterminated comment');
    return { ok: true, length: close + 1 - i };
  }
  if (rest === '<' || rest === "'") {
    const closer = rest === '<' ? '>' : "'";
    const close = p.indexOf(closer, i + 3);
    if (close < 0) return fail(i, p.length - i, 'an unterminated group name');
    const name = p.slice(i + 3, close);
    const length = close + 1 - i;
    if (name.includes('-')) return fail(i, length, 'a balancing group');
    if (/^\d+$/.test(name)) return fail(i, length, 'a numbered group name');
    if (!groupNamePattern.test(name)) return fail(i, length, 'a group name that is not ASCII letters, digits and _');
    return { ok: true, length, text: `(?P<${name}>`, name };
  }
  if (rest === 'P') return fail(i, 3, 'Python-style (?P…) syntax, which .NET does not have');
  const flags = /^\(\?([A-Za-z]*)(?:-([A-Za-z]*))?([:)])/.exec(p.slice(i, i + 24));
  if (flags !== null) {
    const letters = (flags[1] ?? '') + (flags[2] ?? '');
    const bad = [...letters].find((f) => !'ims'.includes(f));
    if (bad !== undefined) return fail(i, flags[0].length, bad === 'n' || bad === 'x' ? `the inline option "${bad}"` : `an unknown inline option "${bad}"`);
    return { ok: true, length: flags[0].length, text: flags[0] };
  }
  return fail(i, 2, 'an unknown group construct');
}

function compileFailure(error: unknown, out: string, map: readonly number[], pattern: string): PatternFailure {
  if (error instanceof RE2JSSyntaxException) {
    const fragment = error.getPattern() ?? '';
    const at = fragment === '' ? -1 : out.indexOf(fragment);
    const start = at < 0 ? 0 : (map[at] ?? 0);
    const endIn = at < 0 ? pattern.length : (map[at + fragment.length - 1] ?? pattern.length - 1) + 1;
    return fail(start, Math.max(1, endIn - start), error.getDescription());
  }
  return fail(0, pattern.length, error instanceof Error ? error.message : 'an invalid pattern');
}
