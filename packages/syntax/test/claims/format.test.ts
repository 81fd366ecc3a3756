import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderPolicy } from '@claimc/model';
import { formatClaims } from '../../src/claims/format.js';
import { lexClaims } from '../../src/claims/lexer.js';
import { printPolicyClaims } from '../../src/claims/print.js';
import { readPolicyClaims } from '../../src/claims/read-claims.js';
import { wildPolicy } from './wild-policy.js';

const whitespace = fc.constantFrom(' ', '  ', '\n', '\n\n', '\t', '\r\n', '\n\n\n ');
const commentText = fc.stringMatching(/^[A-Za-z0-9 ,.:=(){}"-]{0,12}$/);
const comment = fc.oneof(
  commentText.map((c) => ({ kind: 'line' as const, text: `// ${c}` })),
  commentText.map((c) => ({ kind: 'block' as const, text: `/* ${c} */` })),
  fc.tuple(commentText, commentText).map(([a, b]) => ({ kind: 'block' as const, text: `/* ${a}\n   ${b} */` })),
);

/** Re-spaces a text at its token boundaries and drops numbered comments into some of them. */
function mangle(text: string, spaces: readonly string[], inserts: readonly { at: number; comment: { kind: 'line' | 'block'; text: string } }[]): { text: string; comments: string[] } {
  const tokens = lexClaims(text).tokens;
  const comments: string[] = [];
  let out = '';
  tokens.forEach((token, i) => {
    if (i > 0) {
      out += spaces[i % spaces.length] ?? ' ';
      for (const insert of inserts.filter((x) => x.at % tokens.length === i)) {
        const numbered = insert.comment.text.replace(/^(\/\/|\/\*)/, `$1#${comments.length}`);
        comments.push(numbered);
        out += numbered + (insert.comment.kind === 'line' ? '\n' : ' ');
      }
    }
    out += token.image;
  });
  return { text: out + '\n', comments };
}

describe('fmt', () => {
  it('is idempotent, keeps every comment in order and never changes the policy (1,000 runs)', () => {
    fc.assert(
      fc.property(
        wildPolicy,
        fc.array(whitespace, { minLength: 1, maxLength: 8 }),
        fc.array(fc.record({ at: fc.nat(), comment }), { maxLength: 6 }),
        ({ policy }, spaces, inserts) => {
          const mangled = mangle(printPolicyClaims(policy), spaces, inserts);
          const once = formatClaims(mangled.text);
          expect(once.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(formatClaims(once.text).text).toBe(once.text);
          let from = 0;
          // trailing blanks at the end of a line are the one thing fmt removes from a comment
          for (const c of mangled.comments.map((x) => x.trimEnd())) {
            const at = once.text.indexOf(c, from);
            expect(at, `comment ${c} kept in order`).toBeGreaterThanOrEqual(0);
            from = at + c.length;
          }
          expect(readPolicyClaims(once.text).policy).toEqual(orderPolicy(policy));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('lays out statements, clauses, calls and comments', () => {
    const input = [
      '/* header */',
      'policy   "P"{version:1 basic   claims :include',
      '',
      '',
      '',
      'claim x=user.mail saml "u" // trailing',
      '// own line',
      'claim y = join( user.a ,"b",separator:".")as T id Y',
      'transform T2=Join{input string1=each a param separator="-" output outputClaim=o}}',
    ].join('\n');
    expect(formatClaims(input).text).toBe(
      [
        '/* header */',
        'policy "P" {',
        '  version: 1',
        '  basic claims: include',
        '',
        '  claim x = user.mail',
        '    saml "u" // trailing',
        '  // own line',
        '  claim y = join(user.a, "b", separator: ".") as T',
        '    id Y',
        '  transform T2 = Join {',
        '    input string1 = each a',
        '    param separator = "-"',
        '    output outputClaim = o',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('returns text with a syntax error unchanged, with its diagnostics', () => {
    const broken = 'policy {\n  claim x = \n}';
    const result = formatClaims(broken);
    expect(result.text).toBe(broken);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['CM6011']);
  });
});
