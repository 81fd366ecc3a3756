import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { recordingIO } from './io.js';

// Helper B's checker corpus re-run through the CLI: every expected code at its position in text, json and sarif.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const corpusDir = join(root, 'packages/compiler/test/fixtures/check');

interface Expected {
  readonly target: 'lenient' | 'entra';
  readonly diagnostics: readonly { code: string; line: number; column: number; pointer: string }[];
}
interface Case {
  readonly name: string;
  readonly file: string;
  readonly expected: Expected | undefined;
}

function corpus(kind: 'invalid' | 'valid'): Case[] {
  const dir = join(corpusDir, kind);
  const names = readdirSync(dir);
  return names
    .filter((n) => !n.endsWith('.expect.json') && !n.startsWith('.'))
    .sort()
    .map((name) => {
      const expectName = `${name.replace(/\.[^.]+$/, '')}.expect.json`;
      const expected = names.includes(expectName) ? (JSON.parse(readFileSync(join(dir, expectName), 'utf8')) as Expected) : undefined;
      return { name, file: relative(root, join(dir, name)), expected };
    });
}

async function check(file: string, target: string, format: string) {
  const io = recordingIO({ cwd: root });
  const code = await main(['check', file, '--target', target, '--format', format], io);
  expect(io.err()).toBe('');
  return { code, out: io.out() };
}

type Found = { code: string; line: number; column: number; pointer?: string };
const order = (a: Found, b: Found) => a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const atLeastWarning = (severity: string) => severity === 'error' || severity === 'warning';

const invalid = corpus('invalid');
const valid = corpus('valid');

describe('checker corpus through `claimc check`', () => {
  it('has the corpus (at least 40 invalid and 10 valid policies)', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(40);
    expect(valid.length).toBeGreaterThanOrEqual(10);
    expect(invalid.every((c) => c.expected !== undefined)).toBe(true);
  });

  describe.each(invalid)('invalid/$name', ({ file, expected }) => {
    const target = expected?.target ?? 'lenient';
    const wanted = [...(expected?.diagnostics ?? [])].sort(order);

    it('json: every expected code at its line, column and pointer', async () => {
      const { code, out } = await check(file, target, 'json');
      const diagnostics = (JSON.parse(out) as { files: { diagnostics: (Found & { severity: string; pointer: string })[] }[] }).files[0]!.diagnostics;
      const found = diagnostics.filter((d) => atLeastWarning(d.severity)).map(({ code: c, line, column, pointer }) => ({ code: c, line, column, pointer }));
      expect(found.sort(order)).toEqual(wanted.map(({ code: c, line, column, pointer }) => ({ code: c, line, column, pointer })));
      expect(code).toBe(diagnostics.some((d) => d.severity === 'error') ? 1 : 0);
    });

    it('text: every expected code at file:line:col', async () => {
      const { out } = await check(file, target, 'text');
      const found: Found[] = [];
      for (const match of out.matchAll(/^(.*):(\d+):(\d+): (error|warning|info) (CM\d{4}) /gm)) {
        expect(match[1]).toBe(file);
        if (atLeastWarning(match[4]!)) found.push({ code: match[5]!, line: Number(match[2]), column: Number(match[3]) });
      }
      expect(found.sort(order)).toEqual(wanted.map(({ code: c, line, column }) => ({ code: c, line, column })));
    });

    it('sarif: every expected rule at its region', async () => {
      const { out } = await check(file, target, 'sarif');
      const run = (JSON.parse(out) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[] }).runs[0]!;
      const found: Found[] = [];
      for (const result of run.results) {
        expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
        const location = result.locations[0]!.physicalLocation;
        expect(location.artifactLocation.uri).toBe(file);
        if (atLeastWarning(result.level)) found.push({ code: result.ruleId, line: location.region.startLine, column: location.region.startColumn });
      }
      expect(found.sort(order)).toEqual(wanted.map(({ code: c, line, column }) => ({ code: c, line, column })));
    });
  });

  describe.each(valid)('valid/$name', ({ file, expected }) => {
    it('exits 0 with no errors in every format', async () => {
      for (const format of ['text', 'json', 'sarif']) {
        const { code, out } = await check(file, expected?.target ?? 'lenient', format);
        expect(code).toBe(0);
        if (format === 'json') expect((JSON.parse(out) as { files: { diagnostics: { severity: string }[] }[] }).files[0]!.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      }
    });
  });
});
