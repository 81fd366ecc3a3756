import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
// @ts-expect-error -- plain ESM helper shared with tools/demo.mjs, no type declarations.
import { examplePolicies } from '../../../tools/examples.mjs';
import { recordingIO } from './io.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const examplesDir = join(root, 'docs/examples');
const brokenPolicy = 'docs/examples/broken/broken-policy.json';
const policies = (examplePolicies as (dir: string) => string[])(examplesDir).map((f) => relative(root, f));

interface JsonReport {
  files: { file: string; diagnostics: { code: string; severity: string; line: number; column: number; endLine: number; endColumn: number; pointer: string; hint: string | null; message: string }[] }[];
}

async function run(args: string[], options: { env?: Record<string, string>; isTTY?: boolean } = {}) {
  const io = recordingIO({ cwd: root, ...options });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('claimc check on the examples', () => {
  it('finds the seed scenarios in every envelope and a larger policy', () => {
    const names = policies.map((p) => basename(p));
    expect(names).toEqual(expect.arrayContaining(['omit-basic-claims.json', 'omit-basic-claims.ps1', 'employeeid-tenantcountry.json', 'employeeid-tenantcountry.graph.json', 'joined-data.json', 'joined-data.ps1', 'contoso-erp.json']));
  });

  it.each(policies)('%s checks with exit 0 and no errors', async (policy) => {
    const { code, out } = await run(['check', policy, '--format', 'json']);
    const report = JSON.parse(out) as JsonReport;
    expect(report.files[0]!.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(code).toBe(0);
  });

  it('all examples at once exit 0 in text format with a summary line', async () => {
    const { code, out } = await run(['check', ...policies]);
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^${policies.length} files checked: `, 'm'));
    expect(out).not.toMatch(/: error CM\d{4} /);
  });

  it('the broken example exits 1 with several located errors', async () => {
    const { code, out } = await run(['check', brokenPolicy, '--format', 'json']);
    expect(code).toBe(1);
    const diagnostics = (JSON.parse(out) as JsonReport).files[0]!.diagnostics;
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(5);
    expect(new Set(errors.map((d) => d.code)).size).toBeGreaterThanOrEqual(5);
    for (const d of diagnostics) {
      expect(d.line).toBeGreaterThan(0);
      expect(d.column).toBeGreaterThan(0);
    }
  });
});

describe('claimc check exit codes and files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claimc-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const valid = join(dir, 'ok.json');
  writeFileSync(valid, '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"false"}}');
  const binary = join(dir, 'bin.json');
  writeFileSync(binary, Buffer.from([0x7b, 0x00, 0xff, 0x7d]));

  it('an unreadable file among others exits 2, reports CM0001 for it and still checks the others', async () => {
    const { code, out } = await run(['check', join(dir, 'missing.json'), brokenPolicy, '--format', 'json']);
    expect(code).toBe(2);
    const report = JSON.parse(out) as JsonReport;
    expect(report.files.map((f) => f.diagnostics[0]?.code)).toHaveLength(2);
    expect(report.files[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'CM0001', severity: 'error', line: 1, column: 1, pointer: '' })]);
    expect(report.files[1]!.diagnostics.length).toBeGreaterThan(0);
  });

  it('a folder without policy files, or a binary file, is a usage problem: exit 2', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'claimc-empty-'));
    const none = await run(['check', empty]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('no policy files');
    rmSync(empty, { recursive: true, force: true });
    const bin = await run(['check', binary]);
    expect(bin.code).toBe(2);
    expect(bin.out).toContain('CM0001');
  });

  it('a valid policy exits 0 and says so', async () => {
    const { code, out } = await run(['check', valid]);
    expect(code).toBe(0);
    expect(out).toBe('1 file checked: no problems\n');
  });

  it('usage errors exit 2: no file, bad --format, bad --target', async () => {
    expect((await run(['check'])).code).toBe(2);
    const format = await run(['check', valid, '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.err).toContain('--format must be one of text, json, sarif');
    expect((await run(['check', valid, '--target', 'azure'])).code).toBe(2);
  });
});

describe('claimc check colour', () => {
  it('colours text on a TTY without NO_COLOR', async () => {
    expect((await run(['check', brokenPolicy], { isTTY: true })).out).toMatch(/\x1b\[\d+m/);
    expect((await run(['check', brokenPolicy], { isTTY: true, env: { NO_COLOR: '' } })).out).toMatch(/\x1b\[\d+m/);
  });

  it('never colours when NO_COLOR is set, when not a TTY, or in json/sarif', async () => {
    expect((await run(['check', brokenPolicy], { isTTY: true, env: { NO_COLOR: '1' } })).out).not.toContain('\x1b');
    expect((await run(['check', brokenPolicy], { isTTY: false })).out).not.toContain('\x1b');
    expect((await run(['check', brokenPolicy, '--format', 'json'], { isTTY: true })).out).not.toContain('\x1b');
    expect((await run(['check', brokenPolicy, '--format', 'sarif'], { isTTY: true })).out).not.toContain('\x1b');
  });

  it('coloured and plain output carry the same text', async () => {
    const plain = (await run(['check', brokenPolicy])).out;
    const coloured = (await run(['check', brokenPolicy], { isTTY: true })).out;
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(plain);
  });
});

describe('claimc check --format sarif', () => {
  it('makes absolute file arguments relative to the working directory', async () => {
    const { out } = await run(['check', join(root, brokenPolicy), '--format', 'sarif']);
    const log = JSON.parse(out) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe(brokenPolicy);
  });
});

// CommonJS packages whose types describe `exports.default`; under Node's ESM the default import is the export itself.
const AjvDraft04 = AjvDraft04Module as unknown as typeof AjvDraft04Module.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

describe('claimc check --format sarif against the SARIF 2.1.0 JSON schema', () => {
  // The OASIS schema (draft-04) as Microsoft's SARIF matchers ship it; validated with ajv, not by our own reading.
  const schemaPath = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

  interface SarifRun {
    tool: { driver: { name: string; version?: string; informationUri?: string; rules: { id: string; helpUri?: string; shortDescription: { text: string }; fullDescription?: { text: string }; help: { text: string } }[] } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    results: { ruleId: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[];
  }

  it('every example and the broken corpus validate, with driver version, information and help URIs and filled rule text', async () => {
    const corpus = join(root, 'packages/compiler/test/fixtures/check/invalid');
    const invalid = readdirSync(corpus).filter((f) => /\.(json|ps1)$/.test(f)).map((f) => relative(root, join(corpus, f)));
    const { out, code } = await run(['check', ...policies, ...invalid, '--format', 'sarif']);
    expect(code).toBe(1);
    const log = JSON.parse(out) as { runs: SarifRun[] };
    const valid = validate(log);
    expect(valid ? [] : validate.errors).toEqual([]);
    const sarifRun = log.runs[0]!;
    expect(sarifRun.tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(sarifRun.tool.driver.informationUri).toMatch(/^https:\/\//);
    expect(sarifRun.originalUriBaseIds?.['SRCROOT']?.uri).toBe(pathToFileURL(root).href.replace(/\/?$/, '/'));
    expect(sarifRun.tool.driver.rules.length).toBeGreaterThan(30);
    for (const rule of sarifRun.tool.driver.rules) {
      expect(rule.helpUri).toMatch(new RegExp(`/docs/diagnostics\\.md#${rule.id.toLowerCase()}$`));
      expect([rule.shortDescription.text, rule.fullDescription?.text ?? '', rule.help.text].join(' ')).not.toMatch(/\{[A-Za-z]+\}/);
    }
    for (const result of sarifRun.results) {
      const artifact = result.locations[0]!.physicalLocation.artifactLocation;
      expect(artifact.uriBaseId).toBe('SRCROOT');
      expect(artifact.uri).not.toMatch(/^(\/|\.\.|file:)/);
    }
  });

  it('the helpUri anchors exist in docs/diagnostics.md', async () => {
    const { out } = await run(['check', brokenPolicy, '--format', 'sarif']);
    const catalogue = readFileSync(join(root, 'docs/diagnostics.md'), 'utf8');
    for (const rule of (JSON.parse(out) as { runs: SarifRun[] }).runs[0]!.tool.driver.rules) expect(catalogue).toContain(`### ${rule.id}\n`);
  });

  it('a file outside the working directory is an absolute file URI without a base', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'claimc-sarif-'));
    const file = join(outside, 'policy one.json');
    writeFileSync(file, '{"ClaimsMappingPolicy":{"Version":2}}');
    const { out } = await run(['check', file, '--format', 'sarif']);
    const artifact = (JSON.parse(out) as { runs: SarifRun[] }).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation;
    expect(artifact).toEqual({ uri: pathToFileURL(file).href });
    rmSync(outside, { recursive: true, force: true });
  });
});

