// The playground in Debian's chromium (playwright-core): the built page served from 127.0.0.1, driven as a
// user would — typing in the editor, picking users — and its diagnostics compared with `claimc check`'s.
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { main } from '../../cli/src/main.js';
import { defaultSnapshot, defaultUserIds } from '../../cli/src/demo/tenant.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const dist = join(here, '../dist');
const artifacts = join(root, 'test-artifacts');
const corpus = join(root, 'packages/compiler/test/fixtures/check');
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

let server: Server;
let base: string;
let browser: Browser;
let page: Page;
const requests: string[] = [];
const consoleErrors: string[] = [];

/** `claimc check --format json` on files, as a user would run it. */
async function check(paths: readonly string[]): Promise<{ files: { diagnostics: { code: string; line: number; column: number; endColumn: number; severity: string; message: string; hint: string | null }[] }[] }> {
  let out = '';
  const io = { stdout: { write: (c: string) => ((out += c), true) }, stderr: { write: () => true }, env: {}, cwd: root };
  await main(['check', ...paths, '--format', 'json'], io);
  return JSON.parse(out);
}

// the page's identity of a checked text (FNV-1a, as main.ts computes it)
const textHash = (text: string): string => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16);
};

async function shownDiagnostics(text: string): Promise<{ code: string; line: number; column: number; severity: string; message: string }[]> {
  await page.waitForFunction((hash) => document.getElementById('diagnostics')?.dataset['textHash'] === hash, textHash(text), { timeout: 5_000 });
  return page.$$eval('#diagnostics li.diagnostic', (rows) =>
    rows.map((row) => ({
      code: (row as HTMLElement).dataset['code']!,
      line: Number((row as HTMLElement).dataset['line']),
      column: Number((row as HTMLElement).dataset['column']),
      severity: (row as HTMLElement).dataset['severity']!,
      message: row.querySelector('.message')!.textContent!,
    })),
  );
}

