// The done criterion, end to end: an app that uses openid-client unchanged (only its issuer URL points at
// `claimc serve`) signs a user in through Debian's chromium, driven by playwright-core, and receives the tokens
// `claimc issue` shows for the same user and app (claims equal apart from the per-request ones).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { chromium, type Browser } from 'playwright-core';
import { decodeJwt } from 'jose';
import { defaultIds, demoClientSecrets } from '../src/demo/tenant.js';
import { main } from '../src/main.js';
import { recordingIO } from './io.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const artifacts = join(root, 'test-artifacts');
const tid = defaultIds.tenant;
const frozenAt = Math.floor(Date.now() / 1000);
const perRequest = new Set(['iat', 'nbf', 'exp', 'uti', 'aio', 'rh', 'nonce', 'auth_time', 'sid', 'c_hash', 'at_hash']);
const stable = (payload: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(payload).filter(([name]) => !perRequest.has(name)));

let serve: ChildProcess;
let base: string;
let app: Server;
let appUrl: string;
let browser: Browser;
const received: { idToken?: string; accessToken?: string } = {};

/** The app: what a developer writes with openid-client, configured by its issuer URL alone. */
async function startApp(issuer: string): Promise<void> {
  const config = await client.discovery(new URL(`${issuer}/.well-known/openid-configuration?appid=${defaultIds.webApp}`), defaultIds.webApp, {}, client.ClientSecretPost(demoClientSecrets.webApp), {
    execute: [client.allowInsecureRequests],
  });
  const pending = new Map<string, { verifier: string; nonce: string }>();
  const scope = `openid profile email api://${defaultIds.api}/Tasks.Read`;
  app = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', appUrl);
      const redirectUri = `${appUrl}/auth/callback`;
      if (url.pathname === '/login') {
        const verifier = client.randomPKCECodeVerifier();
        const state = client.randomState();
        const nonce = client.randomNonce();
        pending.set(state, { verifier, nonce });
        const target = client.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope, state, nonce, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
        response.writeHead(302, { location: target.href }).end();
        return;
      }
      if (url.pathname === '/auth/callback') {
        const state = url.searchParams.get('state') ?? '';
        const expected = pending.get(state)!;
        const tokens = await client.authorizationCodeGrant(config, url, { pkceCodeVerifier: expected.verifier, expectedState: state, expectedNonce: expected.nonce, idTokenExpected: true });
        received.idToken = tokens.id_token!;
        received.accessToken = tokens.access_token;
        const claims = tokens.claims()!;
        response.writeHead(200, { 'content-type': 'text/html' }).end(`<h1 id="who">Signed in as ${String(claims['name'])}</h1><p>${String(claims['preferred_username'])}</p>`);
        return;
      }
      response.writeHead(404).end();
    })().catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  await new Promise<void>((done) => app.listen(0, '127.0.0.1', done));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  serve = spawn(process.execPath, [join(root, 'packages/cli/bin/claimc.js'), 'serve', '--port', '0', '--now', String(frozenAt), '--log', 'json'], { stdio: ['ignore', 'pipe', 'ignore'] });
  base = await new Promise<string>((resolve, reject) => {
    createInterface({ input: serve.stdout! }).once('line', resolve);
    serve.once('exit', (code) => reject(new Error(`claimc serve exited with ${String(code)}`)));
  });
  await startApp(`${base}/${tid}/v2.0`);
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (app === undefined ? done() : app.close(() => done())));
  serve?.kill('SIGTERM');
});

async function issued(args: string[]): Promise<Record<string, unknown>> {
  const io = recordingIO({ cwd: root });
  const code = await main(['issue', '--client', defaultIds.webApp, '--user', 'adelev@contoso.com', '--now', String(frozenAt), '--authority', base, ...args], io);
  expect(code, io.err()).toBe(0);
  return JSON.parse(io.out()) as Record<string, unknown>;
}

describe('claimc serve in a real browser', () => {
  it('signs Adele in from the app’s authorize redirect to its callback; the tokens equal claimc issue’s', async () => {
    const page = await browser.newPage();
    await page.goto(`${appUrl}/login`);
    await page.waitForSelector('button[name="claimc_user"]');
    expect(page.url().startsWith(`${base}/${tid}/oauth2/v2.0/authorize?`)).toBe(true);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'serve-sign-in-page.png') });
    await page.getByRole('button', { name: /Adele Vance/ }).click();
    await page.waitForSelector('#who');
    expect(page.url().startsWith(`${appUrl}/auth/callback?`)).toBe(true);
    expect(await page.textContent('#who')).toBe('Signed in as Adele Vance');
    await page.screenshot({ path: join(artifacts, 'serve-signed-in.png') });
    await page.close();

    const idClaims = decodeJwt(received.idToken!);
    const expectedId = await issued(['--token', 'id', '--scope', 'openid profile email']);
    expect(stable(idClaims)).toEqual(stable(expectedId));
    expect(idClaims['iss']).toBe(`${base}/${tid}/v2.0`);

    const accessClaims = decodeJwt(received.accessToken!);
    const expectedAccess = await issued(['--token', 'access', '--resource', `api://${defaultIds.api}`, '--scope', `api://${defaultIds.api}/Tasks.Read`]);
    expect(stable(accessClaims)).toEqual(stable(expectedAccess));
    expect(accessClaims['JoinedData']).toBe('retail.sandbox');
  });

  it('the sign-in page works with JavaScript off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${appUrl}/login`);
    await page.getByRole('button', { name: /Alex Wilber/ }).click();
    await page.waitForSelector('#who');
    expect(await page.textContent('#who')).toBe('Signed in as Alex Wilber');
    await context.close();
  });
});
