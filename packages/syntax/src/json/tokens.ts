import { createToken, Lexer, type TokenType } from 'chevrotain';

// Token patterns are anchored, linear and backtracking-free (threats P4).

/** Abstract category: both terminated and unterminated strings, so the parser accepts either and recovery stays local. */
export const StringToken = createToken({ name: 'StringToken', pattern: Lexer.NA });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/, categories: [StringToken] });
/** A string that reaches the end of its line: reported once (CM1102) instead of a cascade of lexer errors. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  categories: [StringToken],
});
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/ });
/** Bare words: never valid JSON, lexed whole so `True` or an unquoted key is one clear error. */
export const Word = createToken({ name: 'Word', pattern: /[A-Za-z_$][A-Za-z0-9_$]*/ });
export const TrueLiteral = createToken({ name: 'TrueLiteral', pattern: /true/, longer_alt: Word });
export const FalseLiteral = createToken({ name: 'FalseLiteral', pattern: /false/, longer_alt: Word });
export const NullLiteral = createToken({ name: 'NullLiteral', pattern: /null/, longer_alt: Word });
export const LCurly = createToken({ name: 'LCurly', pattern: /{/, label: "'{'" });
export const RCurly = createToken({ name: 'RCurly', pattern: /}/, label: "'}'" });
export const LSquare = createToken({ name: 'LSquare', pattern: /\[/, label: "'['" });
export const RSquare = createToken({ name: 'RSquare', pattern: /]/, label: "']'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\uFEFF]+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\r\n]*/, group: 'comments' });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\//, group: 'comments' });
/** Listed after BlockComment: matches only when the comment never closes. */
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*[^]*/, group: 'comments' });

export const jsonTokens: readonly TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  StringToken,
  StringLiteral,
  UnterminatedString,
  NumberLiteral,
  TrueLiteral,
  FalseLiteral,
  NullLiteral,
  Word,
  LCurly,
  RCurly,
  LSquare,
  RSquare,
  Comma,
  Colon,
];

/** Built once and reused; offsets only, lines are computed from offsets when rendering. */
export const jsonLexer = new Lexer([...jsonTokens], { positionTracking: 'onlyOffset', ensureOptimizations: true });
