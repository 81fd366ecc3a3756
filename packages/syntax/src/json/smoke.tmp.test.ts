import { test } from 'vitest';
import { readPolicyJson } from './read-json.js';
const show = (t: string) => { const r = readPolicyJson(t); console.log(JSON.stringify({ policy: r.policy, env: r.envelope, dn: r.displayName, d: r.diagnostics.map(d => [d.code, d.severity, d.message, d.span, d.pointer, d.hint]) , loc: [...r.locations].slice(0,6)}, null, 0)); };
test('smoke', () => {
  show('{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true","ClaimsSchema":[{"Source":"User","ID":"EmployeeId","JWTClaimType":"employeeid"}]}}');
  show('{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"yes", "ID": 3, "Versoin": 2, "ClaimsSchema":[1,{"Source":"user","ID":"mail",},],}} // hi');
  show('{"ClaimsMappingPolicy":{"Version":1 "IncludeBasicClaimSet":true,, "id":1, "ID": 2, "ClaimsSchema": [{"Source": "user" "ID": "x"}, {"Source": }]}');
  show('{"definition":["{\\"ClaimsMappingPolicy\\":{\\"Version\\":1,\\"IncludeBasicClaimSet\\":\\"nope\\"}}"],"displayName":"X"}');
  show(`New-MgPolicyClaimMappingPolicy -Definition @('{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"nope", "x": ''it''''s''}}') -DisplayName "My policy"`);
  show('{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":[{"Source":"user"');
  show('');
  show('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[');
  show('\u0000\u0001garbage');
  show('{"ClaimsMappingPolicy":{"__proto__":{"x":1},"constructor":1}}');
});
