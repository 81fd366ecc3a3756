/** A piece of a RegexReplace replacement: literal text or a reference to a group or an extra input claim. */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'ref'; readonly name: string; readonly offset: number; readonly length: number };

const refName = /^[A-Za-z0-9_]+$/;

/**
 * Parses a RegexReplace replacement (D11): `{name}` and `${name}` refer to a named regex group or an extra
 * input claim (groups first); `{N}`, `${N}` and `$N` (digits) refer to group N, 0 being the whole match;
 * `$$` is a literal `$`. Anything else, including a `{` or `$` that starts no reference, is literal text.
 * A reference's `offset`/`length` locate it in the template.
 *
 * @example
 * parseReplacementTemplate('{country}.{domain}@xyz.com')
 * // [{ kind: 'ref', name: 'country', offset: 0, length: 9 }, { kind: 'text', text: '.' },
 * //  { kind: 'ref', name: 'domain', offset: 10, length: 8 }, { kind: 'text', text: '@xyz.com' }]
 */
export function parseReplacementTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < template.length) {
    const c = template[i] ?? '';
    if (c === '$' && template[i + 1] === '$') {
      text += '$';
      i += 2;
      continue;
    }
    const braceAt = c === '{' ? i : c === '$' && template[i + 1] === '{' ? i + 1 : -1;
    if (braceAt >= 0) {
      const close = template.indexOf('}', braceAt + 1);
      const name = close < 0 ? '' : template.slice(braceAt + 1, close);
      if (close >= 0 && refName.test(name)) {
        flush();
        parts.push({ kind: 'ref', name, offset: i, length: close + 1 - i });
        i = close + 1;
        continue;
      }
    }
    if (c === '$') {
      const digits = /^\d+/.exec(template.slice(i + 1, i + 12));
      if (digits !== null) {
        flush();
        parts.push({ kind: 'ref', name: digits[0], offset: i, length: digits[0].length + 1 });
        i += digits[0].length + 1;
        continue;
      }
    }
    text += c;
    i++;
  }
  flush();
  return parts;
}

/**
 * True when a reference names a group by number (`{1}`, `$1`): digits only.
 *
 * @example
 * isNumberedReference('1') // true
 * isNumberedReference('domain') // false
 */
export function isNumberedReference(name: string): boolean {
  return /^\d+$/.test(name);
}
