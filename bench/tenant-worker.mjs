// Worker of bench/tenant.bench.mjs: loads and indexes the snapshot, prepares the comparison, says "ready", then
// on "go" compares its range of users and posts the result (the main thread times from "go" to the last result).
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { compilePolicy, measureImpact, prepareImpact, prepareSnapshotParts } from '@claimc/compiler';
import { linkPlan } from '@claimc/runtime';
import { parseSnapshotLines, policyPort } from '@claimc/runtime/internal';

const { path, before, after, apps, start, end } = workerData;
const read = parseSnapshotLines(readFileSync(path));
const { directory } = prepareSnapshotParts(read.parts);
const port = (json) => policyPort(linkPlan(compilePolicy(json).plan));
const prepared = prepareImpact({ directory, before: port(before), after: port(after), apps, token: 'id', now: 1_767_225_600 });
// warm the JIT on a slice of the range, as the in-process measurement is warm after its correctness check
measureImpact(prepared, start, Math.min(end, start + 5000));
parentPort.postMessage({ ready: true });
parentPort.once('message', () => {
  const result = measureImpact(prepared, start, end);
  parentPort.postMessage({ result });
});
