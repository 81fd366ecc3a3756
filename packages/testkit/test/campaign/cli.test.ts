import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultIds } from '../../../cli/src/demo/tenant.js';
import { hostileClocks, hostileRecipe, knownOpenDefects, renderHostileInput, type HostileInput } from '@claimc/testkit';
import { campaignScale, campaignSeed, describeInput } from './options.js';

// A sample of the hostile-input campaign through real `claimc` processes (the built CLI, as a user runs it).
const root = fileURLToPath(new URL('../../../..', import.meta.url));
const bin = join(root, 'packages/cli/bin/claimc.js');
const rssProbe = fileURLToPath(new URL('./rss-probe.mjs', import.meta.url));
const samples = 30 * campaignScale;
const processBudgetMs = 5_000;
const rssLimitKiB = 512 * 1024;
const stackTrace = /^\s+at .+(?::\d+:\d+\)?|\(native\))$/m;
/** `file:line:column: error CM1234` (located) or `file: error CM1234` (not located). */
const errorLine = /^(.*?)(:\d+:\d+)?: error (CM\d{4})\b/gm;

interface Outcome {
  readonly args: readonly string[];
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time, including the time the machine made it wait. */
  readonly ms: number;
  /** CPU time of the process (user + system). */
  readonly cpuMs: number;
  readonly maxRssKiB: number;
}

let work: string;

async function runCli(args: readonly string[], index: number): Promise<Outcome> {
  const rssFile = join(work, `rss-${index}.txt`);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', rssProbe, bin, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', CLAIMC_RSS_OUT: rssFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 4 * processBudgetMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      void readFile(rssFile, 'utf8')
        .then((json) => JSON.parse(json) as { maxRssKiB: number; cpuMs: number })
        .catch(() => ({ maxRssKiB: Number.NaN, cpuMs: Number.NaN }))
        .then((usage) => resolve({ args, code, stdout, stderr, ms, ...usage }));
    });
  });
}

/** The command a sampled input is fed to: each front end by its own command, varied by the recipe. */
function commandFor(input: HostileInput, file: string, index: number): string[] {
  const clock = String(Math.min(hostileClocks[input.recipe.clock % hostileClocks.length]!, 999_999_999_999));
  switch (input.front) {
    case 'snapshot':
      return index % 2 === 0
        ? ['issue', '--directory', file, '--user', 'adelev@contoso.com', '--client', defaultIds.webApp, '--token', 'id', '--format', 'jwt', '--now', clock]
        : ['issue', '--directory', file, '--user', 'adelev@contoso.com', '--client', defaultIds.samlApp, '--token', 'saml', '--format', 'saml', '--now', clock];
    case 'context':
      return ['eval', 'base-policy.json', '--user', file, '--format', index % 2 === 0 ? 'jwt' : 'saml'];
    case 'regex':
      return ['eval', file, '--user', 'big-user.json', '--explain'];
    default: {
      const variants = [
        ['check', file],
        ['check', file, '--format', 'json', '--target', 'entra'],
        ['eval', file, '--user', 'user.json'],
        ['issue', '--policy', file, '--user', 'adelev@contoso.com', '--client', defaultIds.webApp, '--token', 'id', '--now', clock],
        input.front === 'claims' ? ['fmt', '--check', file] : ['decompile', file],
      ];
      return variants[index % variants.length]!;
    }
  }
}

/** Broken rules of one process; a rule that a listed open defect explains is returned separately. */
function judge(outcome: Outcome): { open: string[]; known: string[] } {
  const open: string[] = [];
  const known: string[] = [];
  if (outcome.code === null || ![0, 1, 2].includes(outcome.code)) open.push(`exit code ${outcome.code} is not 0, 1 or 2`);
  if (stackTrace.test(outcome.stderr) || stackTrace.test(outcome.stdout)) open.push('a stack trace was printed');
  if (/internal error/i.test(outcome.stderr)) open.push(`an exception escaped: ${outcome.stderr.split('\n').find((l) => /internal error/i.test(l))}`);
  if (!(outcome.cpuMs < processBudgetMs)) open.push(`used ${Math.round(outcome.cpuMs)} ms of CPU (budget ${processBudgetMs} ms)`);
  if (outcome.ms > 4 * processBudgetMs) open.push(`hung: killed after ${Math.round(outcome.ms)} ms`);
  if (!(outcome.maxRssKiB < rssLimitKiB)) open.push(`max RSS ${outcome.maxRssKiB} KiB (limit ${rssLimitKiB} KiB)`);
  const output = outcome.stdout + outcome.stderr;
  for (const [line, , position, code] of output.matchAll(errorLine)) {
    // a problem with a command-line flag (e.g. --now out of range) is located on the command line itself
    if (line.startsWith('<command line>: ')) continue;
    if (position !== undefined || ['CM1001', 'CM1003', 'CM1004', 'CM6005'].includes(code!) || code!.startsWith('CM0')) continue;
    const problem = `error ${code} printed without line:column`;
    if (code!.startsWith('CM7') && knownOpenDefects.has('snapshot-diagnostic-unlocated')) known.push(`${problem} (snapshot-diagnostic-unlocated)`);
    else open.push(problem);
  }
  if (outcome.code === 1 && outcome.args.includes('--format') && outcome.args[0] === 'check') {
    let report: { files?: { diagnostics?: { code?: string; line?: number; severity?: string }[] }[] } = {};
    try {
      report = JSON.parse(outcome.stdout) as typeof report;
    } catch {
      open.push('--format json printed something that is not JSON');
    }
    for (const d of (report.files ?? []).flatMap((f) => f.diagnostics ?? [])) if (d.severity === 'error' && !(typeof d.line === 'number' && /^CM\d{4}$/.test(d.code ?? ''))) open.push(`JSON diagnostic without code or line: ${JSON.stringify(d)}`);
  }
  if (outcome.code === 1 && !/\bCM\d{4}\b|AADSTS\d+/.test(output)) open.push('exit 1 without a coded diagnostic or AADSTS refusal');
  if (outcome.code === 2 && !/^(claimc[ :]|<command line>: error CM)|\binput-\d+-/m.test(output)) open.push('exit 2 without a message naming claimc or the file');
  return { open, known };
}

