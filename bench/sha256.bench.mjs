// SHA-256 bench: does the hand-written SHA-256 (with its prefix midstate) earn its place over node:crypto?
// Run: npx tsc -b && node bench/sha256.bench.mjs   (one process; correctness checked before timing; inputs vary
// per iteration; interleaved rounds, best of N; ns/op and ratios). Inputs are the runtime's real digest inputs for
// the embedded tenant: the per-token digest (uti/aio/rh/SAML ID: a fixed request prefix + `now|nonce`) and the
// pairwise `sub` (`tid|appId|oid`).
import { createHash } from 'node:crypto';
import os from 'node:os';
import { Sha256, sha256, sha256Prefix, sha256WithPrefix } from '@claimc/runtime/internal';
import { defaultIds, defaultSnapshot } from '@claimc/cli';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const loadBefore = os.loadavg();
const tid = defaultSnapshot.organization.id;
const user = defaultSnapshot.users[0].id;
// the assembler's digest prefix for an access token: token|tid|oid|client|resource|token|version|flow|scope|
const prefix = `token|${tid}|${user}|${defaultIds.webApp}|${defaultIds.api}|access||code|api://contoso-api/.default|`;
const suffixes = Array.from({ length: 64 }, (_, i) => `${1_750_000_000 + i * 37}|${i % 3 === 0 ? `nonce-${i * 7919}` : ''}`);
const subjects = defaultSnapshot.users.slice(0, 64).map((u) => `${tid}|${defaultIds.webApp.toLowerCase()}|${u.id}`);
while (subjects.length < 64) subjects.push(`${tid}|${defaultIds.webApp}|${subjects.length.toString(16).padStart(36, '0')}`);

const midstate = sha256Prefix(prefix);
const nodeMidstate = createHash('sha256').update(prefix);
// A token issuer owns one Sha256 scratch and hashes through it; the `, new scratch` line shows a helper called without one.
const scratch = new Sha256();
const variants = {
  'hand-written, midstate': (i) => sha256WithPrefix(midstate, suffixes[i & 63], scratch),
  'hand-written, midstate, new scratch': (i) => sha256WithPrefix(midstate, suffixes[i & 63]),
  'hand-written, whole input': (i) => sha256(prefix + suffixes[i & 63], scratch),
  'node:crypto, whole input': (i) => createHash('sha256').update(prefix + suffixes[i & 63]).digest(),
  'node:crypto, midstate (Hash.copy)': (i) => nodeMidstate.copy().update(suffixes[i & 63]).digest(),
};
const subjectVariants = {
  'hand-written': (i) => sha256(subjects[i & 63], scratch),
  'node:crypto': (i) => createHash('sha256').update(subjects[i & 63]).digest(),
};

// correctness before timing: every variant gives node:crypto's digest on every input
const hex = (bytes) => Buffer.from(bytes).toString('hex');
for (let i = 0; i < 64; i++) {
  const expected = createHash('sha256').update(prefix + suffixes[i]).digest('hex');
  for (const [name, fn] of Object.entries(variants)) if (hex(fn(i)) !== expected) throw new Error(`${name} is wrong on input ${i}`);
  const subject = createHash('sha256').update(subjects[i]).digest('hex');
  for (const [name, fn] of Object.entries(subjectVariants)) if (hex(fn(i)) !== subject) throw new Error(`sub ${name} is wrong on input ${i}`);
}

function measure(fn, iterations) {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += fn(i)[0];
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  if (sink < 0) console.log(sink);
  return ns;
}

function bestOf(table) {
  const best = Object.fromEntries(Object.keys(table).map((k) => [k, Infinity]));
  for (let r = 0; r < ROUNDS * 4; r++) for (const [name, fn] of Object.entries(table)) best[name] = Math.min(best[name], measure(fn, 50_000));
  return best;
}

const digest = bestOf(variants);
const subject = bestOf(subjectVariants);
const fmt = (ns) => `${ns.toFixed(0)} ns`;
console.log(`per-token digest (${Buffer.byteLength(prefix)}-byte prefix + ~${Buffer.byteLength(suffixes[0])}-byte suffix):`);
for (const [name, ns] of Object.entries(digest)) console.log(`  ${name.padEnd(36)} ${fmt(ns)}`);
const nodeBest = Math.min(digest['node:crypto, whole input'], digest['node:crypto, midstate (Hash.copy)']);
const ratio = nodeBest / digest['hand-written, midstate'];
console.log(`  midstate vs best node:crypto: ${ratio.toFixed(2)}× (keep if ≥ 1.3×: ${ratio >= 1.3 ? 'yes' : 'NO'})`);
console.log(`pairwise sub (${Buffer.byteLength(subjects[0])} bytes):`);
for (const [name, ns] of Object.entries(subject)) console.log(`  ${name.padEnd(36)} ${fmt(ns)}`);
console.log(`  hand-written vs node:crypto: ${(subject['node:crypto'] / subject['hand-written']).toFixed(2)}×`);
console.log(`node ${process.version}, ${process.platform}/${process.arch}, rounds ${ROUNDS} × 4, load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
