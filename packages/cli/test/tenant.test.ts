import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { recordingIO } from './io.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'claimc-tenant-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const exportFolder = join(repo, 'docs/examples/tenant-export');
const hrPortal = '6c2e4f1a-3b5d-4e7f-9a1c-2d4e6f8a0b1c';

async function run(args: string[]) {
  const io = recordingIO({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('a Graph export folder through claimc snapshot, users and issue', () => {
  it('snapshot writes JSON Lines that issue reads to the same token as the folder', async () => {
    const written = await run(['snapshot', exportFolder, '-o', 'tenant.snapshot']);
    expect(written.code, written.err).toBe(0);
    const lines = readFileSync(join(dir, 'tenant.snapshot'), 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'claimc-snapshot', version: 1, counts: { users: 6, groups: 4, roles: 2 } });
    expect(JSON.parse(lines.at(-1)!)).toEqual({ end: { users: 6 } });

    const request = ['issue', '--user', 'meganb@contoso.com', '--client', hrPortal, '--token', 'id', '--now', '1767225600'];
    const fromFolder = await run([...request, '--directory', exportFolder]);
    const fromSnapshot = await run([...request, '--directory', 'tenant.snapshot']);
    expect(fromFolder.code, fromFolder.err).toBe(0);
    expect(fromSnapshot.out).toBe(fromFolder.out);
    expect(JSON.parse(fromSnapshot.out)).toMatchObject({ employeeid: 'E1002', department: 'Sales', country: 'US', roles: ['HR.Read'] });
  });

  it('diff reads the indexed snapshot to the same report as the folder', async () => {
    await run(['snapshot', exportFolder, '-o', 'for-diff.snapshot']);
    const policies = [join(repo, 'docs/examples/tenant-diff/hr-claims.json'), join(repo, 'docs/examples/tenant-diff/hr-claims-v2.claims')];
    const fromFolder = await run(['diff', ...policies, '--directory', exportFolder, '--now', '1767225600', '--format', 'json']);
    const fromSnapshot = await run(['diff', ...policies, '--directory', 'for-diff.snapshot', '--now', '1767225600', '--format', 'json']);
    expect(fromSnapshot.code, fromSnapshot.err).toBe(1);
    expect(fromSnapshot.out).toBe(fromFolder.out);
  });

  it('users lists UPN, id, type and group count, filtered', async () => {
    const all = await run(['users', '--directory', exportFolder, '--format', 'json']);
    expect(all.code).toBe(0);
    const rows = JSON.parse(all.out) as { upn: string; type: string; groups: number }[];
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r.upn.startsWith('pat_'))).toMatchObject({ type: 'Guest', groups: 1 });
    const some = await run(['users', 'lynne', '--directory', exportFolder]);
    expect(some.out).toMatch(/^lynner@contoso\.com +7e1a0000-0000-4000-8000-000000000005 +Member +3$/m);
    expect(some.out).toContain('1 user\n');
  });

  it('a damaged indexed snapshot is CM7109 with its line, exit 1', async () => {
    await run(['snapshot', exportFolder, '-o', 'damaged.snapshot']);
    const lines = readFileSync(join(dir, 'damaged.snapshot'), 'utf8').split('\n');
    writeFileSync(join(dir, 'cut.snapshot'), lines.slice(0, -3).join('\n'));
    const cut = await run(['users', '--directory', 'cut.snapshot']);
    expect(cut.code).toBe(1);
    expect(cut.err).toMatch(/CM7109 .* line \d+: the file is cut short/);
    lines[3] = '{"group": 42}';
    writeFileSync(join(dir, 'bad.snapshot'), lines.join('\n'));
    const bad = await run(['users', '--directory', 'bad.snapshot']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('CM7109 The indexed snapshot cannot be read at line 4');
  });

  it('a broken export folder exits 1 with located diagnostics; a missing folder exits 2', async () => {
    expect((await run(['snapshot', join(repo, 'docs/examples/broken'), '-o', 'x.snapshot'])).code).toBe(1);
    const missing = await run(['users', '--directory', 'no-such-folder']);
    expect(missing.code).toBe(2);
  });

  it('eval --tenant and --user take Graph responses as saved (one-item collections)', async () => {
    writeFileSync(join(dir, 'user-one.json'), JSON.stringify({ '@odata.context': 'x', value: [{ id: 'u1', displayName: 'One', employeeId: 'E1' }] }));
    const evaluated = await run(['eval', join(repo, 'docs/examples/employeeid-tenantcountry.json'), '--user', 'user-one.json', '--tenant', join(exportFolder, 'organization.json')]);
    expect(evaluated.code, evaluated.err).toBe(0);
    expect(JSON.parse(evaluated.out)).toMatchObject({ employeeid: 'E1', country: 'US' });
    const many = await run(['eval', join(repo, 'docs/examples/employeeid-tenantcountry.json'), '--user', join(exportFolder, 'users.json')]);
    expect(many.code).toBe(2);
  });

});

interface Explanation {
  claims: { claim: string; origin: string; value: unknown; from?: string; inputs?: { source: string; value: unknown }[]; entry?: number; at?: string }[];
  absent: { claim: string; origin: string; reason: string; hint?: string; entry?: number; at?: string }[];
}

describe('claimc issue --explain', () => {
  const request = ['issue', '--client', hrPortal, '--token', 'id', '--now', '1767225600', '--explain', '--format', 'json'];

  it('gives every claim its origin and every asked-for absent claim its reason', async () => {
    const { code, out, err } = await run([...request, '--user', 'isaiahl@contoso.com', '--directory', exportFolder]);
    expect(code, err).toBe(0);
    const e = JSON.parse(out) as Explanation;
    const origin = (claim: string) => e.claims.find((c) => c.claim === claim)?.origin;
    expect([origin('name'), origin('upn'), origin('department'), origin('groups'), origin('roles'), origin('sub')]).toEqual(['basic', 'optional', 'policy', 'groups', 'groups', 'core']);
    expect(e.claims.find((c) => c.claim === 'department')).toMatchObject({ from: 'user.department', inputs: [{ source: 'user.department', value: 'Sales' }], entry: 1, at: 'policy "HR claims" /ClaimsSchema/1' });
    // Isaiah has no employee id (null, exported) and no cost center
    expect(e.absent).toEqual([
      { claim: 'employeeid', origin: 'policy', reason: 'source-empty', entry: 0, at: 'policy "HR claims" /ClaimsSchema/0' },
      { claim: 'extn.costCenter', origin: 'optional', reason: 'source-empty' },
    ]);
  });

  it('with --policy, entries are located at file:line and transformation inputs carry their values', async () => {
    const policy = join(repo, 'docs/examples/tenant-diff/hr-claims-v2.claims');
    const { out } = await run([...request, '--user', 'adelev@contoso.com', '--directory', exportFolder, '--policy', policy]);
    const employeeid = (JSON.parse(out) as Explanation).claims.find((c) => c.claim === 'employeeid');
    expect(employeeid).toMatchObject({
      origin: 'policy',
      value: 'US-E1001',
      from: 'Join(company.tenantcountry, user.employeeid, separator: "-")',
      inputs: [
        { source: 'company.tenantcountry', value: 'US' },
        { source: 'user.employeeid', value: 'E1001' },
      ],
      at: `${policy}:6`,
    });
  });

  it('a property the export did not $select is "not exported", with the $select to add', async () => {
    const folder = join(dir, 'narrow-export');
    cpSync(exportFolder, folder, { recursive: true });
    for (const page of ['users.json', 'users.2.json']) {
      const response = JSON.parse(readFileSync(join(folder, page), 'utf8')) as { '@odata.context': string; value: Record<string, unknown>[] };
      response['@odata.context'] = 'https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,displayName,department,userType)';
      response.value = response.value.map((u) => ({ id: u['id'], userPrincipalName: u['userPrincipalName'], displayName: u['displayName'], department: u['department'], userType: u['userType'] }));
      writeFileSync(join(folder, page), JSON.stringify(response, null, 2));
    }
    const { code, out, err } = await run([...request, '--user', 'adelev@contoso.com', '--directory', folder]);
    expect(code).toBe(0);
    expect(err).toContain('CM7107');
    const absent = (JSON.parse(out) as Explanation).absent;
    expect(absent.find((a) => a.claim === 'employeeid')).toMatchObject({ reason: 'not-exported', hint: expect.stringContaining('$select') as unknown });
    expect(absent.find((a) => a.claim === 'extn.costCenter')).toMatchObject({ reason: 'not-exported' });
  });

  it('a gated token is explained as such (exit 1); text is a table', async () => {
    const gated = await run(['issue', '--client', '0f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19', '--token', 'id', '--now', '1767225600', '--explain', '--user', 'adelev@contoso.com', '--directory', exportFolder, '--policy', join(repo, 'docs/examples/tenant-diff/hr-claims.json')]);
    expect(gated.code).toBe(1);
    expect(gated.out).toMatch(/^\(token\) +token +gated +AADSTS50146/m);
    const text = await run(['issue', '--client', hrPortal, '--token', 'id', '--now', '1767225600', '--explain', '--user', 'meganb@contoso.com', '--directory', exportFolder]);
    expect(text.out).toMatch(/^employeeid +policy +"E1002" +policy "HR claims" \/ClaimsSchema\/0: user\.employeeid with user\.employeeid="E1002"$/m);
  });
});
