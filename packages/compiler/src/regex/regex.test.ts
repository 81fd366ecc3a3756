import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { limits } from '@claimc/model';
import { translateDotNetPattern } from './translate.js';
import { parseReplacementTemplate } from './template.js';
import { resolveTemplate } from './resolve-template.js';

describe('translateDotNetPattern (D11)', () => {
  it('translates the documented example with both group syntaxes and inline (?i)', () => {
    const r = translateDotNetPattern("(?'domain'^.*?)(?i)(\\@fabrikam\\.com)$");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.pattern.source).toBe('(?P<domain>^.*?)(?i)(\\@fabrikam\\.com)$');
    expect(r.pattern.groupNames).toEqual(['domain']);
    expect(r.pattern.groupCount).toBe(2);
    const m = RE2JS.compile(r.pattern.source).matcher('swmal@FABRIKAM.com');
    expect(m.matches()).toBe(true);
    expect(m.group('domain')).toBe('swmal');
  });

  it('accepts (?<name>…) and counts named and unnamed groups', () => {
    const r = translateDotNetPattern('(?<user>[^@]+)@(.+)');
    expect(r.ok && r.pattern).toEqual({ source: '(?P<user>[^@]+)@(.+)', groupNames: ['user'], groupCount: 2 });
  });

  it.each([
    ['(\\w)\\1', 4, 2, 'a backreference'],
    ['(?<a>x)\\k<a>', 7, 5, 'a backreference'],
    ["(?'a'x)\\k'a'", 7, 5, 'a backreference'],
    ['a(?=b)', 1, 3, 'a lookahead'],
    ['a(?!b)', 1, 3, 'a lookahead'],
    ['x(?<=a)b', 1, 4, 'a lookbehind'],
    ['x(?<!a)b', 1, 4, 'a lookbehind'],
    ['(?>ab)', 0, 3, 'an atomic group'],
    ['ab*+', 2, 2, 'a possessive quantifier'],
    ['ab{2}+', 2, 4, 'a possessive quantifier'],
    ['(?(a)b|c)', 0, 3, 'a conditional'],
    ['(?<a-b>x)', 0, 7, 'a balancing group'],
    ['(?<1>x)', 0, 5, 'a numbered group name'],
    ['[\\W_]', 1, 2, '\\W inside a character class (write the class it stands for with [^…])'],
    ['a[\\S]', 2, 2, '\\S inside a character class (write the class it stands for with [^…])'],
    ['[a-z-[\\d]]', 6, 2, '\\d in a class with a subtraction (list the characters instead)'],
    ['[z-a-[b]]', 1, 3, 'a character range out of order'],
    ['(?x)a b', 0, 4, 'the inline option "x"'],
    ['\\Ga', 0, 2, 'the \\G anchor'],
  ])('refuses %s at its offset', (pattern, offset, length, construct) => {
    expect(translateDotNetPattern(pattern)).toEqual({ ok: false, offset, length, construct });
  });

  it('maps re2js syntax errors back to the .NET pattern offset', () => {
    const r = translateDotNetPattern('(?<a>x)ab**');
    expect(r).toMatchObject({ ok: false, offset: 9, construct: 'invalid nested repetition operator' });
    expect(translateDotNetPattern('abc(de')).toMatchObject({ ok: false, construct: 'missing closing )' });
  });

  it('rewrites .NET-only escapes and keeps [ literal inside a class', () => {
    const r = translateDotNetPattern('\\u0041\\e[[:]\\Z(?#note)x');
    expect(r.ok && r.pattern.source).toBe('\\x{0041}\\x1B[\\[:]\\zx');
  });

  it('enforces the pattern length and program size limits (threats X2)', () => {
    expect(translateDotNetPattern('a'.repeat(limits.regexPatternLength + 3))).toEqual({
      ok: false,
      offset: limits.regexPatternLength,
      length: 3,
      construct: 'too long',
    });
    expect(translateDotNetPattern('a{1,1000}')).toMatchObject({ ok: false, construct: 'program too large', programSize: 2001 });
  });

  it('never throws and always compiles what it accepts', () => {
    const alphabet = fc.constantFrom(...'ab()?<>\'=!:*+{}[]^$\\-1kPix#|.'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 24 }).map((a) => a.join('')), (pattern) => {
        const r = translateDotNetPattern(pattern);
        if (r.ok) expect(() => RE2JS.compile(r.pattern.source)).not.toThrow();
        else expect(r.offset + r.length).toBeLessThanOrEqual(Math.max(pattern.length, 1) + 1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseReplacementTemplate (D11)', () => {
  it('parses {name}, ${name}, $N and $$', () => {
    expect(parseReplacementTemplate('{country}.${domain}@x $1 $$ {bad-name} {')).toEqual([
      { kind: 'ref', name: 'country', offset: 0, length: 9 },
      { kind: 'text', text: '.' },
      { kind: 'ref', name: 'domain', offset: 10, length: 9 },
      { kind: 'text', text: '@x ' },
      { kind: 'ref', name: '1', offset: 22, length: 2 },
      { kind: 'text', text: ' $ {bad-name} {' },
    ]);
  });

  it('round-trips: printing the parts back (text with `$` doubled, references as written) parses to the same parts', () => {
    const strip = (parts: ReturnType<typeof parseReplacementTemplate>) => parts.map((p) => (p.kind === 'text' ? p.text : `ref:${p.name}`));
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'{}$1a_-x '.split('')), maxLength: 40 }), (template) => {
        const parts = parseReplacementTemplate(template);
        for (const p of parts) if (p.kind === 'ref') expect(template.slice(p.offset, p.offset + p.length)).toMatch(/^(\{\w+\}|\$\{\w+\}|\$\d+)$/);
        const printed = parts.map((p) => (p.kind === 'text' ? p.text.replaceAll('$', '$$$$') : template.slice(p.offset, p.offset + p.length))).join('');
        expect(strip(parseReplacementTemplate(printed))).toEqual(strip(parts));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('resolveTemplate (D11: groups first, then extra inputs)', () => {
  const kinds = (template: string, groupNames: string[], groupCount: number, extras: string[]) =>
    resolveTemplate(parseReplacementTemplate(template), { groupNames, groupCount }, extras).map((r) =>
      r.kind === 'text' ? r.text : r.kind === 'group' ? `group:${r.group}${r.exists ? '' : '!'}${r.alsoInput === undefined ? '' : `+input:${r.alsoInput}`}` : r.kind === 'input' ? `input:${r.input}` : `unknown:${r.name}`,
    );
  it('numbers are groups (leading zeros dropped, past the count marked), names a group before an input, inputs case-insensitively', () => {
    expect(kinds('$01-{2}-${d}', ['d'], 2, [])).toEqual(['group:1', '-', 'group:2', '-', 'group:d']);
    expect(kinds('{3}', [], 2, ['3'])).toEqual(['group:3!+input:0']);
    expect(kinds('{d}{Tail}{other}', ['d'], 1, ['D', 'tail'])).toEqual(['group:d+input:0', 'input:1', 'unknown:other']);
  });
});
