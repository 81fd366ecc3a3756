// Bulk issuance on every core: a pool of worker threads that sign the JWTs the calling thread assembles.
import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ClaimcRuntimeError } from '../errors.js';
import type { KeyRing } from '../sign/keys.js';
import { prepareJwt, type SignOptions } from '../sign/prepare.js';
import type { AssembledJwt } from '../token/jwt.js';
import { encodeJson } from './async.js';
import { signAsciiParts, signingMaterial, type NodeSigningKey } from './material.js';

/**
 * Options of {@link createSigningPool}.
 *
 * @example
 * const pool = createSigningPool(ring, { threads: 2 });
 */
export interface SigningPoolOptions {
  /** Worker threads; default: the machine's available parallelism. */
  readonly threads?: number;
  /** Tokens sent to a worker in one message (fewer messages, more latency); default 32. */
  readonly batchSize?: number;
}

/**
 * A pool of worker threads signing JWTs; obtain one with {@link createSigningPool} and `close()` it when done.
 *
 * @example
 * const jwt = await pool.signJwt(issuer.assemble(request));
 */
export interface SigningPool {
  readonly threads: number;
  /** Same bytes as `signJwtSync` (assembly and payload encoding on the calling thread, the signature on a worker). */
  signJwt(token: AssembledJwt, options?: SignOptions): Promise<string>;
  /** Waits for the tokens in flight, then stops the workers; later `signJwt` calls reject with `ERR_SIGNING_POOL`. */
  close(): Promise<void>;
}

interface Pending {
  readonly input: string;
  readonly key: number;
  readonly resolve: (jwt: string) => void;
  readonly reject: (error: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  readonly exited: Promise<void>;
  readonly batches: Map<number, readonly Pending[]>;
  inFlight: number;
}

// Under the test runner this module runs from source (.ts); the worker always runs the built JavaScript.
const workerUrl = import.meta.url.endsWith('.ts') ? new URL('../../dist/node/pool-worker.js', import.meta.url) : new URL('./pool-worker.js', import.meta.url);

/**
 * Starts a pool of worker threads that sign JWTs with the keys of `keys` (keys from `importNodeSigningKey`): for
 * bulk issuance — many tokens at once (a batch job, a load test, a busy issuer) — where one thread's signing is the
 * limit. The calling thread assembles and encodes each token; the RSA, ECDSA or EdDSA signature runs on a worker,
 * batched to keep messages few. HMAC tokens sign on the calling thread (no worker is faster than a microsecond).
 * Workers do not keep the process alive while idle; call `close()` when done.
 *
 * @example
 * const pool = createSigningPool({ tenant: importNodeSigningKey(pem) });
 * const jwts = await Promise.all(users.map((user) => pool.signJwt(issuer.assemble({ ...request, user }))));
 * await pool.close();
 */
export function createSigningPool(keys: KeyRing<NodeSigningKey>, options: SigningPoolOptions = {}): SigningPool {
  const threadCount = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 32));
  const ring = [keys.tenant, ...(keys.applications?.values() ?? [])];
  const shipped: { alg: string; keyObject: KeyObject }[] = [];
  const keyIndex = new Map<KeyObject | Buffer, number>();
  for (const key of ring) {
    const { alg, material } = signingMaterial(key);
    if (alg.startsWith('HS') || keyIndex.has(material)) continue;
    keyIndex.set(material, shipped.length);
    shipped.push({ alg, keyObject: material as KeyObject });
  }
  let closed = false;
  let nextBatch = 0;
  let queue: Pending[] = [];
  let flushScheduled = false;
  const threads: Thread[] = [];
  const fail = (thread: Thread, error: Error): void => {
    for (const batch of thread.batches.values()) for (const job of batch) job.reject(error);
    thread.batches.clear();
    thread.inFlight = 0;
  };
  for (let i = 0; i < threadCount; i++) {
    const worker = new Worker(workerUrl);
    const exited = new Promise<void>((done) => worker.once('exit', () => done()));
    const thread: Thread = { worker, exited, batches: new Map(), inFlight: 0 };
    worker.postMessage({ kind: 'keys', keys: shipped });
    worker.unref();
    worker.on('message', (message: { batch: number; signatures?: string[]; error?: string }) => {
      const batch = thread.batches.get(message.batch);
      if (batch === undefined) return;
      thread.batches.delete(message.batch);
      thread.inFlight -= batch.length;
      if (thread.inFlight === 0) worker.unref();
      batch.forEach((job, k) => {
        const signature = message.signatures?.[k];
        if (signature === undefined) job.reject(new ClaimcRuntimeError('ERR_SIGNING_POOL', `a pool worker could not sign: ${message.error ?? 'no signature'}`));
        else job.resolve(`${job.input}.${signature}`);
      });
    });
    worker.on('error', (error) => fail(thread, new ClaimcRuntimeError('ERR_SIGNING_POOL', `a pool worker failed: ${error.message}`, { cause: error })));
    worker.on('exit', () => fail(thread, new ClaimcRuntimeError('ERR_SIGNING_POOL', 'a pool worker exited')));
    threads.push(thread);
  }
  const flush = (): void => {
    flushScheduled = false;
    const jobs = queue;
    queue = [];
    for (let start = 0; start < jobs.length; start += batchSize) {
      const batch = jobs.slice(start, start + batchSize);
      let thread = threads[0] as Thread;
      for (const t of threads) if (t.inFlight < thread.inFlight) thread = t;
      const id = nextBatch++;
      thread.batches.set(id, batch);
      if (thread.inFlight === 0) thread.worker.ref();
      thread.inFlight += batch.length;
      thread.worker.postMessage({ kind: 'sign', batch: id, jobs: batch.map((job) => [job.key, job.input]) });
    }
  };
  return {
    threads: threadCount,
    signJwt(token, signOptions = {}) {
      if (closed) return Promise.reject(new ClaimcRuntimeError('ERR_SIGNING_POOL', 'the signing pool is closed'));
      let prepared;
      try {
        prepared = prepareJwt(token, keys, signOptions, encodeJson);
      } catch (error) {
        return Promise.reject(error);
      }
      const { alg, material } = signingMaterial(prepared.key);
      const input = prepared.signingInput;
      if (alg.startsWith('HS')) return Promise.resolve(`${input}.${signAsciiParts(prepared.key, prepared.signingInputParts).toString('base64url')}`);
      const key = keyIndex.get(material);
      if (key === undefined) return Promise.reject(new ClaimcRuntimeError('ERR_KEY_INVALID', 'the token names a key that is not in this pool'));
      return new Promise<string>((resolve, reject) => {
        queue.push({ input, key, resolve, reject });
        // Tokens requested in the same turn of the event loop travel together.
        if (!flushScheduled) {
          flushScheduled = true;
          queueMicrotask(flush);
        }
      });
    },
    async close() {
      if (!closed) {
        closed = true;
        // Tokens requested before close() still go out, then each worker stops once its last batch is answered.
        if (flushScheduled) flush();
        for (const t of threads) {
          t.worker.ref();
          const stop = (): void => {
            if (t.inFlight === 0) t.worker.postMessage({ kind: 'close' });
            else setImmediate(stop);
          };
          stop();
        }
      }
      await Promise.all(threads.map((t) => t.exited));
    },
  };
}
