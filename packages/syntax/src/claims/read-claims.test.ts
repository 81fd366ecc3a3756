import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineMap, limits, type Diagnostic } from '@claimc/model';
import { readPolicyClaims } from './read-claims.js';

function at(text: string, diagnostics: readonly Diagnostic[]): { code: string; line: number; column: number }[] {
  const lines = new LineMap(text);
  return diagnostics.map((d) => ({ code: d.code, ...lines.position(d.span?.start ?? -1) }));
}

function errorsOf(text: string): { code: string; line: number; column: number }[] {
  return at(text, readPolicyClaims(text).diagnostics);
}

describe('syntax errors: code, line and column', () => {
  it('reports a missing value after `=` in the language’s terms', () => {
    const text = 'policy {\n  claim x =\n}\n';
    const result = readPolicyClaims(text);
    expect(errorsOf(text)).toEqual([{ code: 'CM6011', line: 3, column: 1 }]);
    expect(result.diagnostics[0]?.message).toBe('expected a source like `user.mail`, a function call like `join(…)`, or a "string" after `=`, found `}`');
    expect(result.policy).toBeUndefined();
  });

  it('reports several errors in one file (recovery goes on after each)', () => {
    const text = ['policy "P" {', '  claim a = user.mail saml', '  claim b = join(user.x,, "y")', '  transform T = Join {', '    param separator "."', '  }', '  claim c = user.city', '}', ''].join('\n');
    expect(errorsOf(text)).toEqual([
      { code: 'CM6010', line: 3, column: 3 },
      { code: 'CM6010', line: 3, column: 25 },
      { code: 'CM6010', line: 5, column: 21 },
    ]);
  });

  it('does not let a dangling `.` swallow the next statement', () => {
    const text = 'policy {\n  claim a = user.\n  claim b = user.mail saml\n}\n';
    expect(errorsOf(text)).toEqual([
      { code: 'CM6011', line: 3, column: 3 },
      { code: 'CM6010', line: 4, column: 1 },
    ]);
    expect(readPolicyClaims(text).diagnostics[0]?.message).toBe('expected an attribute name like `mail` after `.`, found `claim`');
  });

  it('names what was expected: a string after saml, `=` in a param line', () => {
    const text = 'policy {\n  claim a = user.mail saml 42\n}';
    const d = readPolicyClaims(text).diagnostics[0];
    expect(d?.code).toBe('CM6010');
    expect(d?.message).toBe('expected a "string" after `saml`, found the number 42');
    expect(at(text, [d as Diagnostic])).toEqual([{ code: 'CM6010', line: 2, column: 28 }]);
  });

  it('reports text after the policy block and a missing block', () => {
    expect(errorsOf('policy {}\nclaim x = user.mail\n')).toEqual([{ code: 'CM6012', line: 2, column: 1 }]);
    expect(errorsOf('claim x = user.mail')).toEqual([{ code: 'CM6010', line: 1, column: 1 }]);
    expect(errorsOf('policy {')).toEqual([{ code: 'CM6010', line: 1, column: 9 }]);
  });

  it('reports lexical errors: stray characters, unclosed strings and comments, bad escapes', () => {
    expect(errorsOf('policy {\n  claim x = user.mail ; \n}')).toEqual([{ code: 'CM6001', line: 2, column: 23 }]);
    expect(errorsOf('policy {\n  claim x = "abc\n}')).toEqual([{ code: 'CM6002', line: 2, column: 13 }]);
    expect(errorsOf('policy {\n  claim x = "a\\qb"\n}')).toEqual([{ code: 'CM6003', line: 2, column: 15 }]);
    expect(errorsOf('policy {\n  claim x = user.mail\n} /* open')).toEqual([{ code: 'CM6004', line: 3, column: 3 }]);
  });

  it('warns about raw bidi and zero-width characters in strings (threats P6)', () => {
    const result = readPolicyClaims('policy {\n  claim x = "ab\u202ecd"\n}');
    expect(at('policy {\n  claim x = "ab\u202ecd"\n}', result.diagnostics)).toEqual([{ code: 'CM6007', line: 2, column: 16 }]);
    expect(result.policy?.ClaimsSchema?.[0]?.Value).toBe('ab\u202ecd');
  });
});

