import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Mutation testing (`pnpm mutation`): the tests that guard the security modules, fast ones only.
// Stryker runs them in a sandbox copy; the aliases make `@claimc/*` resolve to the sandbox's
// (mutated) sources instead of following the workspace symlinks back to the originals.
const root = fileURLToPath(new URL('.', import.meta.url));
const source = (pkg: string, entry = 'index.ts') => `${root}packages/${pkg}/src/${entry}`;

export default defineConfig({
  resolve: {
    conditions: ['@claimc/source'],
    alias: [
      { find: /^@claimc\/runtime\/node$/, replacement: source('runtime', 'node/index.ts') },
      { find: /^@claimc\/(model|syntax|compiler|runtime|testkit)$/, replacement: `${root}packages/$1/src/index.ts` },
    ],
  },
  ssr: { resolve: { conditions: ['@claimc/source'] } },
  test: {
    include: [
      'packages/model/src/knowledge/*.test.ts',
      'packages/compiler/src/check/*.test.ts',
      'packages/compiler/test/check.test.ts',
      'packages/compiler/test/check-corpus.test.ts',
      'packages/runtime/src/**/*.test.ts',
      'packages/runtime/test/tokens/scenarios.test.ts',
      'packages/runtime/test/tokens/signing.test.ts',
    ],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
