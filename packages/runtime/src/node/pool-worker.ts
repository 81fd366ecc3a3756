// A signing pool's worker thread: receives the pool's keys once, then batches of [key index, signing input] and
// answers each batch with the base64url signatures (or the error message of the batch).
import type { KeyObject } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { signBuffer } from './material.js';

type AsymmetricAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'EdDSA';
type Message =
  | { readonly kind: 'keys'; readonly keys: readonly { readonly alg: AsymmetricAlgorithm; readonly keyObject: KeyObject }[] }
  | { readonly kind: 'sign'; readonly batch: number; readonly jobs: readonly (readonly [number, string])[] }
  | { readonly kind: 'close' };

const port = parentPort;
if (port === null) throw new Error('pool-worker runs only as a worker thread');
let keys: readonly { readonly alg: AsymmetricAlgorithm; readonly keyObject: KeyObject }[] = [];
port.on('message', (message: Message) => {
  if (message.kind === 'keys') keys = message.keys;
  else if (message.kind === 'close') port.close();
  else {
    try {
      const signatures = message.jobs.map(([index, input]) => {
        const key = keys[index];
        if (key === undefined) throw new Error(`no key ${index} in this pool`);
        return signBuffer(key.alg, key.keyObject, Buffer.from(input, 'latin1')).toString('base64url');
      });
      port.postMessage({ batch: message.batch, signatures });
    } catch (error) {
      port.postMessage({ batch: message.batch, error: error instanceof Error ? error.message : String(error) });
    }
  }
});
