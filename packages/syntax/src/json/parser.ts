import { EmbeddedActionsParser, EOF, tokenLabel, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import { diagnosticCatalog, type Span } from '@claimc/model';
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
  StringToken,
  TrueLiteral,
  UnterminatedComment,
  UnterminatedString,
  Word,
} from './tokens.js';
import { decodeJsonString, type StringProblem } from './strings.js';
import type { JsonArrayNode, JsonMember, JsonNode, JsonObjectNode, JsonStringNode } from './tree.js';

/** A problem found while reading, before it becomes a catalog diagnostic (pointer and outer offsets come later). */
export interface Finding {
  readonly code: string;
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

type Sink = (node: JsonNode) => void;
const ignoreNode: Sink = () => undefined;

const maxSyntaxFindings = 50;

/** Renders a token for a message: its text (shortened) or "the end of the input". */
function describeToken(token: IToken): string {
  if (token.tokenType === EOF) return 'the end of the input';
  const image = token.image.length > 30 ? token.image.slice(0, 30) + '…' : token.image;
  return `'${image}'`;
}

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

/** Chevrotain parser producing a located tree; nodes are attached to their parent before their children are read, so recovery keeps partial trees. */
class JsonParser extends EmbeddedActionsParser {
  findings: Finding[] = [];
  root: JsonNode | undefined = undefined;

  constructor() {
    super([...jsonTokens], { recoveryEnabled: true, maxLookahead: 2, errorMessageProvider: expectedOnly });
    this.performSelfAnalysis();
  }

  load(tokens: IToken[]): void {
    this.input = tokens;
    this.findings = [];
    this.root = undefined;
  }

  readonly document = this.RULE('document', () => {
    this.SUBRULE(this.value, { ARGS: [(node: JsonNode) => (this.root = node)] });
  });

  /** The sink of the value being parsed; read by the cached alternatives right away, before any nested rule runs. */
  private pendingSink: Sink = ignoreNode;
  // built once: chevrotain alternatives allocated per call dominate parse time otherwise
  private readonly valueAlternatives = [
    {
      ALT: (): IToken | undefined => {
        this.SUBRULE(this.object, { ARGS: [this.pendingSink] });
        return undefined;
      },
    },
    {
      ALT: (): IToken | undefined => {
        this.SUBRULE(this.array, { ARGS: [this.pendingSink] });
        return undefined;
      },
    },
    { ALT: (): IToken | undefined => this.CONSUME(StringToken) },
    { ALT: (): IToken | undefined => this.CONSUME(NumberLiteral) },
    { ALT: (): IToken | undefined => this.CONSUME(TrueLiteral) },
    { ALT: (): IToken | undefined => this.CONSUME(FalseLiteral) },
    { ALT: (): IToken | undefined => this.CONSUME(NullLiteral) },
  ];

  readonly value = this.RULE('value', (sink: Sink) => {
    this.pendingSink = sink;
    const token = this.OR(this.valueAlternatives);
    this.ACTION(() => {
      if (token !== undefined) sink(this.scalarNode(token));
    });
  });

  private scalarNode(token: IToken): JsonNode {
    const span = spanOf(token);
    switch (token.tokenType) {
      case NumberLiteral:
        return { kind: 'number', span, text: token.image, value: Number(token.image) };
      case TrueLiteral:
        return { kind: 'boolean', span, value: true };
      case FalseLiteral:
        return { kind: 'boolean', span, value: false };
      case NullLiteral:
        return { kind: 'null', span };
      default:
        return this.stringNode(token);
    }
  }

