import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { recordingIO } from './io.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const fixtures = join(repo, 'docs/examples/tenant-export');
const fakeAz = fileURLToPath(new URL('./fixtures/fake-az', import.meta.url));
const bashScript = join(repo, 'docs/tenants/export-tenant.sh');
const powerShellScript = join(repo, 'docs/tenants/export-tenant.ps1');
const scratch = mkdtempSync(join(tmpdir(), 'claimc-export-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
const list = (dir: string): string[] =>
  walk(dir)
    .map((f) => relative(dir, f).split(sep).join('/'))
    .sort();
const env = (extra: Record<string, string>) => ({ ...process.env, PATH: fakeAz + delimiter + (process.env['PATH'] ?? ''), FAKE_AZ_FIXTURES: fixtures, ...extra });

describe('docs/tenants/export-tenant.sh against recorded Graph responses (a fake az on PATH)', () => {
  it('asks for exactly the recorded requests, $select lists included, and rebuilds the example export folder', async () => {
    const out = join(scratch, 'export');
    const log = join(scratch, 'requests.log');
    const run = spawnSync('bash', [bashScript, out], { env: env({ FAKE_AZ_LOG: log }), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(list(out)).toEqual(list(fixtures));
    for (const file of list(fixtures)) expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join(fixtures, file), 'utf8'));
    // the second users page was reached through @odata.nextLink
    expect(readFileSync(log, 'utf8')).toMatch(/\$skiptoken=/);
    const io = recordingIO({ cwd: scratch });
    expect(await main(['snapshot', out, '-o', 'exported.snapshot'], io), io.err()).toBe(0);
  });

  it('the fake az refuses a $select that differs from the recorded one (so the check above can fail)', () => {
    const run = spawnSync(join(fakeAz, 'az'), ['rest', '--method', 'get', '--url', 'https://graph.microsoft.com/v1.0/users?$select=id,mail'], { env: env({}), encoding: 'utf8' });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('$select');
  });
});

/** `NAME='a,b'` (bash) or `$Name = 'a,b'` (PowerShell) select lists, keyed by name in lower case without separators. */
function selects(text: string, pattern: RegExp): Map<string, string[]> {
  return new Map([...text.matchAll(pattern)].map((m) => [m[1]!.replace(/_/g, '').toLowerCase(), m[2]!.split(',')]));
}
/** Request paths with ids, variables and query strings normalised: `users/{id}/transitiveMemberOf?$select={membershipselect}&$top=999`. */
function requests(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)]
    .map((m) =>
      m[1]!
        .replace(/\$\((\$\w+)\.id\)|\$id\b/g, '{id}')
        .replace(/\\\$|`\$/g, '$')
        .replace(/\$(\w+)(?:\$extensions)?/g, (_, name: string) => (name.startsWith('$') ? _ : `{${name.replace(/_/g, '').toLowerCase()}}`))
        .replace(/\$\{?extensions\}?/g, ''),
    )
    .sort();
}

describe('docs/tenants/export-tenant.ps1 matches the bash script (PowerShell cannot run here)', () => {
  const bash = readFileSync(bashScript, 'utf8');
  const powerShell = readFileSync(powerShellScript, 'utf8');

  it('has the same $select lists', () => {
    const fromBash = selects(bash, /^([A-Z_]+_SELECT)='([^']*)'$/gm);
    const fromPowerShell = selects(powerShell, /^\$(\w+Select) = '([^']*)'$/gm);
    expect(fromBash.size).toBe(7);
    expect(fromPowerShell).toEqual(fromBash);
  });

  it('makes the same requests into the same files', () => {
    const fromBash = requests(bash, /^\s*fetch "\$graph\/([^"]+)" \S+$/gm);
    const fromPowerShell = requests(powerShell, /Save-GraphList "\$graph\/([^"]+)"/g);
    expect(fromBash.length).toBe(11);
    expect(fromPowerShell).toEqual(fromBash);
    const bashFiles = [...bash.matchAll(/^\s*fetch "[^"]+" "?([^"\s]+)"?$/gm)].map((m) => m[1]!.replace(/\$id/g, '{id}')).sort();
    const powerShellFiles = [...powerShell.matchAll(/Save-GraphList "[^"]+" '?"?([^'"\s]+)["']?/g)].map((m) => m[1]!.replace(/\$\(\$\w+\.id\)/g, '{id}')).sort();
    expect(powerShellFiles).toEqual(bashFiles);
  });
});


describe('docs/tenants.md lists the scripts\' $select lists', () => {
  it('every $select of the bash script appears in the table, in the same order', () => {
    const doc = readFileSync(join(repo, 'docs/tenants.md'), 'utf8');
    const bash = readFileSync(bashScript, 'utf8');
    for (const [, name, list] of bash.matchAll(/^([A-Z_]+_SELECT)='([^']*)'$/gm)) expect(doc, name).toContain(`\`${list!}\``);
  });
});
