import { EmbeddedActionsParser, EOF, tokenLabel, type ILexingResult, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import { diagnosticCatalog, isPrototypeKey, type DiagnosticCode, type Span } from '@claimc/model';
import {
  Colon,
  Comma,
  FalseLiteral,
  jsonLexer,
  jsonTokens,
  LCurly,
  LSquare,
  NullLiteral,
  NumberLiteral,
  RCurly,
  RSquare,
  StringLiteral,
  StringToken,
  TrueLiteral,
  UnterminatedComment,
  UnterminatedString,
  Word,
} from './tokens.js';
import { decodeJsonString, type StringProblem } from './strings.js';
import { knownKey, rememberKey } from './known-keys.js';
import { parseCleanJsonTree } from './fast-parser.js';
import type { JsonArrayNode, JsonMember, JsonNode, JsonStringNode } from './tree.js';
import { ArrayFrame, describeToken, ObjectFrame, spanOf } from './comma-frames.js';

/** A problem found while reading, before it becomes a catalog diagnostic (pointer and outer offsets come later). */
export interface Finding {
  readonly code: DiagnosticCode;
  readonly args: Readonly<Record<string, string | number>>;
  span?: Span | undefined;
  pointer?: string | undefined;
  related?: { span: Span; message: string; pointer?: string }[] | undefined;
  readonly hint?: string | undefined;
  /** Parser findings get the pointer of the value they stand in, once the policy object is known. */
  readonly syntax?: boolean;
  /** For findings at a property name: the name, appended to the pointer of its object. */
  readonly key?: string;
}

/** The located JSON tree of a text and the syntax problems found in it. */
export interface JsonParseResult {
  readonly root: JsonNode | undefined;
  readonly findings: Finding[];
  /** True when any lexical or syntax error was found (threats P3: such a policy never compiles). */
  readonly hasSyntaxErrors: boolean;
}

/** Where a parsed value goes: the document root (undefined), an array's items, or a member's value. */
type Owner = JsonArrayNode | JsonMember | undefined;

const maxSyntaxFindings = 50;

function labelOf(type: TokenType): string {
  if (type === StringToken) return 'a string';
  if (type === NumberLiteral) return 'a number';
  return tokenLabel(type);
}

// Messages carry only the "expected" part; the found token is taken from the exception (CM1201/CM1202).
const expectedOnly: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => labelOf(expected),
  buildNotAllInputParsedMessage: () => 'the end of the input',
  buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) =>
    ruleName === 'value' ? 'a value' : [...new Set(expectedPathsPerAlt.flat().map((path) => labelOf(path[0] ?? EOF)))].join(' or '),
  buildEarlyExitMessage: ({ expectedIterationPaths }) => [...new Set(expectedIterationPaths.map((path) => labelOf(path[0] ?? EOF)))].join(' or '),
};

/**
 * Chevrotain parser producing a located tree; nodes are attached to their owner before their children are read, so
 * recovery keeps partial trees. Hot-path shape (bench/json.md): alternatives are built once, the owner of the value
 * being parsed travels in a field instead of a closure, and actions are guarded by RECORDING_PHASE instead of ACTION
 * closures, so a member costs its tokens, its nodes and nothing else.
 */
class JsonParser extends EmbeddedActionsParser {
  findings: Finding[] = [];
  root: JsonNode | undefined = undefined;
  /** The owner of the value about to be parsed; each rule reads it on entry, before any nested rule runs. */
  private pendingOwner: Owner = undefined;
  /** The containers whose element the cached alternatives are reading; set right before each OR. */
  private currentObject: ObjectFrame | undefined = undefined;
  private currentArray: ArrayFrame | undefined = undefined;

  constructor() {
    super([...jsonTokens], { recoveryEnabled: true, maxLookahead: 2, errorMessageProvider: expectedOnly });
    this.performSelfAnalysis();
  }

  load(tokens: IToken[]): void {
    this.input = tokens;
    this.findings = [];
    this.root = undefined;
    this.pendingOwner = undefined;
    this.currentObject = undefined;
    this.currentArray = undefined;
  }

  readonly document = this.RULE('document', () => {
    this.pendingOwner = undefined;
    this.SUBRULE(this.value);
  });

  private readonly valueAlternatives = [
    {
      ALT: (): IToken | undefined => {
        this.SUBRULE(this.object);
        return undefined;
      },
    },
    {
      ALT: (): IToken | undefined => {
        this.SUBRULE(this.array);
        return undefined;
      },
    },
    { ALT: (): IToken | undefined => this.CONSUME(StringToken) },
    { ALT: (): IToken | undefined => this.CONSUME(NumberLiteral) },
    { ALT: (): IToken | undefined => this.CONSUME(TrueLiteral) },
    { ALT: (): IToken | undefined => this.CONSUME(FalseLiteral) },
    { ALT: (): IToken | undefined => this.CONSUME(NullLiteral) },
  ];

