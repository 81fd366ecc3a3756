import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { JWK } from 'jose';
import { ClaimcRuntimeError } from '../errors.js';
import { base64url } from '../token/sha256.js';
import { checkKid, describeJwk, encodedJwtHeaders, importSigningKey, parseKeyMaterial, pkcs8Algorithm, publicPart, withKid } from './keys.js';

// Key import boundaries: kid charset and length, private members never published, PKCS#8 algorithm by OID,
// the strength floors (RSA 2048 bits, HMAC secrets the size of the hash), curve checks.
const pem = (type: 'rsa' | 'rsa-pss' | 'ec' | 'ed25519', options: Record<string, unknown> = {}): string =>
  (generateKeyPairSync as (t: string, o: unknown) => { privateKey: { export(o: unknown): string } })(type, { modulusLength: 2048, namedCurve: 'P-256', ...options }).privateKey.export({ format: 'pem', type: 'pkcs8' });
const jwkOf = (type: 'rsa' | 'ec' | 'ed25519', options: Record<string, unknown> = {}): JWK =>
  (generateKeyPairSync as (t: string, o: unknown) => { privateKey: { export(o: unknown): JWK } })(type, { modulusLength: 2048, namedCurve: 'P-256', ...options }).privateKey.export({ format: 'jwk' });
const secret = (bytes: number): JWK => ({ kty: 'oct', k: base64url(randomBytes(bytes)) });

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ClaimcRuntimeError);
    expect((error as ClaimcRuntimeError).code).toBe('ERR_KEY_INVALID');
    return (error as Error).message;
  }
  throw new Error('expected ERR_KEY_INVALID');
}

describe('checkKid', () => {
  // dots and slashes are in the charset: a kid is a label, never used as a path
  it.each(['a', 'k1', 'A-Z_a.z~0+9/=', 'x'.repeat(128), 'nOI8zY0ZuXEqZVfEf6rCm9rIIfA', '../etc'])('accepts %j', (kid) => {
    expect(checkKid(kid)).toBe(kid);
  });
  it.each(['', 'x'.repeat(129), 'a b', 'a"b', 'a\\b', 'a\nb', 'ключ', 'a:b', 'a#b', 'a?b', '<kid>', 'kid\u0000'])('refuses %j', (kid) => {
    expect(refusal(() => checkKid(kid))).toContain('is not 1–128 characters of [A-Za-z0-9._~+/=-]');
  });
  it('withKid checks the new kid and re-encodes the headers for it', () => {
    const key = { alg: 'ES256' as const, kid: 'old', signatureLength: 64, publicJwk: { kty: 'EC', kid: 'old' }, encodedHeaders: encodedJwtHeaders('ES256', 'old') };
    const copy = withKid(key, 'new');
    expect(copy.kid).toBe('new');
    expect(copy.publicJwk).toEqual({ kty: 'EC', kid: 'new' });
    expect(copy.encodedHeaders).toEqual(encodedJwtHeaders('ES256', 'new'));
    expect(Object.isFrozen(copy)).toBe(true);
    expect(withKid({ ...key, publicJwk: undefined }, 'h').publicJwk).toBeUndefined();
    expect(refusal(() => withKid(key, 'bad kid'))).toContain('bad kid');
  });
});

describe('encodedJwtHeaders', () => {
  it('encodes typ, alg, kid (and x5t before kid for v1) in that order', () => {
    const headers = encodedJwtHeaders('RS256', 'k1');
    expect(Buffer.from(headers.plain, 'base64url').toString()).toBe('{"typ":"JWT","alg":"RS256","kid":"k1"}');
    expect(Buffer.from(headers.x5t, 'base64url').toString()).toBe('{"typ":"JWT","alg":"RS256","x5t":"k1","kid":"k1"}');
    expect(headers).toMatchObject({ alg: 'RS256', kid: 'k1' });
    expect(Object.isFrozen(headers)).toBe(true);
  });
});

describe('publicPart', () => {
  it('drops every private member and ext / key_ops, keeps the rest', () => {
    const jwk = { kty: 'RSA', n: 'n', e: 'AQAB', d: 'd', p: 'p', q: 'q', dp: 'dp', dq: 'dq', qi: 'qi', oth: [], k: 'k', ext: true, key_ops: ['sign'], alg: 'RS256', kid: 'x' } as JWK;
    expect(publicPart(jwk)).toEqual({ kty: 'RSA', n: 'n', e: 'AQAB', alg: 'RS256', kid: 'x' });
  });
});

