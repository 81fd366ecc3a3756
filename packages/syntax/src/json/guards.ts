import type { Span } from '@claimc/model';

/**
 * UTF-8 length of a text: one linear pass, no allocation (threats P1).
 *
 * @example
 * utf8Length('é') // 2
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * One linear pass over JSON text counting bracket nesting outside strings and comments, without
 * recursion (threats P2). Returns the span of the first bracket that goes deeper than `limit`, if any.
 *
 * @example
 * findExcessNesting('[[[]]]', 2) // { start: 2, end: 3 }
 */
export function findExcessNesting(text: string, limit: number): Span | undefined {
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // skip a string up to its closing quote or the end of its line
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) {
          const e = text.charCodeAt(i + 1);
          // a backslash cannot escape a line break: the lexer ends the string there too
          if (e === 10 || e === 13) break;
          i += 2;
        } else if (d === 34 || d === 10 || d === 13) break;
        else i++;
      }
      i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else {
      if (c === 123 || c === 91) {
        depth++;
        if (depth > limit) return { start: i, end: i + 1 };
      } else if ((c === 125 || c === 93) && depth > 0) depth--;
      i++;
    }
  }
  return undefined;
}
