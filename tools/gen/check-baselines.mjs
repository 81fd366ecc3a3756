// Rendered diagnostic baselines for the check fixture corpus: each invalid policy's diagnostics as the text
// renderer prints them (header, code frame, hint), next to the fixture, so a change in a message, a position
// or a frame shows up as a diff in review (in fixtures/check/baselines/<fixture>.txt). `pnpm gen` rewrites them; `pnpm check:generated` (CI) fails on drift.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sortDiagnostics } from '../../packages/model/dist/index.js';
import { readPolicy } from '../../packages/syntax/dist/index.js';
import { bindPolicy, checkPolicy, renderDiagnostics } from '../../packages/compiler/dist/index.js';

const folder = 'packages/compiler/test/fixtures/check/invalid/';
const root = fileURLToPath(new URL('../../', import.meta.url));

/** The baseline of one fixture: read, bind and check under the fixture's target, rendered as text without color. */
function baseline(file) {
  const text = readFileSync(root + folder + file, 'utf8');
  const { target } = JSON.parse(readFileSync(root + folder + file.replace(/\.json$/, '.expect.json'), 'utf8'));
  const read = readPolicy(text, { fileName: file, target });
  const diagnostics = [...read.diagnostics];
  if (read.policy !== undefined) {
    const { bound, diagnostics: bindDiagnostics } = bindPolicy(read.policy, read.locations, { target });
    diagnostics.push(...bindDiagnostics, ...checkPolicy(bound, { target }));
  }
  return renderDiagnostics([{ file, text, diagnostics: sortDiagnostics(diagnostics) }], 'text', { color: false });
}

export async function generate() {
  const files = readdirSync(root + folder)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.expect.json'))
    .sort();
  return files.map((file) => ({ path: 'packages/compiler/test/fixtures/check/baselines/' + file.replace(/\.json$/, '.txt'), content: `target: ${JSON.parse(readFileSync(root + folder + file.replace(/\.json$/, '.expect.json'), 'utf8')).target}\n\n${baseline(file)}\n` }));
}