  readonly value = this.RULE('value', () => {
    const owner = this.pendingOwner;
    const token = this.OR(this.valueAlternatives);
    if (!this.RECORDING_PHASE && token !== undefined) this.attach(owner, this.scalarNode(token));
  });

  private attach(owner: Owner, node: JsonNode): void {
    if (owner === undefined) this.root = node;
    else if ('kind' in owner) owner.items.push(node);
    else owner.value = node;
  }

  private scalarNode(token: IToken): JsonNode {
    switch (token.tokenType) {
      case NumberLiteral:
        return { kind: 'number', span: spanOf(token), text: token.image, value: Number(token.image) };
      case TrueLiteral:
        return { kind: 'boolean', span: spanOf(token), value: true };
      case FalseLiteral:
        return { kind: 'boolean', span: spanOf(token), value: false };
      case NullLiteral:
        return { kind: 'null', span: spanOf(token) };
      default:
        return this.stringNode(token);
    }
  }

  private readonly objectElementAlternatives = [
    {
      ALT: (): void => {
        const frame = this.currentObject;
        const comma = this.CONSUME(Comma);
        if (!this.RECORDING_PHASE) frame?.comma(comma, this.LA(1));
      },
    },
    {
      ALT: (): void => {
        if (!this.RECORDING_PHASE) this.currentObject?.element(this.LA(1));
        this.SUBRULE(this.member);
      },
    },
  ];

  readonly object = this.RULE('object', () => {
    const owner = this.pendingOwner;
    const open = this.CONSUME(LCurly);
    let frame: ObjectFrame | undefined;
    if (!this.RECORDING_PHASE) {
      frame = new ObjectFrame(this.findings, { kind: 'object', span: spanOf(open), members: [], closed: false });
      this.attach(owner, frame.node);
    }
    this.MANY(() => {
      // re-set on every element: a nested container replaced it while the previous member's value was read
      this.currentObject = frame;
      this.OR(this.objectElementAlternatives);
    });
    const close = this.CONSUME(RCurly);
    // a bracket inserted by recovery has no offset: the container stays open
    if (this.RECORDING_PHASE || frame === undefined || Number.isNaN(close.startOffset)) return;
    const node = frame.node;
    node.span = { start: node.span.start, end: close.startOffset + 1 };
    node.closed = true;
    frame.close(close, node.members.length > 0);
  });

  private readonly keyAlternatives = [{ ALT: (): IToken => this.CONSUME(StringToken) }, { ALT: (): IToken => this.CONSUME(Word) }];

  readonly member = this.RULE('member', () => {
    const frame = this.currentObject;
    const keyToken = this.OR(this.keyAlternatives);
    let member: JsonMember | undefined;
    if (!this.RECORDING_PHASE && frame !== undefined) member = this.addMember(frame, keyToken);
    this.CONSUME(Colon);
    this.pendingOwner = member ?? { key: { kind: 'string', span: { start: 0, end: 0 }, value: '' }, value: undefined };
    this.SUBRULE(this.value);
  });

  /** Creates the member for a key; a duplicate (CM1207) is parsed into a member that is not attached. */
  private addMember(frame: ObjectFrame, keyToken: IToken): JsonMember {
    let key: JsonStringNode;
    let lower: string;
    const known = keyToken.tokenType === StringLiteral ? knownKey(keyToken.image) : undefined;
    if (known !== undefined) {
      key = { kind: 'string', span: spanOf(keyToken), value: known.value };
      lower = known.lower;
    } else {
      if (keyToken.tokenType === Word) {
        key = { kind: 'string', span: spanOf(keyToken), value: keyToken.image };
        this.findings.push({ code: 'CM1208', args: { name: keyToken.image }, span: key.span, syntax: true, key: key.value });
      } else key = this.stringNode(keyToken);
      lower = key.value.toLowerCase();
      if (keyToken.tokenType === StringLiteral && (this.noEscapesInText || isPlainString(keyToken.image))) rememberKey(keyToken.image, key.value, lower);
    }
    const member: JsonMember = { key, value: undefined };
    if (isPrototypeKey(lower)) this.findings.push({ code: 'CM2050', args: { name: JSON.stringify(key.value) }, span: key.span, syntax: true, key: key.value });
    const first = frame.claimKey(key, lower, member);
    if (first !== undefined) {
      this.findings.push({
        code: 'CM1207',
        args: { name: key.value },
        span: key.span,
        related: [{ span: first.span, message: 'first given here' }],
        syntax: true,
        key: key.value,
      });
    }
    return member;
  }

