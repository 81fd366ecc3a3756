import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPolicy } from '@claimc/syntax';
import { main } from '../src/main.js';
import { recordingIO } from './io.js';

const dir = mkdtempSync(join(tmpdir(), 'claimc-collections-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const io = recordingIO({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const definition = (id: string, basic = 'true') =>
  JSON.stringify(`{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"${basic}","ClaimsSchema":[{"Source":"user","ID":"${id}","JwtClaimType":"${id}"}]}}`);
const collection = (secondBasic: string) =>
  [
    '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#policies/claimsMappingPolicies","value":[',
    `  {"id":"p-1","displayName":"Employee id","definition":[${definition('employeeid')}]},`,
    `  {"id":"p-2","displayName":"Department","definition":[${definition('department', secondBasic)}]}`,
    ']}',
  ].join('\n');

describe('a Graph collection with two policies', () => {
  it('check reads and checks both, each finding on its own line', async () => {
    writeFileSync(join(dir, 'bad.json'), collection('nope'));
    const { code, out } = await run(['check', 'bad.json', '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(out) as { files: { diagnostics: { code: string; line?: number }[] }[] };
    const found = report.files[0]!.diagnostics.map((d) => [d.code, d.line]);
    expect(found).toEqual([['CM2005', 3]]);
  });

  it('decompile refuses to pick one (CM1409), writes the one --select names, or all into a folder', async () => {
    writeFileSync(join(dir, 'two.json'), collection('false'));
    const refused = await run(['decompile', 'two.json']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('CM1409');
    expect(refused.err).toContain('--select');

    const picked = await run(['decompile', 'two.json', '--select', 'Department']);
    expect(picked.code).toBe(0);
    expect(picked.out).toContain('policy "Department"');
    expect(picked.out).toContain('user.department');

    const unknown = await run(['decompile', 'two.json', '--select', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('CM1410');

    expect((await run(['decompile', 'two.json', '--all', '-o', 'out'])).code).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['Department.claims', 'Employee-id.claims']);
    const back = readPolicy(readFileSync(join(dir, 'out', 'Employee-id.claims'), 'utf8'), { fileName: 'x.claims' });
    expect(back.policy?.ClaimsSchema?.[0]?.ID).toBe('employeeid');
  });
});
