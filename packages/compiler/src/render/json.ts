import type { DiagnosticFile } from './files.js';
import { RegionFinder } from './positions.js';

/** One diagnostic in the JSON format: every key always present (`hint` null when there is none). */
export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly pointer: string;
  readonly hint: string | null;
}

/** The JSON report: `{"files":[{"file","diagnostics":[…]}]}`, 1-based positions, exclusive end column. */
export interface JsonReport {
  readonly files: readonly { readonly file: string; readonly diagnostics: readonly JsonDiagnostic[] }[];
}

/**
 * The JSON report as an object (what `--format json` prints).
 *
 * @example
 * const report = toJsonReport([{ file: 'policy.json', text, diagnostics }]);
 * report.files[0]?.diagnostics[0]?.line;
 */
export function toJsonReport(files: readonly DiagnosticFile[]): JsonReport {
  return {
    files: files.map((file) => {
      const finder = new RegionFinder(file.text);
      return {
        file: file.file,
        diagnostics: file.diagnostics.map((d) => {
          const region = finder.region(d.span);
          return {
            code: d.code,
            severity: d.severity,
            message: d.message,
            line: region.line,
            column: region.column,
            endLine: region.endLine,
            endColumn: region.endColumn,
            // A whole-file problem points at the whole document.
            pointer: d.pointer ?? '',
            hint: d.hint ?? null,
          };
        }),
      };
    }),
  };
}

export function renderJson(files: readonly DiagnosticFile[]): string {
  return JSON.stringify(toJsonReport(files), null, 2) + '\n';
}