beforeAll(async () => {
  if (!existsSync(join(dist, 'index.html'))) {
    // `pnpm build` builds the page; a lone `vitest run` builds it here
    const { build } = await import('vite');
    await build({ root: join(here, '..'), configFile: join(here, '../vite.config.ts'), logLevel: 'warn' });
  }
  mkdirSync(artifacts, { recursive: true });
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const path = normalize(join(dist, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(dist)) return void response.writeHead(403).end();
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${base}/index.html`);
  await page.waitForSelector('#token-id[data-state="ok"]', { timeout: 15_000 });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (server === undefined ? done() : server.close(() => done())));
});

describe('the playground in chromium', () => {
  it('squiggles a typed error at its line and column with the catalog message; the fix updates the token', async () => {
    // a new claim on line 9, its ID misspelt
    await page.locator('#editor .cm-line', { hasText: 'claim tenant_country' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type('\nclaim office = user.citty');
    const squiggle = page.locator('#editor .cm-lintRange-error');
    await squiggle.first().waitFor({ timeout: 5_000 });
    // what `claimc check` says about the same text
    const docText = await page.evaluate(() => Array.from(document.querySelectorAll('#editor .cm-line')).map((l) => l.textContent).join('\n'));
    expect(docText).toContain('claim office = user.citty');
    const dir = await mkdtemp(join(tmpdir(), 'claimc-playground-'));
    await writeFile(join(dir, 'policy.claims'), docText);
    const expected = (await check([join(dir, 'policy.claims')])).files[0]!.diagnostics.filter((d) => d.severity === 'error');
    expect(expected.length).toBeGreaterThan(0);
    const [first] = expected;
    // the squiggle stands on that line, on the text between the reported columns
    const lines = docText.split('\n');
    const squiggled = await squiggle.first().textContent();
    expect(lines[first!.line - 1]!.slice(first!.column - 1, first!.endColumn - 1)).toBe(squiggled);
    const squiggleLine = await squiggle.first().evaluate((el) => Array.from(document.querySelectorAll('#editor .cm-line')).indexOf(el.closest('.cm-line')!) + 1);
    expect(squiggleLine).toBe(first!.line);
    expect(await shownDiagnostics(docText)).toContainEqual({ code: first!.code, line: first!.line, column: first!.column, severity: 'error', message: first!.message });
    // hovering the squiggle shows the catalog message and code
    await squiggle.first().hover();
    const tooltip = page.locator('.cm-tooltip-lint');
    await tooltip.waitFor({ timeout: 5_000 });
    expect(await tooltip.textContent()).toContain(first!.message);
    expect(await tooltip.textContent()).toContain(first!.code);
    await page.screenshot({ path: join(artifacts, 'playground-squiggle.png') });
    expect(await page.locator('#status').getAttribute('data-state')).toBe('stale');
    expect(await page.locator('#token-id tr[data-claim="office"]').count()).toBe(0);

    // fix it: the ID token gains the claim, explained
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('t');
    // completion offers the user source's IDs, from the language service
    await page.locator('.cm-tooltip-autocomplete li', { hasText: 'city' }).first().waitFor({ timeout: 5_000 });
    await page.keyboard.type('y');
    await page.keyboard.press('Escape');
    const office = page.locator('#token-id tr[data-claim="office"]');
    await office.waitFor({ timeout: 5_000 });
    expect(await office.locator('.value').textContent()).toBe('Seattle');
    expect(await office.locator('.why').textContent()).toBe('policy: user.city');
    // the squiggle goes once the linter has run on the fixed text (the tokens may update first)
    await page.waitForFunction(() => document.querySelectorAll('#editor .cm-lintRange-error').length === 0, undefined, { timeout: 5_000 });
    expect(await page.locator('#diagnostics').textContent()).toBe('No problems.');
    // the JWT was signed in the page
    expect(await page.locator('#token-id .jwt code').textContent()).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);
  });

  it('shows group overage for a user in 251 groups', async () => {
    await page.selectOption('#user', { label: 'Megan Bowen (meganb@contoso.com)' });
    await page.waitForSelector('#token-id[data-overage="true"]', { timeout: 5_000 });
    expect(await page.locator('#token-id tr[data-claim="_claim_names"]').count()).toBe(1);
    expect(await page.locator('#token-id .overage').textContent()).toContain('Group overage');
    expect(await page.locator('#token-saml[data-overage="true"] tr[data-claim$="/groups.link"]').count()).toBe(1);
    await page.screenshot({ path: join(artifacts, 'playground-overage.png') });
    await page.selectOption('#user', { label: 'Adele Vance (adelev@contoso.com)' });
    await page.waitForSelector('#token-id[data-overage="false"]', { timeout: 5_000 });
  });

  it('diffs the claims of a second policy', async () => {
    await page.check('#compare');
    const added = page.locator('#token-id .diff li[data-claim="job_title"][data-change="added"]');
    await added.waitFor({ timeout: 5_000 });
    expect(await page.locator('#token-id .diff li[data-claim="login_name"]').getAttribute('data-change')).toBe('removed');
    await page.screenshot({ path: join(artifacts, 'playground-compare.png') });
    await page.uncheck('#compare');
  });

  it('issues for the users of a snapshot file the user picks', async () => {
    // the demo tenant with Adele moved to another department, as a file on disk
    const snapshot = { ...defaultSnapshot, users: defaultSnapshot.users!.map((u) => (u.id === defaultUserIds.adele ? { ...u, department: 'Research' } : u)) };
    const path = join(await mkdtemp(join(tmpdir(), 'claimc-playground-')), 'tenant-export.json');
    await writeFile(path, JSON.stringify(snapshot));
    await page.setInputFiles('#snapshot-file', path);
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('snapshot tenant-export.json'), undefined, { timeout: 5_000 });
    await page.selectOption('#user', { label: 'Adele Vance (adelev@contoso.com)' });
    await page.waitForFunction(() => document.querySelector('#token-id tr[data-claim="department"] .value')?.textContent === 'Research', undefined, { timeout: 5_000 });
    // a file that is not a snapshot is refused, and the page keeps the one it has
    const broken = join(dirname(path), 'not-a-snapshot.json');
    await writeFile(broken, JSON.stringify({ users: [{ id: 42 }] }));
    await page.setInputFiles('#snapshot-file', broken);
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('not a usable snapshot'), undefined, { timeout: 5_000 });
    expect(await page.locator('#status').textContent()).toContain('CM7001');
    expect(await page.locator('#token-id tr[data-claim="department"] .value').textContent()).toBe('Research');
  });

  it('converts .claims to JSON and shows the same diagnostics as claimc check for the fixture corpus', async () => {
    await page.click('button[data-format="json"]');
    await page.waitForFunction(() => document.querySelector('#editor .cm-content')?.textContent?.includes('"ClaimsMappingPolicy"'));
    const files = ['invalid', 'valid'].flatMap((kind) =>
      readdirSync(join(corpus, kind))
        .filter((f) => f.endsWith('.json') && !f.endsWith('.expect.json'))
        .filter((f) => kind === 'valid' || (JSON.parse(readFileSync(join(corpus, kind, f.replace(/\.json$/, '.expect.json')), 'utf8')) as { target: string }).target === 'lenient')
        .map((f) => join(corpus, kind, f)),
    );
    expect(files.length).toBeGreaterThanOrEqual(50);
    const report = await check(files);
    let compared = 0;
    for (const [i, path] of files.entries()) {
      const text = readFileSync(path, 'utf8');
      await page.evaluate((t) => (window as unknown as { claimcPlayground: { load(text: string, format: string): void } }).claimcPlayground.load(t, 'json'), text);
      const shown = await shownDiagnostics(text);
      const expected = report.files[i]!.diagnostics.map((d) => ({ code: d.code, line: d.line, column: d.column, severity: d.severity, message: d.message }));
      expect([path.slice(corpus.length), shown]).toEqual([path.slice(corpus.length), expected]);
      compared += expected.length;
    }
    expect(compared).toBeGreaterThanOrEqual(50);
    await page.screenshot({ path: join(artifacts, 'playground-corpus-last.png') });
  });

  it('sent nothing anywhere: only the page itself was requested, and its Content-Security-Policy refused nothing', () => {
    expect(consoleErrors).toEqual([]);
    expect(requests.every((r) => r === '/index.html' || r.startsWith('/assets/') || r === '/favicon.ico')).toBe(true);
  });
});
