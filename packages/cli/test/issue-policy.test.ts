import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultIds } from '../src/demo/tenant.js';
import type { CliIO } from '../src/command.js';
import { issueCommand } from '../src/commands/issue.js';

// `claimc issue --policy`: try a policy (JSON or .claims) on the app whose policy applies (D16), clock frozen.

const NOW = '1750000000';

async function issue(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (err += c) }, env: {}, cwd: process.cwd() };
  const code = await issueCommand.run(args, io);
  return { code, out, err };
}

function write(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'claimc-policy-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const claimsPolicy = `policy "Try" {
  basic claims: exclude
  claim dept_upper = toUppercase(user.department)
}
`;

describe('claimc issue --policy', () => {
  it('assigns a .claims policy to the client for ID tokens, replacing the snapshot policy', async () => {
    const file = write('try.claims', claimsPolicy);
    const base = ['--user', 'adelev@contoso.com', '--client', defaultIds.webApp, '--token', 'id', '--now', NOW];
    const before = JSON.parse((await issue(base)).out) as Record<string, unknown>;
    const after = await issue([...base, '--policy', file]);
    expect(after.code).toBe(0);
    const payload = JSON.parse(after.out) as Record<string, unknown>;
    expect(before['employeeid']).toBeDefined();
    expect(payload['employeeid']).toBeUndefined();
    expect(typeof payload['dept_upper']).toBe('string');
    expect(payload['dept_upper']).toBe(String(payload['dept_upper']).toUpperCase());
    expect(payload['iat']).toBe(Number(NOW));
  });

  it('assigns a JSON policy to the resource for access tokens (D16)', async () => {
    const file = write('try.json', JSON.stringify({ ClaimsMappingPolicy: { Version: 1, IncludeBasicClaimSet: 'true', ClaimsSchema: [{ Source: 'user', ID: 'jobtitle', JwtClaimType: 'title' }] } }));
    const result = await issue(['--user', 'adelev@contoso.com', '--client', defaultIds.webApp, '--resource', defaultIds.api, '--token', 'access', '--now', NOW, '--policy', file]);
    expect(result.code).toBe(0);
    const payload = JSON.parse(result.out) as Record<string, unknown>;
    expect(payload['aud']).toBe(defaultIds.api);
    expect(payload).toHaveProperty('title');
    expect(payload['JoinedData']).toBeUndefined();
  });

  it('refuses a policy with errors (exit 1, diagnostics on stderr) and an unreadable one (exit 2)', async () => {
    const broken = write('broken.json', '{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":[{"Source":"user","ID":"mail","JwtClaimType":"iss"}]}}');
    const base = ['--user', 'adelev@contoso.com', '--client', defaultIds.webApp, '--token', 'id', '--now', NOW];
    const refused = await issue([...base, '--policy', broken]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/CM4101/);
    expect(refused.out).toBe('');
    const missing = await issue([...base, '--policy', join(tmpdir(), 'claimc-no-such-policy.json')]);
    expect(missing.code).toBe(2);
  });
});