describe('size and nesting guards run before parsing (threats P1, P2)', () => {
  const nested = (depth: number): string => `policy {\n  claim x = ${'toLowercase('.repeat(depth)}user.mail${')'.repeat(depth)}\n}`;

  it('accepts the cap and rejects cap + 1 at the offending parenthesis', () => {
    // the policy block's brace is one level
    expect(readPolicyClaims(nested(limits.nestingDepth - 1)).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const over = nested(limits.nestingDepth);
    expect(errorsOf(over)).toEqual([{ code: 'CM6006', line: 2, column: 13 + 12 * (limits.nestingDepth - 1) + 11 }]);
  });

  it('rejects 100,000-deep input quickly, without recursion', () => {
    const started = performance.now();
    const result = readPolicyClaims(`policy {\n  claim x = ${'f('.repeat(100_000)}user.mail${')'.repeat(100_000)}\n}`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['CM6006']);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('ignores brackets inside strings and comments when counting', () => {
    const text = `policy {\n  // ${'('.repeat(100)}\n  claim x = "${'{'.repeat(100)}"\n}`;
    expect(readPolicyClaims(text).diagnostics).toEqual([]);
  });

  it('rejects a file over the size limit before lexing', () => {
    const text = 'policy {\n' + '  claim x = user.mail\n'.repeat(Math.ceil(limits.policyBytes / 20)) + '}';
    expect(readPolicyClaims(text).diagnostics.map((d) => d.code)).toEqual(['CM6005']);
  });
});

describe('language rules (CM602x)', () => {
  const cases: [string, string, { code: string; line: number; column: number }[]][] = [
    ['unknown setting, with a did-you-mean', 'policy {\n  basic clams: include\n}', [{ code: 'CM6020', line: 2, column: 3 }]],
    ['wrong setting value', 'policy {\n  basic claims: yes\n}', [{ code: 'CM6021', line: 2, column: 17 }]],
    ['setting given twice', 'policy {\n  version: 1\n  version: 1\n}', [{ code: 'CM6022', line: 3, column: 3 }]],
    ['field given twice', 'policy {\n  claim x = user.mail\n    id other\n}', [{ code: 'CM6022', line: 3, column: 5 }]],
    ['`claims: none` with claims', 'policy {\n  claims: none\n  claim x = user.mail\n}', [{ code: 'CM6023', line: 2, column: 3 }]],
    ['unknown function', 'policy {\n  claim x = jion(user.mail, "a")\n}', [{ code: 'CM6024', line: 2, column: 13 }]],
    ['too many positional arguments', 'policy {\n  claim x = extractMailPrefix(user.mail, user.upn)\n}', [{ code: 'CM6025', line: 2, column: 42 }]],
    ['positional after named', 'policy {\n  claim x = join(string2: "a", user.mail)\n}', [{ code: 'CM6026', line: 2, column: 32 }]],
    ['argument named twice', 'policy {\n  claim x = join(user.mail, string1: user.city)\n}', [{ code: 'CM6027', line: 2, column: 29 }]],
    ['`each` outside a call', 'policy {\n  claim x = each user.mail\n}', [{ code: 'CM6028', line: 2, column: 13 }]],
    ['a read whose ID another source holds', 'policy {\n  claim a = application.displayname\n  claim b = toLowercase(user.displayname)\n}', [{ code: 'CM6029', line: 3, column: 25 }]],
    ['a literal with `each`', 'policy {\n  claim x = join(user.mail, each "a")\n}', [{ code: 'CM6031', line: 2, column: 29 }]],
    ['`as` after a read', 'policy {\n  claim x = user.mail as t1\n}', [{ code: 'CM6030', line: 2, column: 23 }]],
    ['`as` after a literal, once', 'policy {\n  claim x = user.mail\n  claim y = "a" as z\n}', [{ code: 'CM6030', line: 3, column: 17 }]],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(errorsOf(text)).toEqual(expected);
  });

  it('offers the nearest setting', () => {
    expect(readPolicyClaims('policy {\n  basic clams: include\n}').diagnostics[0]?.hint).toBe('did you mean `basic claims`?');
    expect(readPolicyClaims('policy {\n  claim x = jion(user.mail, "a")\n}').diagnostics[0]?.hint).toBe('did you mean `join`?');
  });
});

describe('locations map canonical pointers to the .claims text', () => {
  const text = [
    'policy "P" {',
    '  claim employeeid = user.employeeid',
    '    saml "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/employeeid"',
    '  claim JoinedData = join(user.extensionattribute1, "sandbox", separator: ".") as JoinTheData',
    '}',
  ].join('\n');
  const result = readPolicyClaims(text);
  const slice = (pointer: string): string | undefined => {
    const location = result.locations.get(pointer);
    return location === undefined ? undefined : text.slice(location.span.start, location.span.end);
  };

  it('points at names, sources, IDs, arguments and parameters', () => {
    expect(slice('/ClaimsSchema/0/JwtClaimType')).toBe('employeeid');
    expect(slice('/ClaimsSchema/0/Source')).toBe('user');
    expect(slice('/ClaimsSchema/0/ID')).toBe('employeeid');
    expect(slice('/ClaimsSchema/0/SamlClaimType')).toBe('"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/employeeid"');
    expect(slice('/ClaimsSchema/0/SamlClaimType#key')).toBe('saml');
    expect(slice('/ClaimsSchema/1/ID')).toBe('extensionattribute1');
    expect(slice('/ClaimsSchema/2/TransformationId')).toBe('JoinTheData');
    expect(slice('/ClaimsTransformation/0/TransformationMethod')).toBe('join');
    expect(slice('/ClaimsTransformation/0/InputClaims/0/ClaimTypeReferenceId')).toBe('extensionattribute1');
    expect(slice('/ClaimsTransformation/0/InputParameters/0/Value')).toBe('"sandbox"');
    expect(slice('/ClaimsTransformation/0/InputParameters/1/ID')).toBe('separator');
    expect(slice('/ClaimsTransformation/0/InputParameters/1/Value')).toBe('"."');
    expect(result.locations.get('/ClaimsTransformation/0/InputParameters/1/Value')?.pointer).toBe('/ClaimsTransformation/0/InputParameters/1/Value');
    expect(result.displayName).toBe('P');
    expect(result.envelope).toBe('claims');
  });
});

describe('never throws', () => {
  const valid = 'policy "P" {\n  basic claims: include\n  claim a = join(user.mail, "x", separator: ".") as T\n    id A\n  transform U = Join {\n    input string1 = each mail\n    output outputClaim = B\n  }\n}\n';

  it('on random text, random bytes and mutated valid policies (1,000 runs each)', () => {
    const safe = (text: string): void => {
      const result = readPolicyClaims(text);
      if (result.policy === undefined) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      for (const d of result.diagnostics) if (d.span !== undefined) expect(d.span.end).toBeLessThanOrEqual(text.length);
    };
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), safe), { numRuns: 1000 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => safe(new TextDecoder().decode(bytes))), { numRuns: 1000 });
    fc.assert(
      fc.property(fc.nat(valid.length), fc.nat(valid.length), fc.string({ maxLength: 4 }), (from, to, insert) => {
        safe(valid.slice(0, Math.min(from, to)) + insert + valid.slice(Math.max(from, to)));
        safe(valid.slice(0, from));
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves Object.prototype alone with prototype-key names', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const result = readPolicyClaims('policy {\n  claim "__proto__" = user.constructor\n  transform "__proto__" = "constructor" {\n    param "__proto__" = "x"\n  }\n}');
    expect(result.policy?.ClaimsSchema?.[0]?.JwtClaimType).toBe('__proto__');
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});
