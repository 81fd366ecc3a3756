import { createSyntaxDiagramsCode, type ISerializedGast } from 'chevrotain';
import { claimsParser } from './parser.js';
import * as t from './tokens.js';

/** The `.claims` grammar in the three forms `grammar/` holds, all derived from the one parser. */
export interface ClaimsGrammar {
  /** chevrotain's serialized grammar (`getSerializedGastProductions()`). */
  readonly gast: readonly ISerializedGast[];
  /** An EBNF-style reference, one production per rule, plus the token definitions. */
  readonly ebnf: string;
  /** Railroad diagrams (chevrotain's `createSyntaxDiagramsCode`), a standalone HTML page. */
  readonly diagramsHtml: string;
}

type Gast = ISerializedGast & { name?: string; label?: string; pattern?: string; definition?: Gast[]; idx?: number };

function terminal(node: Gast): string {
  const type = t.allTokens.find((token) => token.name === node.name);
  if (type === t.Identifier) return 'NAME';
  if (type === t.Word) return 'WORD';
  if (type === t.AttributeWord) return 'ATTRIBUTE';
  if (type === t.StringLiteral) return 'STRING';
  if (type === t.NumberLiteral) return 'NUMBER';
  const pattern = type?.PATTERN;
  if (pattern instanceof RegExp) return `"${pattern.source.replace(/\\(.)/g, '$1')}"`;
  return node.name ?? '?';
}

function sequence(nodes: readonly Gast[] | undefined): string {
  return (nodes ?? []).map(expression).join(' ');
}

function expression(node: Gast): string {
  switch (node.type) {
    case 'Terminal':
      return terminal(node);
    case 'NonTerminal':
      return node.name ?? '?';
    case 'Alternative':
      return sequence(node.definition);
    case 'Option':
      return `[ ${sequence(node.definition)} ]`;
    case 'Repetition':
      return `{ ${sequence(node.definition)} }`;
    case 'RepetitionMandatory':
      return `${sequence(node.definition)} { ${sequence(node.definition)} }`;
    case 'Alternation':
      return `( ${(node.definition ?? []).map(expression).join(' | ')} )`;
    default:
      return sequence(node.definition);
  }
}

const tokenDefinitions: readonly [string, string][] = [
  ['NAME', `${t.namePattern}   (not a keyword; write any other name as a STRING)`],
  ['WORD', 'NAME or a keyword   (as an argument name, as a format)'],
  ['ATTRIBUTE', 'NAME or a keyword that does not start a statement   (after `.`, in a setting name)'],
  ['STRING', '"…" with JSON escapes (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX), on one line'],
  ['NUMBER', '-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?'],
  ['comment', '// to the end of the line, or /* … */ (kept by `claimc fmt`)'],
  ['keywords', t.keywordTokens.map((k) => String((k.PATTERN as RegExp).source)).join(' ')],
];

/**
 * The grammar as `grammar/` publishes it: serialized productions, an EBNF-style reference and railroad diagrams.
 *
 * @example
 * const { ebnf } = claimsGrammar();
 */
export function claimsGrammar(): ClaimsGrammar {
  const gast = claimsParser.getSerializedGastProductions();
  const rules = (gast as Gast[]).map((rule) => `${rule.name ?? '?'} ::= ${sequence(rule.definition).replace(/\s+/g, ' ').trim()}`);
  const width = Math.max(...tokenDefinitions.map(([name]) => name.length));
  const ebnf = [
    '```ebnf',
    '(* [ x ] optional, { x } zero or more, ( a | b ) one of; "text" a keyword or punctuation *)',
    ...rules,
    '```',
    '',
    '```text',
    ...tokenDefinitions.map(([name, definition]) => `${name.padEnd(width)}  ${definition}`),
    '```',
    '',
  ].join('\n');
  return { gast, ebnf, diagramsHtml: createSyntaxDiagramsCode(gast) };
}
