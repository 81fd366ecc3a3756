import { uniqueDiagnostics } from '@claimc/model';
import type { DiagnosticFile, DiagnosticFormat, RenderOptions } from './files.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

/**
 * Renders the diagnostics of several files in one format: `text` (file:line:col, code frame, hint),
 * `json` (`{"files":[…]}`) or `sarif` (SARIF 2.1.0 for GitHub code scanning). Pure: no I/O, no clock.
 *
 * @example
 * const text = '{"ClaimsMappingPolicy":{"Version":2}}';
 * const { policy, locations, diagnostics: read } = readPolicy(text);
 * const { bound, diagnostics: bind } = bindPolicy(policy!, locations);
 * const diagnostics = sortDiagnostics([...read, ...bind, ...checkPolicy(bound)]);
 * process.stdout.write(renderDiagnostics([{ file: 'policy.json', text, diagnostics }], 'text'));
 * // policy.json:1:35: error CM4002 Version is 2; only 1 exists …
 */
export function renderDiagnostics(files: readonly DiagnosticFile[], format: DiagnosticFormat, options: RenderOptions = {}): string {
  const unique = files.map(withoutRepeats);
  switch (format) {
    case 'text':
      return renderText(unique, options);
    case 'json':
      return renderJson(unique);
    case 'sarif':
      return renderSarif(unique, options);
  }
}

/** Every renderer prints a repeated diagnostic of a file once. */
function withoutRepeats(file: DiagnosticFile): DiagnosticFile {
  const diagnostics = uniqueDiagnostics(file.diagnostics);
  return diagnostics.length === file.diagnostics.length ? file : { ...file, diagnostics };
}