  readonly object = this.RULE('object', (sink: Sink) => {
    const open = this.CONSUME(LCurly);
    let node: JsonObjectNode = { kind: 'object', span: { start: 0, end: 0 }, members: [], closed: false };
    const seen = new Map<string, JsonStringNode>();
    const commas = new CommaTracker(this.findings);
    this.ACTION(() => {
      node = { kind: 'object', span: spanOf(open), members: [], closed: false };
      sink(node);
    });
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const comma = this.CONSUME(Comma);
            this.ACTION(() => commas.comma(comma, this.LA(1)));
          },
        },
        {
          ALT: () => {
            this.ACTION(() => commas.element(this.LA(1)));
            this.SUBRULE(this.member, { ARGS: [node, seen] });
          },
        },
      ]);
    });
    const close = this.CONSUME(RCurly);
    this.ACTION(() => {
      // a bracket inserted by recovery has no offset: the container stays open
      if (Number.isNaN(close.startOffset)) return;
      node.span = { start: node.span.start, end: close.startOffset + 1 };
      node.closed = true;
      commas.close(close, seen.size > 0);
    });
  });

  readonly member = this.RULE('member', (owner: JsonObjectNode, seen: Map<string, JsonStringNode>) => {
    const keyToken = this.OR([{ ALT: () => this.CONSUME(StringToken) }, { ALT: () => this.CONSUME(Word) }]);
    let member: JsonMember = { key: { kind: 'string', span: { start: 0, end: 0 }, value: '' }, value: undefined };
    this.ACTION(() => {
      let key: JsonStringNode;
      if (keyToken.tokenType === Word) {
        key = { kind: 'string', span: spanOf(keyToken), value: keyToken.image };
        this.findings.push({ code: 'CM1208', args: { name: keyToken.image }, span: key.span, syntax: true, key: key.value });
      } else key = this.stringNode(keyToken);
      member = { key, value: undefined };
      const lower = key.value.toLowerCase();
      const first = seen.get(lower);
      if (first === undefined) {
        seen.set(lower, key);
        owner.members.push(member);
      } else {
        this.findings.push({
          code: 'CM1207',
          args: { name: key.value },
          span: key.span,
          related: [{ span: first.span, message: 'first given here' }],
          syntax: true,
          key: key.value,
        });
      }
    });
    this.CONSUME(Colon);
    this.SUBRULE(this.value, { ARGS: [(node: JsonNode) => (member.value = node)] });
  });

  readonly array = this.RULE('array', (sink: Sink) => {
    const open = this.CONSUME(LSquare);
    let node: JsonArrayNode = { kind: 'array', span: { start: 0, end: 0 }, items: [], closed: false };
    const commas = new CommaTracker(this.findings);
    this.ACTION(() => {
      node = { kind: 'array', span: spanOf(open), items: [], closed: false };
      sink(node);
    });
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const comma = this.CONSUME(Comma);
            this.ACTION(() => commas.comma(comma, this.LA(1)));
          },
        },
        {
          ALT: () => {
            this.ACTION(() => commas.element(this.LA(1)));
            this.SUBRULE(this.value, { ARGS: [(item: JsonNode) => node.items.push(item)] });
          },
        },
      ]);
    });
    const close = this.CONSUME(RSquare);
    this.ACTION(() => {
      // a bracket inserted by recovery has no offset: the container stays open
      if (Number.isNaN(close.startOffset)) return;
      node.span = { start: node.span.start, end: close.startOffset + 1 };
      node.closed = true;
      commas.close(close, node.items.length > 0);
    });
  });

  private stringNode(token: IToken): JsonStringNode {
    const span = spanOf(token);
    const unterminated = token.tokenType === UnterminatedString;
    if (unterminated) this.findings.push({ code: 'CM1102', args: {}, span, syntax: true });
    let raw = unterminated ? token.image.slice(1) : token.image.slice(1, -1);
    if (unterminated && raw.endsWith('\\') && !raw.endsWith('\\\\')) raw = raw.slice(0, -1);
    const problems: StringProblem[] = [];
    const { text } = decodeJsonString(raw, span.start + 1, problems);
    for (const p of problems) this.findings.push({ code: p.code, args: { escape: p.text, text: controlName(p.text) }, span: p.span, syntax: true });
    return { kind: 'string', span, value: text };
  }
}

/** Tracks commas between elements: missing (CM1204), doubled (CM1205) and trailing (CM1206, D3). */
class CommaTracker {
  private afterElement = false;
  private started = false;
  private pendingTrailing: IToken | undefined;
  private tokenAfterComma: IToken | undefined;
  constructor(private readonly findings: Finding[]) {}
  comma(token: IToken, next: IToken): void {
    if (!this.afterElement) this.findings.push({ code: 'CM1205', args: {}, span: spanOf(token), syntax: true });
    else {
      this.pendingTrailing = token;
      this.tokenAfterComma = next;
    }
    this.afterElement = false;
  }
  element(next: IToken): void {
    if (this.afterElement) this.findings.push({ code: 'CM1204', args: { found: describeToken(next) }, span: spanOf(next), syntax: true });
    this.afterElement = true;
    this.started = true;
    this.pendingTrailing = undefined;
  }
  /** A comma directly followed by the closing bracket is trailing; one followed by a recovered error is not. */
  close(closing: IToken, hasElements: boolean): void {
    if (this.pendingTrailing !== undefined && this.started && hasElements && this.tokenAfterComma === closing) {
      this.findings.push({ code: 'CM1206', args: {}, span: spanOf(this.pendingTrailing), syntax: true });
    }
  }
}

function spanOf(token: IToken): Span {
  return { start: token.startOffset, end: token.startOffset + token.image.length };
}

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
  const lexed = jsonLexer.tokenize(text);
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
