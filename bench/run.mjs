#!/usr/bin/env node
// Runs every bench/*.bench.mjs in its own node process (--expose-gc), one after another, so no bench
// warms the JIT or the heap for the next. Prints each one's output; exits 1 if any bench failed.
//   node bench/run.mjs [words…]            only the benches whose file name contains a word
//   node bench/run.mjs --runs 3 [words…]   three full passes; each pass's log and the median of the passes
//                                          (bench/median.mjs) are written to bench/results/<date>[-words]/
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import os from 'node:os';
import { medianLog } from './median.mjs';

const dir = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 1;
if (!Number.isInteger(runs) || runs < 1) {
  console.error('usage: node bench/run.mjs [--runs N] [words…]');
  process.exit(2);
}
const only = args.filter((_, i) => runsAt < 0 || (i !== runsAt && i !== runsAt + 1));
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const loads = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/** Runs one bench process, echoing its output and returning it. */
function runBench(bench) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', join(dir, bench)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      text += chunk;
    });
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      text += chunk;
    });
    child.on('close', (code, signal) => resolve({ text, ok: code === 0, status: code ?? signal }));
  });
}

/** One full pass over the selected benches; its log starts with the machine, date and load. */
async function pass() {
  const started = new Date().toISOString();
  let log = `node ${process.version} on ${os.cpus()[0]?.model ?? 'unknown cpu'} × ${os.cpus().length}, started ${started}, load ${loads()}\n`;
  process.stdout.write(log);
  let failed = 0;
  for (const bench of benches) {
    const title = `\n=== ${bench} ===\n`;
    process.stdout.write(title);
    const result = await runBench(bench);
    log += title + result.text;
    if (!result.ok) {
      failed++;
      const line = `${bench} failed (exit ${result.status})\n`;
      process.stderr.write(line);
      log += line;
    }
  }
  const end = `\npass ended ${new Date().toISOString()}, load ${loads()}\n`;
  process.stdout.write(end);
  return { log: log + end, failed };
}

if (benches.length === 0) console.log('no bench/*.bench.mjs files');
let failed = 0;
const logs = [];
for (let run = 1; run <= runs; run++) {
  if (runs > 1) console.log(`\n##### pass ${run} of ${runs} #####`);
  const result = await pass();
  failed += result.failed;
  logs.push(result.log);
}
if (runs > 1) {
  // One folder per day and selection (results/<date> for every bench, results/<date>-<words> for some); never overwritten.
  const base = join(dir, 'results', new Date().toISOString().slice(0, 10) + (only.length > 0 ? '-' + only.join('-') : ''));
  let out = base;
  for (let n = 2; existsSync(out); n++) out = `${base}-${n}`;
  mkdirSync(out, { recursive: true });
  logs.forEach((log, i) => writeFileSync(join(out, `run-${i + 1}.txt`), log));
  const header = `median of ${runs} full passes of \`node bench/run.mjs --runs ${runs}${only.length ? ' ' + only.join(' ') : ''}\`; each pass's first and last line give its date and load\n`;
  writeFileSync(join(out, 'median.txt'), header + medianLog(logs) + '\n');
  console.log(`\nwrote ${runs} logs and their median to ${out}`);
}
process.exitCode = failed > 0 ? 1 : 0;
