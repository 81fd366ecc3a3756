import { newJsonScratch, type JsonScratch } from './payload-writer.js';
import { Sha256 } from './sha256.js';

/**
 * The scratch space of one token issuer: a SHA-256's state and block, and the JSON writer's parts. Every use fills
 * and reads it within one synchronous call, so nothing is retained between calls, and each issuer owns its own:
 * nothing mutable is shared between issuers or kept at module level.
 *
 * @example
 * const scratch = new TokenScratch();
 * assembleJwtOnce(shape, request, layouts, scratch);
 */
export class TokenScratch {
  readonly hash = new Sha256();
  readonly json: JsonScratch = newJsonScratch();
}
