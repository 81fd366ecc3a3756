import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPolicy } from '@claimc/syntax';
import { main } from '../src/main.js';
import { recordingIO } from './io.js';

const dir = mkdtempSync(join(tmpdir(), 'claimc-claims-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const io = recordingIO({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

const joined = 'policy "TransformClaimsExample" {\n  basic claims: include\n\n  claim JoinedData = join(user.extensionattribute1, "sandbox", separator: ".")\n}\n';

describe('claimc build', () => {
  it('writes the raw policy to standard output', async () => {
    const { code, out } = await run(['build', file('joined.claims', joined)]);
    expect(code).toBe(0);
    const read = readPolicy(out, { fileName: 'out.json' });
    expect(read.envelope).toBe('raw');
    expect(read.policy?.ClaimsTransformation?.[0]?.ID).toBe('JoinedData.Join');
  });

  it('writes the Graph body and the PowerShell line with the policy’s display name, to -o', async () => {
    file('joined.claims', joined);
    expect((await run(['build', 'joined.claims', '--envelope', 'graph', '-o', 'graph.json'])).code).toBe(0);
    const graph = JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8')) as { displayName: string; definition: string[]; isOrganizationDefault: boolean };
    expect(graph.displayName).toBe('TransformClaimsExample');
    expect(graph.isOrganizationDefault).toBe(false);
    expect(graph.definition).toHaveLength(1);
    const { code, out } = await run(['build', 'joined.claims', '--envelope', 'powershell', '--display-name', "Bob's"]);
    expect(code).toBe(0);
    expect(out.startsWith("New-MgPolicyClaimMappingPolicy -Definition @('{")).toBe(true);
    expect(out.endsWith("-DisplayName 'Bob''s'\n")).toBe(true);
    expect(readPolicy(out, { fileName: 'x.ps1' }).policy).toEqual(readPolicy(joined, { fileName: 'x.claims' }).policy);
  });

  it('refuses an extension Entra would not accept (--target entra semantics) and writes nothing', async () => {
    const { code, out, err } = await run(['build', file('ext.claims', 'policy {\n  claim t = trim(user.mail, type: "leading")\n}\n'), '-o', 'ext.json']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/ext\.claims:2:\d+: error CM\d{4}/);
    expect(() => readFileSync(join(dir, 'ext.json'))).toThrow();
  });

  it('reports syntax errors with positions in the .claims file, and usage errors with exit 2', async () => {
    const broken = await run(['build', file('broken.claims', 'policy {\n  claim x =\n}\n')]);
    expect(broken.code).toBe(1);
    expect(broken.err).toContain('broken.claims:3:1: error CM6011');
    expect((await run(['build', 'joined.claims', '--envelope', 'xml'])).code).toBe(2);
    expect((await run(['build'])).code).toBe(2);
    expect((await run(['build', 'missing.claims'])).code).toBe(2);
  });
});

describe('claimc decompile', () => {
  it('turns each envelope into .claims that builds back to the same policy', async () => {
    const json = '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true","ClaimsSchema":[{"Source":"user","ID":"employeeid","JwtClaimType":"employeeid"}]}}';
    const ps = `New-MgPolicyClaimMappingPolicy -Definition @('${json}') -DisplayName 'Extra'`;
    for (const [name, text] of [['p.json', json], ['p.ps1', ps]] as const) {
      const { code } = await run(['decompile', file(name, text), '-o', 'p.claims']);
      expect(code).toBe(0);
      const claims = readFileSync(join(dir, 'p.claims'), 'utf8');
      expect(claims).toContain('claim employeeid = user.employeeid');
      expect(readPolicy(claims, { fileName: 'p.claims' }).policy).toEqual(readPolicy(text, { fileName: name }).policy);
    }
    expect(readFileSync(join(dir, 'p.claims'), 'utf8').startsWith('policy "Extra" {')).toBe(true);
  });

  it('exits 1 on JSON that is not a policy', async () => {
    const { code, err } = await run(['decompile', file('bad.json', '{"ClaimsMappingPolicy": [}')]);
    expect(code).toBe(1);
    expect(err).toContain('bad.json:1:');
  });
});

describe('claimc fmt', () => {
  it('--check exits 1 and changes nothing when a file would change; fmt rewrites it and keeps comments', async () => {
    const messy = 'policy{claim   x=user.mail // work mail\n}';
    file('messy.claims', messy);
    const checked = await run(['fmt', '--check', 'messy.claims']);
    expect(checked.code).toBe(1);
    expect(checked.out).toBe('would reformat messy.claims\n');
    expect(readFileSync(join(dir, 'messy.claims'), 'utf8')).toBe(messy);
    expect((await run(['fmt', 'messy.claims'])).code).toBe(0);
    expect(readFileSync(join(dir, 'messy.claims'), 'utf8')).toBe('policy {\n  claim x = user.mail // work mail\n}\n');
    expect((await run(['fmt', '--check', 'messy.claims'])).code).toBe(0);
  });

  it('exits 1 on a syntax error and 2 on an unreadable file, still handling the others', async () => {
    file('ok.claims', 'policy {\n}\n');
    const { code, err } = await run(['fmt', '--check', 'ok.claims', file('bad.claims', 'policy {\n  claim x =\n}\n')]);
    expect(code).toBe(1);
    expect(err).toContain('bad.claims:3:1: error CM6011');
    expect((await run(['fmt', 'ok.claims', 'missing.claims'])).code).toBe(2);
  });
});

describe('.claims files everywhere JSON is accepted', () => {
  it('check reads them and reports positions in the .claims text', async () => {
    const { code, out } = await run(['check', file('restricted.claims', 'policy {\n  claim iss = user.mail\n}\n'), '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(out) as { files: { diagnostics: { code: string; line: number; column: number }[] }[] };
    expect(report.files[0]?.diagnostics.some((d) => d.line === 2 && d.column === 9)).toBe(true);
  });
});
