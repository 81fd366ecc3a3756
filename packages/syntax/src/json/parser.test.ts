import { describe, expect, it } from 'vitest';
import { LineMap } from '@claimc/model';
import { jsonLexer, BlockComment, LineComment, NumberLiteral, StringLiteral, TrueLiteral, UnterminatedString, Word } from './tokens.js';
import { parseJsonTree, type Finding } from './parser.js';
import type { JsonNode } from './tree.js';

function at(text: string, findings: readonly Finding[]): { code: string; line: number; column: number }[] {
  const lines = new LineMap(text);
  return findings.map((f) => ({ code: f.code, ...lines.position(f.span?.start ?? 0) }));
}

describe('lexer', () => {
  it('tokenizes JSON with comments kept in their own group', () => {
    const result = jsonLexer.tokenize('{"a": [1.5e3, true, trueish]} // c\n/* b */');
    expect(result.errors).toEqual([]);
    expect(result.tokens.map((t) => t.tokenType.name)).toEqual(['LCurly', 'StringLiteral', 'Colon', 'LSquare', 'NumberLiteral', 'Comma', 'TrueLiteral', 'Comma', 'Word', 'RSquare', 'RCurly']);
    expect(result.groups['comments']?.map((t) => t.tokenType)).toEqual([LineComment, BlockComment]);
  });

  it('lexes an unterminated string as one token ending at the line end', () => {
    const result = jsonLexer.tokenize('"abc\n"d"');
    expect(result.tokens.map((t) => [t.tokenType, t.image])).toEqual([
      [UnterminatedString, '"abc'],
      [StringLiteral, '"d"'],
    ]);
  });

  it('keeps number forms JSON allows and splits the ones it does not', () => {
    const images = (text: string) => jsonLexer.tokenize(text).tokens.map((t) => [t.tokenType, t.image]);
    expect(images('-0.5E+10')).toEqual([[NumberLiteral, '-0.5E+10']]);
    expect(images('01')).toEqual([
      [NumberLiteral, '0'],
      [NumberLiteral, '1'],
    ]);
    expect(images('True true')).toEqual([
      [Word, 'True'],
      [TrueLiteral, 'true'],
    ]);
  });

  it('reports characters outside JSON as lexer errors at their offset', () => {
    const result = jsonLexer.tokenize('{\n  @x}');
    expect(result.errors.map((e) => [e.offset, e.length])).toEqual([[4, 1]]);
  });
});

describe('parser: located tree', () => {
  it('gives every value and property name a span and decodes strings', () => {
    const text = '{"k\\u0041": ["x\\n\\"y", -1, null, false]}';
    const { root, findings } = parseJsonTree(text);
    expect(findings).toEqual([]);
    const obj = root as Extract<JsonNode, { kind: 'object' }>;
    expect(obj.span).toEqual({ start: 0, end: text.length });
    const member = obj.members[0];
    expect(member?.key.value).toBe('kA');
    expect(text.slice(member?.key.span.start, member?.key.span.end)).toBe('"k\\u0041"');
    const items = (member?.value as Extract<JsonNode, { kind: 'array' }>).items;
    expect(items.map((i) => (i.kind === 'null' ? null : 'value' in i ? i.value : undefined))).toEqual(['x\n"y', -1, null, false]);
    expect(items.map((i) => text.slice(i.span.start, i.span.end))).toEqual(['"x\\n\\"y"', '-1', 'null', 'false']);
    expect(items[1]?.kind === 'number' ? items[1].text : '').toBe('-1');
  });

  it('accepts trailing commas and comments with a warning (D3)', () => {
    const text = '{\n  "a": [1, 2,], // note\n  "b": 1,\n}';
    const { findings, hasSyntaxErrors } = parseJsonTree(text);
    expect(hasSyntaxErrors).toBe(false);
    expect(at(text, findings)).toEqual([
      { code: 'CM1106', line: 2, column: 17 },
      { code: 'CM1206', line: 2, column: 13 },
      { code: 'CM1206', line: 3, column: 9 },
    ]);
  });

  it('reports duplicate keys at the second one, exact and case-insensitive, keeping the first', () => {
    const text = '{\n "ID": "a",\n "ID": "b",\n "id": "c"\n}';
    const { root, findings } = parseJsonTree(text);
    expect(at(text, findings)).toEqual([
      { code: 'CM1207', line: 3, column: 2 },
      { code: 'CM1207', line: 4, column: 2 },
    ]);
    expect(findings[0]?.related?.[0]?.span).toEqual({ start: 3, end: 7 });
    const obj = root as Extract<JsonNode, { kind: 'object' }>;
    expect(obj.members.map((m) => m.value?.kind === 'string' && m.value.value)).toEqual(['a']);
  });

  it('recovers so that several syntax errors are all reported', () => {
    const text = '{\n "a": 1\n "b": [1,, 2],\n c: 3,\n "d": }';
    const { findings, hasSyntaxErrors, root } = parseJsonTree(text);
    expect(hasSyntaxErrors).toBe(true);
    expect(at(text, findings)).toEqual([
      { code: 'CM1201', line: 5, column: 7 },
      { code: 'CM1204', line: 3, column: 2 },
      { code: 'CM1205', line: 3, column: 10 },
      { code: 'CM1208', line: 4, column: 2 },
    ]);
    const obj = root as Extract<JsonNode, { kind: 'object' }>;
    expect(obj.members.map((m) => m.key.value)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reports truncated input at its end and keeps the partial tree', () => {
    const text = '{"a": [1, {"b": "x"';
    const { root, findings } = parseJsonTree(text);
    expect(findings.map((f) => [f.code, f.span?.start])).toEqual([['CM1202', text.length]]);
    expect(root?.kind === 'object' && root.span).toEqual({ start: 0, end: text.length });
  });

  it('reports string problems at their exact offset', () => {
    const text = '["a\\qb", "tab\there", "open\n]';
    const { findings } = parseJsonTree(text);
    expect(findings.map((f) => [f.code, f.span?.start])).toEqual(
      expect.arrayContaining([
        ['CM1103', 3],
        ['CM1104', 13],
        ['CM1102', 21],
      ]),
    );
  });

  it('reports text after the value, a non-string key, and an unterminated comment', () => {
    expect(at('{} []', parseJsonTree('{} []').findings)).toEqual([{ code: 'CM1203', line: 1, column: 4 }]);
    expect(at('{"a":1, 2}', parseJsonTree('{"a":1, 2}').findings)).toEqual([{ code: 'CM1209', line: 1, column: 9 }]);
    expect(at('{} /* x', parseJsonTree('{} /* x').findings)).toEqual([{ code: 'CM1105', line: 1, column: 4 }]);
  });

  it('caps the number of syntax findings', () => {
    const text = '[' + '1 '.repeat(200) + ']';
    const { findings } = parseJsonTree(text);
    expect(findings).toHaveLength(51);
    expect(findings.at(-1)?.code).toBe('CM1210');
  });
});
