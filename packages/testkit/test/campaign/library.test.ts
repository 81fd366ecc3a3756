import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileRecipe, inputBudgetMs, renderHostileInput, runHostileInput, type HostileFront } from '@claimc/testkit';
import { KnownDefectTally, campaignScale, campaignSeed, describeFindings, describeInput } from './options.js';

// The hostile-input campaign through the library (read → check → compile → render → link → evaluate → issue).
const inputs = 5_000 * campaignScale;
const rssLimitBytes = 1.5 * 1024 ** 3;

describe('hostile-input campaign (library)', () => {
  it(`${inputs} seeded hostile inputs over every front end: no escaped exception, coded and located errors, no reserved name in a token, each under ${inputBudgetMs} ms of CPU, RSS bounded`, () => {
    const tally = new KnownDefectTally();
    const perFront = new Map<HostileFront, number>();
    const reached = new Map<string, number>();
    const codes = new Set<string>();
    const times: number[] = [];
    let maxRss = 0;
    let runs = 0;
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    console.log(`hostile-input campaign: seed ${campaignSeed}, ${inputs} inputs (CLAIMC_CAMPAIGN_SEED=${campaignSeed} replays; CLAIMC_CAMPAIGN_SCALE=100 runs 100× more)`);
    fc.assert(
      fc.property(hostileRecipe, (recipe) => {
        const input = renderHostileInput(recipe);
        const run = runHostileInput(input);
        if (run.open.length > 0) throw new Error(`hostile input broke ${run.open.length} rule(s):\n${describeFindings(run)}\n${describeInput(input)}`);
        tally.add(run);
        perFront.set(input.front, (perFront.get(input.front) ?? 0) + 1);
        for (const stage of run.stageMs.keys()) reached.set(stage, (reached.get(stage) ?? 0) + 1);
        for (const code of run.codes) codes.add(code);
        times.push(run.cpuMs);
        if (++runs % 250 === 0) maxRss = Math.max(maxRss, process.memoryUsage().rss);
      }),
      { seed: campaignSeed, numRuns: inputs },
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    maxRss = Math.max(maxRss, process.memoryUsage().rss);
    times.sort((a, b) => a - b);
    const quantile = (q: number): string => (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(1);
    console.log(
      [
        `hostile-input campaign: ${runs} inputs in ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU, seed ${campaignSeed}; CPU per input p50 ${quantile(0.5)} ms, p99 ${quantile(0.99)} ms, max ${quantile(1)} ms; max RSS ${Math.round(maxRss / 2 ** 20)} MiB`,
        `  fronts: ${JSON.stringify(Object.fromEntries(perFront))}`,
        `  inputs per stage reached: ${JSON.stringify(Object.fromEntries(reached))}`,
        `  distinct error codes: ${codes.size}`,
        tally.summary(),
      ].join('\n'),
    );
    expect(runs).toBeGreaterThanOrEqual(5_000);
    expect(maxRss).toBeLessThan(rssLimitBytes);
    // every front end and every stage is exercised, so a generator regression cannot silently skip one
    expect([...perFront.keys()].sort()).toEqual(['claims', 'context', 'graph', 'plan', 'powershell', 'raw', 'regex', 'snapshot']);
    for (const stage of ['compile', 'prepare', 'render', 'link', 'evaluate', 'issue', 'sign', 'saml']) expect(reached.get(stage) ?? 0, stage).toBeGreaterThan(0);
  }, 600_000 * campaignScale);
});
