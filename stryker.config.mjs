// Mutation testing of the security modules (`pnpm mutation`; not part of `pnpm test`).
// Results and surviving mutants: docs/reliability.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: [
    'packages/model/src/knowledge/restricted.ts',
    'packages/compiler/src/check/names.ts',
    'packages/runtime/src/token/saml-xml.ts',
    'packages/runtime/src/sign/keys.ts',
    'packages/runtime/src/token/gating.ts',
    'packages/runtime/src/token/groups.ts',
  ],
  ignorePatterns: ['dist', '**/dist/**', 'reports', '.stryker-tmp', 'bench/results'],
  // Module-level tables (the restricted-name lists) are static mutants: each would re-run every test; the table
  // tests check them directly, so they are left out to keep a run under an hour on one core.
  ignoreStatic: true,
  concurrency: 1,
  timeoutMS: 10_000,
  timeoutFactor: 1.5,
  // Results are kept per mutant: a re-run only tests mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
