import { Lexer, type IToken } from 'chevrotain';
import { createDiagnostic, escapeForDisplay, limits, type Diagnostic } from '@claimc/model';
import { allTokens } from './tokens.js';
import { utf8Length } from '../json/guards.js';

const claimsLexer = new Lexer([...allTokens], { positionTracking: 'full', ensureOptimizations: false });

export interface LexResult {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Deepest `(`/`{` nesting outside strings and comments, with the offset where the cap is first
 * passed. One O(n) loop, no recursion, so a 100,000-deep input is rejected cheaply (threats P2).
 */
export function nestingViolation(text: string, cap: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // skip a string to its closing quote or the end of the line
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34 || d === 10 || d === 13) break;
      }
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 1;
    } else if (c === 40 || c === 123) {
      depth++;
      if (depth > cap) return i;
    } else if (c === 41 || c === 125) {
      if (depth > 0) depth--;
    }
  }
  return undefined;
}

/** Guards, then tokens. Never throws. */
export function lexClaims(text: string): LexResult {
  const size = text.length > limits.policyBytes / 3 ? utf8Length(text) : 0;
  if (size > limits.policyBytes) {
    return { tokens: [], comments: [], diagnostics: [createDiagnostic('CM6005', { size, limit: limits.policyBytes })] };
  }
  const deep = nestingViolation(text, limits.nestingDepth);
  if (deep !== undefined) {
    return { tokens: [], comments: [], diagnostics: [createDiagnostic('CM6006', { limit: limits.nestingDepth }, { span: { start: deep, end: deep + 1 } })] };
  }
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
