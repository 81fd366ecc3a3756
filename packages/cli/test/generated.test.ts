import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The generators import the built packages: `pnpm test` builds before vitest runs.
const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('generated files', () => {
  it('tools/gen.mjs --check finds no drift', () => {
    const result = spawnSync(process.execPath, ['tools/gen.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^generated files are up to date \(\d+ files\)$/m);
    expect(result.status).toBe(0);
  });
});
