import { isPrototypeKey } from '@claimc/model';
import { knownKeyAt, rememberKey } from './known-keys.js';
import type { JsonParseResult } from './parser.js';
import { decodeJsonString, type StringProblem } from './strings.js';
import type { JsonMember, JsonNode, JsonStringNode } from './tree.js';

// Character codes the scanner tests.
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const COLON = 58;
const UPPER_E = 69;
const LEFT_SQUARE = 91;
const BACKSLASH = 92;
const RIGHT_SQUARE = 93;
const LOWER_E = 101;
const LEFT_CURLY = 123;
const RIGHT_CURLY = 125;
const PLUS = 43;
const BOM = 0xfeff;
/** Objects with more members than this go to the full parser, whose duplicate-key index is built for them. */
const maxFastMembers = 64;

const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;

/**
 * A recursive-descent reader for the common case: strict JSON, no comment, no syntax problem, no duplicate or
 * prototype key, no bad escape — text on which the chevrotain lexer and parser would report nothing. It builds
 * the same located tree they build (same nodes, spans, values) straight from the text, without tokens, and gives
 * up (undefined) at the first thing it does not handle, so the full parser reads that text from the start and
 * every diagnostic comes from one place. A differential test holds the two to the same trees.
 */
class FastJsonReader {
  pos = 0;
  /** Lower-cased keys of the objects being read, innermost last (each object reads from its own base). */
  private readonly lowers: string[] = [];

  constructor(
    private readonly text: string,
    private readonly limit: number,
  ) {}

