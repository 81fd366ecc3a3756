import { describe, expect, it } from 'vitest';
import { compileRegex, regexReplace, resolvePlanTemplate, type CompiledRegex } from './regex.js';

const compiled = (source: string): CompiledRegex => {
  const result = compileRegex(source);
  if (!result.ok) throw new Error(result.message);
  return result.regex;
};

describe('resolvePlanTemplate: a plan template against its pattern, in one place', () => {
  const re = compiled('^(?P<user>[^@]+)@(?P<domain>.+)$');

  it('turns group names and numbers into group numbers and keeps text and extra inputs', () => {
    const template = resolvePlanTemplate(re, [{ kind: 'input', input: 0 }, { kind: 'text', text: '.' }, { kind: 'group', group: 'user' }, { kind: 'group', group: '2' }], 1);
    expect(template).toEqual([{ kind: 'input', input: 0 }, { kind: 'text', text: '.' }, { kind: 'group', group: 1 }, { kind: 'group', group: 2 }]);
    if (!Array.isArray(template)) throw new Error(template.problem);
    expect(regexReplace(re, 'swmal@fabrikam.com', template, ['US'])).toBe('US.swmalfabrikam.com');
  });

  it('names the problem of a group the pattern lacks or an extra input that does not exist', () => {
    expect(resolvePlanTemplate(re, [{ kind: 'group', group: 'tenant' }], 0)).toEqual({ problem: expect.stringContaining('"tenant"') });
    expect(resolvePlanTemplate(re, [{ kind: 'group', group: '3' }], 0)).toHaveProperty('problem');
    expect(resolvePlanTemplate(re, [{ kind: 'input', input: 1 }], 1)).toHaveProperty('problem');
  });

  it('returns fresh parts, never the plan document’s objects', () => {
    const text = { kind: 'text', text: 'x' } as const;
    const [part] = resolvePlanTemplate(re, [text], 0) as unknown[];
    expect(part).toEqual(text);
    expect(part).not.toBe(text);
  });
});
