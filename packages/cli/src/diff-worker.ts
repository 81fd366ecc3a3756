// A `claimc diff` worker: loads the snapshot once, compares its range of users, posts progress and the result.
import { parentPort, workerData } from 'node:worker_threads';
import { measureImpact } from '@claimc/compiler';
import type { CliIO } from './command.js';
import { prepareJob, type ImpactJob } from './diff-impact.js';
import { loadDirectory } from './commands/issue.js';

const { job, start, end } = workerData as { job: ImpactJob; start: number; end: number };
const silent = { write: () => true };
const io: CliIO = { stdout: silent, stderr: silent, env: {}, cwd: job.cwd };

try {
  const loaded = await loadDirectory(job.directory, io);
  if (!loaded.ok) throw new Error('the snapshot no longer loads');
  const prepared = prepareJob(loaded.directory, job);
  const result = measureImpact(prepared, start, end, (done) => parentPort?.postMessage({ progress: done }));
  parentPort?.postMessage({ progress: end - start });
  parentPort?.postMessage({ result });
} catch (error) {
  parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