  /** Skips the lexer's whitespace; returns the next character code, or -1 at the end. */
  skipWhitespace(): number {
    const text = this.text;
    for (let pos = this.pos; pos < text.length; pos++) {
      const c = text.charCodeAt(pos);
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB && c !== BOM) {
        this.pos = pos;
        return c;
      }
    }
    this.pos = text.length;
    return -1;
  }

  /** The value at the current position (after whitespace); `depth` counts the brackets around it. */
  value(depth: number): JsonNode | undefined {
    const c = this.skipWhitespace();
    switch (c) {
      case LEFT_CURLY:
        return this.object(depth + 1);
      case LEFT_SQUARE:
        return this.array(depth + 1);
      case QUOTE: {
        const start = this.pos;
        const value = this.stringValue();
        return value === undefined ? undefined : { kind: 'string', span: { start, end: this.pos }, value };
      }
      case 116: // t
        return this.literal('true', true);
      case 102: // f
        return this.literal('false', false);
      case 110: // n
        return this.literal('null', null);
      default:
        return c === MINUS || isDigit(c) ? this.number() : undefined;
    }
  }

  private literal(word: string, value: boolean | null): JsonNode | undefined {
    const start = this.pos;
    if (!this.text.startsWith(word, start)) return undefined;
    // a word character after it makes a longer word (the lexer's Word): the caller's delimiter test refuses it
    this.pos = start + word.length;
    const span = { start, end: this.pos };
    return value === null ? { kind: 'null', span } : { kind: 'boolean', span, value };
  }

  /** The number token's pattern: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
  private number(): JsonNode | undefined {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text.charCodeAt(pos) === MINUS) pos++;
    const first = text.charCodeAt(pos);
    if (first === ZERO) pos++;
    else if (isDigit(first)) while (isDigit(text.charCodeAt(pos))) pos++;
    else return undefined;
    if (text.charCodeAt(pos) === DOT && isDigit(text.charCodeAt(pos + 1))) {
      pos += 2;
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    const e = text.charCodeAt(pos);
    if (e === LOWER_E || e === UPPER_E) {
      let at = pos + 1;
      const sign = text.charCodeAt(at);
      if (sign === PLUS || sign === MINUS) at++;
      if (isDigit(text.charCodeAt(at))) {
        pos = at + 1;
        while (isDigit(text.charCodeAt(pos))) pos++;
      }
    }
    this.pos = pos;
    const image = text.slice(start, pos);
    return { kind: 'number', span: { start, end: pos }, text: image, value: Number(image) };
  }

  /** Whether the last string scanned had no escape and no control character. */
  private plain = true;

  /** The end (after the closing quote) of the terminated string token at the current position, or -1. */
  private scanString(): number {
    const text = this.text;
    let plain = true;
    let pos = this.pos + 1;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        this.plain = plain;
        return pos + 1;
      }
      if (c === BACKSLASH) {
        const next = text.charCodeAt(pos + 1);
        // a backslash before a line end or the end of the text: an unterminated string (the full parser reports it)
        if (next === LF || next === CR || Number.isNaN(next)) return -1;
        plain = false;
        pos += 2;
        continue;
      }
      if (c === LF || c === CR) return -1;
      if (c < SPACE) plain = false;
      pos++;
    }
    return -1;
  }

  /** The decoded value of the string at the current position, moving past it; undefined for anything the full parser would report. */
  private stringValue(): string | undefined {
    const start = this.pos;
    const end = this.scanString();
    if (end < 0) return undefined;
    this.pos = end;
    if (this.plain) return this.text.slice(start + 1, end - 1);
    const problems: StringProblem[] = [];
    const { text } = decodeJsonString(this.text.slice(start + 1, end - 1), start + 1, problems);
    return problems.length === 0 ? text : undefined;
  }

  /** A property name: undefined when it is a prototype key or repeats one of its object's (`base`: the object's first lower-cased key). */
  private key(base: number): JsonStringNode | undefined {
    const start = this.pos;
    let value: string;
    let lower: string;
    let prototype: boolean;
    const end = this.scanString();
    if (end < 0) return undefined;
    const known = this.plain ? knownKeyAt(this.text, start, end) : undefined;
    if (known !== undefined) {
      this.pos = end;
      value = known.value;
      lower = known.lower;
      prototype = known.prototype;
    } else {
      const read = this.stringValue();
      if (read === undefined) return undefined;
      value = read;
      lower = value.toLowerCase();
      prototype = isPrototypeKey(lower);
      if (this.plain) rememberKey(this.text.slice(start, end), value, lower);
    }
    if (prototype) return undefined;
    const lowers = this.lowers;
    for (let i = base; i < lowers.length; i++) if (lowers[i] === lower) return undefined;
    lowers.push(lower);
    return { kind: 'string', span: { start, end }, value };
  }

  private object(depth: number): JsonNode | undefined {
    if (depth > this.limit) return undefined;
    const start = this.pos++;
    const members: JsonMember[] = [];
    let c = this.skipWhitespace();
    if (c !== RIGHT_CURLY) {
      const base = this.lowers.length;
      for (;;) {
        if (c !== QUOTE || members.length >= maxFastMembers) return undefined;
        const key = this.key(base);
        if (key === undefined || this.skipWhitespace() !== COLON) return undefined;
        this.pos++;
        const value = this.value(depth);
        if (value === undefined) return undefined;
        members.push({ key, value });
        c = this.skipWhitespace();
        if (c === RIGHT_CURLY) break;
        if (c !== COMMA) return undefined;
        this.pos++;
        c = this.skipWhitespace();
      }
      this.lowers.length = base;
    }
    this.pos++;
    return { kind: 'object', span: { start, end: this.pos }, members, closed: true };
  }

  private array(depth: number): JsonNode | undefined {
    if (depth > this.limit) return undefined;
    const start = this.pos++;
    const items: JsonNode[] = [];
    if (this.skipWhitespace() !== RIGHT_SQUARE) {
      for (;;) {
        const item = this.value(depth);
        if (item === undefined) return undefined;
        items.push(item);
        const c = this.skipWhitespace();
        if (c === RIGHT_SQUARE) break;
        if (c !== COMMA) return undefined;
        this.pos++;
      }
    }
    this.pos++;
    return { kind: 'array', span: { start, end: this.pos }, items, closed: true };
  }
}

/**
 * The located tree of a text on which the full (chevrotain) reader would find nothing to report, read without
 * tokens; undefined for any other text, which the caller then gives to the full reader. Brackets nested deeper
 * than `limit` also give undefined (the full reader reports them).
 *
 * @example
 * parseCleanJsonTree('{"a": [1, true]}', 32)?.root; // the object node, spans as the full parser gives them
 * parseCleanJsonTree('{"a": [1, 2,]}', 32); // undefined: a trailing comma is a finding
 */
export function parseCleanJsonTree(text: string, limit: number): JsonParseResult | undefined {
  const reader = new FastJsonReader(text, limit);
  const root = reader.value(0);
  if (root === undefined || reader.skipWhitespace() !== -1) return undefined;
  return { root, findings: [], hasSyntaxErrors: false };
}
