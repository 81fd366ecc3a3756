import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasErrors, limits, LineMap } from '@claimc/model';
import { readPolicyJson } from './read-json.js';
import { findExcessNesting, utf8Length } from './guards.js';

const seeds = [
  '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"false","ClaimsSchema":[{"Source":"user","ID":"employeeid","JwtClaimType":"employeeid"},{"Source":"company","ID":"tenantcountry","SamlClaimType":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/country"}]}}',
  '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true","ClaimsSchema":[{"Source":"user","ID":"extensionattribute1"},{"Source":"transformation","ID":"DataJoin","TransformationId":"JoinTheData","JwtClaimType":"JoinedData"}],"ClaimsTransformations":[{"ID":"JoinTheData","TransformationMethod":"Join","InputClaims":[{"ClaimTypeReferenceId":"extensionattribute1","TransformationClaimType":"string1"}],"InputParameters":[{"ID":"string2","Value":"sandbox"},{"ID":"separator","Value":"."}],"OutputClaims":[{"ClaimTypeReferenceId":"DataJoin","TransformationClaimType":"outputClaim"}]}]}}',
  '{"definition":["{\\"ClaimsMappingPolicy\\":{\\"Version\\":1,\\"IncludeBasicClaimSet\\":\\"false\\"}}"],"displayName":"OmitBasic"}',
  `New-MgPolicyClaimMappingPolicy -Definition @('{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":[{"Value":"it''s","JwtClaimType":"x"}]}}') -DisplayName "Static"`,
];

/** Reads an input and checks the invariants every input must satisfy: no exception, bounded time, located diagnostics. */
function readSafely(text: string): ReturnType<typeof readPolicyJson> {
  const started = performance.now();
  const result = readPolicyJson(text);
  expect(performance.now() - started).toBeLessThan(2000);
  for (const d of result.diagnostics) {
    if (d.span !== undefined) {
      expect(d.span.start).toBeGreaterThanOrEqual(0);
      expect(d.span.end).toBeLessThanOrEqual(text.length);
      expect(d.span.start).toBeLessThanOrEqual(d.span.end);
    }
  }
  return result;
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 0xffff }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
);

function mutate(text: string, m: fc.Arbitrary<unknown> extends never ? never : { kind: string; at: number; byte?: number; length?: number }): string {
  const at = m.at % (text.length + 1);
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, at);
    case 'flip':
      return text.slice(0, at) + String.fromCharCode(m.byte ?? 0) + text.slice(at + 1);
    case 'delete':
      return text.slice(0, at) + text.slice(at + (m.length ?? 1));
    default:
      return text.slice(0, at) + text.slice(at, at + (m.length ?? 1)) + text.slice(at);
  }
}

describe('guards (threats P1, P2)', () => {
  it('counts UTF-8 bytes', () => {
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
  });

  it('accepts nesting at the cap and rejects cap + 1 at the first bracket too deep', () => {
    const atCap = '['.repeat(limits.nestingDepth) + ']'.repeat(limits.nestingDepth);
    expect(findExcessNesting(atCap, limits.nestingDepth)).toBeUndefined();
    expect(readSafely(atCap).diagnostics.map((d) => d.code)).not.toContain('CM1002');
    const over = '{"a":'.repeat(limits.nestingDepth + 1) + '1' + '}'.repeat(limits.nestingDepth + 1);
    const result = readSafely(over);
    expect(result.diagnostics.map((d) => [d.code, d.span?.start])).toEqual([['CM1002', 5 * limits.nestingDepth]]);
    expect(result.policy).toBeUndefined();
  });

  it('ignores brackets inside strings and comments', () => {
    const text = `{"a": "${'['.repeat(100)}", /* ${'{'.repeat(100)} */ "b": 1} // ${'['.repeat(100)}`;
    expect(findExcessNesting(text, 2)).toBeUndefined();
  });

  it('rejects 100,000-deep nesting quickly, in JSON and inside a Graph string', () => {
    const deep = '['.repeat(100_000);
    expect(readSafely(deep).diagnostics.map((d) => d.code)).toEqual(['CM1002']);
    const embedded = `{"displayName":"x","definition":["${'{\\"a\\":'.repeat(50_000)}"]}`;
    const result = readSafely(embedded);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['CM1002']);
    expect(new LineMap(embedded).position(result.diagnostics[0]?.span?.start ?? 0).column).toBe(35 + 7 * limits.nestingDepth);
  });

  it('rejects a 10 MB file before lexing', () => {
    const big = '{"ClaimsMappingPolicy":{"ClaimsSchema":[' + '{"Value":"x"},'.repeat(750_000) + ']}}';
    const result = readSafely(big);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['CM1001']);
    expect(result.policy).toBeUndefined();
    const justOver = '"' + 'é'.repeat(limits.policyBytes / 2) + '"';
    expect(readSafely(justOver).diagnostics.map((d) => d.code)).toEqual(['CM1001']);
  });

  it('reports empty, blank and binary input', () => {
    expect(readSafely('').diagnostics.map((d) => d.code)).toEqual(['CM1003']);
    expect(readSafely(' \n\t\uFEFF').diagnostics.map((d) => d.code)).toEqual(['CM1003']);
    expect(readSafely('// only a comment').diagnostics.map((d) => d.code)).toEqual(['CM1003', 'CM1106']);
    const binary = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    expect(hasErrors(readSafely(binary).diagnostics)).toBe(true);
  });
});

describe('robustness (property)', () => {
  it('mutated valid policies always end in diagnostics, never an exception', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, mutations) => {
        const text = mutations.reduce(mutate, seed);
        const result = readSafely(text);
        if (result.policy === undefined) expect(hasErrors(result.diagnostics)).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('truncating a valid policy anywhere gives at least one error', () => {
    for (const seed of seeds) {
      // in the PowerShell seed, text after the -Definition argument is optional
      const end = seed.startsWith('New-') ? seed.indexOf("')") + 2 : seed.length;
      for (let at = 0; at < end; at++) {
        const result = readSafely(seed.slice(0, at));
        expect(hasErrors(result.diagnostics), `${at}: ${seed.slice(0, at)}`).toBe(true);
      }
    }
  });

  it('random strings and JSON-ish token soups never throw', () => {
    const soup = fc
      .array(fc.constantFrom('{', '}', '[', ']', ',', ':', '"a"', '"ClaimsMappingPolicy"', '"definition"', '1', 'true', 'null', ' ', '\n', '//', '/*', '*/', '"', '\\', "'", '@(', '-Definition', '__proto__'), { maxLength: 80 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), soup), (text) => {
        readSafely(text);
      }),
      { numRuns: 1500 },
    );
  });

  it('__proto__ and constructor keys never pollute Object.prototype', () => {
    const texts = [
      '{"__proto__": {"ClaimsMappingPolicy": {"Version": 1}}, "ClaimsMappingPolicy": {"__proto__": {"polluted": 1}}}',
      '{"ClaimsMappingPolicy": {"ClaimsSchema": [{"constructor": {"prototype": {"polluted": 1}}}], "GroupFilter": {"__proto__": {"polluted": 1}, "MatchOn": "displayname", "Type": "prefix", "Value": "x"}}}',
      '{"definition": ["{\\"__proto__\\": {\\"polluted\\": 1}}"], "displayName": "x", "__proto__": {"polluted": 1}}',
    ];
    for (const text of texts) {
      const result = readSafely(text);
      expect(result.diagnostics.length).toBeGreaterThan(0);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
