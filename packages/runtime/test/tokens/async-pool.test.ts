import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { assembleToken, importSigningKey, jwks, type AssembledJwt, type SigningAlgorithm } from '@claimc/runtime/internal';
import { createSigningPool, importNodeSigningKey, signJwtAsync, signJwtSync, type SigningPool } from '@claimc/runtime/node';
import { CLIENT, NOW, USER, directoryOf, tenant } from '../../../testkit/src/index.js';

// The asynchronous fast path and the worker pool sign the same bytes as signJwtSync; jose verifies them. Clock frozen at NOW.

const privateJwk = (alg: SigningAlgorithm): JWK => {
  if (alg === 'HS256') return { kty: 'oct', k: randomBytes(32).toString('base64url'), alg: 'HS256' };
  const pair = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...(pair.privateKey.export({ format: 'jwk' }) as JWK), ...(alg === 'PS256' ? { alg: 'PS256' } : {}) };
};

const directory = directoryOf(tenant());
const tokens: AssembledJwt[] = Array.from({ length: 12 }, (_, i) => {
  const token = assembleToken(directory, { token: 'id', client: CLIENT, user: USER, now: NOW + i, version: 2 });
  if (token.format !== 'jwt') throw new Error('jwt expected');
  return token;
});
const pools: SigningPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
});

describe.each(['RS256', 'PS256', 'ES256', 'EdDSA', 'HS256'] as const)('%s', (alg) => {
  const jwk = privateJwk(alg);
  const ring = { tenant: importNodeSigningKey(jwk) };
  // RS256, EdDSA and HMAC signatures are deterministic: the same bytes; ES256/PS256 are randomized: the same signing input.
  const deterministic = alg === 'RS256' || alg === 'EdDSA' || alg === 'HS256';
  const compare = (actual: string, expected: string): void => {
    if (deterministic) expect(actual).toBe(expected);
    else expect(actual.split('.').slice(0, 2)).toEqual(expected.split('.').slice(0, 2));
  };
  const verify = async (jwt: string, token: AssembledJwt): Promise<void> => {
    const key = await importSigningKey(jwk);
    const verifyKey = alg === 'HS256' ? key.key : createLocalJWKSet(jwks([key]));
    const { payload } = await jwtVerify(jwt, verifyKey as Parameters<typeof jwtVerify>[1], { algorithms: [alg], audience: CLIENT, currentDate: new Date((NOW + 30) * 1000) });
    expect(payload).toEqual({ ...token.payload });
  };

  it('signJwtAsync: the bytes of signJwtSync, verified by jose, many in flight', async () => {
    const jwts = await Promise.all(tokens.map((token) => signJwtAsync(token, ring)));
    for (const [i, jwt] of jwts.entries()) {
      compare(jwt, signJwtSync(tokens[i] as AssembledJwt, ring));
      await verify(jwt, tokens[i] as AssembledJwt);
    }
  });

  it('signing pool: the bytes of signJwtSync, verified by jose, in request order', async () => {
    const pool = createSigningPool(ring, { threads: 2, batchSize: 5 });
    pools.push(pool);
    const jwts = await Promise.all(tokens.map((token) => pool.signJwt(token)));
    for (const [i, jwt] of jwts.entries()) {
      compare(jwt, signJwtSync(tokens[i] as AssembledJwt, ring));
      await verify(jwt, tokens[i] as AssembledJwt);
    }
  });
});

describe('signing pool lifecycle', () => {
  it('close() finishes the tokens in flight, stops the workers, and refuses new work', async () => {
    const ring = { tenant: importNodeSigningKey(privateJwk('ES256')) };
    const pool = createSigningPool(ring, { threads: 2 });
    const inFlight = tokens.map((token) => pool.signJwt(token));
    const closing = pool.close();
    expect((await Promise.all(inFlight)).every((jwt) => jwt.split('.').length === 3)).toBe(true);
    await closing;
    await expect(pool.signJwt(tokens[0] as AssembledJwt)).rejects.toMatchObject({ code: 'ERR_SIGNING_POOL' });
    await pool.close();
  });

  it('a key outside the pool is refused with the same error as the synchronous path', async () => {
    const pool = createSigningPool({ tenant: importNodeSigningKey(privateJwk('ES256')) }, { threads: 1 });
    pools.push(pool);
    const forged = { tenant: { ...importNodeSigningKey(privateJwk('ES256')), alg: 'RS256' as const } };
    expect(() => signJwtSync(tokens[0] as AssembledJwt, forged)).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
    await expect(signJwtAsync(tokens[0] as AssembledJwt, forged)).rejects.toMatchObject({ code: 'ERR_KEY_INVALID' });
  });
});