describe('claimc check --directory --app: the token-size bound with the application\'s settings', () => {
  const app = ['--directory', 'docs/examples/snapshots/groups-app.json', '--app', '5c6d7e8f-0000-4000-8000-000000000001'];
  it('warns (CM4501) for each token the group claims put over 8 KB, naming groups; exit 0', async () => {
    const plain = await run(['check', 'docs/examples/employeeid-tenantcountry.json', '--format', 'json']);
    expect((JSON.parse(plain.out) as JsonReport).files[0]?.diagnostics.filter((d) => d.code.startsWith('CM45'))).toEqual([]);
    const { code, out } = await run(['check', 'docs/examples/employeeid-tenantcountry.json', ...app, '--format', 'json']);
    expect(code).toBe(0);
    const size = (JSON.parse(out) as JsonReport).files[0]?.diagnostics.filter((d) => d.code.startsWith('CM45')) ?? [];
    expect(size.map((d) => [d.code, d.line, d.column])).toEqual([['CM4501', 9, 26], ['CM4501', 10, 25], ['CM4501', 10, 25]]);
    for (const d of size) expect(d.message).toMatch(/largest: groups \(\d+ bytes\)/);
  });
  it('usage errors: --app without --directory, an unknown application, an unreadable snapshot (exit 2)', async () => {
    expect((await run(['check', 'docs/examples/employeeid-tenantcountry.json', '--app', 'x'])).code).toBe(2);
    const unknown = await run(['check', 'docs/examples/employeeid-tenantcountry.json', '--directory', 'docs/examples/snapshots/groups-app.json', '--app', 'nope']);
    expect([unknown.code, unknown.err]).toEqual([2, expect.stringContaining('no application "nope"')]);
    expect((await run(['check', 'docs/examples/employeeid-tenantcountry.json', '--directory', 'docs/examples/missing.json', '--app', 'x'])).code).toBe(2);
  });
});
