import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '@claimc/model';
import { renderDiagnostics } from './index.js';
import { toRelativeUri } from './sarif.js';

const text = '{\n  "ClaimsMappingPolicy": {\n\t"Version": 2\n  }\n}\n';
const versionStart = text.indexOf('2');
const versionDiagnostic: Diagnostic = {
  code: 'CM9999',
  severity: 'error',
  message: 'Version must be 1',
  span: { start: versionStart, end: versionStart + 1 },
  pointer: '/ClaimsMappingPolicy/Version',
  hint: 'write "Version": 1',
  related: [{ span: { start: 4, end: 25 }, message: 'in this policy' }],
};
const file = { file: 'dir/policy.json', text, diagnostics: [versionDiagnostic] };

describe('renderDiagnostics text', () => {
  it('prints file:line:col, severity, code, message, a code frame with a caret under the span, the hint and related notes', () => {
    const out = renderDiagnostics([file], 'text');
    const lines = out.split('\n');
    expect(lines[0]).toBe('dir/policy.json:3:13: error CM9999 Version must be 1');
    // The tab expands to 4 columns, so the caret sits under the 2 after expansion.
    expect(lines[1]).toBe(' 3 |     "Version": 2');
    expect(lines[2]).toBe('   | ' + ' '.repeat(lines[1]!.indexOf('2') - 5) + '^');
    expect(lines[3]).toBe('  hint: write "Version": 1');
    expect(lines[4]).toBe('  note: dir/policy.json:2:3: in this policy');
  });

  it('underlines the whole span with tildes after the caret', () => {
    const start = text.indexOf('"Version"');
    const out = renderDiagnostics([{ ...file, diagnostics: [{ code: 'CM9998', severity: 'warning', message: 'm', span: { start, end: start + 9 } }] }], 'text');
    expect(out.split('\n')[2]).toBe('   |     ^' + '~'.repeat('"Version"'.length - 1));
  });

  it('windows very long lines around the span and keeps the caret under it', () => {
    const long = '{"a":"' + 'x'.repeat(500) + '","b":"HERE","c":"' + 'y'.repeat(500) + '"}';
    const start = long.indexOf('HERE');
    const out = renderDiagnostics([{ file: 'l.json', text: long, diagnostics: [{ code: 'CM9997', severity: 'error', message: 'm', span: { start, end: start + 4 } }] }], 'text');
    const [, frame, underline] = out.split('\n');
    expect(frame!.length).toBeLessThan(140);
    expect(frame).toContain('…');
    const caret = underline!.indexOf('^');
    expect(frame!.slice(caret, caret + 4)).toBe('HERE');
    expect(underline!.slice(caret)).toBe('^~~~');
  });

  it('escapes control and bidi characters in the code frame', () => {
    const evil = '{"a":"\u202e\u0007"}';
    const out = renderDiagnostics([{ file: 'e.json', text: evil, diagnostics: [{ code: 'CM9996', severity: 'error', message: 'm', span: { start: 5, end: 9 } }] }], 'text');
    expect(out).not.toMatch(/[\u202e\u0007]/);
    expect(out).toContain('\\u202e\\u0007');
  });

  it('prints a whole-file problem without a position or frame', () => {
    const out = renderDiagnostics([{ file: 'x.json', text: '', diagnostics: [{ code: 'CM0001', severity: 'error', message: 'cannot read this file: no such file' }] }], 'text');
    expect(out).toBe('x.json: error CM0001 cannot read this file: no such file\n');
  });

  it('colours only when asked', () => {
    expect(renderDiagnostics([file], 'text')).not.toContain('\x1b[');
    const coloured = renderDiagnostics([file], 'text', { color: true });
    expect(coloured).toContain('\x1b[31m');
    // Stripping the escapes gives back the plain rendering.
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(renderDiagnostics([file], 'text'));
  });

  it('places a span at end of file on the last line', () => {
    const out = renderDiagnostics([{ file: 't.json', text: '{', diagnostics: [{ code: 'CM9995', severity: 'error', message: 'unexpected end', span: { start: 1, end: 1 } }] }], 'text');
    expect(out.split('\n').slice(0, 3)).toEqual(['t.json:1:2: error CM9995 unexpected end', ' 1 | {', '   |  ^']);
  });
});

