import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@claimc/source'] },
  ssr: { resolve: { conditions: ['@claimc/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
