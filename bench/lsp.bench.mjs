// Language server: what a keystroke costs in a 50-entry / 49-transformation policy, as raw JSON, as a Graph
// body and as .claims. Run: npx tsc -b && node bench/lsp.bench.mjs   (or: node bench/run.mjs lsp)
//
// Timed whole, per keystroke, every keystroke a different text (no cache hits):
//   service   PolicyDocuments.analyze + toLspDiagnostics: what the server computes after a change;
//   stdio     didChange sent to `claimc lsp --stdio` → publishDiagnostics received (JSON-RPC, a real client);
//   baseline  what an editor without the server runs instead: `claimc check --format json` on the saved file,
//             in the same process (main() with the file written first), and as a process spawned per save.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineMap } from '@claimc/model';
import { readPolicy, printPolicyClaims } from '@claimc/syntax';
import { PolicyDocuments, toLspDiagnostics } from '@claimc/language-service';
import { main } from '@claimc/cli';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node.js';
import { generated } from './generated-policy.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const claimcBin = join(repo, 'packages/cli/bin/claimc.js');
const folder = mkdtempSync(join(tmpdir(), 'claimc-lsp-bench-'));

const raw = JSON.stringify(JSON.parse(generated(50, 49)), null, 2);
const graph = JSON.stringify({ displayName: 'bench', definition: [generated(50, 49)] }, null, 2);
const claims = printPolicyClaims(readPolicy(raw).policy);
const inputs = [
  { name: '50/50 raw JSON', file: 'policy.json', text: raw, marker: '"claim' },
  { name: '50/50 Graph body', file: 'policy.graph.json', text: graph, marker: '\\"claim' },
  { name: '50/50 .claims', file: 'policy.claims', text: claims, marker: 'claim claim' },
];

/** The k-th keystroke: one letter typed at the end of the (k mod 40)-th claim name, so every text differs. */
function keystroke(input, k) {
  let at = -1;
  for (let i = 0; i <= k % 40; i++) at = input.text.indexOf(input.marker, at + 1);
  const nameEnd = at + input.marker.length + String(k % 40).length;
  const letter = String.fromCharCode(97 + (Math.floor(k / 40) % 26));
  return { offset: nameEnd, text: input.text.slice(0, nameEnd) + letter.repeat(1 + (k % 3)) + input.text.slice(nameEnd) };
}

const located = (text, diagnostics) => {
  const lines = new LineMap(text);
  return diagnostics.map((d) => ({ code: d.code, ...lines.position(d.span?.start ?? 0) }));
};
async function cliCheck(path) {
  let out = '';
  await main(['check', path, '--format', 'json'], { stdout: { write: (c) => (out += c) }, stderr: { write: () => true }, env: {}, cwd: repo });
  return JSON.parse(out).files[0].diagnostics;
}

// Correctness before timing: for edited texts, the server's diagnostics equal claimc check's (code, line, column).
for (const input of inputs) {
  for (const k of [0, 17, 39, 41]) {
    const { text } = keystroke(input, k);
    const path = join(folder, input.file);
    writeFileSync(path, text);
    const fromCheck = (await cliCheck(path)).map((d) => ({ code: d.code, line: d.line, column: d.column }));
    const docs = new PolicyDocuments();
    const fromService = toLspDiagnostics(docs.analyze('file:///' + input.file, text, input.file), 'file:///' + input.file).map((d) => ({ code: d.code, line: d.range.start.line + 1, column: d.range.start.character + 1 }));
    if (JSON.stringify(fromCheck) !== JSON.stringify(fromService) || JSON.stringify(located(text, docs.analyze('file:///' + input.file, text, input.file).diagnostics)) !== JSON.stringify(fromCheck)) {
      console.error(`${input.name}, keystroke ${k}: server and check differ`, fromCheck.slice(0, 3), fromService.slice(0, 3));
      process.exit(1);
    }
  }
}

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length - 1) * p))];
const ms = (ns) => Number(ns) / 1e6;

