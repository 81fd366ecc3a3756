import { describe, expect, it, vi } from 'vitest';
import { RE2JS } from 're2js';
import { evaluateJwtClaims } from '@claimc/runtime';
import { LineMap } from '@claimc/model';
import { compileModel, compilePolicy } from './compile.js';

const entry = '{"Source":"user","ID":"employeeid","JwtClaimType":"employeeid"}';
const policyText = (body: string): string => `{"ClaimsMappingPolicy":{"Version":1,${body}}}`;

/** Code, line and column of each error, to compare with the place in the text it must point at. */
function errorsOf(text: string, diagnostics: readonly { code: string; severity: string; span?: { start: number } }[]) {
  const lines = new LineMap(text);
  return diagnostics.filter((d) => d.severity === 'error').map((d) => ({ code: d.code, ...lines.position(d.span?.start ?? -1) }));
}
const at = (text: string, offset: number) => new LineMap(text).position(offset);

describe('compilePolicy: any error means no plan', () => {
  const unterminated = policyText(`"IncludeBasicClaimSet":"true","ClaimsSchema":[${entry}, "x]`);
  const truncated = policyText(`"IncludeBasicClaimSet":"true","ClaimsSchema":[${entry}`).slice(0, -2);
  const duplicate = policyText(`"IncludeBasicClaimSet":"true","ClaimsSchema":[${entry}],"ClaimsSchema":[]`);
  const badBoolean = policyText(`"IncludeBasicClaimSet":"yes","ClaimsSchema":[${entry}]`);
  it.each([
    ['an unterminated string', unterminated, 'CM1102', unterminated.indexOf('"x]')],
    ['an unexpected end of input', truncated, 'CM1202', truncated.length],
    ['a duplicate key', duplicate, 'CM1207', duplicate.lastIndexOf('"ClaimsSchema"')],
    ['a bad boolean', badBoolean, 'CM2005', badBoolean.indexOf('"yes"')],
  ])('%s: ok is false, there is no plan, and the error is located', (_name, text, code, offset) => {
    for (const target of ['lenient', 'entra'] as const) {
      const result = compilePolicy(text, { target });
      expect(result.ok).toBe(false);
      expect(result).not.toHaveProperty('plan');
      expect(result).not.toHaveProperty('linked');
      expect(errorsOf(text, result.diagnostics)).toContainEqual({ code, ...at(text, offset) });
    }
  });

  it('a clean policy gives ok, the plan and the linked plan', () => {
    const result = compilePolicy(policyText(`"IncludeBasicClaimSet":"true","ClaimsSchema":[${entry}]`));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.jwt.emits.map((e) => e.name)).toEqual(['employeeid']);
    expect(result.linked.settings.includeBasicClaimSet).toBe(true);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('warnings alone still give a plan', () => {
    const text = policyText(`"IncludeBasicClaimSet":"true","ClaimsSchema":[${entry}],"Bogus":1`);
    const result = compilePolicy(text);
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([['CM2001', 'warning']]);
    expect(compilePolicy(text, { target: 'entra' }).ok).toBe(false);
  });

  it('compileModel reports ok the same way', () => {
    expect(compileModel({ Version: 1, ClaimsSchema: [{ Source: 'user', ID: 'mail', JwtClaimType: 'iss' }] }, new Map()).ok).toBe(false);
    expect(compileModel({ Version: 1, ClaimsSchema: [{ Source: 'user', ID: 'mail', JwtClaimType: 'email2' }] }, new Map()).ok).toBe(true);
  });
});

describe('compilePolicy: one diagnostic per problem', () => {
  it('an unresolvable template reference is reported once, by the checker at its place (CM4304), never again by the lowerer (CM5004)', () => {
    const text = policyText(
      `"ClaimsSchema":[{"Source":"user","ID":"mail"},{"Source":"transformation","ID":"out","TransformationId":"t","JwtClaimType":"out"}],` +
        `"ClaimsTransformation":[{"ID":"t","TransformationMethod":"RegexReplace","InputClaims":[{"ClaimTypeReferenceId":"mail","TransformationClaimType":"sourceClaim"}],` +
        `"InputParameters":[{"ID":"regex","Value":"(?'user'[^@]+)@.+"},{"ID":"replacement","Value":"{user}.{nosuch}"}],"OutputClaims":[{"ClaimTypeReferenceId":"out","TransformationClaimType":"outputClaim"}]}]`,
    );
    const result = compilePolicy(text);
    expect(result.ok).toBe(false);
    expect(errorsOf(text, result.diagnostics)).toEqual([{ code: 'CM4304', ...at(text, text.indexOf('{nosuch}')) }]);
  });
});

describe('compilePolicy: each pattern is compiled once', () => {
  it('link reuses the re2js programs bind compiled to validate the patterns, and the plan runs them', () => {
    const regexEntry = (id: string, pattern: string) =>
      `{"ID":"${id}","TransformationMethod":"RegexReplace","InputClaims":[{"ClaimTypeReferenceId":"mail","TransformationClaimType":"sourceClaim"}],` +
      `"InputParameters":[{"ID":"regex","Value":"${pattern}"},{"ID":"replacement","Value":"{user}"}],"OutputClaims":[{"ClaimTypeReferenceId":"${id}","TransformationClaimType":"outputClaim"}]}`;
    const text = policyText(
      `"ClaimsSchema":[{"Source":"user","ID":"mail"},{"Source":"transformation","ID":"a","TransformationId":"a","JwtClaimType":"a"},{"Source":"transformation","ID":"b","TransformationId":"b","JwtClaimType":"b"}],` +
        `"ClaimsTransformation":[${regexEntry('a', "(?'user'[^@]+)@.+")},${regexEntry('b', "^(?'user'[^.]+)")}]`,
    );
    const compile = vi.spyOn(RE2JS, 'compile');
    try {
      const result = compilePolicy(text);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(compile).toHaveBeenCalledTimes(2);
      expect(evaluateJwtClaims(result.linked, { user: { id: 'u1', mail: 'ada.l@contoso.com' } })).toMatchObject({ a: 'ada.l', b: 'ada.l@contoso.com' });
    } finally {
      compile.mockRestore();
    }
  });
});
