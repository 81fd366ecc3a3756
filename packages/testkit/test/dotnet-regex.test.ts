import { describe, expect, test } from 'vitest';
import type { ClaimsMappingPolicy } from '@claimc/model';
import type { EvaluationContext } from '@claimc/runtime/internal';
import { evaluateThreeWays } from '../src/index.js';

/**
 * RegexReplace as .NET's Regex.Replace runs it. Each row is a pattern, a replacement, an input and the result .NET
 * gives, taken from Microsoft's .NET regular-expression documentation (learn.microsoft.com: "Character classes in
 * regular expressions" — \w is [\p{L}\p{Mn}\p{Nd}\p{Pc}], \d is \p{Nd}, \s is [\f\n\r\t\v\x85\p{Z}], character class
 * subtraction; "Anchors"; "Substitutions" — $1, ${name}, $$). Every row runs through all three engines (linked
 * plan, AOT module, reference interpreter), which must agree exactly. `null` = no match (the claim gets no value).
 */

interface Row {
  readonly what: string;
  readonly regex: string;
  readonly replacement: string;
  readonly input: string;
  readonly dotnet: string | null;
}

const rows: readonly Row[] = [
  // character classes: .NET's shorthands are Unicode classes
  { what: '\\w is Unicode: "Zürich" matches ^\\w+$', regex: '^\\w+$', replacement: 'word', input: 'Zürich', dotnet: 'word' },
  { what: '\\w+ takes whole non-ASCII words', regex: '\\w+', replacement: '[$0]', input: 'naïve café', dotnet: '[naïve] [café]' },
  { what: '\\w includes Pc (connector punctuation) and Mn (combining marks)', regex: '^\\w+$', replacement: 'ok', input: 'a_b\u203Fc\u0301', dotnet: 'ok' },
  { what: '\\W is everything else', regex: '\\W', replacement: '-', input: 'Zürich! Genève?', dotnet: 'Zürich--Genève-' },
  { what: '\\d is \\p{Nd}: Arabic-Indic digits are digits', regex: '\\d+', replacement: '#', input: 'Tel \u0663\u0664\u0665 12', dotnet: 'Tel # #' },
  { what: '\\D is not \\p{Nd}', regex: '\\D+', replacement: '#', input: 'ab12cd', dotnet: '#12#' },
  { what: '\\s includes no-break space, em space and NEL', regex: '\\s', replacement: '_', input: 'a\u00A0b\u2003c\u0085d\te', dotnet: 'a_b_c_d_e' },
  { what: '\\S is not \\s', regex: '\\S+', replacement: '<$0>', input: 'hi\u00A0there', dotnet: '<hi>\u00A0<there>' },
  { what: '\\w inside a class', regex: '[\\w.]+@', replacement: 'x@', input: 'jürgen.weiß@contoso.com', dotnet: 'x@contoso.com' },
  { what: '\\d inside a negated class', regex: '[^\\d]', replacement: '', input: 'A\u0661B2', dotnet: '\u06612' },
  // character class subtraction
  { what: 'subtraction: consonants [a-z-[aeiou]]', regex: '[a-z-[aeiou]]+', replacement: '*', input: 'education', dotnet: 'e*u*a*io*' },
  { what: 'subtraction of a range', regex: '[0-9-[2-5]]', replacement: 'x', input: '0123456789', dotnet: 'xx2345xxxx' },
  { what: 'nested subtraction', regex: '[a-z-[d-f-[e]]]+', replacement: '.', input: 'abcdefg', dotnet: '.d.f.' },
  { what: 'subtraction from a negated class', regex: '[^a-z-[0-9]]', replacement: '?', input: 'a1-B', dotnet: 'a1??' },
  // case-insensitive matching is Unicode
  { what: '(?i) folds non-ASCII letters', regex: '(?i)ZÜRICH', replacement: 'ZH', input: 'zürich', dotnet: 'ZH' },
  // anchors
  { what: '^ at the start only', regex: '^abc', replacement: 'X', input: 'abcabc', dotnet: 'Xabc' },
  { what: '$ at the end', regex: 'abc$', replacement: 'X', input: 'abcabc', dotnet: 'abcX' },
  { what: '\\b between ASCII word and non-word characters', regex: '\\bcat\\b', replacement: 'dog', input: 'cat concat cat.', dotnet: 'dog concat dog.' },
  { what: '\\A anchors at the start', regex: '\\Aab', replacement: '-', input: 'abab', dotnet: '-ab' },
  { what: '\\z anchors at the very end', regex: 'ab\\z', replacement: '-', input: 'abab', dotnet: 'ab-' },
  // substitutions
  { what: 'named groups with ${name}', regex: '(?<first>\\w+)\\s(?<last>\\w+)', replacement: '${last}, ${first}', input: 'Jürgen Weiß', dotnet: 'Weiß, Jürgen' },
  { what: 'numbered groups with $1', regex: '(\\w+)@(\\w+)', replacement: '$2\\$1', input: 'ada@contoso', dotnet: 'contoso\\ada' },
  { what: '$$ is a literal $', regex: '\\d+', replacement: '$$$0', input: 'cost 10', dotnet: 'cost $10' },
  { what: '$0 is the whole match', regex: 'b+', replacement: '<$0>', input: 'abbc', dotnet: 'a<bb>c' },
  { what: 'empty matches advance one character', regex: 'x*', replacement: '-', input: 'abc', dotnet: '-a-b-c-' },
  { what: 'no match → no value', regex: '\\d', replacement: '#', input: 'abc', dotnet: null },
];

