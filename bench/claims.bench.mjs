// Parse + check of a 50-entry / 50-transformation policy written as .claims vs as JSON (issue 5).
// Goal: < 2 ms warm for the .claims form. Also: the .claims front end alone, the explicit
// (no inline sugar) .claims form, and decompiling (print + read-back verification).
// Run: npx tsc -b && node bench/claims.bench.mjs
import { readPolicyClaims, readPolicyJson, printPolicyClaims } from '@claimc/syntax';
import { bindPolicy, checkPolicy } from '@claimc/compiler';
import { hasErrors, serializePolicy } from '@claimc/model';

/** The same shape as bench/json.bench.mjs: one input entry, 50 transformations each feeding one claim. */
function generated(transformations) {
  const methods = ['Join', 'ExtractMailPrefix', 'ToLowercase', 'RegexReplace', 'CreateStringClaim'];
  const schema = [{ Source: 'user', ID: 'mail' }];
  const ts = [];
  for (let i = 0; i < transformations; i++) {
    const method = methods[i % methods.length];
    const t = { ID: `T${i}`, TransformationMethod: method };
    if (method === 'Join') Object.assign(t, { InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'string1' }], InputParameters: [{ ID: 'string2', Value: 'sandbox' }, { ID: 'separator', Value: '.' }] });
    else if (method === 'RegexReplace') Object.assign(t, { InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'sourceClaim' }], InputParameters: [{ ID: 'regex', Value: '^(?<local>[^@]+)@contoso\\.com$' }, { ID: 'replacement', Value: '{local}@fabrikam.com' }] });
    else if (method === 'CreateStringClaim') Object.assign(t, { InputParameters: [{ ID: 'value', Value: `constant ${i}` }] });
    else if (method === 'ToLowercase') Object.assign(t, { InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'inputClaim' }] });
    else Object.assign(t, { InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'mail' }] });
    t.OutputClaims = [{ ClaimTypeReferenceId: `out${i}`, TransformationClaimType: method === 'CreateStringClaim' ? 'createdClaim' : 'outputClaim' }];
    ts.push(t);
    schema.push({ Source: 'transformation', ID: `out${i}`, TransformationId: `T${i}`, JwtClaimType: `claim${i}` });
  }
  return { Version: 1, IncludeBasicClaimSet: true, ClaimsSchema: schema, ClaimsTransformation: ts };
}

const model = generated(50);
const json = serializePolicy(model, 2);
const claims = printPolicyClaims(model, { displayName: 'Bench' });
// the explicit form: every transformation as a block (IDs that defeat inlining: each transformation is used twice)
const explicitModel = { ...model, ClaimsSchema: [...model.ClaimsSchema, ...model.ClaimsSchema.slice(1).map((e) => ({ ...e, JwtClaimType: `${e.JwtClaimType}_copy` }))] };
const explicit = printPolicyClaims(explicitModel, { displayName: 'Bench' });

function check(read, text) {
  const { bound, diagnostics } = bindPolicy(read.policy, read.locations, { target: 'lenient' });
  return [...read.diagnostics, ...diagnostics, ...checkPolicy(bound, { target: 'lenient', sourceText: text })];
}

const variants = [
  { name: 'JSON: readPolicyJson + bind + check', text: json, run: (t) => check(readPolicyJson(t), t) },
  { name: '.claims: readPolicyClaims + bind + check', text: claims, run: (t) => check(readPolicyClaims(t), t) },
  { name: '.claims explicit form (100 claims): read + bind + check', text: explicit, run: (t) => check(readPolicyClaims(t), t) },
  { name: 'JSON: readPolicyJson only', text: json, run: (t) => readPolicyJson(t) },
  { name: '.claims: readPolicyClaims only', text: claims, run: (t) => readPolicyClaims(t) },
  { name: 'decompile: printPolicyClaims (with read-back check)', text: json, run: () => printPolicyClaims(model) },
  { name: 'bind + check only (the model read from .claims)', text: claims, run: (t) => check(readOnce, t) },
];
const readOnce = readPolicyClaims(claims);

// correctness before timing: both forms read to the same model, with the same diagnostic codes and no errors
const fromJson = readPolicyJson(json);
const fromClaims = readPolicyClaims(claims);
if (serializePolicy(fromJson.policy) !== serializePolicy(fromClaims.policy) || serializePolicy(readPolicyClaims(explicit).policy) !== serializePolicy(explicitModel)) {
  console.error('the .claims and JSON forms do not read to the same policy');
  process.exit(1);
}
const codes = (d) => d.map((x) => x.code).sort().join(',');
const a = check(fromJson, json);
const b = check(fromClaims, claims);
if (hasErrors(a) || codes(a) !== codes(b)) {
  console.error('check results differ or have errors', codes(a), '|', codes(b));
  process.exit(1);
}
if (!claims.includes('= join(user.mail, "sandbox", separator: ".") as T0')) {
  console.error('the .claims form is not using inline transformations');
  process.exit(1);
}

const inputs = variants.map((v) => [v.text]);
const best = variants.map(() => Infinity);
let sink = 0;
const rounds = 9;
for (let round = 0; round < rounds; round++) {
  variants.forEach((v, k) => {
    const iterations = 200;
    globalThis.gc?.();
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) {
      const result = v.run(inputs[k][i % inputs[k].length]);
      sink += Array.isArray(result) ? result.length : 1;
    }
    const ns = Number(process.hrtime.bigint() - start) / iterations;
    if (ns < best[k]) best[k] = ns;
  });
}

const pad = (s, n) => String(s).padEnd(n);
console.log(`50 claims / 50 transformations, best of ${rounds} interleaved rounds × 200 (sink ${sink % 7})`);
console.log(`${pad('variant', 58)}${pad('bytes', 8)}${pad('µs', 10)}× JSON`);
variants.forEach((v, k) => {
  const base = k === 3 || k === 4 ? best[3] : k <= 2 ? best[0] : undefined;
  console.log(`${pad(v.name, 58)}${pad(v.text.length, 8)}${pad((best[k] / 1000).toFixed(1), 10)}${base === undefined ? '—' : (best[k] / base).toFixed(2)}`);
});
const goal = best[1] / 1e6;
console.log(`goal: .claims parse + check < 2 ms warm → ${goal.toFixed(3)} ms ${goal < 2 ? 'MET' : 'MISSED'}`);
