// Parse + map cost of the JSON front end (issue 2, item 4): the example policies in every envelope, a
// 50-entry / 50-transformation policy, and the curve up to 5,000 entries (cost should be linear).
// Locations are looked up on demand (packages/syntax/src/json/locations.ts), so a second column also
// builds the whole location map, the most a consumer can ask for.
// Run: npx tsc -b && node --expose-gc bench/json.bench.mjs
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
  const located = result.locations.get('');
  if (located === undefined || c.text[located.span.start] !== '{' || result.locations.size === 0) {
    console.error(`${c.name}: no location for the policy object`);
    process.exit(1);
  }
  if (c.entries !== undefined && result.policy.ClaimsSchema?.length !== c.entries) {
    console.error(`${c.name}: expected ${c.entries} entries, got ${result.policy.ClaimsSchema?.length}`);
    process.exit(1);
  }
}

const best = new Map(cases.map((c) => [c.name, Infinity]));
const bestAll = new Map(cases.map((c) => [c.name, Infinity]));
let sink = 0;
/** ns per call of one batch; the best batch of all rounds is kept (the one least disturbed by other load). */
function batch(c, withLocations) {
  const iterations = Math.max(3, Math.min(2000, Math.floor(2_000_000 / c.text.length)));
  globalThis.gc?.();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const result = readPolicyJson(c.text);
    if (withLocations) sink += result.locations.size;
  }
  return Number(process.hrtime.bigint() - start) / iterations;
}
const rounds = 9;
for (let round = 0; round < rounds; round++) {
  for (const c of cases) {
    best.set(c.name, Math.min(best.get(c.name) ?? Infinity, batch(c, false)));
    bestAll.set(c.name, Math.min(bestAll.get(c.name) ?? Infinity, batch(c, true)));
  }
}

const pad = (s, n) => String(s).padEnd(n);
console.log(`readPolicyJson (lex + parse + envelope + map), best of ${rounds} interleaved rounds; node ${process.version}, load ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`${pad('case', 44)}${pad('bytes', 10)}${pad('µs/policy', 12)}${pad('ns/byte', 10)}+ all locations µs`);
for (const c of cases) {
  const ns = best.get(c.name) ?? 0;
  console.log(`${pad(c.name, 44)}${pad(c.text.length, 10)}${pad((ns / 1000).toFixed(1), 12)}${pad((ns / c.text.length).toFixed(1), 10)}${((bestAll.get(c.name) ?? 0) / 1000).toFixed(1)}`);
}
if (sink === -1) console.log(sink);
const perEntry = (n) => (best.get(`${n} entries / ${n / 10} transformations`) ?? 0) / n;
console.log(`linearity: µs per entry at 100 = ${(perEntry(100) / 1000).toFixed(2)}, at 5000 = ${(perEntry(5000) / 1000).toFixed(2)} (ratio ${(perEntry(5000) / perEntry(100)).toFixed(2)})`);
