// The tokenless reader of clean JSON against the full chevrotain reader: wherever the fast one answers, it must
// give the very tree the full one gives (nodes, spans, values), and it must answer for every text on which the
// full one reports nothing. fast-check prints its seed on failure; CLAIMC_SEED replays one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { limits } from '@claimc/model';
import { parseCleanJsonTree } from './fast-parser.js';
import { parseJsonTree, parseJsonTreeWithin } from './parser.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

function jsonFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...jsonFiles(path));
    else if (name.endsWith('.json')) found.push(path);
  }
  return found;
}

/** Same answer as the full reader where the fast one answers; an answer wherever the full one is clean (objects of more than 64 members aside). */
function agree(text: string, answersWhenClean = true): void {
  const fast = parseCleanJsonTree(text, limits.nestingDepth);
  const full = parseJsonTree(text);
  if (fast !== undefined) expect(fast).toEqual(full);
  const within = parseJsonTreeWithin(text, limits.nestingDepth);
  const clean = full.root !== undefined && full.findings.length === 0 && !full.hasSyntaxErrors && !('tooDeep' in within);
  if (clean && answersWhenClean) expect(fast, text.slice(0, 200)).toBeDefined();
  else expect(fast, text.slice(0, 200)).toBeUndefined();
}

const policyText = JSON.stringify({
  ClaimsMappingPolicy: {
    Version: 1,
    IncludeBasicClaimSet: 'true',
    ClaimsSchema: [
      { Source: 'user', ID: 'mail', JwtClaimType: 'mail_copy' },
      { Source: 'transformation', ID: 'out', TransformationId: 'T', JwtClaimType: 'c' },
    ],
    ClaimsTransformation: [
      {
        ID: 'T',
        TransformationMethod: 'RegexReplace',
        InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'sourceClaim' }],
        InputParameters: [
          { ID: 'regex', Value: '^(?<local>[^@]+)@contoso\\.com$' },
          { ID: 'replacement', Value: '{local}\u00e9\t' },
        ],
        OutputClaims: [{ ClaimTypeReferenceId: 'out', TransformationClaimType: 'outputClaim' }],
      },
    ],
  },
}, null, 2);

describe('parseCleanJsonTree', () => {
  it('reads every JSON fixture and example as the full reader does', () => {
    const files = [...jsonFiles(join(repo, 'packages/compiler/test/fixtures')), ...jsonFiles(join(repo, 'docs/examples'))];
    expect(files.length).toBeGreaterThan(50);
    let answered = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      agree(text);
      if (parseCleanJsonTree(text, limits.nestingDepth) !== undefined) answered++;
    }
    expect(answered).toBeGreaterThan(files.length / 2);
  });

  it('leaves every finding to the full reader', () => {
    const cases = [
      '',
      '   ',
      '{"a": 1,}',
      '[1, 2,]',
      '[1,, 2]',
      '{"a": 1 "b": 2}',
      '{a: 1}',
      '{"a": 1, "A": 2}',
      '{"__proto__": 1}',
      '{"a": "\\q"}',
      '{"a": "tab\there"}',
      '{"a": "open',
      '{"a": 1} // note',
      '{"a": 1} /* note */',
      '{"a": True}',
      '{"a": trueish}',
      '{"a": 01}',
      '{"a": 1.}',
      '{"a": -}',
      '{"a": 1e}',
      '{"a": [1 2]}',
      '{"a": 1}}',
      '{"a": 1',
      '\u00a0{}',
      '[' .repeat(limits.nestingDepth + 1) + ']'.repeat(limits.nestingDepth + 1),
    ];
    for (const text of cases) agree(text);
    // a large object goes to the full reader, whose duplicate-key index is built for it
    const large = `{${Array.from({ length: 70 }, (_, i) => `"k${i}": ${i}`).join(', ')}}`;
    agree(large, false);
    expect(parseCleanJsonTree(large, limits.nestingDepth)).toBeUndefined();
    expect(parseCleanJsonTree('{"a": 1,}', limits.nestingDepth)).toBeUndefined();
    expect(parseCleanJsonTree('\uFEFF {"a": [true, false, null, -0.5e+3, "\\u00e9\\"x"]}\r\n', limits.nestingDepth)).toBeDefined();
  });

  it('agrees with the full reader on generated and mutated JSON', () => {
    const seed = Number(process.env['CLAIMC_SEED'] ?? Date.now() % 1_000_000);
    console.log(`fast-check seed ${seed}`);
    const pieces = ['{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '/', '*', '-', '0', '1', 'e', '.', 'true', 'a', '__proto__', '\t', '\u00e9', '\uFEFF'];
    const mutated = fc
      .tuple(fc.oneof(fc.json({ maxDepth: 4 }), fc.constant(policyText)), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...pieces)), { maxLength: 3 }))
      .map(([text, edits]) =>
        edits.reduce((t, [at, length, piece]) => {
          const i = at % (t.length + 1);
          return t.slice(0, i) + piece + t.slice(i + length);
        }, text),
      );
    fc.assert(
      fc.property(mutated, (text) => agree(text)),
      { numRuns: 1500, seed },
    );
  });
});
