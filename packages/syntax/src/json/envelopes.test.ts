import { describe, expect, it } from 'vitest';
import { LineMap, type Diagnostic } from '@claimc/model';
import { readPolicyJson } from './read-json.js';

const where = (text: string, diagnostics: readonly Diagnostic[]) => {
  const lines = new LineMap(text);
  return diagnostics.map((d) => ({ code: d.code, ...lines.position(d.span?.start ?? 0), pointer: d.pointer }));
};
/** Line and column of the nth occurrence of `needle`, to check that a span lands on it. */
const find = (text: string, needle: string, nth = 0) => {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`test setup: ${needle} not in text`);
  return new LineMap(text).position(index);
};

const inner = '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"nope","ClaimsSchema":[{"Source":"user","ID":"employeeid","JwtClaimType":"employeeid"}]}}';
const expectedPolicy = { Version: 1, ClaimsSchema: [{ Source: 'user', ID: 'employeeid', JwtClaimType: 'employeeid' }] };

describe('envelope: bare ClaimsMappingPolicy (D4)', () => {
  it('reads the wrapper and points relative to the policy object', () => {
    const text = '{\n  "ClaimsMappingPolicy": {\n    "Version": 1,\n    "IncludeBasicClaimSet": "maybe"\n  }\n}';
    const result = readPolicyJson(text);
    expect(result.envelope).toBe('raw');
    expect(where(text, result.diagnostics)).toEqual([{ code: 'CM2005', line: 4, column: 29, pointer: '/IncludeBasicClaimSet' }]);
  });

  it('reads a bare policy object with a warning that is an error for Entra', () => {
    const text = '{"Version": 1, "IncludeBasicClaimSet": false}';
    const result = readPolicyJson(text);
    expect(result.policy).toEqual({ Version: 1, IncludeBasicClaimSet: false });
    expect(where(text, result.diagnostics)).toEqual([{ code: 'CM1302', line: 1, column: 1, pointer: '' }]);
    expect(result.diagnostics[0]?.severity).toBe('warning');
    expect(readPolicyJson(text, { target: 'entra' }).diagnostics[0]?.severity).toBe('error');
  });

  it('rejects documents that are not a policy', () => {
    expect(where('[1]', readPolicyJson('[1]').diagnostics)).toEqual([{ code: 'CM1301', line: 1, column: 1, pointer: undefined }]);
    expect(where('{"foo": 1}', readPolicyJson('{"foo": 1}').diagnostics)).toEqual([{ code: 'CM1301', line: 1, column: 1, pointer: undefined }]);
    const notObject = '{"ClaimsMappingPolicy": [1]}';
    const result = readPolicyJson(notObject);
    expect(result.policy).toBeUndefined();
    expect(where(notObject, result.diagnostics)).toEqual([{ code: 'CM2003', line: 1, column: 25, pointer: '' }]);
  });

  it('warns about other members beside the wrapper', () => {
    const text = '{"ClaimsMappingPolicy": {"Version": 1}, "extra": true}';
    expect(where(text, readPolicyJson(text).diagnostics)).toEqual([{ code: 'CM2001', line: 1, column: 41, pointer: undefined }]);
  });
});

describe('envelope: Graph body (D4)', () => {
  it('reads the definition string and maps inner positions to the outer file', () => {
    const text = `{\n  "displayName": "Employee id",\n  "definition": [\n    ${JSON.stringify(inner)}\n  ]\n}`;
    const result = readPolicyJson(text);
    expect(result.envelope).toBe('graph');
    expect(result.displayName).toBe('Employee id');
    expect(result.policy).toEqual(expectedPolicy);
    expect(where(text, result.diagnostics)).toEqual([{ code: 'CM2005', ...find(text, '\\"nope\\"'), pointer: '/IncludeBasicClaimSet' }]);
    const id = result.locations.get('/ClaimsSchema/0/ID');
    expect(text.slice(id?.span.start, id?.span.end)).toBe('\\"employeeid\\"');
    expect(id?.pointer).toBe('/ClaimsSchema/0/ID');
  });

  it('maps through \\uXXXX, \\n and \\" escapes, which change lengths', () => {
    const escaped = '"{\\u0022ClaimsMappingPolicy\\u0022:{\\n\\t\\"Version\\":1,\\n\\t\\"Bogus\\":\\"\\u00e9\\"}}"';
    const text = `{"definition": [${escaped}], "displayName": "x"}`;
    const result = readPolicyJson(text);
    expect(where(text, result.diagnostics)).toEqual([{ code: 'CM2001', ...find(text, '\\"Bogus\\"'), pointer: '/Bogus' }]);
    expect(result.diagnostics[0]?.span).toEqual({ start: text.indexOf('\\"Bogus\\"'), end: text.indexOf('\\"Bogus\\"') + '\\"Bogus\\"'.length });
  });

  it('reports syntax errors inside the embedded string at their outer position', () => {
    const text = '{"displayName":"x","definition":["{\\"ClaimsMappingPolicy\\":{\\"Version\\" 1}}"]}';
    const result = readPolicyJson(text);
    expect(where(text, result.diagnostics)).toEqual([{ code: 'CM1201', ...find(text, '1}}'), pointer: '/Version' }]);
  });

  it('reads the first policy of a Graph response list, with a warning when there are more', () => {
    const body = `{"displayName":"a","definition":[${JSON.stringify(inner)}]}`;
    const text = `{"@odata.context":"x","value":[${body},\n${body}]}`;
    const result = readPolicyJson(text);
    expect(result.policy).toEqual(expectedPolicy);
    expect(where(text, result.diagnostics).map((w) => [w.code, w.line])).toEqual([
      ['CM2005', 1],
      ['CM1308', 2],
    ]);
    expect(where('{"value":[]}', readPolicyJson('{"value":[]}').diagnostics)).toEqual([{ code: 'CM1309', line: 1, column: 10, pointer: undefined }]);
  });

  it('checks the shape of definition and displayName', () => {
    const cases: [string, string[]][] = [
      ['{"definition":[1],"displayName":"x"}', ['CM1303']],
      [`{"definition":[${JSON.stringify(inner)},"{}"],"displayName":"x"}`, ['CM1305', 'CM2005']],
      [`{"definition":${JSON.stringify(inner)},"displayName":"x"}`, ['CM1304', 'CM2005']],
      [`{"definition":[${JSON.stringify(inner)}]}`, ['CM1306', 'CM2005']],
      [`{"definition":[${JSON.stringify(inner)}],"displayName":7}`, ['CM2005', 'CM1307']],
    ];
    for (const [text, codes] of cases) expect(readPolicyJson(text).diagnostics.map((d) => d.code)).toEqual(codes);
    const positioned = '{"definition":[1],"displayName":"x"}';
    expect(where(positioned, readPolicyJson(positioned).diagnostics)).toEqual([{ code: 'CM1303', line: 1, column: 16, pointer: undefined }]);
  });
});

