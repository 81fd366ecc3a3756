import type { CstElement, CstNode, CstNodeLocation, IToken } from 'chevrotain';
import { createDiagnostic, type Diagnostic, type Span } from '@claimc/model';
import type {
  ArgNode,
  ClaimNode,
  ClauseKeyword,
  ClauseNode,
  ExprNode,
  InputNode,
  ModifierNode,
  PolicyNode,
  SettingNode,
  SettingValue,
  StatementNode,
  TextNode,
  TransformItemNode,
  TransformNode,
} from './ast.js';
import { claimsParser } from './parser.js';
import { decodeString } from './strings.js';
import * as t from './tokens.js';

type Ctx = Record<string, CstElement[] | undefined>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function isToken(e: CstElement | undefined): e is IToken {
  return e !== undefined && 'image' in e;
}

function tok(ctx: Ctx, key: string, index = 0): IToken | undefined {
  const e = ctx[key]?.[index];
  return isToken(e) ? e : undefined;
}

function node(ctx: Ctx, key: string, index = 0): CstNode | undefined {
  const e = ctx[key]?.[index];
  return e !== undefined && !isToken(e) ? e : undefined;
}

function nodes(ctx: Ctx, key: string): CstNode[] {
  return (ctx[key] ?? []).filter((e): e is CstNode => !isToken(e));
}

function tokens(ctx: Ctx, key: string): IToken[] {
  return (ctx[key] ?? []).filter(isToken);
}

/** chevrotain's endOffset is inclusive; spans are half-open. Tokens inserted by recovery have no offsets. */
export function tokenSpan(token: IToken): Span {
  const start = Number.isFinite(token.startOffset) ? token.startOffset : 0;
  const end = Number.isFinite(token.endOffset) ? (token.endOffset as number) + 1 : start;
  return { start, end };
}

