import type { IToken, TokenType } from 'chevrotain';
import { sortDiagnostics, type Diagnostic } from '@claimc/model';
import { parseClaims } from './read-claims.js';
import * as t from './tokens.js';

const unit = '  ';
const clauseKeywords: ReadonlySet<TokenType> = new Set([t.Saml, t.Format, t.NameId, t.Id, t.Source, t.Extension, t.Value, t.Via]);
const noSpaceBefore: ReadonlySet<TokenType> = new Set([t.Comma, t.RParen, t.Dot, t.Colon]);
const noSpaceAfter: ReadonlySet<TokenType> = new Set([t.LParen, t.Dot]);

type Statement = 'policy' | 'claim' | 'input' | 'line' | 'transform' | 'setting' | undefined;

/**
 * Formats `.claims` text: one statement per line, clauses on indented continuation lines, two-space
 * indentation, canonical spacing, at most one blank line kept between statements. Comments are kept
 * where they stand (same-line comments stay on their line). Only whitespace changes, so the policy is
 * the same; formatting is idempotent. Text with a syntax error is returned unchanged with its diagnostics.
 *
 * @example
 * formatClaims('policy{claim   x=user.mail // work mail\n}').text
 * // 'policy {\n  claim x = user.mail // work mail\n}\n'
 */
export function formatClaims(text: string): { text: string; diagnostics: Diagnostic[] } {
  const parsed = parseClaims(text);
  const diagnostics = sortDiagnostics(parsed.diagnostics);
  if (parsed.ast === undefined || diagnostics.some((d) => d.severity === 'error')) return { text, diagnostics };
  const lexed = parsed.lexed;
  const items = [...lexed.tokens, ...lexed.comments].sort((a, b) => a.startOffset - b.startOffset);
  return { text: layout(text, items, lexed.tokens), diagnostics };
}

function breaksIn(gap: string): number {
  return gap.match(/\r\n|\r|\n/g)?.length ?? 0;
}

function layout(text: string, items: readonly IToken[], significant: readonly IToken[]): string {
  const lines: string[] = [];
  let line = '';
  let previousEnd = 0;
  let previous: IToken | undefined;
  let lastWasComment = false;
  let forceBreak = false;
  let parenDepth = 0;
  const blocks: ('policy' | 'transform')[] = [];
  let statement: Statement;
  let inSettingKey = false;
  const indexOf = new Map<IToken, number>(significant.map((token, i) => [token, i]));
  let nextSignificant = 0;

  const flush = (): void => {
    if (line.trim() !== '') lines.push(line.replace(/\s+$/, ''));
    line = '';
  };
  const blankLineIfAsked = (gapBreaks: number): void => {
    const last = lines[lines.length - 1];
    if (gapBreaks >= 2 && last !== undefined && last !== '' && !last.endsWith('{')) lines.push('');
  };
  const indentOf = (depth: number): string => unit.repeat(Math.max(0, depth));

  const startsSetting = (i: number): boolean => {
    if (significant[i]?.tokenType !== t.Identifier) return false;
    for (let k = i + 1; k < significant.length; k++) {
      const type = significant[k]?.tokenType;
      if (type === t.Colon) return true;
      if (type !== t.Identifier && !t.attributeKeywords.includes(type as TokenType)) return false;
    }
    return false;
  };
  const isStatementStart = (token: IToken, i: number): boolean => {
    const before = significant[i - 1];
    if (parenDepth > 0 || before?.tokenType === t.Dot) return false;
    const type = token.tokenType;
    if (type === t.Policy || type === t.Claim || type === t.Transform || type === t.Param || type === t.Output || type === t.Input) return true;
    if (type === t.Identifier) return !inSettingKey && before?.tokenType !== t.Colon && before?.tokenType !== t.Claim && startsSetting(i);
    return false;
  };
  const isClauseBreak = (token: IToken, i: number): boolean => {
    if (parenDepth > 0 || (statement !== 'claim' && statement !== 'input')) return false;
    const before = significant[i - 1]?.tokenType;
    if (!clauseKeywords.has(token.tokenType) || before === t.Dot) return false;
    if (token.tokenType === t.Saml && before === t.Claim) return false;
    if (token.tokenType === t.Format && before === t.NameId) return false;
    return true;
  };

  for (const item of items) {
    const gapBreaks = breaksIn(text.slice(previousEnd, item.startOffset));
    const image = item.image;
    const isComment = item.tokenType === t.LineComment || item.tokenType === t.BlockComment;
    if (isComment) {
      if (line.trim() !== '' && gapBreaks === 0) {
        line += ' ' + image;
      } else {
        flush();
        blankLineIfAsked(gapBreaks);
        const next = significant[nextSignificant];
        const closing = next?.tokenType === t.RBrace;
        const startsNext = next === undefined || closing || isStatementStart(next, nextSignificant);
        line = indentOf(blocks.length - (closing ? 1 : 0)) + (startsNext || statement === undefined ? '' : unit) + image;
        flush();
        forceBreak = true;
      }
      if (item.tokenType === t.LineComment) {
        flush();
        forceBreak = true;
      }
      previousEnd = item.startOffset + image.length;
      lastWasComment = true;
      continue;
    }
    const i = indexOf.get(item) ?? 0;
    nextSignificant = i + 1;
    const type = item.tokenType;
    if (type === t.RBrace) {
      flush();
      blocks.pop();
      line = indentOf(blocks.length) + '}';
      statement = undefined;
      forceBreak = false;
    } else if (isStatementStart(item, i)) {
      flush();
      blankLineIfAsked(gapBreaks);
      statement = type === t.Policy ? 'policy' : type === t.Claim ? 'claim' : type === t.Transform ? 'transform' : type === t.Identifier ? 'setting' : type === t.Input ? (blocks[blocks.length - 1] === 'transform' ? 'line' : 'input') : 'line';
      line = indentOf(blocks.length) + image;
      forceBreak = false;
      inSettingKey = statement === 'setting';
    } else if (isClauseBreak(item, i)) {
      flush();
      line = indentOf(blocks.length) + unit + image;
      forceBreak = false;
    } else if (forceBreak || line.trim() === '') {
      flush();
      line = indentOf(blocks.length) + unit + image;
      forceBreak = false;
    } else {
      const tight = !lastWasComment && (noSpaceBefore.has(type) || (previous !== undefined && noSpaceAfter.has(previous.tokenType)) || (type === t.LParen && previous?.tokenType === t.Identifier));
      line += (tight ? '' : ' ') + image;
    }
    if (type === t.Colon) inSettingKey = false;
    if (type === t.LParen) parenDepth++;
    else if (type === t.RParen) parenDepth = Math.max(0, parenDepth - 1);
    else if (type === t.LBrace) {
      blocks.push(statement === 'transform' ? 'transform' : 'policy');
      flush();
      statement = undefined;
    }
    previous = item;
    previousEnd = item.startOffset + image.length;
    lastWasComment = false;
  }
  flush();
  return lines.join('\n') + '\n';
}
