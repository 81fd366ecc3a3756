#!/usr/bin/env node
// `pnpm demo` (after the build): check every example policy, show the diagnostics of the broken one,
// then issue a token for a sample user of the embedded directory and show its decoded claims.
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

console.log('\n3. Issue an ID token offline for a sample user of the embedded directory snapshot, and decode it.');
if (!commands.some((c) => c.name === 'issue')) {
  console.log('(the `issue` command is not part of this build yet)');
} else {
  const { defaultIds } = await import('../packages/cli/dist/index.js');
  // A fixed clock (2026-01-01T00:00:00Z) keeps the demo's output reproducible; leave --now out for the wall clock.
  const now = '1767225600';
  const user = 'adelev@contoso.com';
  const issued = claimc(['issue', '--user', user, '--client', defaultIds.webApp, '--token', 'id', '--now', now, '--format', 'jwt'], { capture: true });
  if (issued.status !== 0) fail(`issuing a token exited ${issued.status}, expected 0`);
  const jwt = issued.stdout.trim();
  console.log(jwt);
  const [header, payload] = jwt.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  console.log('\nDecoded header:');
  console.log(JSON.stringify(header, null, 2));
  console.log('\nDecoded claims (employeeid and country come from the ExtraClaimsExample policy linked to the app):');
  console.log(JSON.stringify(payload, null, 2));

  // The web app has a custom signing key (D19), so its tokens verify against the ?appid= metadata.
  const metadata = claimc(['metadata', '--appid', defaultIds.webApp, '--now', now], { capture: true });
  if (metadata.status !== 0) fail(`claimc metadata exited ${metadata.status}, expected 0`);
  const { jwks } = JSON.parse(metadata.stdout);
  // jose is the runtime's dependency, so resolve it the way the runtime does.
  const requireFromRuntime = createRequire(join(root, 'packages/runtime/package.json'));
  const jose = await import(pathToFileURL(requireFromRuntime.resolve('jose')).href);
  const verified = await jose
    .jwtVerify(jwt, jose.createLocalJWKSet(jwks), { currentDate: new Date(Number(now) * 1000), audience: defaultIds.webApp })
    .catch((error) => fail(`the token does not verify against the JWKS of \`claimc metadata --appid\`: ${error.code ?? error.message}`));
  console.log(`(the signature verifies against the JWKS of \`claimc metadata --appid\`: ${verified.protectedHeader.alg}, kid ${verified.protectedHeader.kid})`);
}
console.log('\ndemo finished.');
