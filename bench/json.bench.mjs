// Parse + map cost of the JSON front end (issue 2, item 4): the example policies in every envelope, a
// 50-entry / 50-transformation policy, and the curve up to 5,000 entries (cost should be linear).
// Run: npx tsc -b && node bench/json.bench.mjs
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readPolicyJson } from '@claimc/syntax';
import { hasErrors } from '@claimc/model';

const examples = fileURLToPath(new URL('../docs/examples/', import.meta.url));
const seeds = readdirSync(examples)
  .filter((f) => /\.(json|ps1)$/.test(f))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(examples + f, 'utf8') }));

/** `entries` ClaimsSchema entries and `transformations` transformations, the shapes real policies use. */
function generated(entries, transformations) {
  const methods = ['Join', 'ExtractMailPrefix', 'ToLowercase', 'RegexReplace', 'CreateStringClaim'];
  const schema = [{ Source: 'user', ID: 'mail' }];
  const ts = [];
  for (let i = 0; i < transformations; i++) {
    const method = methods[i % methods.length];
    const t = { ID: `T${i}`, TransformationMethod: method };
    if (method === 'Join') Object.assign(t, { InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'string1' }], InputParameters: [{ ID: 'string2', Value: 'sandbox' }, { ID: 'separator', Value: '.' }] });
    else if (method === 'RegexReplace') Object.assign(t, { InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'sourceClaim' }], InputParameters: [{ ID: 'regex', Value: '^(?<local>[^@]+)@contoso\\.com$' }, { ID: 'replacement', Value: '{local}@fabrikam.com' }] });
    else if (method === 'CreateStringClaim') Object.assign(t, { InputParameters: [{ ID: 'value', Value: `constant ${i}` }] });
    else Object.assign(t, { InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'mail' }] });
    t.OutputClaims = [{ ClaimTypeReferenceId: `out${i}`, TransformationClaimType: method === 'CreateStringClaim' ? 'createdClaim' : 'outputClaim' }];
    ts.push(t);
    schema.push({ Source: 'transformation', ID: `out${i}`, TransformationId: `T${i}`, JwtClaimType: `claim${i}` });
  }
  const attributes = ['employeeid', 'department', 'jobtitle', 'city', 'country', 'companyname', 'displayname'];
  for (let i = schema.length; i < entries; i++) schema.push({ Source: 'user', ID: attributes[i % attributes.length], JwtClaimType: `attr${i}`, SamlClaimType: `http://schemas.contoso.com/claims/attr${i}` });
  return JSON.stringify({ ClaimsMappingPolicy: { Version: 1, IncludeBasicClaimSet: 'true', ClaimsSchema: schema, ClaimsTransformation: ts } });
}

const cases = [
  ...seeds.map((s) => ({ ...s, entries: undefined })),
  { name: '51 entries / 50 transformations', text: generated(50, 50), entries: 51 },
  ...[100, 500, 1000, 2500, 5000].map((n) => ({ name: `${n} entries / ${n / 10} transformations`, text: generated(n, n / 10), entries: n })),
];

// correctness before timing: every case reads completely, without errors
for (const c of cases) {
  const result = readPolicyJson(c.text);
  if (result.policy === undefined || hasErrors(result.diagnostics)) {
    console.error(`${c.name}: read failed`, result.diagnostics.slice(0, 3));
    process.exit(1);
  }
  if (c.entries !== undefined && result.policy.ClaimsSchema?.length !== c.entries) {
    console.error(`${c.name}: expected ${c.entries} entries, got ${result.policy.ClaimsSchema?.length}`);
    process.exit(1);
  }
}

const best = new Map(cases.map((c) => [c.name, Infinity]));
const rounds = 7;
for (let round = 0; round < rounds; round++) {
  for (const c of cases) {
    const iterations = Math.max(3, Math.min(2000, Math.floor(2_000_000 / c.text.length)));
    globalThis.gc?.();
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) readPolicyJson(c.text);
    const ns = Number(process.hrtime.bigint() - start) / iterations;
    if (ns < (best.get(c.name) ?? Infinity)) best.set(c.name, ns);
  }
}

const pad = (s, n) => String(s).padEnd(n);
console.log(`readPolicyJson (lex + parse + envelope + map), best of ${rounds} interleaved rounds`);
console.log(`${pad('case', 44)}${pad('bytes', 10)}${pad('µs/policy', 12)}ns/byte`);
for (const c of cases) {
  const ns = best.get(c.name) ?? 0;
  console.log(`${pad(c.name, 44)}${pad(c.text.length, 10)}${pad((ns / 1000).toFixed(1), 12)}${(ns / c.text.length).toFixed(1)}`);
}
const perEntry = (n) => (best.get(`${n} entries / ${n / 10} transformations`) ?? 0) / n;
console.log(`linearity: µs per entry at 100 = ${(perEntry(100) / 1000).toFixed(2)}, at 5000 = ${(perEntry(5000) / 1000).toFixed(2)} (ratio ${(perEntry(5000) / perEntry(100)).toFixed(2)})`);
