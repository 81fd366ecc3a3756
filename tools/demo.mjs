#!/usr/bin/env node
// `pnpm demo` (after the build): check every example policy, show the diagnostics of the broken one,
// then issue a token for a sample user of the embedded directory and show its decoded claims.
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands } from '../packages/cli/dist/commands/index.js';
import { examplePolicies } from './examples.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'packages/cli/bin/claimc.js');
const examplesDir = join(root, 'docs/examples');

function claimc(args, { capture = false } = {}) {
  console.log(`\n$ claimc ${args.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
  return { status: result.status, stdout: result.stdout ?? '' };
}

function fail(message) {
  console.error(`\ndemo: ${message}`);
  process.exit(1);
}

console.log('claimc demo — every step below runs the built CLI (packages/cli/bin/claimc.js).');

console.log('\n1. Check every example policy in docs/examples (all three envelopes and .claims): exit 0 expected.');
const examples = examplePolicies(examplesDir).map((f) => relative(root, f));
const checked = claimc(['check', ...examples]);
if (checked.status !== 0) fail(`checking the examples exited ${checked.status}, expected 0`);

console.log('\n2. A broken policy: every problem with its code, position, code frame and hint; exit 1 expected.');
const broken = claimc(['check', ...examplePolicies(join(examplesDir, 'broken')).map((f) => relative(root, f))]);
if (broken.status !== 1) fail(`checking the broken policy exited ${broken.status}, expected 1`);

console.log('\n3. Issue a token offline from the embedded directory snapshot and decode it.');
if (!commands.some((c) => c.name === 'issue')) {
  console.log('(the `issue` command is not part of this build yet)');
} else {
  await import('./demo-issue.mjs').then((m) => m.issueDemo(claimc, fail));
}
console.log('\ndemo finished.');
