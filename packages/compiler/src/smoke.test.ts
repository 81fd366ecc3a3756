import { test, vi } from 'vitest';
vi.mock('@claimc/syntax', async () => ({ readPolicy: (await import('../../syntax/src/json/read-json.js')).readPolicyJson }));
import { compileModel } from './compile.js';
import { readPolicyJson } from '../../syntax/src/json/read-json.js';
const compilePolicy = (t: string) => { const r = readPolicyJson(t, {}); return compileModel(r.policy!, r.locations); };
import { linkPlan, evaluateJwt, evaluateSaml } from '@claimc/runtime';
test('smoke', () => {
  const texts = [
    `{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true", "ClaimsSchema": [{"Source":"user","ID":"employeeid","SamlClaimType":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/employeeid","JwtClaimType":"employeeid"},{"Source":"company","ID":"tenantcountry","SamlClaimType":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/country","JwtClaimType":"country"}]}}`,
    `{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true", "ClaimsSchema":[{"Source":"user","ID":"extensionattribute1"},{"Source":"transformation","ID":"DataJoin","TransformationId":"JoinTheData","JwtClaimType":"JoinedData"}],"ClaimsTransformations":[{"ID":"JoinTheData","TransformationMethod":"Join","InputClaims":[{"ClaimTypeReferenceId":"extensionattribute1","TransformationClaimType":"string1"}], "InputParameters": [{"ID":"string2","Value":"sandbox"},{"ID":"separator","Value":"."}],"OutputClaims":[{"ClaimTypeReferenceId":"DataJoin","TransformationClaimType":"outputClaim"}]}]}}`,
  ];
  const ctx = { user: { id: 'u1', displayName: 'Joe', employeeId: 'E1', onPremisesExtensionAttributes: { extensionAttribute1: 'foo@bar.com' } }, tenant: { id: 't', countryLetterCode: 'US' } };
  for (const t of texts) {
    const r = compilePolicy(t);
    console.log(JSON.stringify(r.diagnostics.map((d) => [d.code, d.severity, d.message])));
    console.log(JSON.stringify(r.plan), JSON.stringify(r.stats));
    if (r.plan) { const p = linkPlan(r.plan); console.log(evaluateJwt(p, ctx), JSON.stringify(evaluateSaml(p, ctx))); }
  }
});