/**
 * Where claimc differs from .NET (docs/evaluate.md, RegexReplace): the result .NET gives and the one claimc gives.
 * Kept as tests so the documentation cannot drift from the behaviour.
 */
const differences: readonly (Row & { readonly claimc: string | null })[] = [
  { what: '$ before a final newline', regex: 'c$', replacement: 'X', input: 'abc\n', dotnet: 'abX\n', claimc: null },
  { what: '\\Z before a final newline', regex: 'c\\Z', replacement: 'X', input: 'abc\n', dotnet: 'abX\n', claimc: null },
  { what: '\\b next to a non-ASCII letter', regex: '\\b\\w+\\b', replacement: 'W', input: 'über', dotnet: 'W', claimc: 'üW' },
];

function policy(regex: string, replacement: string): ClaimsMappingPolicy {
  return {
    Version: 1,
    IncludeBasicClaimSet: false,
    ClaimsSchema: [
      { Source: 'user', ID: 'department' },
      { Source: 'transformation', ID: 'out', TransformationId: 't', JwtClaimType: 'out', SamlClaimType: 'http://example.com/claims/out' },
    ],
    ClaimsTransformation: [
      {
        ID: 't',
        TransformationMethod: 'RegexReplace',
        InputClaims: [{ ClaimTypeReferenceId: 'department', TransformationClaimType: 'sourceClaim' }],
        InputParameters: [
          { ID: 'regex', Value: regex },
          { ID: 'replacement', Value: replacement },
        ],
        OutputClaims: [{ ClaimTypeReferenceId: 'out', TransformationClaimType: 'outputClaim' }],
      },
    ],
  };
}

/** Runs the three engines, asserts they agree, and returns the value (null when no value). */
async function replace(row: Row): Promise<string | null> {
  const context: EvaluationContext = { user: { id: 'u1', department: row.input } };
  const r = await evaluateThreeWays(policy(row.regex, row.replacement), context);
  expect(r.aot.jwt).toStrictEqual(r.plan.jwt);
  expect(r.interpreter.jwt).toStrictEqual(r.plan.jwt);
  expect(r.aot.saml).toStrictEqual(r.plan.saml);
  expect(r.interpreter.saml).toStrictEqual(r.plan.saml);
  const value = r.plan.jwt.claims['out'];
  if (value === undefined) return null;
  if (typeof value !== 'string') throw new Error('a single value expected');
  return value;
}

describe('RegexReplace gives .NET\'s results (plan ≡ AOT ≡ interpreter)', () => {
  test.each(rows)('$what: $regex on $input', async (row) => {
    expect(await replace(row)).toBe(row.dotnet);
  });
});

describe('documented differences from .NET stay as documented', () => {
  test.each(differences)('$what: $regex on $input', async (row) => {
    const value = await replace(row);
    expect(value).toBe(row.claimc);
    expect(value).not.toBe(row.dotnet);
  });
});
