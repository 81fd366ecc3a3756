import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a sealed value is for: a value sealed for one purpose never opens as another. */
export type SealKind = 'code' | 'refresh' | 'session';

/**
 * Authorization codes, refresh tokens and the sign-in session cookie are sealed (AES-256-GCM) rather than kept in
 * a table: every worker of a cluster that shares the secret can open them; only single use needs shared state.
 *
 * @example
 * const sealer = createSealer(randomBytes(32));
 * sealer.open('code', sealer.seal('code', { user: 'x' })) // { user: 'x' }
 */
export interface Sealer {
  seal(kind: SealKind, payload: Record<string, unknown>): string;
  /** The payload, or undefined when the text was not sealed by this secret for this kind. */
  open(kind: SealKind, text: string): Record<string, unknown> | undefined;
}

/** A sealer over a 32-byte secret. */
export function createSealer(secret: Uint8Array): Sealer {
  if (secret.length !== 32) throw new RangeError('the sealing secret must be 32 bytes');
  const key = Buffer.from(secret);
  return {
    seal(kind, payload) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(kind));
      const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(kind, text) {
      if (!/^[A-Za-z0-9_-]{40,8000}$/.test(text)) return undefined;
      const bytes = Buffer.from(text, 'base64url');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
        decipher.setAAD(Buffer.from(kind));
        decipher.setAuthTag(bytes.subarray(12, 28));
        const json = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
        const value: unknown = JSON.parse(json);
        return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Compares a presented secret with the expected ones in constant time: both sides are hashed first, so neither
 * the length nor the first differing byte shows in the timing.
 *
 * @example
 * secretMatches('s3cret', ['s3cret']) // true
 */
export function secretMatches(presented: string, expected: readonly string[]): boolean {
  const digest = createHash('sha256').update(presented, 'utf8').digest();
  let found = false;
  for (const candidate of expected) {
    // every candidate is compared, even after a match
    if (timingSafeEqual(digest, createHash('sha256').update(candidate, 'utf8').digest())) found = true;
  }
  return found;
}

/**
 * Single use of authorization codes: the first caller for an id gets true until `expiresAt` (Unix seconds); later
 * callers get false. In-memory here; a cluster's workers ask their primary (see the CLI's `--workers`).
 */
export type ConsumeOnce = (id: string, expiresAt: number, now: number) => boolean | Promise<boolean>;

/**
 * The in-memory {@link ConsumeOnce}: remembers used ids until they expire.
 *
 * @example
 * const consume = memoryConsumeOnce();
 * consume('code-id', now + 600, now) // true, then false
 */
export function memoryConsumeOnce(): ConsumeOnce {
  const used = new Map<string, number>();
  return (id, expiresAt, now) => {
    if (used.size > 1000) for (const [seen, until] of used) if (until <= now) used.delete(seen);
    if (used.has(id)) return false;
    used.set(id, expiresAt);
    return true;
  };
}
