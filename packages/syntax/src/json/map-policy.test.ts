import { describe, expect, it } from 'vitest';
import { ClaimsMappingPolicySchema, LineMap, type Diagnostic } from '@claimc/model';
import { readPolicyJson } from './read-json.js';

const where = (text: string, diagnostics: readonly Diagnostic[]) => {
  const lines = new LineMap(text);
  return diagnostics.map((d) => ({ code: d.code, ...lines.position(d.span?.start ?? 0), pointer: d.pointer }));
};
const wrap = (policy: string) => `{"ClaimsMappingPolicy":${policy}}`;
const at = (text: string, needle: string) => new LineMap(text).position(text.indexOf(needle));

describe('mapping onto the model', () => {
  it('matches keys case-insensitively and accepts both spellings (D1), normalizing values', () => {
    const text = wrap(`{
      "version": 1, "includeBasicClaimSet": "FALSE",
      "claimsSchema": [
        {"source": "User", "id": "EmployeeID", "JWTClaimType": "EmpId", "SamlClaimType": "http://x/e", "SamlNameFormat": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"},
        {"Source": "transformation", "ID": "Joined", "TransformationID": "JoinIt", "jwtclaimtype": "joined"}
      ],
      "ClaimsTransformations": [
        {"id": "JoinIt", "transformationMethod": "join",
         "InputClaims": [{"ClaimTypeReferenceId": "EmployeeID", "TransformationClaimType": "STRING1", "TreatAsMultiValue": "True"}],
         "InputParameters": [{"Id": "String2", "Value": "x"}, {"ID": "SEPARATOR", "Value": "."}],
         "OutputClaims": [{"ClaimTypeReferenceId": "Joined", "TransformationClaimType": "OutputClaim"}]}
      ],
      "groupFilter": {"matchOn": "displayname", "type": "prefix", "value": "App"},
      "IssuerWithApplicationId": true, "AudienceOverride": "https://a.example"
    }`);
    const result = readPolicyJson(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.policy).toEqual({
      Version: 1,
      IncludeBasicClaimSet: false,
      ClaimsSchema: [
        { Source: 'user', ID: 'employeeid', JwtClaimType: 'EmpId', SamlClaimType: 'http://x/e', SAMLNameForm: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri' },
        { Source: 'transformation', ID: 'Joined', TransformationId: 'JoinIt', JwtClaimType: 'joined' },
      ],
      ClaimsTransformation: [
        {
          ID: 'JoinIt',
          TransformationMethod: 'Join',
          InputClaims: [{ ClaimTypeReferenceId: 'EmployeeID', TransformationClaimType: 'string1', TreatAsMultiValue: true }],
          InputParameters: [
            { ID: 'string2', Value: 'x' },
            { ID: 'separator', Value: '.' },
          ],
          OutputClaims: [{ ClaimTypeReferenceId: 'Joined', TransformationClaimType: 'outputClaim' }],
        },
      ],
      GroupFilter: { MatchOn: 'displayname', Type: 'prefix', Value: 'App' },
      issuerWithApplicationId: true,
      audienceOverride: 'https://a.example',
    });
    expect(ClaimsMappingPolicySchema.safeParse(result.policy).success).toBe(true);
  });

  it('records canonical pointers with the file spelling and file indexes', () => {
    const text = wrap('{"claimsSchema": [7, {"JWTClaimType": "a"}]}');
    const { locations } = readPolicyJson(text);
    const entry = locations.get('/ClaimsSchema/0/JwtClaimType');
    expect(entry?.pointer).toBe('/claimsSchema/1/JWTClaimType');
    expect(text.slice(entry?.span.start, entry?.span.end)).toBe('"a"');
    const key = locations.get('/ClaimsSchema/0/JwtClaimType#key');
    expect(text.slice(key?.span.start, key?.span.end)).toBe('"JWTClaimType"');
    expect(locations.get('/ClaimsSchema')?.pointer).toBe('/claimsSchema');
    expect(locations.get('/ClaimsSchema/0')?.pointer).toBe('/claimsSchema/1');
    expect(locations.get('')?.pointer).toBe('');
    expect(locations.has('/ClaimsSchema/1')).toBe(false);
  });

  it('reports both spellings of one property at the second (D1)', () => {
    const text = wrap('{\n"ClaimsTransformation": [],\n"ClaimsTransformations": []}');
    expect(where(text, readPolicyJson(text).diagnostics)).toEqual([{ code: 'CM2004', line: 3, column: 1, pointer: '/ClaimsTransformations' }]);
    const entry = wrap('{"ClaimsSchema": [{\n"SAMLNameForm": "a",\n  "samlNameFormat": "b"}]}');
    expect(where(entry, readPolicyJson(entry).diagnostics)).toEqual([{ code: 'CM2004', line: 3, column: 3, pointer: '/ClaimsSchema/0/samlNameFormat' }]);
  });

  it('rejects booleans other than true/false (D2) at the value', () => {
    const text = wrap('{"Version": 1,\n "IncludeBasicClaimSet": 1,\n "issuerWithApplicationId": "yes"}');
    expect(where(text, readPolicyJson(text).diagnostics)).toEqual([
      { code: 'CM2005', line: 2, column: 26, pointer: '/IncludeBasicClaimSet' },
      { code: 'CM2005', line: 3, column: 29, pointer: '/issuerWithApplicationId' },
    ]);
  });

  it('drops values of the wrong type and names dropped items', () => {
    const text = wrap('{\n"ClaimsSchema": [\n  {"ID": 5},\n  "x",\n  {"Source": "user", "ID": "mail"}],\n"GroupFilter": [],\n"audienceOverride": null}');
    const result = readPolicyJson(text);
    expect(where(text, result.diagnostics)).toEqual([
      { code: 'CM2003', line: 3, column: 10, pointer: '/ClaimsSchema/0/ID' },
      { code: 'CM2003', line: 4, column: 3, pointer: '/ClaimsSchema/1' },
      { code: 'CM2003', line: 6, column: 16, pointer: '/GroupFilter' },
      { code: 'CM2003', line: 7, column: 21, pointer: '/audienceOverride' },
    ]);
    expect(result.policy).toEqual({ ClaimsSchema: [{}, { Source: 'user', ID: 'mail' }] });
  });

  it('warns about unknown properties with did-you-mean (D5), an error for Entra', () => {
    const text = wrap('{"ClaimsSchema": [{"Source": "user", "JwtClaimTyp": "x"}]}');
    const [d] = readPolicyJson(text).diagnostics;
    expect(d).toMatchObject({ code: 'CM2001', severity: 'warning', pointer: '/ClaimsSchema/0/JwtClaimTyp', hint: 'Did you mean "JwtClaimType"?' });
    expect(readPolicyJson(text, { target: 'entra' }).diagnostics[0]?.severity).toBe('error');
  });

  it('keeps known-unmodelled fields with an info, and ignores transformation parameters (D5)', () => {
    const text = wrap(
      '{"ClaimsSchema": [{"Source": "user", "ID": "mail", "samlNameIdFormat": "f"}], "ClaimsTransformation": [{"ID": "t", "TransformationMethod": "CreateStringClaim", "parameters": [{"name": "x"}], "InputParameters": [{"ID": "value", "Value": "v", "DataType": "string"}], "InputClaims": [{"ClaimTypeReferenceId": "a", "TransformationClaimType": "b", "claimTypeReferenceSource": "s"}]}]}',
    );
    const result = readPolicyJson(text);
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.pointer])).toEqual([
      ['CM2002', 'info', '/ClaimsSchema/0/samlNameIdFormat'],
      ['CM2002', 'info', '/ClaimsTransformation/0/parameters'],
      ['CM2002', 'info', '/ClaimsTransformation/0/InputParameters/0/DataType'],
      ['CM2002', 'info', '/ClaimsTransformation/0/InputClaims/0/claimTypeReferenceSource'],
    ]);
    expect(result.policy?.ClaimsSchema?.[0]?.samlNameIdFormat).toBe('f');
    expect(result.policy?.ClaimsTransformation?.[0]?.InputParameters?.[0]?.DataType).toBe('string');
    expect(result.policy?.ClaimsTransformation?.[0]?.InputClaims?.[0]?.claimTypeReferenceSource).toBe('s');
  });

  it('drops objects missing a required property, naming them', () => {
    const text = wrap('{"ClaimsTransformation": [\n {"ID": "t"},\n {"ID": "u", "TransformationMethod": "ToLowercase"}]}');
    const result = readPolicyJson(text);
    expect(where(text, result.diagnostics)).toEqual([{ code: 'CM2006', line: 2, column: 2, pointer: '/ClaimsTransformation/0' }]);
    expect(result.policy?.ClaimsTransformation).toEqual([{ ID: 'u', TransformationMethod: 'ToLowercase' }]);
    expect(result.locations.get('/ClaimsTransformation/0')?.pointer).toBe('/ClaimsTransformation/1');
  });

  it('keeps unknown methods, IDs and names as written for the checker', () => {
    const text = wrap(
      '{"ClaimsSchema": [{"Source": "User", "ID": "EmployeeIdd"}], "ClaimsTransformation": [{"ID": "T", "TransformationMethod": "Joyn", "InputClaims": [{"ClaimTypeReferenceId": "X", "TransformationClaimType": "String1"}]}]}',
    );
    const { policy } = readPolicyJson(text);
    expect(policy?.ClaimsSchema?.[0]).toEqual({ Source: 'user', ID: 'EmployeeIdd' });
    expect(policy?.ClaimsTransformation?.[0]?.TransformationMethod).toBe('Joyn');
    expect(policy?.ClaimsTransformation?.[0]?.InputClaims?.[0]?.TransformationClaimType).toBe('String1');
  });

  it('reads "Version": "1" as 1 with a warning, and rejects other versions types', () => {
    const text = wrap('{"Version": "1"}');
    const result = readPolicyJson(text);
    expect(result.policy).toEqual({ Version: 1 });
    expect(where(text, result.diagnostics)).toEqual([{ code: 'CM2007', line: 1, column: 36, pointer: '/Version' }]);
    expect(readPolicyJson(wrap('{"Version": "one"}')).diagnostics.map((d) => d.code)).toEqual(['CM2003']);
  });

  it('never lets prototype keys reach the model', () => {
    const text = wrap('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "ClaimsSchema": [{"__proto__": "x", "toString": "y"}]}');
    const result = readPolicyJson(text);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['CM2050', 'CM2050', 'CM2050', 'CM2050', 'CM2050']);
    expect(result.policy).toEqual({ ClaimsSchema: [{}] });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(result.policy?.ClaimsSchema?.[0])).toBe(Object.prototype);
  });

  it('refuses prototype keys as errors in every mode, wherever they stand (CM2050)', () => {
    const text = wrap('{"Version": 1, "__proto__": {}, "ClaimsSchema": [{"Source": "user", "ID": "mail", "Constructor": {"PROTOTYPE": 1}}], "GroupFilter": {"MatchOn": "displayname", "Type": "prefix", "Value": "x", "valueOf": 1}}');
    const expected = [
      { code: 'CM2050', ...at(text, '"__proto__"'), pointer: '/__proto__' },
      { code: 'CM2050', ...at(text, '"Constructor"'), pointer: '/ClaimsSchema/0/Constructor' },
      { code: 'CM2050', ...at(text, '"PROTOTYPE"'), pointer: '/ClaimsSchema/0/Constructor/PROTOTYPE' },
      { code: 'CM2050', ...at(text, '"valueOf"'), pointer: '/GroupFilter/valueOf' },
    ];
    for (const target of ['lenient', 'entra'] as const) {
      const { diagnostics } = readPolicyJson(text, { target });
      expect(where(text, diagnostics)).toEqual(expected);
      expect(diagnostics.map((d) => d.severity)).toEqual(['error', 'error', 'error', 'error']);
    }
  });
});
