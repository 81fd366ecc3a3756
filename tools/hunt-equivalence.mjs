#!/usr/bin/env node
// Hunts for differences between the linked plan, the AOT module and the reference interpreter, far
// beyond what CI runs (issue 3). Not part of the test suite. Prints the seed of every run, and the
// counterexample (shrunk) on failure; replay with --seed <n>.
// Run: npx tsc -b && node tools/hunt-equivalence.mjs [--runs 100000] [--seed <n>] [--aot-every 50]
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { compileModel, emitModule, interpretJwt, interpretSaml } from '../packages/compiler/dist/index.js';
import { evaluateJwt, evaluateSaml } from '../packages/runtime/dist/index.js';
import { evaluationContext, evaluationPolicy, loadAotModule } from '../packages/testkit/dist/index.js';

const requireFromTestkit = createRequire(new URL('../packages/testkit/package.json', import.meta.url));
const fc = (await import(pathToFileURL(requireFromTestkit.resolve('fast-check')).href)).default;

const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' }, 'aot-every': { type: 'string' } } });
const runs = Number(values.runs ?? 100000);
const seed = values.seed === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(values.seed);
const aotEvery = Number(values['aot-every'] ?? 50);

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b) && isDeepStrictEqual(a, b);
let checked = 0;
let modules = 0;
console.log(`hunting: ${runs} runs, seed ${seed}, an AOT module every ${aotEvery} runs`);
const started = Date.now();
try {
  await fc.assert(
    fc.asyncProperty(evaluationPolicy, fc.array(evaluationContext, { minLength: 1, maxLength: 4 }), fc.constantFrom(1, 2), async (policy, contexts, jwtVersion) => {
      const compiled = compileModel(policy, new Map());
      if (!compiled.ok) throw new Error('the generator produced a policy with errors');
      const { plan, bound, linked } = compiled;
      let module;
      if (checked % aotEvery === 0) {
        module = await loadAotModule(emitModule(plan, { language: 'js' }));
        modules++;
      }
      checked++;
      for (const context of contexts) {
        const jwt = evaluateJwt(linked, context, { jwtVersion });
        if (!same(jwt, interpretJwt(bound, context, { jwtVersion }))) return false;
        const saml = evaluateSaml(linked, context);
        if (!same(saml, interpretSaml(bound, context))) return false;
        if (module !== undefined && (!same(module.evaluateJwt(context, { jwtVersion }), jwt) || !same(module.evaluateSaml(context), saml))) return false;
      }
      return true;
    }),
    { numRuns: runs, seed },
  );
  console.log(`no difference in ${checked} policies (${modules} AOT modules) in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${seed}`);
} catch (error) {
  console.error(error instanceof Error ? error.message.slice(0, 20000) : String(error));
  console.error(`replay: node tools/hunt-equivalence.mjs --seed ${seed} --runs ${runs}`);
  process.exitCode = 1;
}