describe('envelope: PowerShell (D4)', () => {
  const quoted = inner.replace(/'/g, "''");

  it('reads New-MgPolicyClaimMappingPolicy with a single-quoted definition', () => {
    const text = `Connect-MgGraph -Scopes Policy.ReadWrite.ApplicationConfiguration\nNew-MgPolicyClaimMappingPolicy -Definition @('${quoted}') -DisplayName "Employee id"\n`;
    const result = readPolicyJson(text);
    expect(result.envelope).toBe('powershell');
    expect(result.displayName).toBe('Employee id');
    expect(result.policy).toEqual(expectedPolicy);
    expect(where(text, result.diagnostics)).toEqual([{ code: 'CM2005', ...find(text, '"nope"'), pointer: '/IncludeBasicClaimSet' }]);
  });

  it("maps positions through '' escapes", () => {
    const text = `New-AzureADPolicy -Definition @('{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":[{"Value":"it''s","Bad":1}]}}') -DisplayName 'x' -Type "ClaimsMappingPolicy"`;
    const result = readPolicyJson(text);
    expect(result.policy?.ClaimsSchema?.[0]?.Value).toBe("it's");
    expect(where(text, result.diagnostics)).toEqual([{ code: 'CM2001', ...find(text, '"Bad"'), pointer: '/ClaimsSchema/0/Bad' }]);
  });

  it('reads here-strings, double-quoted strings and $variable definitions', () => {
    const here = `$definition = @'\n${inner}\n'@\nNew-MgPolicyClaimMappingPolicy -Definition $definition -DisplayName Employee`;
    const hereResult = readPolicyJson(here);
    expect(hereResult.policy).toEqual(expectedPolicy);
    expect(hereResult.displayName).toBe('Employee');
    expect(where(here, hereResult.diagnostics)).toEqual([{ code: 'CM2005', ...find(here, '"nope"'), pointer: '/IncludeBasicClaimSet' }]);
    const double = `New-MgPolicyClaimMappingPolicy -DisplayName "x" -Definition "${inner.replace(/"/g, '`"')}"`;
    const doubleResult = readPolicyJson(double);
    expect(doubleResult.policy).toEqual(expectedPolicy);
    expect(where(double, doubleResult.diagnostics)).toEqual([{ code: 'CM2005', ...find(double, '`"nope`"'), pointer: '/IncludeBasicClaimSet' }]);
  });

  it('reports PowerShell envelope problems', () => {
    const noDefinition = 'New-MgPolicyClaimMappingPolicy -DisplayName "x" -Definition:$unknown';
    expect(where(noDefinition, readPolicyJson(noDefinition).diagnostics)).toEqual([{ code: 'CM1311', line: 1, column: 61, pointer: undefined }]);
    const unterminated = "New-MgPolicyClaimMappingPolicy -Definition @('{\"ClaimsMappingPolicy\":{}}";
    expect(readPolicyJson(unterminated).diagnostics.map((d) => d.code)).toContain('CM1312');
    const twoStrings = `New-MgPolicyClaimMappingPolicy -Definition @('${quoted}', '{}') -DisplayName x`;
    expect(where(twoStrings, readPolicyJson(twoStrings).diagnostics).map((w) => [w.code, w.column])).toEqual([
      ['CM1313', 44],
      ['CM2005', find(twoStrings, '"nope"').column],
    ]);
    const wrongType = `New-AzureADPolicy -Definition @('${quoted}') -DisplayName x -Type "TokenLifetimePolicy"`;
    expect(where(wrongType, readPolicyJson(wrongType).diagnostics).map((w) => [w.code, w.column])).toEqual([
      ['CM2005', find(wrongType, '"nope"').column],
      ['CM1314', find(wrongType, '"TokenLifetimePolicy"').column],
    ]);
    const none = 'New-MgPolicyClaimMappingPolicy -DisplayName "x"';
    expect(where(none, readPolicyJson(none).diagnostics)).toEqual([{ code: 'CM1310', line: 1, column: 1, pointer: undefined }]);
  });
});
