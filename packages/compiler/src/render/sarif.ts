import { diagnosticCatalog } from '@claimc/model';
import type { Diagnostic, Severity } from '@claimc/model';
import type { DiagnosticFile } from './files.js';
import { RegionFinder } from './positions.js';
import type { Region } from './positions.js';

/** The catalogue every rule's help points at; no web address is invented, the repository path is stable. */
const diagnosticsDoc = 'docs/diagnostics.md';

type SarifLevel = 'error' | 'warning' | 'note';
const sarifLevel: Readonly<Record<Severity, SarifLevel>> = { error: 'error', warning: 'warning', info: 'note' };

interface SarifRegion {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/**
 * Builds a SARIF 2.1.0 log that GitHub code scanning accepts (one run, rules from the catalog, relative artifact URIs).
 *
 * @example
 * const log = toSarifLog([{ file: 'policies/app.json', text, diagnostics }]);
 */
export function toSarifLog(files: readonly DiagnosticFile[]): Record<string, unknown> {
  const usedCodes = [...new Set(files.flatMap((f) => f.diagnostics.map((d) => d.code)))].sort();
  const ruleIndex = new Map(usedCodes.map((code, index) => [code, index]));
  const rules = usedCodes.map((code) => {
    const def = diagnosticCatalog.get(code);
    return {
      id: code,
      shortDescription: { text: def?.message ?? code },
      ...(def !== undefined ? { fullDescription: { text: def.why } } : {}),
      help: { text: `${def?.hint !== undefined ? def.hint + ' ' : ''}See ${diagnosticsDoc}#${code.toLowerCase()}.` },
      defaultConfiguration: { level: sarifLevel[def?.severity ?? 'error'] },
    };
  });
  const results = files.flatMap((file) => {
    const finder = new RegionFinder(file.text);
    const uri = toRelativeUri(file.file);
    return file.diagnostics.map((d) => toResult(d, uri, finder, ruleIndex.get(d.code) ?? 0));
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'claimc', rules } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function toResult(d: Diagnostic, uri: string, finder: RegionFinder, index: number): Record<string, unknown> {
  const related = (d.related ?? []).map((r, id) => ({
    id,
    physicalLocation: { artifactLocation: { uri }, region: toSarifRegion(finder.region(r.span)) },
    message: { text: r.message },
  }));
  return {
    ruleId: d.code,
    ruleIndex: index,
    level: sarifLevel[d.severity],
    message: { text: d.hint !== undefined ? `${d.message}\nHint: ${d.hint}` : d.message },
    locations: [{ physicalLocation: { artifactLocation: { uri }, region: toSarifRegion(finder.region(d.span)) } }],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    ...(d.pointer !== undefined ? { properties: { pointer: d.pointer } } : {}),
  };
}

function toSarifRegion(region: Region): SarifRegion {
  return { startLine: region.line, startColumn: region.column, endLine: region.endLine, endColumn: region.endColumn };
}

/**
 * A file name as a relative URI reference: forward slashes, each segment percent-encoded, no leading `./`.
 *
 * @example
 * toRelativeUri('.\\docs\\my policy.json') // 'docs/my%20policy.json'
 */
export function toRelativeUri(file: string): string {
  const segments = file.replace(/\\/g, '/').split('/');
  while (segments[0] === '.') segments.shift();
  return segments.map((s) => encodeURIComponent(s)).join('/');
}

export function renderSarif(files: readonly DiagnosticFile[]): string {
  return JSON.stringify(toSarifLog(files), null, 2) + '\n';
}
