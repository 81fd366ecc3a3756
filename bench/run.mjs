#!/usr/bin/env node
// Runs every bench/*.bench.mjs in its own node process (--expose-gc), one after another, so no bench
// warms the JIT or the heap for the next. Prints each one's output; exits 1 if any bench failed.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import os from 'node:os';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

console.log(`node ${process.version} on ${os.cpus()[0]?.model ?? 'unknown cpu'} × ${os.cpus().length}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench} ===`);
  const result = spawnSync(process.execPath, ['--expose-gc', join(dir, bench)], { stdio: 'inherit', cwd: dir });
  if (result.status !== 0) {
    failed++;
    console.error(`${bench} failed (exit ${result.status ?? result.signal})`);
  }
}
if (benches.length === 0) console.log('no bench/*.bench.mjs files');
process.exitCode = failed > 0 ? 1 : 0;