describe('pkcs8Algorithm', () => {
  it('reads RSA, RSA-PSS, P-256 and Ed25519 from the AlgorithmIdentifier', () => {
    expect(pkcs8Algorithm(pem('rsa'))).toBe('RSA');
    expect(pkcs8Algorithm(pem('rsa-pss'))).toBe('RSA-PSS');
    expect(pkcs8Algorithm(pem('ec'))).toBe('P-256');
    expect(pkcs8Algorithm(pem('ed25519'))).toBe('Ed25519');
  });
  it('is undefined for other curves and for text without a PKCS#8 block', () => {
    expect(pkcs8Algorithm(pem('ec', { namedCurve: 'P-384' }))).toBeUndefined();
    expect(pkcs8Algorithm('no key here')).toBeUndefined();
  });
});

describe('parseKeyMaterial', () => {
  it('passes a JWK object through and parses JWK JSON (surrounding whitespace allowed)', () => {
    const jwk = { kty: 'oct', k: 'abc' } as JWK;
    expect(parseKeyMaterial(jwk)).toEqual({ jwk });
    expect(parseKeyMaterial('  {"kty":"oct","k":"abc"}\n')).toEqual({ jwk });
  });
  it('keeps a PKCS#8 PEM trimmed', () => {
    const text = pem('ec');
    expect(parseKeyMaterial(`\n${text}\n\n`)).toEqual({ pem: text.trim() });
  });
  it('refuses broken JSON, PKCS#1 and SEC1 PEMs and anything else, with the reason', () => {
    expect(refusal(() => parseKeyMaterial('{"kty":'))).toBe('key material looks like JSON but does not parse as a JWK');
    expect(refusal(() => parseKeyMaterial('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----'))).toContain('PKCS#1/SEC1 PEM keys are not supported');
    expect(refusal(() => parseKeyMaterial('-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----'))).toContain('PKCS#1/SEC1 PEM keys are not supported');
    expect(refusal(() => parseKeyMaterial('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'))).toBe('key material must be a PKCS#8 PEM ("BEGIN PRIVATE KEY") or a private JWK');
  });
});

