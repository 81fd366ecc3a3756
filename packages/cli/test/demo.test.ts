import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What the README's first command runs after the build (`pnpm demo`); it uses the built dist like the binary.
const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('tools/demo.mjs', () => {
  it('checks the examples, shows the broken one, issues and verifies a token, and exits 0', () => {
    const result = spawnSync(process.execPath, ['tools/demo.mjs'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\d+ files checked: 0 errors|^\d+ files checked: no problems/m);
    expect(result.stdout).toMatch(/^docs\/examples\/broken\/broken-policy\.json:\d+:\d+: error CM\d{4} /m);
    expect(result.stdout).toContain('demo finished.');
  });
});
