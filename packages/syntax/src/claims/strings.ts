/** Invisible or direction-changing characters: escaped when printed, warned about when written raw (threats P6). */
const invisible = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const invisibleChar = /^[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]$/;

export interface DecodedString {
  readonly text: string;
  /** Offsets (relative to the token start) and images of invalid escapes. */
  readonly badEscapes: readonly { readonly offset: number; readonly image: string }[];
  /** Offsets (relative to the token start) of raw invisible characters. */
  readonly invisible: readonly { readonly offset: number; readonly char: string }[];
  readonly closed: boolean;
  /** Where each decoded UTF-16 unit starts in the image, plus one final entry for the end (positions inside the value). */
  readonly starts: readonly number[];
}

const simpleEscapes: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Decodes a string token's image (JSON escapes); never throws. */
export function decodeString(image: string): DecodedString {
  const closed = image.length >= 2 && image.endsWith('"') && !endsWithEscapedQuote(image);
  const end = closed ? image.length - 1 : image.length;
  let text = '';
  const starts: number[] = [];
  const badEscapes: { offset: number; image: string }[] = [];
  const raw: { offset: number; char: string }[] = [];
  for (let i = 1; i < end; i++) {
    const c = image[i] as string;
    if (c !== '\\') {
      if (invisibleChar.test(c) && c !== '\t') raw.push({ offset: i, char: '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0') });
      starts.push(i);
      text += c;
      continue;
    }
    const next = image[i + 1];
    if (next === undefined) {
      badEscapes.push({ offset: i, image: '\\' });
      break;
    }
    const simple = simpleEscapes[next];
    if (simple !== undefined) {
      starts.push(i);
      text += simple;
      i++;
    } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(image.slice(i + 2, i + 6))) {
      starts.push(i);
      text += String.fromCharCode(parseInt(image.slice(i + 2, i + 6), 16));
      i += 5;
    } else {
      badEscapes.push({ offset: i, image: '\\' + next });
      i++;
    }
  }
  starts.push(end);
  return { text, badEscapes, invisible: raw, closed, starts };
}

function endsWithEscapedQuote(image: string): boolean {
  let slashes = 0;
  for (let i = image.length - 2; i >= 1 && image[i] === '\\'; i--) slashes++;
  return slashes % 2 === 1;
}

/**
 * Writes a string literal that decodes back to exactly `text`: JSON escaping, plus `\uXXXX` for
 * invisible and direction-changing characters so a reviewer sees them.
 *
 * @example
 * encodeString('a"b') // '"a\\"b"'
 */
export function encodeString(text: string): string {
  return JSON.stringify(text).replace(invisible, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
