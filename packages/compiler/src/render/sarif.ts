import { diagnosticCatalog } from '@claimc/model';
import type { Diagnostic, Severity } from '@claimc/model';
import type { DiagnosticFile, RenderOptions } from './files.js';
import { RegionFinder } from './positions.js';
import type { Region } from './positions.js';

/** The project's home; every rule's help is its section of the diagnostics catalogue there. */
export const projectHome = 'https://github.com/claimc/claimc';
const diagnosticsPage = `${projectHome}/blob/main/docs/diagnostics.md`;
/** The uriBaseId artifact locations are relative to (resolved through `originalUriBaseIds`). */
const sourceRoot = 'SRCROOT';

type SarifLevel = 'error' | 'warning' | 'note';
const sarifLevel: Readonly<Record<Severity, SarifLevel>> = { error: 'error', warning: 'warning', info: 'note' };

interface SarifRegion {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/**
 * Builds a SARIF 2.1.0 log that GitHub code scanning accepts: one run, a rule per code used (with `helpUri` into
 * the diagnostics catalogue), artifact URIs relative to `SRCROOT`.
 *
 * @example
 * const log = toSarifLog([{ file: 'policies/app.json', text, diagnostics }], { toolVersion: '0.1.0', baseDirectory: process.cwd() });
 */
export function toSarifLog(files: readonly DiagnosticFile[], options: RenderOptions = {}): Record<string, unknown> {
  const usedCodes = [...new Set(files.flatMap((f) => f.diagnostics.map((d) => d.code)))].sort();
  const ruleIndex = new Map(usedCodes.map((code, index) => [code, index]));
  const rules = usedCodes.map((code) => {
    const def = diagnosticCatalog.get(code);
    const helpUri = `${diagnosticsPage}#${code.toLowerCase()}`;
    return {
      id: code,
      helpUri,
      shortDescription: { text: withoutPlaceholders(def?.message ?? code) },
      ...(def !== undefined ? { fullDescription: { text: withoutPlaceholders(def.why) } } : {}),
      help: { text: `${def?.hint !== undefined ? withoutPlaceholders(def.hint) + ' ' : ''}See ${helpUri}.` },
      defaultConfiguration: { level: sarifLevel[def?.severity ?? 'error'] },
    };
  });
  const results = files.flatMap((file) => {
    const finder = new RegionFinder(file.text);
    const artifact = artifactLocation(file.file);
    return file.diagnostics.map((d) => toResult(d, artifact, finder, ruleIndex.get(d.code) ?? 0));
  });
  const driver = { name: 'claimc', informationUri: projectHome, ...(options.toolVersion !== undefined ? { version: options.toolVersion } : {}), rules };
  const base = options.baseDirectory !== undefined ? { originalUriBaseIds: { [sourceRoot]: { uri: directoryUri(options.baseDirectory) } } } : {};
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver }, ...base, columnKind: 'utf16CodeUnits', results }],
  };
}

/** Catalog texts name their arguments as `{name}`; a rule describes every instance, so each becomes `…`. */
function withoutPlaceholders(text: string): string {
  return text.replace(/\{[A-Za-z]+\}/g, '…');
}

/** A relative name resolves against SRCROOT; an absolute one (outside the working directory) is its own file URI. */
function artifactLocation(file: string): ArtifactLocation {
  if (/^(\/|[A-Za-z]:[\\/])/.test(file)) return { uri: pathToFileUri(file) };
  return { uri: toRelativeUri(file), uriBaseId: sourceRoot };
}

interface ArtifactLocation {
  readonly uri: string;
  readonly uriBaseId?: string;
}

function pathToFileUri(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  return 'file://' + (slashed.startsWith('/') ? '' : '/') + slashed.split('/').map((s, i) => (i === 0 && /^[A-Za-z]:$/.test(s) ? s : encodeURIComponent(s))).join('/');
}

function directoryUri(directory: string): string {
  const uri = pathToFileUri(directory);
  return uri.endsWith('/') ? uri : uri + '/';
}

function toResult(d: Diagnostic, artifact: ArtifactLocation, finder: RegionFinder, index: number): Record<string, unknown> {
  const related = (d.related ?? []).map((r, id) => ({
    id,
    physicalLocation: { artifactLocation: artifact, region: toSarifRegion(finder.region(r.span)) },
    message: { text: r.message },
  }));
  return {
    ruleId: d.code,
    ruleIndex: index,
    level: sarifLevel[d.severity],
    message: { text: d.hint !== undefined ? `${d.message}\nHint: ${d.hint}` : d.message },
    locations: [{ physicalLocation: { artifactLocation: artifact, region: toSarifRegion(finder.region(d.span)) } }],
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

export function renderSarif(files: readonly DiagnosticFile[], options: RenderOptions = {}): string {
  return JSON.stringify(toSarifLog(files, options), null, 2) + '\n';
}
