import type { Span } from '@claimc/model';

/** A name or string as written: decoded text and where it stands. */
export interface TextNode {
  readonly text: string;
  readonly span: Span;
  readonly quoted: boolean;
}

export interface ModifierNode {
  readonly kind: 'each' | 'first';
  readonly span: Span;
}

export type ExprNode =
  | { readonly kind: 'literal'; readonly value: TextNode; readonly span: Span; readonly modifier?: ModifierNode }
  | { readonly kind: 'read'; readonly source: TextNode; readonly attribute: TextNode; readonly span: Span; readonly modifier?: ModifierNode }
  | { readonly kind: 'call'; readonly fn: TextNode; readonly args: readonly ArgNode[]; readonly as?: TextNode; readonly span: Span; readonly modifier?: ModifierNode };

export interface ArgNode {
  readonly name?: TextNode;
  readonly value: ExprNode;
  readonly span: Span;
}

export type ClauseKeyword = 'saml' | 'format' | 'nameid' | 'id' | 'source' | 'extension' | 'value' | 'via';

export interface ClauseNode {
  readonly keyword: ClauseKeyword;
  readonly keywordSpan: Span;
  readonly value: TextNode;
  readonly span: Span;
}

export interface SettingValue {
  readonly kind: 'word' | 'string' | 'number';
  readonly text: string;
  readonly span: Span;
}

export interface SettingNode {
  readonly kind: 'setting';
  readonly words: readonly TextNode[];
  readonly values: readonly SettingValue[];
  readonly span: Span;
}

export interface ClaimNode {
  readonly kind: 'claim';
  readonly keywordSpan: Span;
  readonly jwt?: TextNode;
  /** `claim saml "uri" = …`: the SAML name standing in the name slot. */
  readonly saml?: ClauseNode;
  readonly value?: ExprNode;
  readonly clauses: readonly ClauseNode[];
  readonly span: Span;
}

export interface InputNode {
  readonly kind: 'input';
  readonly value: ExprNode;
  readonly clauses: readonly ClauseNode[];
  readonly span: Span;
}

export type TransformItemNode =
  | { readonly kind: 'input'; readonly name: TextNode; readonly ref: TextNode; readonly modifier?: ModifierNode; readonly refSource?: TextNode; readonly span: Span }
  | { readonly kind: 'param'; readonly name: TextNode; readonly value: TextNode; readonly dataType?: TextNode; readonly span: Span }
  | { readonly kind: 'output'; readonly name: TextNode; readonly ref: TextNode; readonly span: Span }
  | SettingNode;

export interface TransformNode {
  readonly kind: 'transform';
  readonly id: TextNode;
  readonly method: TextNode;
  readonly items: readonly TransformItemNode[];
  readonly span: Span;
}

export type StatementNode = SettingNode | ClaimNode | InputNode | TransformNode;

export interface PolicyNode {
  readonly name?: TextNode;
  readonly statements: readonly StatementNode[];
  readonly span: Span;
}