describe('renderDiagnostics json', () => {
  it('has exactly the documented keys, 1-based positions and an exclusive end column', () => {
    const report = JSON.parse(renderDiagnostics([file], 'json')) as { files: { file: string; diagnostics: Record<string, unknown>[] }[] };
    expect(report.files).toHaveLength(1);
    expect(report.files[0]!.file).toBe('dir/policy.json');
    expect(report.files[0]!.diagnostics).toEqual([
      { code: 'CM9999', severity: 'error', message: 'Version must be 1', line: 3, column: 13, endLine: 3, endColumn: 14, pointer: '/ClaimsMappingPolicy/Version', hint: 'write "Version": 1' },
    ]);
  });

  it('uses 2-space indentation and null for a missing hint', () => {
    const out = renderDiagnostics([{ file: 'a', text: '', diagnostics: [{ code: 'CM0001', severity: 'error', message: 'm' }] }], 'json');
    expect(out.startsWith('{\n  "files": [')).toBe(true);
    expect(JSON.parse(out)).toEqual({ files: [{ file: 'a', diagnostics: [{ code: 'CM0001', severity: 'error', message: 'm', line: 1, column: 1, endLine: 1, endColumn: 1, pointer: '', hint: null }] }] });
  });
});

describe('renderDiagnostics sarif', () => {
  it('is a SARIF 2.1.0 log with rules from the catalog and located results', () => {
    const files = [file, { file: 'b.json', text: '', diagnostics: [{ code: 'CM0001', severity: 'error' as const, message: 'cannot read' }] }];
    const log = JSON.parse(renderDiagnostics(files, 'sarif')) as {
      $schema: string;
      version: string;
      runs: { tool: { driver: { name: string; rules: { id: string; help: { text: string }; shortDescription: { text: string }; defaultConfiguration: { level: string } }[] } }; results: Record<string, unknown>[] }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('claimc');
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(['CM0001', 'CM9999']);
    const cm0001 = run.tool.driver.rules[0]!;
    expect(cm0001.defaultConfiguration.level).toBe('error');
    expect(cm0001.shortDescription.text).toBe('cannot read this file: …');
    expect(cm0001.help.text).toMatch(/docs\/diagnostics\.md#cm0001\.$/);
    expect(run.results[0]).toMatchObject({
      ruleId: 'CM9999',
      ruleIndex: 1,
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'dir/policy.json' }, region: { startLine: 3, startColumn: 13, endLine: 3, endColumn: 14 } } }],
      relatedLocations: [{ id: 0, physicalLocation: { region: { startLine: 2, startColumn: 3 } }, message: { text: 'in this policy' } }],
    });
    expect(run.results[1]).toMatchObject({ ruleId: 'CM0001', ruleIndex: 0, locations: [{ physicalLocation: { artifactLocation: { uri: 'b.json' }, region: { startLine: 1, startColumn: 1 } } }] });
  });

  it('maps info to note', () => {
    const log = JSON.parse(renderDiagnostics([{ file: 'a', text: 'x', diagnostics: [{ code: 'CM9000', severity: 'info', message: 'm', span: { start: 0, end: 1 } }] }], 'sarif')) as { runs: { results: { level: string }[] }[] };
    expect(log.runs[0]!.results[0]!.level).toBe('note');
  });

  it('turns file names into relative URIs', () => {
    expect(toRelativeUri('./docs\\examples/a b.json')).toBe('docs/examples/a%20b.json');
    expect(toRelativeUri('x#y.json')).toBe('x%23y.json');
  });
});
