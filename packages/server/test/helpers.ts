import { prepareDirectory } from '@claimc/compiler';
import { type IndexedDirectory } from '@claimc/runtime/internal';
import { defaultSnapshot, demoSigningJwk } from '../../cli/src/demo/tenant.js';
import { importNodeSigningKey, type NodeSigningKey } from '@claimc/runtime/node';

/** The embedded demo tenant, prepared. */
export function demoDirectory(snapshot: unknown = defaultSnapshot): IndexedDirectory {
  const prepared = prepareDirectory(snapshot);
  if (prepared.directory === undefined) throw new Error('demo snapshot did not prepare');
  return prepared.directory;
}

export const demoKey: NodeSigningKey = importNodeSigningKey({ ...demoSigningJwk });

/** Claims that differ per request (time, digests of the request instant, the nonce). */
export const perRequestClaims = ['iat', 'nbf', 'exp', 'uti', 'aio', 'rh', 'nonce', 'auth_time', 'sid', 'c_hash', 'at_hash'];

/** A payload without its per-request claims, for comparing a served token with `claimc issue`'s. */
export function stableClaims(payload: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(payload)) if (!perRequestClaims.includes(name)) out[name] = value;
  return out;
}
