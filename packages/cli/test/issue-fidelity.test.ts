import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../src/command.js';
import { issueCommand } from '../src/commands/issue.js';
import { defaultIds } from '../src/demo/tenant.js';

// `claimc issue` for the seed-documented identity details and token size. Clock frozen with --now.

const NOW = '1750000000';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (err += c) }, env: {}, cwd: process.cwd() };
  const code = await issueCommand.run(args, io);
  return { code, out, err };
}

const half = (value: string): string => createHash('sha256').update(value, 'ascii').digest().subarray(0, 16).toString('base64url');

describe('claimc issue: nonce, c_hash, at_hash (seed 004)', () => {
  const base = ['--user', 'adelev@contoso.com', '--client', defaultIds.webApp, '--token', 'id', '--now', NOW];
  it('--nonce echoes the nonce; --code and --access-token add c_hash and at_hash', async () => {
    const { code, out } = await run([...base, '--nonce', 'abc123', '--code', 'SplxlOBeZQQYbYS6WxSbIA', '--access-token', 'eyJhbGciOi.x.y']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ nonce: 'abc123', c_hash: half('SplxlOBeZQQYbYS6WxSbIA'), at_hash: half('eyJhbGciOi.x.y') });
  });
  it('they apply to ID tokens only (a usage error)', async () => {
    await expect(run(['--user', 'adelev@contoso.com', '--client', defaultIds.webApp, '--resource', defaultIds.api, '--token', 'access', '--now', NOW, '--code', 'x'])).rejects.toThrow(UsageError);
  });
});

describe('claimc issue: token size is a warning, never a change (seed 003)', () => {
  it('200 groups are listed; the token passes 8 KB and CM7250 says so on stderr (exit 0)', async () => {
    const user = '44444444-0000-4000-8000-000000000001';
    const client = '22222222-0000-4000-8000-000000000001';
    const groups = Array.from({ length: 200 }, (_, i) => ({ id: `55555555-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, securityEnabled: true, members: [user] }));
    const snapshot = {
      organization: { id: '11111111-0000-4000-8000-000000000000', verifiedDomains: [{ name: 'contoso.com' }] },
      users: [{ id: user, userPrincipalName: 'ada@contoso.com' }],
      groups,
      applications: [{ appId: client, groupMembershipClaims: 'SecurityGroup' }],
      servicePrincipals: [{ id: '33333333-0000-4000-8000-000000000001', appId: client }],
    };
    const file = join(mkdtempSync(join(tmpdir(), 'claimc-size-')), 'directory.json');
    writeFileSync(file, JSON.stringify(snapshot));
    const { code, out, err } = await run(['--directory', file, '--user', user, '--client', client, '--token', 'id', '--now', NOW, '--format', 'jwt']);
    expect(code).toBe(0);
    const payload = JSON.parse(Buffer.from(out.trim().split('.')[1]!, 'base64url').toString()) as { groups: string[] };
    expect(payload.groups).toHaveLength(200);
    expect(out.trim().length).toBeGreaterThan(8192);
    expect(err).toContain('CM7250');
    expect(err).toContain(`${out.trim().length} bytes, over 8192 bytes`);
    expect(err).not.toContain('over 16384');
  });
});