describe('describeJwk strength floors and curves', () => {
  it('accepts RSA from 2048 bits and refuses 2040, or a public RSA key', () => {
    expect(describeJwk(jwkOf('rsa'))).toEqual({ alg: 'RS256', signatureLength: 256 });
    const small = jwkOf('rsa', { modulusLength: 1024 });
    expect(refusal(() => describeJwk(small))).toBe('RSA keys must be at least 2048 bits; this one has 1024');
    const rsa = jwkOf('rsa');
    expect(refusal(() => describeJwk({ ...rsa, n: rsa.n!.slice(0, 340) }))).toBe('RSA keys must be at least 2048 bits; this one has 2040');
    expect(refusal(() => describeJwk({ kty: 'RSA', n: rsa.n!, e: 'AQAB' }))).toContain('needs the private JWK members n and d');
  });

  it('signs ES256 only with a private P-256 key, EdDSA only with a private Ed25519 key', () => {
    expect(describeJwk(jwkOf('ec'))).toEqual({ alg: 'ES256', signatureLength: 64 });
    expect(refusal(() => describeJwk(jwkOf('ec', { namedCurve: 'P-384' })))).toBe('EC signing keys must be private P-256 keys (ES256)');
    const { d: _d, ...publicEc } = jwkOf('ec');
    expect(refusal(() => describeJwk(publicEc as JWK))).toBe('EC signing keys must be private P-256 keys (ES256)');
    expect(describeJwk(jwkOf('ed25519'))).toEqual({ alg: 'EdDSA', signatureLength: 64 });
    const { d: _e, ...publicOkp } = jwkOf('ed25519');
    expect(refusal(() => describeJwk(publicOkp as JWK))).toBe('OKP signing keys must be private Ed25519 keys (EdDSA)');
    expect(refusal(() => describeJwk({ kty: 'OKP', crv: 'X25519', d: 'x', x: 'y' }))).toBe('OKP signing keys must be private Ed25519 keys (EdDSA)');
  });

  it('needs HMAC secrets at least as long as the hash', () => {
    expect(describeJwk(secret(32))).toEqual({ alg: 'HS256', signatureLength: 32 });
    expect(refusal(() => describeJwk(secret(31)))).toBe('HS256 secrets must be at least 32 bytes (the hash size); this one has 31');
    expect(describeJwk(secret(48), 'HS384')).toEqual({ alg: 'HS384', signatureLength: 48 });
    expect(refusal(() => describeJwk(secret(47), 'HS384'))).toBe('HS384 secrets must be at least 48 bytes (the hash size); this one has 47');
    expect(describeJwk(secret(64), 'HS512')).toEqual({ alg: 'HS512', signatureLength: 64 });
    expect(refusal(() => describeJwk(secret(63), 'HS512'))).toBe('HS512 secrets must be at least 64 bytes (the hash size); this one has 63');
    expect(refusal(() => describeJwk({ kty: 'oct' } as JWK))).toBe('an oct JWK needs the member k');
  });

  it('refuses a requested algorithm the key type cannot sign', () => {
    expect(refusal(() => describeJwk(jwkOf('rsa'), 'ES256'))).toBe('an RSA key signs RS256 or PS256, not ES256');
    expect(describeJwk(jwkOf('rsa'), 'PS256')).toEqual({ alg: 'PS256', signatureLength: 256 });
    expect(refusal(() => describeJwk(jwkOf('ec'), 'RS256'))).toBe('a P-256 key signs ES256, not RS256');
    expect(refusal(() => describeJwk(jwkOf('ed25519'), 'ES256'))).toBe('an Ed25519 key signs EdDSA, not ES256');
    expect(describeJwk(jwkOf('ed25519'), 'EdDSA').alg).toBe('EdDSA');
    expect(describeJwk(jwkOf('ed25519'), 'Ed25519' as never).alg).toBe('EdDSA');
    expect(refusal(() => describeJwk(secret(64), 'RS256'))).toBe('a symmetric key signs HS256, HS384 or HS512, not RS256');
  });

  it('needs n as well as d for RSA, and reads a padded modulus by its bytes', () => {
    expect(refusal(() => describeJwk({ kty: 'RSA', d: 'AQAB' } as JWK))).toContain('needs the private JWK members n and d');
    const rsa = jwkOf('rsa');
    expect(describeJwk({ ...rsa, n: `${rsa.n!}==` })).toEqual({ alg: 'RS256', signatureLength: 256 });
  });

  it('refuses unknown key types', () => {
    expect(refusal(() => describeJwk({ kty: 'XYZ' } as JWK))).toBe('unsupported key type XYZ');
  });
});

describe('importSigningKey', () => {
  it('imports a P-256 PEM as ES256 with the thumbprint as kid, publishing only the public half', async () => {
    const key = await importSigningKey(pem('ec'));
    expect(key.alg).toBe('ES256');
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: key.kid, use: 'sig', alg: 'ES256' });
    expect(Object.keys(key.publicJwk!)).not.toContain('d');
    expect(key.encodedHeaders).toEqual(encodedJwtHeaders('ES256', key.kid));
    expect(Object.isFrozen(key)).toBe(true);
  });

  it('uses the given kid (checked) and never publishes an HMAC secret', async () => {
    const key = await importSigningKey(secret(32), { kid: 'hmac-1' });
    expect(key).toMatchObject({ alg: 'HS256', kid: 'hmac-1', publicJwk: undefined });
    expect((await importSigningKey(secret(32))).kid).toBe('hmac');
    await expect(importSigningKey(secret(32), { kid: 'bad kid' })).rejects.toThrow(/bad kid/);
  });

  it('refuses a PKCS#8 key of another algorithm with ERR_KEY_INVALID, saying so', async () => {
    await expect(importSigningKey(pem('ec', { namedCurve: 'P-384' }))).rejects.toMatchObject({ code: 'ERR_KEY_INVALID' });
  });

  it('refuses a broken PKCS#8 body as ERR_KEY_INVALID and wraps broken JWK JSON keeping the cause', async () => {
    const text = pem('ec');
    const body = text.split('\n').slice(1, -2).join('').slice(0, 64);
    const broken = `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`;
    const error = await importSigningKey(broken).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_KEY_INVALID' });
    let parseError: unknown;
    try {
      parseKeyMaterial('{"kty":');
    } catch (e) {
      parseError = e;
    }
    expect((parseError as Error).cause).toBeInstanceOf(SyntaxError);
  });
});