/** Service and in-process check, interleaved keystroke by keystroke so both see the same machine load. */
async function interleavedRun(input, keystrokes) {
  const docs = new PolicyDocuments();
  const uri = 'file:///' + input.file;
  const path = join(folder, input.file);
  docs.analyze(uri, input.text, input.file);
  const service = [];
  const check = [];
  let sink = 0;
  for (let k = 0; k < keystrokes; k++) {
    const { text } = keystroke(input, k);
    let start = process.hrtime.bigint();
    sink += toLspDiagnostics(docs.analyze(uri, text, input.file), uri).length;
    service.push(ms(process.hrtime.bigint() - start));
    start = process.hrtime.bigint();
    writeFileSync(path, text);
    sink += (await cliCheck(path)).length;
    check.push(ms(process.hrtime.bigint() - start));
  }
  return { service, check, sink };
}

function spawnRun(input, keystrokes) {
  const path = join(folder, input.file);
  const times = [];
  for (let k = 0; k < keystrokes; k++) {
    writeFileSync(path, keystroke(input, k).text);
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, [claimcBin, 'check', path, '--format', 'json'], { stdio: 'ignore' });
    times.push(ms(process.hrtime.bigint() - start));
  }
  return { times };
}

async function stdioRun(input, keystrokes) {
  const server = spawn(process.execPath, [claimcBin, 'lsp', '--stdio'], { stdio: 'pipe' });
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  let resolveNext;
  connection.onNotification(PublishDiagnosticsNotification.type, () => resolveNext?.());
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: {} });
  const uri = 'file:///' + input.file;
  const published = () => new Promise((resolve) => (resolveNext = resolve));
  let next = published();
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text: input.text } });
  await next;
  const lines = new LineMap(input.text);
  const times = [];
  for (let k = 0; k < keystrokes; k++) {
    // Incremental sync as an editor sends it: the typed letters at their position in the original text.
    const { offset, text } = keystroke(input, k);
    const typed = text.length - input.text.length;
    const { line, column } = lines.position(offset);
    next = published();
    const start = process.hrtime.bigint();
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 * k + 2 },
      contentChanges: [{ range: { start: { line: line - 1, character: column - 1 }, end: { line: line - 1, character: column - 1 } }, text: text.slice(offset, offset + typed) }],
    });
    await next;
    times.push(ms(process.hrtime.bigint() - start));
    // Undo, untimed, so the next keystroke applies to the original text again.
    next = published();
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 * k + 3 },
      contentChanges: [{ range: { start: { line: line - 1, character: column - 1 }, end: { line: line - 1, character: column - 1 + typed } }, text: '' }],
    });
    await next;
  }
  connection.dispose();
  server.kill();
  return { times };
}

console.log(`node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${new Date().toISOString()}`);
console.log(`${'policy'.padEnd(20)} ${'service p50'.padStart(12)} ${'p95'.padStart(7)} ${'stdio p50'.padStart(10)} ${'p95'.padStart(7)} ${'check() p50'.padStart(12)} ${'spawn p50'.padStart(10)} ${'check/service'.padStart(14)}   (ms per keystroke)`);
let goal = true;
for (const input of inputs) await interleavedRun(input, 150); // warm-up, every input before any is timed
for (const input of inputs) {
  globalThis.gc?.();
  const { service: serviceTimes, check: checkTimes } = await interleavedRun(input, 400);
  const service = { times: serviceTimes };
  const check = { times: checkTimes };
  const stdio = await stdioRun(input, 300);
  const spawned = spawnRun(input, 8);
  const p50 = percentile(service.times, 0.5);
  const line = [
    input.name.padEnd(20),
    p50.toFixed(2).padStart(12),
    percentile(service.times, 0.95).toFixed(2).padStart(7),
    percentile(stdio.times, 0.5).toFixed(2).padStart(10),
    percentile(stdio.times, 0.95).toFixed(2).padStart(7),
    percentile(check.times, 0.5).toFixed(2).padStart(12),
    percentile(spawned.times, 0.5).toFixed(0).padStart(10),
    (percentile(check.times, 0.5) / p50).toFixed(2).padStart(14),
  ];
  console.log(line.join(' '));
  if (percentile(stdio.times, 0.5) >= 5) goal = false;
}
console.log(`goal: a 50/50 policy re-checks in < 5 ms after a keystroke (stdio round trip, median): ${goal ? 'met' : 'NOT met'}`);