  private readonly arrayElementAlternatives = [
    {
      ALT: (): void => {
        const frame = this.currentArray;
        const comma = this.CONSUME(Comma);
        if (!this.RECORDING_PHASE) frame?.comma(comma, this.LA(1));
      },
    },
    {
      ALT: (): void => {
        const frame = this.currentArray;
        if (!this.RECORDING_PHASE) frame?.element(this.LA(1));
        this.pendingOwner = frame?.node;
        this.SUBRULE(this.value);
      },
    },
  ];

  readonly array = this.RULE('array', () => {
    const owner = this.pendingOwner;
    const open = this.CONSUME(LSquare);
    let frame: ArrayFrame | undefined;
    if (!this.RECORDING_PHASE) {
      frame = new ArrayFrame(this.findings, { kind: 'array', span: spanOf(open), items: [], closed: false });
      this.attach(owner, frame.node);
    }
    this.MANY(() => {
      this.currentArray = frame;
      this.OR(this.arrayElementAlternatives);
    });
    const close = this.CONSUME(RSquare);
    // a bracket inserted by recovery has no offset: the container stays open
    if (this.RECORDING_PHASE || frame === undefined || Number.isNaN(close.startOffset)) return;
    const node = frame.node;
    node.span = { start: node.span.start, end: close.startOffset + 1 };
    node.closed = true;
    frame.close(close, node.items.length > 0);
  });

  /** True when the whole text has no backslash and no control character but CR/LF: no string needs decoding then. */
  noEscapesInText = false;

  private stringNode(token: IToken): JsonStringNode {
    const span = spanOf(token);
    const image = token.image;
    if (token.tokenType === StringLiteral && (this.noEscapesInText || isPlainString(image))) return { kind: 'string', span, value: image.slice(1, -1) };
    const unterminated = token.tokenType === UnterminatedString;
    if (unterminated) this.findings.push({ code: 'CM1102', args: {}, span, syntax: true });
    let raw = unterminated ? image.slice(1) : image.slice(1, -1);
    if (unterminated && raw.endsWith('\\') && !raw.endsWith('\\\\')) raw = raw.slice(0, -1);
    const problems: StringProblem[] = [];
    const { text } = decodeJsonString(raw, span.start + 1, problems);
    for (const p of problems) this.findings.push({ code: p.code, args: { escape: p.text, text: controlName(p.text) }, span: p.span, syntax: true });
    return { kind: 'string', span, value: text };
  }
}

/** True when a terminated string token has no escape and no control character: its value is its body as written. */
function isPlainString(image: string): boolean {
  const last = image.length - 1;
  for (let i = 1; i < last; i++) {
    const c = image.charCodeAt(i);
    if (c === 92 || c < 32) return false;
  }
  return true;
}

/** A backslash or a control character a string token may hold (CR and LF end a string token, so they are allowed). */
const escapeOrControl = /[\\\u0000-\u0009\u000b\u000c\u000e-\u001f]/;

function controlName(text: string): string {
  return '\\u' + text.charCodeAt(0).toString(16).padStart(4, '0');
}

let sharedParser: JsonParser | undefined;

/**
 * Lexes and parses JSON text (with D3's leniencies) into a located tree. Never throws on input;
 * callers run the size and depth guards first.
 *
 * @example
 * const { root, findings } = parseJsonTree('{"a": [1, 2,]}'); // one CM1206 warning for the trailing comma
 */
export function parseJsonTree(text: string): JsonParseResult {
  return parseLexed(text, jsonLexer.tokenize(text));
}

/**
 * The nesting guard (threats P2) over the tokens rather than the characters: the lexer is a loop, not a
 * recursion, and has already skipped strings and comments, so this is the same count in a shorter pass.
 * Returns the span of the first bracket deeper than `limit`, or the parsed tree. A clean text is first tried with the
 * tokenless reader (`parseCleanJsonTree`), which gives the same tree; any other text is lexed and parsed here.
 *
 * @example
 * parseJsonTreeWithin('[[[]]]', 2) // { tooDeep: { start: 2, end: 3 } }
 */
