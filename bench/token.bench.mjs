// Token issuance bench (issue 4): assembly, and per-algorithm signing by four paths.
// Run: npx tsc -b && node bench/token.bench.mjs   (one process; correctness checked before timing;
// interleaved rounds, best of N; ns/op and ratios). Tokens come from createTokenIssuer (the issuer hot path).
import { generateKeyPairSync, randomBytes, sign as cryptoSign, createHmac } from 'node:crypto';
import os from 'node:os';
import { prepareDirectory } from '@claimc/compiler';
import { defaultSnapshot, defaultIds } from '@claimc/cli';
import { assembleToken, createTokenIssuer, importSigningKey, prepareJwt, signJwt, jwks } from '@claimc/runtime';
import { importNodeSigningKey, signJwtSync } from '@claimc/runtime/node';
import * as jose from 'jose';

const NOW = 1_750_000_000;
const ROUNDS = Number(process.env.ROUNDS ?? 7);

// A 50-group user: the embedded tenant plus one user in Project 001–050 (groupMembershipClaims: All on the API).
const snapshot = structuredClone(defaultSnapshot);
const benchUser = { id: 'e1000000-0000-4000-8000-000000000099', userPrincipalName: 'bench@contoso.com', displayName: 'Bench User', givenName: 'Bench', surname: 'User', mail: 'bench@contoso.com', userType: 'Member', onPremisesExtensionAttributes: { extensionAttribute1: 'bench' } };
snapshot.users.push(benchUser);
snapshot.groups.filter((g) => /^Project 0([0-4]\d|50)$/.test(g.displayName) && g.displayName !== 'Project 000').forEach((g) => g.members.push(benchUser.id));
const { directory, diagnostics } = prepareDirectory(snapshot);
if (directory === undefined) throw new Error(JSON.stringify(diagnostics));
const request = { token: 'access', client: defaultIds.webApp, resource: defaultIds.api, user: benchUser.upn ?? benchUser.userPrincipalName, now: NOW };
const loadBefore = os.loadavg();
const issuer = createTokenIssuer(directory);
const token = issuer.assemble(request);
if (token.payload.groups.length !== 50 || token.payload.JoinedData !== 'bench.sandbox') throw new Error('bench user is not a 50-group user with the policy claim');
// correctness before timing: the issuer's hot path yields exactly what plain assembly yields, JSON text included
for (let i = 0; i < 64; i++) {
  const r = { ...request, now: NOW + i * 977, ...(i % 3 === 0 ? { nonce: `n${i}` } : {}) };
  const a = issuer.assemble(r);
  const b = assembleToken(directory, r);
  if (JSON.stringify(a.payload) !== JSON.stringify(b.payload) || a.payloadJson !== JSON.stringify(b.payload)) throw new Error('issuer and assembleToken disagree');
}

function measure(fn, iterations) {
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < iterations; i++) sink += fn(i) === undefined ? 0 : 1;
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  if (sink < 0) console.log(sink);
  return ns;
}
async function measureAsync(fn, iterations) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn(i);
  return Number(process.hrtime.bigint() - start) / iterations;
}

const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
const results = [];

// 1. assembly alone: the issuer's hot path (request shape prepared once) and plain assembleToken (everything per token)
const requests = Array.from({ length: 64 }, (_, i) => ({ ...request, now: NOW + i }));
{
  let best = Infinity;
  let cold = Infinity;
  // many short samples (best of ROUNDS × 4): on a shared 2-core machine a short sample is less likely to be preempted
  for (let r = 0; r < ROUNDS * 4; r++) {
    best = Math.min(best, measure((i) => issuer.assemble(requests[i & 63]).payload, 20_000));
    cold = Math.min(cold, measure((i) => assembleToken(directory, requests[i & 63]).payload, 2_000));
  }
  results.push(['assembly (50-group user, v2 access token, policy)', best, cold]);
  console.log(`assembly: ${fmt(best)}/token via createTokenIssuer (goal ≤ 2 µs); ${fmt(cold)}/token via assembleToken (no template memo)`);
}

