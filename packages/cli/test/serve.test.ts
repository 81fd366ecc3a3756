// `claimc serve` as a process: the first stdout line is the base URL, loopback by default, JSON request log,
// hot reload that survives a broken edit, graceful stop on SIGTERM, and --workers sharing single-use codes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultIds, defaultSnapshot, demoClientSecrets } from '../src/demo/tenant.js';
import { main } from '../src/main.js';
import { recordingIO } from './io.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(root, 'packages/cli/bin/claimc.js');
const tid = defaultIds.tenant;

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

async function startServe(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: root });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    void exited.then((code) => reject(new Error(`exited ${String(code)}: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr, exited };
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const clientCredentials = (url: string, close = false): Promise<Response> =>
  fetch(`${url}/${tid}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(close ? { connection: 'close' } : {}) },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: defaultIds.daemon, client_secret: demoClientSecrets.daemon, scope: `${defaultIds.api}/.default` }),
  });

describe('claimc serve', () => {
  it('prints the URL first, binds loopback, logs JSON lines, reloads the snapshot, keeps the last good one, stops on SIGTERM', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'claimc-serve-'));
    const snapshotPath = join(folder, 'tenant.json');
    const snapshot = structuredClone(defaultSnapshot) as unknown as { users: Record<string, unknown>[] };
    writeFileSync(snapshotPath, JSON.stringify(snapshot));
    const running = await startServe(['--directory', snapshotPath, '--log', 'json']);
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await waitFor(() => running.stderr().includes('loopback'), 'the loopback notice');

    const discovery = (await (await fetch(`${running.url}/${tid}/v2.0/.well-known/openid-configuration`)).json()) as { issuer: string };
    expect(discovery.issuer).toBe(`${running.url}/${tid}/v2.0`);
    expect((await clientCredentials(running.url)).status).toBe(200);

    const pageLists = async (upn: string): Promise<boolean> =>
      (await (await fetch(`${running.url}/${tid}/oauth2/v2.0/authorize?client_id=${defaultIds.webApp}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent('http://127.0.0.1/auth/callback')}`)).text()).includes(upn);
    expect(await pageLists('newhire@contoso.com')).toBe(false);

    snapshot.users.push({ id: 'e1000000-0000-4000-8000-000000000099', userPrincipalName: 'newhire@contoso.com', displayName: 'New Hire', userType: 'Member' });
    writeFileSync(snapshotPath, JSON.stringify(snapshot));
    await waitFor(() => running.stderr().includes('claimc serve: reloaded'), 'the reload');
    expect(await pageLists('newhire@contoso.com')).toBe(true);

    writeFileSync(snapshotPath, '{ "organization": ');
    await waitFor(() => running.stderr().includes('reload failed'), 'the failed reload');
    expect(running.stderr()).toContain('not valid JSON');
    expect(await pageLists('newhire@contoso.com')).toBe(true);

    const logLines = running.stderr().split('\n').filter((line) => line.startsWith('{'));
    const entries = logLines.map((line) => JSON.parse(line) as { method: string; path: string; status: number; grant?: string });
    expect(entries.some((e) => e.method === 'POST' && e.path === `/${tid}/oauth2/v2.0/token` && e.status === 200 && e.grant === 'client_credentials')).toBe(true);
    expect(entries.every((e) => !e.path.includes('?'))).toBe(true);

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });

  it('reloads an edited policy; a broken edit prints its diagnostics and keeps the last good policy', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'claimc-serve-policy-'));
    const policyPath = join(folder, 'web.claims');
    const policy = (stage: string): string => `policy "ServeReload" {\n  basic claims: include\n  claim stage = "${stage}"\n}\n`;
    writeFileSync(policyPath, policy('one'));
    const running = await startServe(['--policy', policyPath, '--policy-app', defaultIds.webApp, '--log', 'none']);
    try {
      const idTokenClaims = async (): Promise<Record<string, unknown>> => {
        const answer = await fetch(`${running.url}/${tid}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: defaultIds.webApp, response_type: 'id_token', response_mode: 'fragment', scope: 'openid', nonce: 'n', redirect_uri: 'http://127.0.0.1/auth/callback', login_hint: 'adelev@contoso.com' })}`, { redirect: 'manual' });
        const idToken = new URLSearchParams(new URL(answer.headers.get('location')!).hash.slice(1)).get('id_token')!;
        return JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
      };
      expect((await idTokenClaims())['stage']).toBe('one');
      writeFileSync(policyPath, policy('two'));
      await waitFor(() => running.stderr().includes('claimc serve: reloaded'), 'the reload');
      expect((await idTokenClaims())['stage']).toBe('two');
      writeFileSync(policyPath, 'policy "ServeReload" {\n  claim stage = \n}\n');
      await waitFor(() => running.stderr().includes('reload failed'), 'the failed reload');
      expect(running.stderr()).toMatch(/web\.claims:3:\d+.*CM\d{4}/);
      expect((await idTokenClaims())['stage']).toBe('two');
    } finally {
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
    }
  });

  it('--workers 2 shares the port and the single use of codes', async () => {
    const running = await startServe(['--workers', '2']);
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const statuses = await Promise.all(Array.from({ length: 6 }, () => clientCredentials(running.url, true).then((r) => r.status)));
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
      const redirect = 'http://127.0.0.1:4500/auth/callback';
      const authorize = await fetch(`${running.url}/${tid}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: defaultIds.webApp, response_type: 'code', scope: 'openid', redirect_uri: redirect, login_hint: 'adelev@contoso.com' })}`, { redirect: 'manual', headers: { connection: 'close' } });
      const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
      const redeem = (): Promise<Response> =>
        fetch(`${running.url}/${tid}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', connection: 'close' }, body: new URLSearchParams({ grant_type: 'authorization_code', client_id: defaultIds.webApp, client_secret: demoClientSecrets.webApp, code, redirect_uri: redirect }) });
      const answers = await Promise.all([redeem(), redeem(), redeem(), redeem()]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400, 400]);
    } finally {
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
    }
  });

  it('publishes the keys and SAML certificates `claimc metadata` prints (JWKS x5c/x5t, federation metadata, ?appid=)', async () => {
    const running = await startServe(['--log', 'none']);
    try {
      const printed = async (args: string[]): Promise<string> => {
        const io = recordingIO({ cwd: root });
        expect(await main(['metadata', ...args], io)).toBe(0);
        return io.out();
      };
      const servedCertificate = async (query: string): Promise<string> => {
        const xml = await (await fetch(`${running.url}/${tid}/federationmetadata/2007-06/federationmetadata.xml${query}`)).text();
        return /<X509Certificate>([^<]+)<\/X509Certificate>/.exec(xml)![1]!;
      };
      for (const appid of [[], ['--appid', defaultIds.samlApp]]) {
        const query = appid.length === 0 ? '' : `?appid=${appid[1]!}`;
        const { jwks } = JSON.parse(await printed(appid)) as { jwks: { keys: { kid: string; x5t: string; x5c: string[] }[] } };
        const served = (await (await fetch(`${running.url}/${tid}/discovery/v2.0/keys${query}`)).json()) as typeof jwks;
        expect(served).toEqual(jwks);
        expect(jwks.keys[0]!.x5c).toHaveLength(1);
        const saml = await printed(['--saml', ...appid]);
        expect(await servedCertificate(query)).toBe(/<X509Certificate>([^<]+)<\/X509Certificate>/.exec(saml)![1]);
        expect(await servedCertificate(query)).toBe(jwks.keys[0]!.x5c[0]);
      }
    } finally {
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
    }
  });

  it('usage mistakes exit 2', async () => {
    for (const args of [['--port', 'abc'], ['--policy', 'x.claims'], ['--log', 'xml'], ['--workers', '0'], ['--tls-cert', 'c.pem']]) {
      const io = recordingIO({ cwd: root });
      expect(await main(['serve', ...args], io), args.join(' ')).toBe(2);
      expect(io.err()).toMatch(/^claimc serve: /);
    }
  });
});
