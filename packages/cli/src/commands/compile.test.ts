import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { linkPlan } from '@claimc/runtime';
import { main } from '../main.js';

const dir = mkdtempSync(join(tmpdir(), 'claimc-compile-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (err += c) }, env: {}, cwd: process.cwd() });
  return { code, out, err };
}

describe('claimc compile', () => {
  test('-o x.json writes a plan document that links', async () => {
    const out = join(dir, 'joined.plan.json');
    const r = await run(['compile', 'docs/examples/joined-data.json', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wrote .*joined\.plan\.json: 1 JWT and 1 SAML emissions; passes: fold-constants \d+, share-reads \d+, drop-unemitted \d+, hoist-regex \d+, specialize-format \d+\n$/);
    expect(() => linkPlan(JSON.parse(readFileSync(out, 'utf8')))).not.toThrow();
  });
  test('-o x.ts and x.js write modules that import only @claimc/runtime', async () => {
    for (const name of ['contoso.plan.ts', 'contoso.plan.js']) {
      const out = join(dir, name);
      expect((await run(['compile', 'docs/examples/contoso-erp.json', '-o', out])).code).toBe(0);
      const imports = [...readFileSync(out, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect([...new Set(imports)].every((specifier) => specifier === '@claimc/runtime' || specifier === '@claimc/runtime/internal')).toBe(true);
      expect(imports).toContain('@claimc/runtime');
    }
  });
  test('a policy with errors prints diagnostics and exits 1; usage mistakes exit 2', async () => {
    const broken = await run(['compile', 'docs/examples/broken/broken-policy.json', '-o', join(dir, 'x.js')]);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/CM\d{4}/);
    expect((await run(['compile', 'docs/examples/joined-data.json'])).code).toBe(2);
    expect((await run(['compile', 'docs/examples/joined-data.json', '-o', join(dir, 'x.txt')])).code).toBe(2);
  });
});