// 2. signing per algorithm
const keyFor = (alg) => {
  if (alg === 'HS256') return { kty: 'oct', k: randomBytes(32).toString('base64url'), alg: 'HS256' };
  const pair = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return pair.privateKey.export({ format: 'jwk' });
};
const table = [];
for (const alg of ['ES256', 'RS256', 'EdDSA', 'HS256']) {
  const jwk = keyFor(alg);
  const nodeKey = importNodeSigningKey(jwk);
  const portableKey = await importSigningKey(jwk);
  const nodeRing = { tenant: nodeKey };
  const portableRing = { tenant: portableKey };
  const prepared = prepareJwt(token, nodeRing);
  const input = prepared.signingInput;
  const raw = () => {
    const data = Buffer.from(input);
    const sig =
      alg === 'ES256' ? cryptoSign('sha256', data, { key: nodeKey.keyObject, dsaEncoding: 'ieee-p1363' })
      : alg === 'RS256' ? cryptoSign('sha256', data, nodeKey.keyObject)
      : alg === 'EdDSA' ? cryptoSign(null, data, nodeKey.keyObject)
      : createHmac('sha256', nodeKey.secret).update(data).digest();
    return input + '.' + sig.toString('base64url');
  };
  const handPayload = { ...prepared.payload };
  const userWould = () => new jose.SignJWT(handPayload).setProtectedHeader({ typ: 'JWT', alg, kid: portableKey.kid }).sign(portableKey.key);

  // correctness before timing: every path verifies and carries the same payload
  const verifyKey = alg === 'HS256' ? portableKey.key : jose.createLocalJWKSet(jwks([portableKey]));
  for (const jwt of [raw(), signJwtSync(token, nodeRing), await signJwt(token, portableRing), await userWould()]) {
    const { payload } = await jose.jwtVerify(jwt, verifyKey, { algorithms: [alg], currentDate: new Date(NOW * 1000) });
    if (JSON.stringify(payload) !== JSON.stringify(prepared.payload)) throw new Error(`${alg}: payload mismatch`);
  }
  if (signJwtSync(token, nodeRing).split('.').slice(0, 2).join('.') !== input) throw new Error(`${alg}: fast path signs other bytes`);

  const iterations = alg === 'RS256' ? 100 : alg === 'HS256' ? 5_000 : 500;
  const best = { raw: Infinity, fast: Infinity, jose: Infinity, signjwt: Infinity };
  for (let r = 0; r < ROUNDS * 4; r++) {
    best.raw = Math.min(best.raw, measure(raw, iterations));
    best.fast = Math.min(best.fast, measure(() => signJwtSync(token, nodeRing), iterations));
    best.jose = Math.min(best.jose, await measureAsync(() => signJwt(token, portableRing), iterations));
    best.signjwt = Math.min(best.signjwt, await measureAsync(userWould, iterations));
  }
  table.push({ alg, ...best });
  console.log(`${alg}: raw ${fmt(best.raw)}  fast ${fmt(best.fast)} (${(best.fast / best.raw).toFixed(2)}× raw)  jose ${fmt(best.jose)}  SignJWT ${fmt(best.signjwt)} (fast is ${(best.signjwt / best.fast).toFixed(1)}× faster)`);
}

// 3. throughput, 64 tokens in flight: full issuance (assemble + sign) on the portable path (async WebCrypto) and the fast path
const throughput = [];
for (const alg of ['ES256', 'RS256', 'EdDSA']) {
  const jwk = keyFor(alg);
  const portableRing = { tenant: await importSigningKey(jwk) };
  const nodeRing = { tenant: importNodeSigningKey(jwk) };
  let bestPortable = 0;
  let bestFast = 0;
  const total = alg === 'RS256' ? 1_280 : 6_400;
  for (let r = 0; r < Math.min(ROUNDS, 5); r++) {
    let next = 0;
    const start = process.hrtime.bigint();
    const worker = async () => {
      while (next < total) {
        const i = next++;
        await signJwt(issuer.assemble(requests[i & 63]), portableRing);
      }
    };
    await Promise.all(Array.from({ length: 64 }, worker));
    bestPortable = Math.max(bestPortable, total / (Number(process.hrtime.bigint() - start) / 1e9));
    const t0 = process.hrtime.bigint();
    const fastWorker = async () => {
      while (next < total * 2) {
        const i = next++;
        signJwtSync(issuer.assemble(requests[i & 63]), nodeRing);
        await null;
      }
    };
    await Promise.all(Array.from({ length: 64 }, fastWorker));
    bestFast = Math.max(bestFast, total / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  throughput.push({ alg, portable: bestPortable, fast: bestFast });
  console.log(`${alg}: ${bestPortable.toFixed(0)} tokens/s portable (jose), ${bestFast.toFixed(0)} tokens/s fast path, 64 in flight`);
}

console.log('\n| alg | (a) raw node:crypto | (b) fast path | b/a | (c) portable jose | (d) jose.SignJWT | d/b |');
console.log('|---|---|---|---|---|---|---|');
for (const row of table) console.log(`| ${row.alg} | ${fmt(row.raw)} | ${fmt(row.fast)} | ${(row.fast / row.raw).toFixed(2)}× | ${fmt(row.jose)} | ${fmt(row.signjwt)} | ${(row.signjwt / row.fast).toFixed(1)}× |`);
console.log(`\nassembly: ${fmt(results[0][1])}/token (issuer hot path), ${fmt(results[0][2])}/token (assembleToken)`);
for (const t of throughput) console.log(`throughput ${t.alg}: ${t.portable.toFixed(0)}/s portable, ${t.fast.toFixed(0)}/s fast path (64 in flight)`);
console.log(`node ${process.version}, ${process.platform}/${process.arch}, rounds ${ROUNDS} (× 4 short samples for per-token figures), load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
