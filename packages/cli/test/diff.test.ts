import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { recordingIO } from './io.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'claimc-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const exportFolder = join(repo, 'docs/examples/tenant-export');
const oldPolicy = join(repo, 'docs/examples/tenant-diff/hr-claims.json');
const newPolicy = join(repo, 'docs/examples/tenant-diff/hr-claims-v2.claims');
const payroll = '0f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19';

async function run(args: string[], isTTY = false) {
  const io = recordingIO({ cwd: dir, isTTY });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}
const diff = (...extra: string[]) => run(['diff', oldPolicy, newPolicy, '--directory', exportFolder, '--now', '1767225600', ...extra]);

interface Report {
  static: { kind: string; claim: string; before?: string; after?: string; at?: string }[];
  summary: { users: number; changed: number; refused: number; claims: Record<string, { added: number; removed: number; changed: number }> };
  examples: { user: string; claim: string; kind: string; before?: unknown; after?: unknown }[];
}

describe('claimc diff on the example export', () => {
  it('--format json has exactly static, summary and examples, with every user classified', async () => {
    const { code, out, err } = await diff('--format', 'json', '--workers', '1');
    expect(code, err).toBe(1);
    const report = JSON.parse(out) as Report;
    expect(Object.keys(report)).toEqual(['static', 'summary', 'examples']);
    expect(Object.keys(report.summary)).toEqual(['users', 'changed', 'refused', 'claims']);
    expect(report.static.map((c) => [c.kind, c.claim, c.at?.replace(/^.*\//, '')])).toEqual([
      ['transformation-changed', 'employeeid', 'hr-claims-v2.claims:6'],
      ['renamed', 'dept', 'hr-claims-v2.claims:7'],
      ['added', 'title', 'hr-claims-v2.claims:9'],
    ]);
    // six users; the guest has none of the attributes, so nothing changes for them
    expect(report.summary).toEqual({
      users: 6,
      changed: 5,
      refused: 0,
      claims: {
        department: { added: 0, removed: 5, changed: 0 },
        dept: { added: 5, removed: 0, changed: 0 },
        employeeid: { added: 0, removed: 0, changed: 4 },
        title: { added: 5, removed: 0, changed: 0 },
      },
    });
    expect(report.examples).toContainEqual({ user: 'adelev@contoso.com', app: '6c2e4f1a-3b5d-4e7f-9a1c-2d4e6f8a0b1c', claim: 'employeeid', kind: 'changed', before: 'E1001', after: 'US-E1001' });
    expect(report.examples.filter((e) => e.claim === 'title')).toHaveLength(3);
  });

  it('two worker threads give the same report as one (built workers)', async () => {
    if (!existsSync(join(repo, 'packages/cli/dist/diff-worker.js'))) throw new Error('build first: npx tsc -b');
    const one = await diff('--format', 'json', '--workers', '1');
    const two = await diff('--format', 'json', '--workers', '2');
    expect(two.err).toBe('');
    expect(two.out).toBe(one.out);
  });

  it('text and markdown tables; a progress bar only on a terminal', async () => {
    const text = await diff();
    expect(text.out).toMatch(/^ {2}title +5 +0 +0 +adelev@contoso\.com: \(absent\) → "Retail Manager"$/m);
    expect(text.err).toBe('');
    const markdown = await diff('--format', 'markdown');
    expect(markdown.out).toContain('### claimc diff: 5 of 6 users change');
    expect(markdown.out).toContain('| `employeeid` | 0 | 0 | 4 |');
    const tty = await run(['diff', oldPolicy, newPolicy, '--directory', exportFolder, '--now', '1767225600'], true);
    expect(tty.err).toContain('100% 6/6 users');
  });

  it('exit 0 when nothing changes; one-sided refusals are not counted when both policies are refused', async () => {
    const same = await run(['diff', oldPolicy, oldPolicy, '--directory', exportFolder, '--now', '1767225600']);
    expect(same.code).toBe(0);
    expect(same.out).toContain('Static changes: none');
    writeFileSync(join(dir, 'basic.json'), '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true"}}');
    const payrollDiff = await run(['diff', 'basic.json', newPolicy, '--directory', exportFolder, '--now', '1767225600', '--app', payroll]);
    expect(payrollDiff.out).toContain('refuses the token under both policies (AADSTS50146)');
  });

  it('an unassigned old policy is CM7110, an unknown --app CM7006, a broken policy its diagnostics (exit 2)', async () => {
    writeFileSync(join(dir, 'unassigned.json'), '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"false"}}');
    const unassigned = await run(['diff', 'unassigned.json', newPolicy, '--directory', exportFolder]);
    expect(unassigned.code).toBe(2);
    expect(unassigned.err).toContain('CM7110');
    const unknown = await diff('--app', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('CM7006');
    writeFileSync(join(dir, 'broken.json'), '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"maybe"}}');
    const broken = await run(['diff', 'broken.json', newPolicy, '--directory', exportFolder]);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain('CM2005');
  });

  it('reads the old policy straight from the Graph collection the export holds, picked with --select', async () => {
    const collection = join(exportFolder, 'policies/claimsMappingPolicies.json');
    const refused = await run(['diff', collection, newPolicy, '--directory', exportFolder, '--now', '1767225600']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('CM1409');
    const picked = await run(['diff', collection, newPolicy, '--directory', exportFolder, '--now', '1767225600', '--select', 'HR claims', '--format', 'json']);
    expect(picked.code, picked.err).toBe(1);
    expect((JSON.parse(picked.out) as Report).summary.changed).toBe(5);
  });
});
