import { createToken, Lexer, type TokenType } from 'chevrotain';

// Token order matters: chevrotain tries them in array order and the first match wins, so keywords
// (with `longer_alt: Identifier`) come before Identifier, and a closed string before an unclosed one.

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\uFEFF]+/, group: Lexer.SKIPPED, line_breaks: true });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\r\n]*/, group: 'comments' });
/** Matches an unclosed block comment too (to the end of the file); the reader reports it (CM6004). */
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: { exec: matchBlockComment },
  start_chars_hint: ['/'],
  group: 'comments',
  line_breaks: true,
});

function matchBlockComment(text: string, offset: number): RegExpExecArray | null {
  if (text.charCodeAt(offset) !== 47 || text.charCodeAt(offset + 1) !== 42) return null;
  const close = text.indexOf('*/', offset + 2);
  const end = close < 0 ? text.length : close + 2;
  const match = [text.slice(offset, end)] as unknown as RegExpExecArray;
  return match;
}

/** Any name: an identifier or a keyword; used where a keyword cannot be meant (after `.`, in settings). */
export const Word = createToken({ name: 'Word', pattern: Lexer.NA });
/** A name after `.`: an identifier or a keyword that cannot start a statement (so `user.` at a line end does not swallow the next `claim`). */
export const AttributeWord = createToken({ name: 'AttributeWord', pattern: Lexer.NA });
/** The one spelling of a `.claims` name (the lexer, the printer, the TextMate grammar and the grammar page use it). */
export const namePattern = '[A-Za-z_][A-Za-z0-9_-]*';
export const Identifier = createToken({ name: 'Identifier', pattern: new RegExp(namePattern), categories: [Word, AttributeWord] });

function keyword(name: string, word: string, startsStatement = false): TokenType {
  return createToken({ name, pattern: new RegExp(word), longer_alt: Identifier, categories: startsStatement ? [Word] : [Word, AttributeWord], label: `\`${word}\`` });
}

export const Policy = keyword('Policy', 'policy', true);
export const Claim = keyword('Claim', 'claim', true);
export const Input = keyword('Input', 'input', true);
export const Transform = keyword('Transform', 'transform', true);
export const Param = keyword('Param', 'param', true);
export const Output = keyword('Output', 'output', true);
export const Saml = keyword('Saml', 'saml');
export const Format = keyword('Format', 'format');
export const NameId = keyword('NameId', 'nameid');
export const Id = keyword('Id', 'id');
export const Source = keyword('Source', 'source');
export const Extension = keyword('Extension', 'extension');
export const Value = keyword('Value', 'value');
export const Via = keyword('Via', 'via');
export const As = keyword('As', 'as');
export const Each = keyword('Each', 'each');
export const First = keyword('First', 'first');
export const DataType = keyword('DataType', 'datatype');

/** A closed or unclosed string; the category lets the parser accept both and the reader report the latter (CM6002). */
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: Lexer.NA, label: 'a "string"' });
export const ClosedString = createToken({ name: 'ClosedString', pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/, categories: [StringLiteral], label: 'a "string"' });
export const UnclosedString = createToken({ name: 'UnclosedString', pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/, categories: [StringLiteral], label: 'a "string"' });
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/, label: 'a number' });

export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: '`{`' });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: '`}`' });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: '`(`' });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: '`)`' });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: '`,`' });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: '`.`' });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: '`=`' });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: '`:`' });

/** Every keyword, in the order the lexer tries them. */
export const keywordTokens: readonly TokenType[] = [
  Policy,
  Claim,
  Input,
  Transform,
  Param,
  Output,
  Saml,
  Format,
  NameId,
  Id,
  Source,
  Extension,
  Value,
  Via,
  As,
  Each,
  First,
  DataType,
];

/** Keywords that may stand as a name after `.` and in setting names (all but the statement keywords). */
export const attributeKeywords: readonly TokenType[] = [Saml, Format, NameId, Id, Source, Extension, Value, Via, As, Each, First, DataType];

/** Keywords that start a statement: never a bare name, not even after `.`. */
export const statementWords: ReadonlySet<string> = new Set(['policy', 'claim', 'input', 'transform', 'param', 'output']);

/** The reserved words: a claim name or ID spelled like one is written in quotes. */
export const reservedWords: ReadonlySet<string> = new Set(keywordTokens.map((t) => String((t.PATTERN as RegExp).source)));

export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  ...keywordTokens,
  Identifier,
  Word,
  AttributeWord,
  ClosedString,
  UnclosedString,
  StringLiteral,
  NumberLiteral,
  LBrace,
  RBrace,
  LParen,
  RParen,
  Comma,
  Dot,
  Equals,
  Colon,
];