describe('hostile-input campaign (CLI processes)', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'claimc-campaign-'));
    const user = JSON.parse(await readFile(join(root, 'docs/examples/contexts/user.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(work, 'user.json'), JSON.stringify(user));
    await writeFile(join(work, 'big-user.json'), JSON.stringify({ ...user, department: 'a'.repeat(65_535) + '!' }));
    await writeFile(join(work, 'base-policy.json'), await readFile(join(root, 'docs/examples/contoso-erp.json'), 'utf8'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it(`${samples} sampled hostile inputs through \`node packages/cli/bin/claimc.js\`: exit 0/1/2, no stack trace, located coded errors, each under ${processBudgetMs} ms of CPU and ${rssLimitKiB / 1024} MiB`, async () => {
    expect(existsSync(join(root, 'packages/cli/dist/main.js')), 'build first (`pnpm test` builds)').toBe(true);
    // plan documents have no CLI front end; their samples run as raw policies
    const recipes = fc.sample(hostileRecipe, { seed: campaignSeed, numRuns: samples }).map((r) => (r.front === 'plan' ? { ...r, front: 'raw' as const } : r));
    console.log(`hostile-input campaign (CLI): seed ${campaignSeed}, ${recipes.length} processes`);
    const failures: string[] = [];
    const known: string[] = [];
    const exitCodes = new Map<number | null, number>();
    let slowest = 0;
    let mostCpu = 0;
    let maxRss = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < recipes.length) {
        const index = next++;
        const input = renderHostileInput(recipes[index]!);
        const file = `input-${index}-${input.fileName}`;
        await writeFile(join(work, file), input.bytes);
        const outcome = await runCli(commandFor(input, file, index), index);
        exitCodes.set(outcome.code, (exitCodes.get(outcome.code) ?? 0) + 1);
        slowest = Math.max(slowest, outcome.ms);
        mostCpu = Math.max(mostCpu, outcome.cpuMs);
        maxRss = Math.max(maxRss, outcome.maxRssKiB);
        const verdict = judge(outcome);
        known.push(...verdict.known);
        if (verdict.open.length > 0) failures.push(`claimc ${outcome.args.join(' ')} (exit ${outcome.code}): ${verdict.open.join('; ')}\n${describeInput(input)}\nstderr: ${outcome.stderr.slice(0, 800)}`);
      }
    };
    await Promise.all([worker(), worker()]);
    console.log(
      `hostile-input campaign (CLI): exit codes ${JSON.stringify(Object.fromEntries(exitCodes))}, slowest ${Math.round(slowest)} ms wall / ${Math.round(mostCpu)} ms CPU, max RSS ${Math.round(maxRss / 1024)} MiB` +
        (known.length > 0 ? `\n  known open defects: ${known.length} finding(s), e.g. ${known[0]}` : ''),
    );
    expect(failures, `seed ${campaignSeed}:\n${failures.join('\n\n')}`).toEqual([]);
  }, 600_000 * campaignScale);

  it('a snapshot of the wrong shape: exit 1 and every CM7001 located (fixtures-cli/snapshot-wrong-types.json)', async () => {
    const fixture = fileURLToPath(new URL('./fixtures-cli/snapshot-wrong-types.json', import.meta.url));
    const outcome = await runCli(['issue', '--directory', fixture, '--user', 'adelev@contoso.com', '--client', defaultIds.webApp, '--token', 'id'], 0);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/error CM7001/);
    const verdict = judge(outcome);
    expect(verdict.open).toEqual([]);
    // while the defect is open the unlocated lines are reported as known; once fixed (and unlisted) they must be located
    if (knownOpenDefects.has('snapshot-diagnostic-unlocated')) expect(verdict.known.length, 'fixed? remove snapshot-diagnostic-unlocated from knownOpenDefects').toBeGreaterThan(0);
  }, 60_000);
});
