import { Lexer, type IToken } from 'chevrotain';
import { createDiagnostic, escapeForDisplay, limits, type Diagnostic } from '@claimc/model';
import { allTokens } from './tokens.js';
import { findExcessNesting, utf8Length } from '../json/guards.js';

const claimsLexer = new Lexer([...allTokens], { positionTracking: 'full', ensureOptimizations: false });

export interface LexResult {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly diagnostics: Diagnostic[];
}

/** Guards, then tokens. Never throws. */
export function lexClaims(text: string): LexResult {
  const size = text.length > limits.policyBytes / 3 ? utf8Length(text) : 0;
  if (size > limits.policyBytes) {
    return { tokens: [], comments: [], diagnostics: [createDiagnostic('CM6005', { size, limit: limits.policyBytes })] };
  }
  // the same linear pre-pass as JSON, over `(`/`{` (threats P2)
  const deep = findExcessNesting(text, limits.nestingDepth, '({', ')}');
  if (deep !== undefined) return { tokens: [], comments: [], diagnostics: [createDiagnostic('CM6006', { limit: limits.nestingDepth }, { span: deep })] };
  const result = claimsLexer.tokenize(text);
  const diagnostics: Diagnostic[] = [];
  for (const error of result.errors) {
    const char = text.slice(error.offset, error.offset + error.length);
    diagnostics.push(createDiagnostic('CM6001', { char: '`' + escapeForDisplay(char.length > 20 ? char.slice(0, 20) + '…' : char) + '`' }, { span: { start: error.offset, end: error.offset + error.length } }));
  }
  const comments = result.groups['comments'] ?? [];
  for (const comment of comments) {
    if (comment.image.startsWith('/*') && (comment.image.length < 4 || !comment.image.endsWith('*/'))) {
      diagnostics.push(createDiagnostic('CM6004', {}, { span: { start: comment.startOffset, end: comment.startOffset + 2 } }));
    }
  }
  return { tokens: result.tokens, comments, diagnostics };
}
