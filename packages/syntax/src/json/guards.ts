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
 * One linear pass counting bracket nesting outside strings, line comments and block comments, without
 * recursion (threats P2). Returns the span of the first bracket that goes deeper than `limit`, if any.
 * `opening`/`closing` are the two bracket pairs that nest: `{[` for JSON, `({` for `.claims`.
 *
 * @example
 * findExcessNesting('[[[]]]', 2) // { start: 2, end: 3 }
 */
export function findExcessNesting(text: string, limit: number, opening = '{[', closing = '}]'): Span | undefined {
  const open1 = opening.charCodeAt(0);
  const open2 = opening.charCodeAt(1);
  const close1 = closing.charCodeAt(0);
  const close2 = closing.charCodeAt(1);
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
      if (c === open1 || c === open2) {
        depth++;
        if (depth > limit) return { start: i, end: i + 1 };
      } else if ((c === close1 || c === close2) && depth > 0) depth--;
      i++;
    }
  }
  return undefined;
}