export function parseJsonTreeWithin(text: string, limit: number): JsonParseResult | { readonly tooDeep: Span } {
  // a clean text (the usual case) is read without tokens; anything the full parser would report goes to it
  const clean = parseCleanJsonTree(text, limit);
  if (clean !== undefined) return clean;
  const lexed = jsonLexer.tokenize(text);
  let depth = 0;
  for (const token of lexed.tokens) {
    const type = token.tokenType;
    if (type === LCurly || type === LSquare) {
      depth++;
      if (depth > limit) return { tooDeep: { start: token.startOffset, end: token.startOffset + 1 } };
    } else if ((type === RCurly || type === RSquare) && depth > 0) depth--;
  }
  return parseLexed(text, lexed);
}

function parseLexed(text: string, lexed: ILexingResult): JsonParseResult {
  const findings: Finding[] = [];
  let syntaxErrors = 0;
  for (const error of lexed.errors) {
    const length = Math.max(1, Math.min(error.length, 10));
    findings.push({ code: 'CM1101', args: { text: `'${text.slice(error.offset, error.offset + length)}'` }, span: { start: error.offset, end: error.offset + length }, syntax: true });
    syntaxErrors++;
  }
  for (const comment of lexed.groups['comments'] ?? []) {
    if (comment.tokenType === UnterminatedComment) {
      findings.push({ code: 'CM1105', args: {}, span: { start: comment.startOffset, end: comment.startOffset + 2 }, syntax: true });
      syntaxErrors++;
    } else findings.push({ code: 'CM1106', args: {}, span: spanOf(comment), syntax: true });
  }
  if (lexed.tokens.length === 0) return { root: undefined, findings, hasSyntaxErrors: syntaxErrors > 0 };
  sharedParser ??= new JsonParser();
  const parser = sharedParser;
  parser.load(lexed.tokens);
  parser.noEscapesInText = !escapeOrControl.test(text);
  parser.document();
  // chevrotain's own error at an offset says what was expected; findings of the recovery that follows at the same offset are dropped
  for (const error of parser.errors) {
    const token = error.token;
    const atEnd = token.tokenType === EOF;
    const start = atEnd ? text.length : token.startOffset;
    const span = atEnd ? { start, end: start } : spanOf(token);
    if (atEnd) findings.push({ code: 'CM1202', args: { expected: error.message }, span, syntax: true });
    else if (error.name === 'NotAllInputParsedException') findings.push({ code: 'CM1203', args: { found: describeToken(token) }, span, syntax: true });
    else if (error.context.ruleStack.at(-1) === 'object' && error.message === "'}'" && token.tokenType !== RSquare) {
      findings.push({ code: 'CM1209', args: { found: describeToken(token) }, span, syntax: true });
    } else findings.push({ code: 'CM1201', args: { expected: error.message, found: describeToken(token) }, span, syntax: true });
  }
  findings.push(...parser.findings);
  const root = parser.root;
  if (root !== undefined && parser.errors.length > 0) closeOpenSpans(root);
  const hasSyntaxErrors = syntaxErrors > 0 || parser.errors.length > 0 || findings.some((f) => diagnosticCatalog.get(f.code)?.severity === 'error');
  return { root, findings: capSyntaxFindings(dedupeByOffset(findings)), hasSyntaxErrors };
}

/** Gives containers that recovery left open the end of their last child. */
function closeOpenSpans(node: JsonNode): number {
  if (node.kind !== 'object' && node.kind !== 'array') return node.span.end;
  let end = node.span.end;
  if (node.kind === 'object') {
    for (const m of node.members) end = Math.max(end, m.key.span.end, m.value === undefined ? 0 : closeOpenSpans(m.value));
  } else for (const item of node.items) end = Math.max(end, closeOpenSpans(item));
  if (!node.closed) node.span = { start: node.span.start, end };
  return node.span.end;
}

/** Keeps the first error at each offset (lexer, then parser, then recovery); warnings are kept. */
function dedupeByOffset(findings: Finding[]): Finding[] {
  const seen = new Set<number>();
  return findings.filter((f) => {
    if (f.span === undefined || diagnosticCatalog.get(f.code)?.severity !== 'error') return true;
    if (seen.has(f.span.start)) return false;
    seen.add(f.span.start);
    return true;
  });
}

function capSyntaxFindings(findings: Finding[]): Finding[] {
  const syntax = findings.filter((f) => f.syntax === true);
  if (syntax.length <= maxSyntaxFindings) return findings;
  syntax.sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  const kept = new Set(syntax.slice(0, maxSyntaxFindings));
  const rest = findings.filter((f) => f.syntax !== true || kept.has(f));
  rest.push({ code: 'CM1210', args: { count: syntax.length - maxSyntaxFindings } });
  return rest;
}
