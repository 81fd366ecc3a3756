import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultIds } from '../src/demo/tenant.js';
import type { CliIO } from '../src/command.js';
import { issueCommand } from '../src/commands/issue.js';
import { metadataCommand } from '../src/commands/metadata.js';

// `claimc issue` / `metadata`: the --now range (CM7050, exit 2) and RSASSA-PSS keys from openssl. Clock frozen with --now.

const work = mkdtempSync(join(tmpdir(), 'claimc-cli-keys-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function run(command: typeof issueCommand, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (err += c) }, env: {}, cwd: work };
  return { code: await command.run(args, io), out, err };
}

// the daemon app has no claims-mapping policy, so no signing-key window gates a SAML token at the far end of the clock
const saml = ['--user', 'adelev@contoso.com', '--client', defaultIds.daemon, '--token', 'saml', '--format', 'assertion'];
const id = ['--user', 'adelev@contoso.com', '--client', defaultIds.webApp, '--token', 'id', '--format', 'jwt'];

describe('claimc issue --now range', () => {
  it('the latest SAML clock writes NotOnOrAfter in 9999; one second later is CM7050 with exit 2', async () => {
    const ok = await run(issueCommand, [...saml, '--now', String(253_402_300_799 - 4200)]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('NotOnOrAfter="9999-12-31T23:59:59.000Z"');
    const late = await run(issueCommand, [...saml, '--now', String(253_402_300_799 - 4200 + 1)]);
    expect(late.code).toBe(2);
    expect(late.err).toMatch(/error CM7050/);
    expect(late.out).toBe('');
  });
  it.each(['999999999999', '8640000000000', '99999999999999999999999999999999'])('--now %s is CM7050 (exit 2) for JWTs and metadata, never a stack trace', async (now) => {
    for (const [command, args] of [[issueCommand, id], [issueCommand, saml], [metadataCommand, []]] as const) {
      const result = await run(command, [...args, '--now', now]);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/error CM7050/);
      expect(result.err).not.toMatch(/RangeError|    at /);
    }
  });
});

describe('claimc issue --key with an RSASSA-PSS PKCS#8 key from openssl', () => {
  it('signs PS256, and metadata publishes the key that verifies it', async () => {
    const key = join(work, 'pss.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA-PSS', '-out', key], { stdio: 'pipe' });
    expect(readFileSync(key, 'utf8')).toContain('BEGIN PRIVATE KEY');
    const issued = await run(issueCommand, [...id, '--now', '1750000000', '--key', key]);
    expect(issued.err).toBe('');
    expect(issued.code).toBe(0);
    const metadata = await run(metadataCommand, ['--now', '1750000000', '--key', key]);
    const { jwks } = JSON.parse(metadata.out) as { jwks: { keys: (JsonWebKey & { kid: string; alg: string })[] } };
    const [h, p, s] = issued.out.trim().split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg: string; kid: string };
    // offline, one key signs for the tenant and for apps with a custom key (under their kid): the material is the same
    const jwk = jwks.keys[0]!;
    expect([header.alg, jwk.alg]).toEqual(['PS256', 'PS256']);
    const publicKey = { key: createPublicKey({ key: jwk, format: 'jwk' }), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(verify('sha256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))).toBe(true);
  });
});
