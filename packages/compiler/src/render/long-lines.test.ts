import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '@claimc/model';
import { renderDiagnostics } from './index.js';

/** One single-line JSON text with `count` entries and a diagnostic on each, as a Graph body or PowerShell line has. */
function singleLine(count: number): { text: string; diagnostics: Diagnostic[] } {
  const parts: string[] = [];
  const diagnostics: Diagnostic[] = [];
  let offset = 1;
  for (let i = 0; i < count; i++) {
    const entry = `{\\"Source\\":\\"user\\",\\"ID\\":\\"employeeid\\",\\"JwtClaimType\\":\\"c${i}\\"}`;
    diagnostics.push({ code: 'CM9001', severity: 'warning', message: `entry ${i}`, span: { start: offset, end: offset + entry.length }, pointer: `/ClaimsSchema/${i}`, hint: 'h' });
    parts.push(entry);
    offset += entry.length + 1;
  }
  return { text: '[' + parts.join(',') + ']', diagnostics };
}

const frameLines = (out: string) => out.split('\n').filter((line) => / \d+ \| /.test(line));

describe('text rendering of long lines (linear in input size)', () => {
  it('12,000 diagnostics on one 640 KB line: 50 code frames, the rest one line each, output linear in the count', () => {
    const { text, diagnostics } = singleLine(12_000);
    expect(text.length).toBeGreaterThan(600_000);
    const out = renderDiagnostics([{ file: 'big.json', text, diagnostics }], 'text');
    const lines = out.split('\n');
    expect(frameLines(out)).toHaveLength(50);
    // Every printed line is bounded, whatever the source line's length.
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(250);
    expect(lines.filter((l) => l.startsWith('big.json:1:'))).toHaveLength(12_000);
    expect(out.length / 12_000).toBeLessThan(80);
    expect(lines.at(-2)).toBe('big.json: 11950 more diagnostics shown on one line each, without code frame or hint (the first 50 are in full; --format json lists every one in full)');
  });

  it('output per diagnostic is flat from 1,000 to 12,000 diagnostics', () => {
    const perDiagnostic = [1_000, 4_000, 12_000].map((n) => {
      const { text, diagnostics } = singleLine(n);
      return renderDiagnostics([{ file: 'f.json', text, diagnostics }], 'text', { maxCodeFrames: 0 }).length / n;
    });
    expect(Math.max(...perDiagnostic) / Math.min(...perDiagnostic)).toBeLessThan(1.2);
  });

  it('a frame late in a long line is windowed around its span, with the caret under it and ellipses at both cuts', () => {
    const { text, diagnostics } = singleLine(2_000);
    const target = diagnostics[1_500]!;
    const out = renderDiagnostics([{ file: 'f.json', text, diagnostics: [target] }], 'text');
    const [header, frame, underline] = out.split('\n');
    expect(header).toBe(`f.json:1:${target.span!.start + 1}: warning CM9001 entry 1500`);
    expect(frame!.startsWith(' 1 | …')).toBe(true);
    expect(frame!.endsWith('…')).toBe(true);
    const caret = underline!.indexOf('^');
    expect(frame!.slice(caret)).toMatch(/^\{\\"Source\\":\\"user\\",\\"ID\\":\\"employeeid\\",\\"JwtClaimType\\":\\"c1500/);
  });

  it('maxCodeFrames chooses how many diagnostics get frames; a single extra one is counted in the singular', () => {
    const { text, diagnostics } = singleLine(3);
    const out = renderDiagnostics([{ file: 'f.json', text, diagnostics }], 'text', { maxCodeFrames: 2 });
    expect(frameLines(out)).toHaveLength(2);
    expect(out.endsWith('f.json:1:' + (diagnostics[2]!.span!.start + 1) + ': warning CM9001 entry 2\nf.json: 1 more diagnostic shown on one line each, without code frame or hint (the first 2 are in full; --format json lists every one in full)\n')).toBe(true);
  });

  it('never splits a surrogate pair at a window cut and never leaks control characters from the line', () => {
    const text = '"' + '😀'.repeat(400) + '\u0007X' + '😀'.repeat(400) + '"';
    for (const shift of [0, 1, 2, 3]) {
      const start = text.indexOf('X') - shift;
      const out = renderDiagnostics([{ file: 'e.json', text, diagnostics: [{ code: 'CM9002', severity: 'error', message: 'm', span: { start, end: start + 1 } }] }], 'text');
      expect(out).not.toMatch(/\\ud[89ab]|\\ud[c-f]/);
      expect(out).not.toContain('\u0007');
      const [, frame, underline] = out.split('\n');
      expect([...frame!].length).toBeLessThan(130);
      expect(underline!.indexOf('^')).toBeGreaterThan(0);
    }
  });

  it('a multi-line span on a long line underlines to the window edge only', () => {
    const text = 'x'.repeat(10_000) + '\n' + 'y'.repeat(10);
    const out = renderDiagnostics([{ file: 'm.json', text, diagnostics: [{ code: 'CM9003', severity: 'error', message: 'm', span: { start: 5_000, end: 10_005 } }] }], 'text');
    const [header, frame, underline] = out.split('\n');
    expect(header).toBe('m.json:1:5001: error CM9003 m');
    expect(frame!.length).toBeLessThan(130);
    expect(underline!.slice('   | '.length).trim()).toMatch(/^\^~+$/);
    expect(underline!.length).toBeLessThanOrEqual(frame!.length);
  });

  it('the line end of a CRLF or CR file stops before the line break', () => {
    const text = '{\r\n  "a": 1\r\n}\r';
    const start = text.indexOf('1');
    const out = renderDiagnostics([{ file: 'c.json', text, diagnostics: [{ code: 'CM9004', severity: 'error', message: 'm', span: { start, end: start + 1 } }] }], 'text');
    expect(out.split('\n').slice(0, 3)).toEqual(['c.json:2:8: error CM9004 m', ' 2 |   "a": 1', '   |        ^']);
  });
});

describe('repeated diagnostics', () => {
  const d: Diagnostic = { code: 'CM7010', severity: 'warning', message: 'only the first 10 are emitted', pointer: '/applications/0/optionalClaims' };
  it('an identical diagnostic of the same file is printed once, in every format', () => {
    const files = [{ file: 's.json', text: '', diagnostics: [d, { ...d }, { ...d, pointer: '/applications/1/optionalClaims' }, { ...d }] }];
    expect(renderDiagnostics(files, 'text').match(/CM7010/g)).toHaveLength(2);
    expect((JSON.parse(renderDiagnostics(files, 'json')) as { files: { diagnostics: unknown[] }[] }).files[0]!.diagnostics).toHaveLength(2);
    expect((JSON.parse(renderDiagnostics(files, 'sarif')) as { runs: { results: unknown[] }[] }).runs[0]!.results).toHaveLength(2);
  });

  it('the same diagnostic in two files is printed for each', () => {
    expect(renderDiagnostics([{ file: 'a', text: '', diagnostics: [d] }, { file: 'b', text: '', diagnostics: [d] }], 'text').match(/CM7010/g)).toHaveLength(2);
  });
});

describe('pointers in the text format', () => {
  it('a diagnostic without a span prints its pointer; with showPointers a located one prints it after the frame', () => {
    const bare = renderDiagnostics([{ file: '<embedded snapshot>', text: '', diagnostics: [{ code: 'CM7001', severity: 'error', message: 'invalid', pointer: '/users/0/id', hint: 'h' }] }], 'text');
    expect(bare).toBe('<embedded snapshot>: error CM7001 invalid\n  at: /users/0/id\n  hint: h\n');
    const text = '{"users":[{"id":1}]}';
    const start = text.indexOf('1');
    const located = renderDiagnostics([{ file: 's.json', text, showPointers: true, diagnostics: [{ code: 'CM7001', severity: 'error', message: 'invalid', span: { start, end: start + 1 }, pointer: '/users/0/id' }] }], 'text');
    expect(located.split('\n')).toEqual(['s.json:1:17: error CM7001 invalid', ' 1 | {"users":[{"id":1}]}', '   |                 ^', '  at: /users/0/id', '']);
  });

  it('a policy diagnostic (no showPointers) keeps its frame without a pointer line', () => {
    const text = '{"a":1}';
    const out = renderDiagnostics([{ file: 'p.json', text, diagnostics: [{ code: 'CM9005', severity: 'error', message: 'm', span: { start: 5, end: 6 }, pointer: '/a' }] }], 'text');
    expect(out).not.toContain('at:');
  });
});
