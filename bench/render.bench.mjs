// Text rendering of diagnostics against `--format json` (the baseline a user falls back to), on single-line Graph
// bodies from 1,000 to 12,000 entries: every entry past the 50th is one CM4007 warning located on the one line.
// Time per diagnostic must stay flat (linear rendering) and text must cost about what JSON costs.
// Run: npx tsc -b && node --expose-gc bench/render.bench.mjs     (or: node bench/run.mjs render)
import os from 'node:os';
import { readPolicy } from '@claimc/syntax';
import { bindPolicy, checkPolicy, renderDiagnostics } from '@claimc/compiler';
import { sortDiagnostics } from '@claimc/model';

const sizes = [1_000, 2_000, 4_000, 8_000, 12_000];
const variants = 3;

/** A single-line Graph request body with `entries` ClaimsSchema entries; `variant` changes every claim name. */
function graphBody(entries, variant) {
  const schema = Array.from({ length: entries }, (_, i) => ({ Source: 'user', ID: 'employeeid', JwtClaimType: `v${variant}claim${i}` }));
  const definition = JSON.stringify({ ClaimsMappingPolicy: { Version: 1, IncludeBasicClaimSet: 'true', ClaimsSchema: schema } });
  return JSON.stringify({ displayName: `bench ${variant}`, definition: [definition] });
}

function check(text) {
  const read = readPolicy(text);
  const { bound, diagnostics } = bindPolicy(read.policy, read.locations);
  return sortDiagnostics([...read.diagnostics, ...diagnostics, ...checkPolicy(bound, { sourceText: text })]);
}

// Inputs and their diagnostics, built once; correctness checked before any timing.
const inputs = sizes.map((entries) => ({
  entries,
  files: Array.from({ length: variants }, (_, v) => {
    const text = graphBody(entries, v);
    return [{ file: `policy-${v}.graph.json`, text, diagnostics: check(text) }];
  }),
}));
for (const { entries, files } of inputs) {
  for (const file of files) {
    const diagnostics = file[0].diagnostics;
    if (diagnostics.length !== entries - 50 || diagnostics.some((d) => d.code !== 'CM4007')) throw new Error(`${entries}: expected ${entries - 50} CM4007, got ${diagnostics.length}`);
    const lines = renderDiagnostics(file, 'text').split('\n');
    const columns = lines.filter((l) => l.startsWith(`${file[0].file}:1:`)).map((l) => Number(l.split(':')[2]));
    const frames = lines.filter((l) => l.startsWith(' 1 | ')).length;
    const json = JSON.parse(renderDiagnostics(file, 'json')).files[0].diagnostics;
    // Same diagnostics at the same columns in both formats; 50 code frames in the text.
    if (frames !== 50 || json.length !== diagnostics.length || columns.length !== json.length || json.some((d, i) => d.column !== columns[i])) throw new Error(`${entries}: wrong rendering`);
  }
}

let sink = 0;
/** ms per render: each variant of a size rendered once, so consecutive renders never see the same input. */
function time(files, format) {
  const start = process.hrtime.bigint();
  for (const file of files) sink += renderDiagnostics(file, format).length;
  return Number(process.hrtime.bigint() - start) / 1e6 / files.length;
}

const rounds = Number(process.env.ROUNDS ?? 40);
const best = new Map(sizes.map((n) => [n, { text: Infinity, json: Infinity }]));
for (let r = 0; r < rounds + 2; r++) {
  for (const { entries, files } of inputs) {
    // No forced GC between measurements: one right before a short measurement left its concurrent sweeping inside it.
    // The order alternates so neither format always runs on the heap the other left.
    const [text, json] = r % 2 === 0 ? [time(files, 'text'), time(files, 'json')] : [time(files, 'json'), time(files, 'text')].reverse();
    if (r < 2) continue; // warm-up rounds
    const b = best.get(entries);
    b.text = Math.min(b.text, text);
    b.json = Math.min(b.json, json);
  }
}

console.log(`render: node ${process.version}, ${new Date().toISOString()}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; best of ${rounds} rounds × ${variants} inputs`);
console.log(`${'entries'.padStart(8)} ${'diagnostics'.padStart(12)} ${'text ms'.padStart(9)} ${'json ms'.padStart(9)} ${'text µs/diag'.padStart(13)} ${'json µs/diag'.padStart(13)} ${'text/json'.padStart(10)}`);
for (const { entries, files } of inputs) {
  const count = files[0][0].diagnostics.length;
  const b = best.get(entries);
  console.log(`${String(entries).padStart(8)} ${String(count).padStart(12)} ${b.text.toFixed(1).padStart(9)} ${b.json.toFixed(1).padStart(9)} ${((b.text * 1000) / count).toFixed(2).padStart(13)} ${((b.json * 1000) / count).toFixed(2).padStart(13)} ${(b.text / b.json).toFixed(2).padStart(10)}`);
}
const perDiagnostic = inputs.map(({ entries, files }) => best.get(entries).text / files[0][0].diagnostics.length);
const spread = Math.max(...perDiagnostic) / Math.min(...perDiagnostic);
// The marginal cost between the smallest and largest input leaves out the fixed part (the 50 code frames).
const [first, last] = [inputs[0], inputs.at(-1)];
const added = last.files[0][0].diagnostics.length - first.files[0][0].diagnostics.length;
const slope = (format) => ((best.get(last.entries)[format] - best.get(first.entries)[format]) * 1000) / added;
console.log(`text µs per diagnostic, largest / smallest from ${first.entries} to ${last.entries} entries: ${spread.toFixed(2)} (flat = linear)`);
console.log(`marginal µs per added diagnostic, ${first.entries} → ${last.entries} entries: text ${slope('text').toFixed(2)}, json ${slope('json').toFixed(2)}`);
if (sink === -1) console.log(sink);
