// What `claimc issue` and `claimc metadata` print about a directory snapshot: located problems, each once, and a
// tenant region that agrees with the tenant's country.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultIds, defaultSnapshot } from '../src/demo/tenant.js';
import { main } from '../src/main.js';
import { recordingIO } from './io.js';

const NOW = '1750000000';
const dir = mkdtempSync(join(tmpdir(), 'claimc-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// `any`: the tests edit the demo tenant's plain JSON freely, including into shapes its type forbids.
type EditableJson = Record<string, any>;

/** Writes a changed copy of the demo tenant, pretty-printed as Graph exports are. */
function snapshotFile(name: string, change: (snapshot: EditableJson) => void): string {
  const copy = structuredClone(defaultSnapshot) as EditableJson;
  change(copy);
  const text = JSON.stringify(copy, null, 2);
  writeFileSync(join(dir, name), text);
  return text;
}

async function run(args: string[]) {
  const io = recordingIO({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

/** 1-based line and column of `needle`'s first occurrence in `text`, moved by `offsetInNeedle`. */
function position(text: string, needle: string, offsetInNeedle = 0): { line: number; column: number } {
  const at = text.indexOf(needle) + offsetInNeedle;
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

describe('snapshot diagnostics', () => {
  it('CM7001 names file:line:column of the bad value, shows it in a code frame and prints its JSON Pointer', async () => {
    const text = snapshotFile('bad.json', (s) => {
      s['users'][1]['userPrincipalName'] = 42;
    });
    const { code, err } = await run(['issue', '--directory', 'bad.json', '--client', defaultIds.webApp, '--user', 'adelev@contoso.com', '--token', 'id', '--now', NOW]);
    expect(code).toBe(1);
    const where = position(text, '"userPrincipalName": 42', '"userPrincipalName": '.length);
    const lines = err.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^bad\\.json:${where.line}:${where.column}: error CM7001 `));
    expect(lines[1]).toContain('"userPrincipalName": 42');
    expect(lines[2]!.indexOf('^')).toBe(lines[1]!.indexOf('42'));
    expect(lines[3]).toBe('  at: /users/1/userPrincipalName');
  });

  it('a missing required property points at the object that lacks it', async () => {
    const text = snapshotFile('missing.json', (s) => {
      delete s['applications'][0]['appId'];
    });
    const { code, err } = await run(['issue', '--directory', 'missing.json', '--client', defaultIds.webApp, '--user', 'adelev@contoso.com', '--token', 'id', '--now', NOW]);
    expect(code).toBe(1);
    const where = position(text, '"applications": [\n    {', '"applications": [\n    '.length);
    expect(err).toMatch(new RegExp(`^missing\\.json:${where.line}:${where.column}: error CM7001 `));
    expect(err).toContain('  at: /applications/0/appId\n');
  });

  it('an app over the extension limit in all three token lists gets one CM7010, naming each list', async () => {
    const key = defaultIds.webApp.replace(/-/g, '');
    const extensions = Array.from({ length: 12 }, (_, i) => ({ name: `extension_${key}_a${i}`, source: 'user', essential: false, additionalProperties: [] }));
    snapshotFile('ext.json', (s) => {
      const app = s['applications'].find((a: { appId: string }) => a.appId === defaultIds.webApp);
      app.optionalClaims = { idToken: extensions, accessToken: extensions, saml2Token: extensions };
    });
    const { code, err } = await run(['issue', '--directory', 'ext.json', '--client', defaultIds.webApp, '--user', 'adelev@contoso.com', '--token', 'id', '--now', NOW]);
    expect(code).toBe(0);
    expect(err.match(/CM7010/g)).toHaveLength(1);
    expect(err).toContain('in its idToken (12), accessToken (12) and saml2Token (12) optional claims; only the first 10 of each list are emitted');
    expect(err).toMatch(/^ext\.json:\d+:\d+: warning CM7010 /);
  });
});

describe('tenant_region_scope', () => {
  const withRegionClaim = (s: EditableJson) => {
    const app = s['applications'].find((a: { appId: string }) => a.appId === defaultIds.webApp);
    app.optionalClaims = { ...app.optionalClaims, idToken: [...(app.optionalClaims?.idToken ?? []), { name: 'tenant_region_scope', source: null, essential: false, additionalProperties: [] }] };
  };

  it.each([
    ['the demo tenant (US)', undefined, 'NA'],
    ['countryLetterCode DE', { countryLetterCode: 'DE' }, 'EU'],
    ['no countryLetterCode, country Japan', { countryLetterCode: null, country: 'Japan' }, 'AS'],
  ])('%s: metadata and the optional claim agree', async (_name, organization, region) => {
    const file = `region-${region}.json`;
    snapshotFile(file, (s) => {
      Object.assign(s['organization'], organization ?? {});
      withRegionClaim(s);
    });
    const metadata = await run(['metadata', '--directory', file, '--now', NOW]);
    expect(metadata.code).toBe(0);
    expect((JSON.parse(metadata.out) as { 'openid-configuration': { tenant_region_scope: unknown } })['openid-configuration'].tenant_region_scope).toBe(region);
    const issued = await run(['issue', '--directory', file, '--client', defaultIds.webApp, '--user', 'adelev@contoso.com', '--token', 'id', '--now', NOW]);
    expect(issued.code).toBe(0);
    expect((JSON.parse(issued.out) as Record<string, unknown>)['tenant_region_scope']).toBe(region);
  });

  it('a tenant without a known country publishes null and issues no claim', async () => {
    snapshotFile('region-none.json', (s) => {
      Object.assign(s['organization'], { countryLetterCode: null });
      withRegionClaim(s);
    });
    const metadata = await run(['metadata', '--directory', 'region-none.json', '--now', NOW]);
    expect((JSON.parse(metadata.out) as { 'openid-configuration': { tenant_region_scope: unknown } })['openid-configuration'].tenant_region_scope).toBeNull();
    const issued = await run(['issue', '--directory', 'region-none.json', '--client', defaultIds.webApp, '--user', 'adelev@contoso.com', '--token', 'id', '--now', NOW]);
    expect(JSON.parse(issued.out) as Record<string, unknown>).not.toHaveProperty('tenant_region_scope');
  });
});
