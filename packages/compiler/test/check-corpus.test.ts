import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, Target } from '@claimc/model';
import { LineMap, sortDiagnostics, toPointer } from '@claimc/model';
import { readPolicy } from '@claimc/syntax';
import { bindPolicy } from '../src/bind.js';
import { checkPolicy } from '../src/check/index.js';

// The fixture corpus of issue 2: one rule per invalid policy, its code, line, column and pointer in
// `<rule>.expect.json` (errors and warnings, in position order); valid policies have neither.
const root = fileURLToPath(new URL('./fixtures/check/', import.meta.url));
const policies = (folder: string): string[] =>
  readdirSync(root + folder)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.expect.json'))
    .sort();

interface Expectation {
  readonly target: Target;
  readonly diagnostics: readonly { code: string; line: number; column: number; pointer: string }[];
}

function checkFile(folder: string, file: string, target: Target): { text: string; envelope: string; diagnostics: Diagnostic[]; unbound: string[] } {
  const text = readFileSync(root + folder + file, 'utf8');
  const read = readPolicy(text, { fileName: file, target });
  const diagnostics = [...read.diagnostics];
  const unbound: string[] = [];
  if (read.policy !== undefined) {
    const { bound, diagnostics: bindDiagnostics } = bindPolicy(read.policy, read.locations, { target });
    diagnostics.push(...bindDiagnostics, ...checkPolicy(bound, { target }));
    // Nothing lost (threats §2.8): an entry that does not bind is named by a diagnostic.
    for (const e of bound.entries) if (e.value.kind === 'unresolved') unbound.push(read.locations.get(toPointer(['ClaimsSchema', e.index]))?.pointer ?? '?');
    for (const t of bound.transformations) if (t.method === undefined) unbound.push(read.locations.get(toPointer(['ClaimsTransformation', t.index]))?.pointer ?? '?');
  }
  return { text, envelope: read.envelope, diagnostics: sortDiagnostics(diagnostics), unbound };
}

const located = (text: string, diagnostics: readonly Diagnostic[]): { code: string; line: number; column: number; pointer: string }[] => {
  const lines = new LineMap(text);
  return diagnostics
    .filter((d) => d.severity === 'error' || d.severity === 'warning')
    .map((d) => ({ code: d.code, ...lines.position(d.span?.start ?? 0), pointer: d.pointer ?? '' }));
};

describe('invalid fixtures: each gives its code at its position', () => {
  const files = policies('invalid');
  it('has at least 45 invalid policies in all three envelopes', () => {
    expect(files.length).toBeGreaterThanOrEqual(45);
    const envelopes = new Set(files.map((f) => checkFile('invalid/', f, 'lenient').envelope));
    expect([...envelopes].sort()).toEqual(['graph', 'powershell', 'raw']);
  });
  it.each(files)('%s', (file) => {
    const expectation = JSON.parse(readFileSync(root + 'invalid/' + file.replace(/\.json$/, '.expect.json'), 'utf8')) as Expectation;
    const { text, diagnostics, unbound } = checkFile('invalid/', file, expectation.target);
    expect(located(text, diagnostics)).toEqual(expectation.diagnostics);
    for (const pointer of unbound) expect(diagnostics.some((d) => d.pointer?.startsWith(pointer) === true)).toBe(true);
  });
});

describe('valid fixtures: no errors, no warnings', () => {
  const files = policies('valid');
  it('has at least 12 valid policies in all three envelopes', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    const envelopes = new Set(files.map((f) => checkFile('valid/', f, 'lenient').envelope));
    expect([...envelopes].sort()).toEqual(['graph', 'powershell', 'raw']);
  });
  it.each(files)('%s', (file) => {
    const { text, diagnostics, unbound } = checkFile('valid/', file, 'lenient');
    expect(located(text, diagnostics)).toEqual([]);
    expect(unbound).toEqual([]);
  });
});