function joinSpans(a: Span, b: Span | undefined): Span {
  return b === undefined ? a : { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** The span of a CST element: a token's, or the node's own location (nodeLocationTracking). */
function extent(element: CstElement): Span | undefined {
  if (isToken(element)) return Number.isFinite(element.startOffset) ? tokenSpan(element) : undefined;
  const location = element.location;
  if (location === undefined || !Number.isFinite(location.startOffset) || !Number.isFinite(location.endOffset)) return undefined;
  return { start: location.startOffset, end: (location.endOffset as number) + 1 };
}

/** A CST node's own span (nodeLocationTracking: 'onlyOffset'), when it has one. */
function locationSpan(location: CstNodeLocation | undefined): Span | undefined {
  if (location === undefined || !Number.isFinite(location.startOffset) || !Number.isFinite(location.endOffset)) return undefined;
  return { start: location.startOffset, end: (location.endOffset as number) + 1 };
}

/** The span of a rule's children (a visitor receives the children, not the node). */
function ctxExtent(ctx: Ctx): Span {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const key in ctx) {
    for (const child of ctx[key] ?? []) {
      const s = extent(child);
      if (s === undefined) continue;
      if (s.start < start) start = s.start;
      if (s.end > end) end = s.end;
    }
  }
  return Number.isFinite(start) ? { start, end } : { start: 0, end: 0 };
}

/** The clause keyword tokens in the order a clause is recognised (`nameid format` before `format`). */
const clauseKeywords: readonly (readonly [string, ClauseKeyword])[] = [
  ['Saml', 'saml'],
  ['NameId', 'nameid'],
  ['Format', 'format'],
  ['Id', 'id'],
  ['Source', 'source'],
  ['Extension', 'extension'],
  ['Value', 'value'],
  ['Via', 'via'],
];

const BaseVisitor = claimsParser.getBaseCstVisitorConstructor();

/**
 * CST → AST. Decodes strings (reporting bad escapes and raw invisible characters) and gives every node
 * its span. Total over recovered CSTs: a missing child becomes an empty name at offset 0.
 */
class AstBuilder extends BaseVisitor {
  diagnostics: Diagnostic[] = [];

  constructor() {
    super();
    this.validateVisitor();
  }

  text(token: IToken | undefined): TextNode {
    if (token === undefined) return { text: '', span: { start: 0, end: 0 }, quoted: false };
    const span = tokenSpan(token);
    if (token.tokenType !== t.ClosedString && token.tokenType !== t.UnclosedString) return { text: token.image, span, quoted: false };
    const decoded = decodeString(token.image);
    if (!decoded.closed) this.diagnostics.push(createDiagnostic('CM6002', {}, { span }));
    for (const bad of decoded.badEscapes) {
      this.diagnostics.push(createDiagnostic('CM6003', { escape: bad.image }, { span: { start: span.start + bad.offset, end: span.start + bad.offset + bad.image.length } }));
    }
    for (const raw of decoded.invisible) {
      this.diagnostics.push(createDiagnostic('CM6007', { char: raw.char }, { span: { start: span.start + raw.offset, end: span.start + raw.offset + 1 } }));
    }
    return { text: decoded.text, span, quoted: true };
  }

  spanOf(ctxNode: CstNode | undefined): Span {
    return (ctxNode === undefined ? undefined : extent(ctxNode)) ?? { start: 0, end: 0 };
  }

  policyFile(ctx: Ctx): PolicyNode {
    const nameNode = node(ctx, 'name');
    const name = nameNode === undefined ? undefined : (this.visit(nameNode) as TextNode);
    const statements = nodes(ctx, 'statement').map((s) => this.visit(s) as StatementNode);
    const start = tok(ctx, 'Policy');
    const end = tok(ctx, 'RBrace');
    const span = joinSpans(start === undefined ? { start: 0, end: 0 } : tokenSpan(start), end === undefined ? undefined : tokenSpan(end));
    return name !== undefined ? { name, statements, span } : { statements, span };
  }

  statement(ctx: Ctx): StatementNode {
    const inner = node(ctx, 'claimStatement') ?? node(ctx, 'inputStatement') ?? node(ctx, 'transformBlock') ?? node(ctx, 'setting');
    return this.visit(inner as CstNode) as StatementNode;
  }

  setting(ctx: Ctx): SettingNode {
    const words = tokens(ctx, 'key')
      .sort((a, b) => a.startOffset - b.startOffset)
      .map((k) => this.text(k));
    const values: SettingValue[] = nodes(ctx, 'settingValue')
      .map((n) => this.visit(n) as IToken)
      .filter((v): v is IToken => v !== undefined)
      .map((v) => {
        const kind = v.tokenType === t.NumberLiteral ? 'number' : v.tokenType === t.Identifier ? 'word' : 'string';
        return { kind, text: this.text(v).text, span: tokenSpan(v) };
      });
    const first = words[0]?.span ?? { start: 0, end: 0 };
    const last = values[values.length - 1]?.span ?? tokenSpan(tok(ctx, 'Colon') ?? ({ startOffset: first.start, endOffset: first.end - 1 } as IToken));
    return { kind: 'setting', words, values, span: joinSpans(first, last) };
  }

  settingValue(ctx: Ctx): IToken | undefined {
    return tok(ctx, 'Identifier') ?? tok(ctx, 'StringLiteral') ?? tok(ctx, 'NumberLiteral');
  }

  claimStatement(ctx: Ctx): ClaimNode {
    const keyword = tok(ctx, 'Claim');
    const keywordSpan = keyword === undefined ? { start: 0, end: 0 } : tokenSpan(keyword);
    const jwtNode = node(ctx, 'jwt');
    const samlKeyword = tok(ctx, 'Saml');
    const samlToken = tok(ctx, 'saml');
    const valueNode = node(ctx, 'expression');
    const clauseNodes = nodes(ctx, 'entryClause');
    const clauses = clauseNodes.map((c) => this.visit(c) as ClauseNode);
    let span = keywordSpan;
    for (const c of clauseNodes) span = joinSpans(span, extent(c));
    if (valueNode !== undefined) span = joinSpans(span, extent(valueNode));
    let saml: ClauseNode | undefined;
    if (samlKeyword !== undefined) {
      const value = this.text(samlToken);
      saml = { keyword: 'saml', keywordSpan: tokenSpan(samlKeyword), value, span: joinSpans(tokenSpan(samlKeyword), value.span) };
      span = joinSpans(span, saml.span);
    }
    const jwt = jwtNode === undefined ? undefined : (this.visit(jwtNode) as TextNode);
    if (jwt !== undefined) span = joinSpans(span, jwt.span);
    // optional fields are set in place: object spreads were a hot spot of the reader
    const claim: Mutable<ClaimNode> = { kind: 'claim', keywordSpan, clauses, span };
    if (jwt !== undefined) claim.jwt = jwt;
    if (saml !== undefined) claim.saml = saml;
    if (valueNode !== undefined) claim.value = this.visit(valueNode, valueNode.location) as ExprNode;
    return claim;
  }

  inputStatement(ctx: Ctx): InputNode {
    const keyword = tok(ctx, 'Input');
    const valueNode = node(ctx, 'expression');
    const clauseNodes = nodes(ctx, 'entryClause');
    let span = keyword === undefined ? { start: 0, end: 0 } : tokenSpan(keyword);
    for (const c of clauseNodes) span = joinSpans(span, extent(c));
    if (valueNode !== undefined) span = joinSpans(span, extent(valueNode));
    return {
      kind: 'input',
      value: valueNode === undefined ? { kind: 'literal', value: this.text(undefined), span } : (this.visit(valueNode, valueNode.location) as ExprNode),
      clauses: clauseNodes.map((c) => this.visit(c) as ClauseNode),
      span,
    };
  }

  entryClause(ctx: Ctx): ClauseNode {
    for (const [key, keyword] of clauseKeywords) {
      const k = tok(ctx, key);
      if (k === undefined) continue;
      const valueNode = node(ctx, 'name') ?? node(ctx, 'formatValue');
      const value = valueNode !== undefined ? (this.visit(valueNode) as TextNode) : this.text(tok(ctx, 'StringLiteral'));
      return { keyword, keywordSpan: tokenSpan(k), value, span: joinSpans(tokenSpan(k), value.span) };
    }
    return { keyword: 'id', keywordSpan: { start: 0, end: 0 }, value: this.text(undefined), span: { start: 0, end: 0 } };
  }

  formatValue(ctx: Ctx): TextNode {
    return this.text(tok(ctx, 'Word') ?? tok(ctx, 'StringLiteral'));
  }

  transformBlock(ctx: Ctx): TransformNode {
    const keyword = tok(ctx, 'Transform');
    const close = tok(ctx, 'RBrace');
    const span = joinSpans(keyword === undefined ? { start: 0, end: 0 } : tokenSpan(keyword), close === undefined ? undefined : tokenSpan(close));
    const idNode = node(ctx, 'id');
    const methodNode = node(ctx, 'method');
    return {
      kind: 'transform',
      id: idNode === undefined ? this.text(undefined) : (this.visit(idNode) as TextNode),
      method: methodNode === undefined ? this.text(undefined) : (this.visit(methodNode) as TextNode),
      items: nodes(ctx, 'transformItem').map((i) => this.visit(i) as TransformItemNode),
      span,
    };
  }

  transformItem(ctx: Ctx): TransformItemNode {
    const inner = node(ctx, 'inputLine') ?? node(ctx, 'paramLine') ?? node(ctx, 'outputLine') ?? node(ctx, 'setting');
    return this.visit(inner as CstNode) as TransformItemNode;
  }

  inputLine(ctx: Ctx): TransformItemNode {
    const modifierNode = node(ctx, 'modifier');
    const refSource = tok(ctx, 'refSource');
    const name = this.nameOf(node(ctx, 'kind'));
    const ref = this.nameOf(node(ctx, 'ref'));
    let span = joinSpans(tokenSpan(tok(ctx, 'Input') as IToken), ref.span);
    const source = refSource === undefined ? undefined : this.text(refSource);
    if (source !== undefined) span = joinSpans(span, source.span);
    const line: Mutable<Extract<TransformItemNode, { kind: 'input' }>> = { kind: 'input', name, ref, span };
    if (modifierNode !== undefined) line.modifier = this.visit(modifierNode) as ModifierNode;
    if (source !== undefined) line.refSource = source;
    return line;
  }

  paramLine(ctx: Ctx): TransformItemNode {
    const name = this.nameOf(node(ctx, 'kind'));
    const value = this.text(tok(ctx, 'value'));
    const dataTypeToken = tok(ctx, 'dataType');
    const dataType = dataTypeToken === undefined ? undefined : this.text(dataTypeToken);
    const span = joinSpans(joinSpans(tokenSpan(tok(ctx, 'Param') as IToken), value.span), dataType?.span);
    return dataType !== undefined ? { kind: 'param', name, value, dataType, span } : { kind: 'param', name, value, span };
  }

  outputLine(ctx: Ctx): TransformItemNode {
    const name = this.nameOf(node(ctx, 'kind'));
    const ref = this.nameOf(node(ctx, 'ref'));
    return { kind: 'output', name, ref, span: joinSpans(tokenSpan(tok(ctx, 'Output') as IToken), ref.span) };
  }

  modifier(ctx: Ctx): ModifierNode {
    const each = tok(ctx, 'Each');
    const token = each ?? tok(ctx, 'First');
    return { kind: each !== undefined ? 'each' : 'first', span: token === undefined ? { start: 0, end: 0 } : tokenSpan(token) };
  }

  /** `location` is the node's own (nodeLocationTracking), passed by the caller; it equals the children's extent. */
  expression(ctx: Ctx, location?: CstNodeLocation): ExprNode {
    const modifierNode = node(ctx, 'modifier');
    const modifier = modifierNode === undefined ? undefined : (this.visit(modifierNode) as ModifierNode);
    const span = locationSpan(location) ?? ctxExtent(ctx);
    const literal = tok(ctx, 'literal');
    let expr: Mutable<ExprNode>;
    if (literal !== undefined) expr = { kind: 'literal', value: this.text(literal), span };
    else {
      const head = this.text(tok(ctx, 'head'));
      if (tok(ctx, 'Dot') !== undefined) expr = { kind: 'read', source: head, attribute: this.text(tok(ctx, 'attribute')), span };
      else {
        const args = nodes(ctx, 'argument').map((a) => this.visit(a, a.location) as ArgNode);
        const asNode = node(ctx, 'as');
        expr = asNode === undefined ? { kind: 'call', fn: head, args, span } : { kind: 'call', fn: head, args, as: this.visit(asNode) as TextNode, span };
      }
    }
    if (modifier !== undefined) expr.modifier = modifier;
    return expr;
  }

  argument(ctx: Ctx, location?: CstNodeLocation): ArgNode {
    const nameToken = tok(ctx, 'argName');
    const valueNode = node(ctx, 'expression');
    const span = locationSpan(location) ?? ctxExtent(ctx);
    const value: ExprNode = valueNode === undefined ? { kind: 'literal', value: this.text(undefined), span } : (this.visit(valueNode, valueNode.location) as ExprNode);
    return nameToken !== undefined ? { name: this.text(nameToken), value, span } : { value, span };
  }

  name(ctx: Ctx): TextNode {
    return this.text(tok(ctx, 'Identifier') ?? tok(ctx, 'StringLiteral'));
  }

  nameOf(n: CstNode | undefined): TextNode {
    return n === undefined ? this.text(undefined) : (this.visit(n) as TextNode);
  }
}

const builder = new AstBuilder();

/** Builds the AST of a parsed file; returns it with the string diagnostics found on the way. */
export function toAst(cst: CstNode): { ast: PolicyNode; diagnostics: Diagnostic[] } {
  builder.diagnostics = [];
  const ast = builder.visit(cst) as PolicyNode;
  const diagnostics = builder.diagnostics;
  builder.diagnostics = [];
  return { ast, diagnostics };
}
