import { methodSignatures, sourceNames } from '@claimc/model';
import { functionName, policySettings } from './lower.js';
import { keywordTokens, namePattern, statementWords } from './tokens.js';

const wordOf = (pattern: unknown): string => String((pattern as RegExp).source);
const alternation = (words: readonly string[]): string => [...words].sort((a, b) => b.length - a.length).map((w) => w.replace(/ /g, '\\s+')).join('|');

/**
 * The TextMate grammar of `.claims` for editors, derived from the lexer's keywords, the knowledge base's sources
 * and methods, and the policy settings, so highlighting cannot drift from the parser.
 *
 * @example
 * const grammar = claimsTextMateGrammar();
 * grammar.scopeName // 'source.claims'
 */
export function claimsTextMateGrammar(): Record<string, unknown> {
  const keywords = keywordTokens.map((t) => wordOf(t.PATTERN));
  const statements = keywords.filter((k) => statementWords.has(k));
  const clauses = keywords.filter((k) => !statementWords.has(k));
  const functions = methodSignatures.map((m) => functionName(m.name));
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'claims',
    scopeName: 'source.claims',
    fileTypes: ['claims'],
    patterns: [{ include: '#comments' }, { include: '#strings' }, { include: '#settings' }, { include: '#reads' }, { include: '#calls' }, { include: '#keywords' }, { include: '#numbers' }, { include: '#punctuation' }],
    repository: {
      comments: {
        patterns: [
          { name: 'comment.line.double-slash.claims', match: '//.*$' },
          { name: 'comment.block.claims', begin: '/\\*', end: '\\*/' },
        ],
      },
      strings: {
        name: 'string.quoted.double.claims',
        begin: '"',
        end: '"|$',
        patterns: [{ name: 'constant.character.escape.claims', match: '\\\\(?:["\\\\/bfnrt]|u[0-9A-Fa-f]{4})' }],
      },
      settings: {
        match: `^\\s*(${alternation(policySettings)})\\s*(:)`,
        captures: { 1: { name: 'variable.other.property.claims' }, 2: { name: 'punctuation.separator.key-value.claims' } },
      },
      reads: {
        match: `\\b(${alternation(sourceNames)})(\\.)(${namePattern})`,
        captures: { 1: { name: 'support.variable.source.claims' }, 2: { name: 'punctuation.accessor.claims' }, 3: { name: 'variable.other.member.claims' } },
      },
      calls: {
        match: `\\b(${alternation(functions)})\\s*(?=\\()`,
        captures: { 1: { name: 'support.function.claims' } },
      },
      keywords: {
        patterns: [
          { name: 'keyword.control.statement.claims', match: `\\b(${alternation(statements)})\\b` },
          { name: 'keyword.other.clause.claims', match: `\\b(${alternation(clauses)})\\b` },
        ],
      },
      numbers: { name: 'constant.numeric.claims', match: '-?\\b(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\\b' },
      punctuation: {
        patterns: [
          { name: 'punctuation.section.braces.claims', match: '[{}]' },
          { name: 'punctuation.section.parens.claims', match: '[()]' },
          { name: 'punctuation.separator.comma.claims', match: ',' },
          { name: 'keyword.operator.assignment.claims', match: '=' },
        ],
      },
    },
  };
}
