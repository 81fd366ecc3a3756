import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { recordingIO } from './io.js';

interface JsonReport {
  files: { diagnostics: { code: string; severity: string; line: number; column: number; pointer: string }[] }[];
}

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'claimc-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function check(path: string, ...options: string[]): Promise<{ code: number; diagnostics: JsonReport['files'][number]['diagnostics'] }> {
  const io = recordingIO({ cwd: dir });
  const code = await main(['check', path, '--format', 'json', ...options], io);
  return { code, diagnostics: (JSON.parse(io.out()) as JsonReport).files[0]!.diagnostics };
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function at(text: string, needle: string, from = 0): [number, number] {
  const offset = text.indexOf(needle, from);
  const before = text.slice(0, offset).split('\n');
  return [before.length, (before.at(-1)?.length ?? 0) + 1];
}

const targets = [[], ['--target', 'entra'], ['--target', 'lenient', '--custom-signing-key']].map((options) => ({ options, label: options.join(' ') || 'the defaults' }));

describe('claimc check: claim-type URIs of core claims as JWT names', () => {
  const role = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';
  const text = `{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true","ClaimsSchema":[\n{"Value":"Admin","JwtClaimType":"${role}"},\n{"Source":"user","ID":"mail","JwtClaimType":"iss:x"}]}}`;
  it.each(targets)('are located errors (exit 1) under $label', async ({ options }) => {
    const { code, diagnostics } = await check(write('role-uri.json', text), ...options);
    expect(code).toBe(1);
    expect(diagnostics.map((d) => [d.code, d.severity, d.line, d.column, d.pointer])).toEqual([
      ['CM4020', 'error', ...at(text, `"${role}"`), '/ClaimsSchema/0/JwtClaimType'],
      ['CM4101', 'error', ...at(text, '"iss:x"'), '/ClaimsSchema/1/JwtClaimType'],
    ]);
  });
});

describe('claimc check: prototype keys in the policy JSON', () => {
  const text = '{"ClaimsMappingPolicy":{"Version":1,\n"__proto__":{"x":1},"IncludeBasicClaimSet":"true","ClaimsSchema":[\n{"Source":"user","ID":"mail","JwtClaimType":"m","constructor":{"prototype":{"y":2}}}]}}';
  it.each(targets)('are located errors (exit 1) under $label', async ({ options }) => {
    const { code, diagnostics } = await check(write('proto.json', text), ...options);
    expect(code).toBe(1);
    expect(diagnostics.map((d) => [d.code, d.severity, d.line, d.column, d.pointer])).toEqual([
      ['CM2050', 'error', ...at(text, '"__proto__"'), '/__proto__'],
      ['CM2050', 'error', ...at(text, '"constructor"'), '/ClaimsSchema/0/constructor'],
      ['CM2050', 'error', ...at(text, '"prototype"'), '/ClaimsSchema/0/constructor/prototype'],
    ]);
  });
  it('are refused inside a Graph body and a PowerShell line as well', async () => {
    const graphText = '{"definition":["{\\"ClaimsMappingPolicy\\":{\\"Version\\":1,\\"__proto__\\":{}}}"],"displayName":"x"}';
    const graph = await check(write('proto.graph.json', graphText));
    expect([graph.code, graph.diagnostics.map((d) => [d.code, d.severity, d.line, d.column])]).toEqual([1, [['CM2050', 'error', ...at(graphText, '\\"__proto__\\"')]]]);
    const psText = `New-AzureADPolicy -Definition @('{"ClaimsMappingPolicy":{"Version":1,"Prototype":1}}') -DisplayName 'x' -Type "ClaimsMappingPolicy"`;
    const ps = await check(write('proto.ps1', psText));
    expect([ps.code, ps.diagnostics.map((d) => [d.code, d.severity, d.line, d.column])]).toEqual([1, [['CM2050', 'error', ...at(psText, '"Prototype"')]]]);
  });
});

describe('docs/semantics.md "Claim names" example', () => {
  it('prints what the page shows, with exit 1', async () => {
    const page = readFileSync(join(root, 'docs/semantics.md'), 'utf8');
    const section = page.slice(page.indexOf('## Claim names'));
    const policy = /cat > \/tmp\/names\.json <<'EOF'\n([\s\S]*?)\nEOF/.exec(section)?.[1];
    const shown = /```text\n([\s\S]*?)\n```/.exec(section)?.[1];
    expect(policy).toBeDefined();
    const io = recordingIO({ cwd: dir });
    const code = await main(['check', write('names.json', policy as string)], io);
    expect(code).toBe(1);
    const headlines = io.out().split('\n').filter((line) => /: error CM\d{4} /.test(line)).map((line) => line.replace(/^.*?names\.json/, '/tmp/names.json'));
    expect(headlines.join('\n')).toBe(shown);
  });
});
