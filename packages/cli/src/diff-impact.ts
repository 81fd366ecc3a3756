import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compilePolicy, measureImpact, mergeImpact, prepareImpact, type ImpactResult, type ImpactToken, type PreparedImpact } from '@claimc/compiler';
import { policyPort, type IndexedDirectory } from '@claimc/runtime/internal';

/** Everything a worker needs to redo the setup on its own: where the snapshot is and both policies. */
export interface ImpactJob {
  /** `--directory`, or undefined for the embedded demo tenant. */
  readonly directory: string | undefined;
  readonly cwd: string;
  /** Canonical policy JSON of both policies. */
  readonly before: string;
  readonly after: string;
  readonly apps: readonly string[];
  readonly token: ImpactToken;
  readonly now: number;
  /** Compare whole tokens (a policy setting that changes core claims differs). */
  readonly wholeTokens: boolean;
}

/** Links a policy JSON (already checked) into a port. */
function portOf(json: string) {
  const compiled = compilePolicy(json);
  if (!compiled.ok) throw new Error('claimc diff: a checked policy did not compile');
  return policyPort(compiled.linked);
}

/**
 * The prepared comparison for a job over an already indexed directory.
 *
 * @example
 * const prepared = prepareJob(directory, job);
 */
export function prepareJob(directory: IndexedDirectory, job: ImpactJob): PreparedImpact {
  return prepareImpact({ directory, before: portOf(job.before), after: portOf(job.after), apps: job.apps, token: job.token, now: job.now, wholeTokens: job.wholeTokens });
}

/** The worker script, next to this module once built; vitest runs the sources, so it then uses the built copy. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../dist/diff-worker.js', here) : new URL('./diff-worker.js', here);
}

/** How many workers to use: one per core, but no threads for a tenant small enough to finish in a blink. */
export function defaultWorkers(users: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.ceil(users / 50_000)));
}

/**
 * Compares every user under both policies: in this thread, or split into contiguous ranges over `workers`
 * worker threads that each load the snapshot once. `onProgress(done)` reports users finished so far.
 *
 * @example
 * const result = await runImpact(prepared, job, 2, (done) => bar.update(done));
 */
export async function runImpact(prepared: PreparedImpact, job: ImpactJob, workers: number, onProgress?: (done: number) => void): Promise<ImpactResult> {
  const users = prepared.setup.directory.users.length;
  if (workers <= 1) return measureImpact(prepared, 0, users, onProgress);
  const size = Math.ceil(users / workers);
  const done = new Array<number>(workers).fill(0);
  const url = workerUrl();
  fileURLToPath(url); // a file URL, so Node can load it as a worker
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const start = w * size;
      const end = Math.min(users, start + size);
      return new Promise<ImpactResult>((resolve, reject) => {
        // plain Node resolution: a test runner's flags (source conditions) must not leak into the built worker
        const worker = new Worker(url, { workerData: { job, start, end }, execArgv: process.execArgv.filter((a) => !a.startsWith('--conditions') && !a.startsWith('-C')) });
        worker.on('message', (message: { progress?: number; result?: ImpactResult; error?: string }) => {
          if (message.progress !== undefined) {
            done[w] = message.progress;
            onProgress?.(done.reduce((a, b) => a + b, 0));
          } else if (message.error !== undefined) reject(new Error(message.error));
          else if (message.result !== undefined) resolve(message.result);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (code !== 0) reject(new Error(`diff worker exited with code ${code}`));
        });
      });
    }),
  );
  return mergeImpact(parts);
}
