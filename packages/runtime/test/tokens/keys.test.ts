import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { assembleToken, importSigningKey, jwks, pkcs8Algorithm, signJwt, withKid, type AssembledJwt, type SigningKey } from '@claimc/runtime/internal';
import { importNodeSigningKey, signJwtSync, type NodeSigningKey } from '@claimc/runtime/node';
import { CLIENT, NOW, USER, directoryOf, tenant } from '../../../testkit/src/index.js';

// Key material from openssl and node:crypto through both signers; every signature verified by jose. Clock frozen at NOW.

const work = mkdtempSync(join(tmpdir(), 'claimc-keys-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `openssl genpkey` with the given options; returns the PKCS#8 PEM it wrote. */
function genpkey(name: string, algorithm: string, ...options: string[]): string {
  const out = join(work, `${name}.pem`);
  execFileSync('openssl', ['genpkey', '-algorithm', algorithm, ...options.flatMap((o) => ['-pkeyopt', o]), '-out', out], { stdio: 'pipe' });
  return readFileSync(out, 'utf8');
}

const directory = directoryOf(tenant());
const idToken = (): AssembledJwt => {
  const token = assembleToken(directory, { token: 'id', client: CLIENT, user: USER, now: NOW });
  if (token.format !== 'jwt') throw new Error('jwt expected');
  return token;
};

async function verifies(jwt: string, key: SigningKey | NodeSigningKey, alg: string): Promise<void> {
  const { protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks([key])), { algorithms: [alg], audience: CLIENT, currentDate: new Date(NOW * 1000) });
  expect(protectedHeader.alg).toBe(alg);
}

describe('RSASSA-PSS PKCS#8 keys from openssl sign PS256 on both signers', () => {
  const unrestricted = genpkey('pss', 'RSA-PSS');
  const sha256Only = genpkey('pss-sha256', 'RSA-PSS', 'rsa_keygen_bits:2048', 'rsa_pss_keygen_md:sha256', 'rsa_pss_keygen_mgf1_md:sha256', 'rsa_pss_keygen_saltlen:32');
  const shortSalt = genpkey('pss-salt20', 'RSA-PSS', 'rsa_keygen_bits:2048', 'rsa_pss_keygen_md:sha256', 'rsa_pss_keygen_mgf1_md:sha256', 'rsa_pss_keygen_saltlen:20');

  it.each([['unrestricted', unrestricted], ['restricted to SHA-256, salt 32', sha256Only], ['restricted to SHA-256, salt ≥ 20', shortSalt]])('%s: imports as PS256, verifies with jose', async (_, pem) => {
    expect(pkcs8Algorithm(pem)).toBe('RSA-PSS');
    const portable = await importSigningKey(pem);
    const fast = importNodeSigningKey(pem);
    expect([portable.alg, fast.alg]).toEqual(['PS256', 'PS256']);
    expect(fast.kid).toBe(portable.kid);
    expect(fast.publicJwk).toEqual(portable.publicJwk);
    const token = idToken();
    await verifies(await signJwt(token, { tenant: portable }), portable, 'PS256');
    await verifies(signJwtSync(token, { tenant: fast }), fast, 'PS256');
  });

  it('a PSS key is never used for RS256, and keys restricted to other hashes or longer salts are refused', async () => {
    await expect(importSigningKey(unrestricted, { alg: 'RS256' })).rejects.toMatchObject({ code: 'ERR_KEY_INVALID', message: expect.stringMatching(/PS256 only/) });
    expect(() => importNodeSigningKey(unrestricted, { alg: 'RS256' })).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
    const refused = [
      genpkey('pss-sha384', 'RSA-PSS', 'rsa_keygen_bits:2048', 'rsa_pss_keygen_md:sha384', 'rsa_pss_keygen_mgf1_md:sha384', 'rsa_pss_keygen_saltlen:48'),
      genpkey('pss-mgf384', 'RSA-PSS', 'rsa_keygen_bits:2048', 'rsa_pss_keygen_md:sha256', 'rsa_pss_keygen_mgf1_md:sha384', 'rsa_pss_keygen_saltlen:32'),
      genpkey('pss-salt64', 'RSA-PSS', 'rsa_keygen_bits:2048', 'rsa_pss_keygen_md:sha256', 'rsa_pss_keygen_mgf1_md:sha256', 'rsa_pss_keygen_saltlen:64'),
      // parameters present with the defaults: SHA-1
      genpkey('pss-sha1', 'RSA-PSS', 'rsa_keygen_bits:2048', 'rsa_pss_keygen_saltlen:20'),
    ];
    for (const pem of refused) {
      await expect(importSigningKey(pem)).rejects.toMatchObject({ code: 'ERR_KEY_INVALID', message: expect.stringMatching(/cannot sign PS256/) });
      expect(() => importNodeSigningKey(pem)).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID', message: expect.stringMatching(/cannot sign PS256/) }));
    }
  });
});

describe('PKCS#8 key type by ASN.1 parse', () => {
  it('agrees with node:crypto for openssl keys of every supported type, and names no other', () => {
    const cases: [string, string | undefined][] = [
      [genpkey('rsa', 'RSA', 'rsa_keygen_bits:2048'), 'RSA'],
      [genpkey('p256', 'EC', 'ec_paramgen_curve:P-256'), 'P-256'],
      [genpkey('p384', 'EC', 'ec_paramgen_curve:P-384'), undefined],
      [genpkey('ed25519', 'ED25519'), 'Ed25519'],
      [genpkey('ed448', 'ED448'), undefined],
      [genpkey('x25519', 'X25519'), undefined],
    ];
    for (const [pem, type] of cases) {
      expect(pkcs8Algorithm(pem)).toBe(type);
      const nodeType = createPrivateKey(pem).asymmetricKeyType;
      expect(nodeType).toBe({ RSA: 'rsa', 'P-256': 'ec', Ed25519: 'ed25519' }[type ?? ''] ?? nodeType);
    }
  });
  it('EC keys on another curve and unsupported types are refused by both importers', async () => {
    const p384 = readFileSync(join(work, 'p384.pem'), 'utf8');
    await expect(importSigningKey(p384)).rejects.toMatchObject({ code: 'ERR_KEY_INVALID' });
    expect(() => importNodeSigningKey(p384)).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
  });
  it('malformed DER is ERR_KEY_INVALID, never a bare exception', async () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    const asPem = (bytes: Buffer): string => `-----BEGIN PRIVATE KEY-----\n${bytes.toString('base64')}\n-----END PRIVATE KEY-----\n`;
    for (const bad of [der.subarray(0, 20), Buffer.concat([der, Buffer.from([0])]), Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), Buffer.from([0x30, 0x03, 0x02, 0x01])]) {
      expect(() => pkcs8Algorithm(asPem(bad))).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
      await expect(importSigningKey(asPem(bad))).rejects.toMatchObject({ code: 'ERR_KEY_INVALID' });
      expect(() => importNodeSigningKey(asPem(bad))).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
    }
    for (const cut of [pem.slice(0, 60), '-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n']) {
      expect(() => pkcs8Algorithm(cut)).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
      await expect(importSigningKey(cut)).rejects.toMatchObject({ code: 'ERR_KEY_INVALID' });
      expect(() => importNodeSigningKey(cut)).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
    }
  });
});

describe('the algorithm comes from the key material, never from the key record', () => {
  const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicPem = createPrivateKey(rsaPem).export({ format: 'pem', type: 'pkcs1' }).toString().replace(/RSA PRIVATE/g, 'PUBLIC');
  const hmacJwk: JWK = { kty: 'oct', k: randomBytes(32).toString('base64url') };
  const token = idToken();
  const refused = { code: 'ERR_KEY_INVALID' };

  it('fast path: an RSA key under an ES256 or PS256 header, alg none, or an unregistered secret is refused', () => {
    const rsa = importNodeSigningKey(rsaPem);
    const hmac = importNodeSigningKey(hmacJwk);
    for (const alg of ['ES256', 'PS256', 'HS256', 'none']) {
      expect(() => signJwtSync(token, { tenant: { ...rsa, alg } as NodeSigningKey })).toThrow(expect.objectContaining(refused));
    }
    expect(() => signJwtSync(token, { tenant: { ...hmac, alg: 'HS512' } })).toThrow(expect.objectContaining(refused));
    // a public PEM as an HMAC secret, in a hand-made record and as an oct JWK
    expect(() => signJwtSync(token, { tenant: { ...hmac, secret: Buffer.from(publicPem) } })).toThrow(expect.objectContaining(refused));
    expect(() => signJwtSync(token, { tenant: { alg: 'HS256', kid: 'k', signatureLength: 32, publicJwk: undefined, keyObject: undefined, secret: Buffer.from(publicPem) } })).toThrow(expect.objectContaining(refused));
    expect(() => importNodeSigningKey({ kty: 'oct', k: Buffer.from(publicPem).toString('base64url') })).toThrow(expect.objectContaining(refused));
    // asking an importer for alg none (from JavaScript, past the types) is refused too
    expect(() => importNodeSigningKey(rsaPem, { alg: 'none' as 'RS256' })).toThrow(expect.objectContaining(refused));
    expect(() => importNodeSigningKey(hmacJwk, { alg: 'none' as 'HS256' })).toThrow(expect.objectContaining(refused));
    // copies keep their material and its algorithm
    expect(decodeProtectedHeader(signJwtSync(token, { tenant: { ...rsa } })).alg).toBe('RS256');
  });

  it('portable path: the same forgeries are refused with the project error', async () => {
    const rsa = await importSigningKey(rsaPem);
    const hmac = await importSigningKey(hmacJwk);
    for (const alg of ['ES256', 'PS256', 'HS256', 'none']) {
      await expect(signJwt(token, { tenant: { ...rsa, alg } as SigningKey })).rejects.toMatchObject(refused);
    }
    await expect(signJwt(token, { tenant: { ...hmac, key: new TextEncoder().encode(publicPem) } as unknown as SigningKey })).rejects.toMatchObject(refused);
    await expect(importSigningKey({ kty: 'oct', k: Buffer.from(publicPem).toString('base64url') })).rejects.toMatchObject(refused);
    await expect(importSigningKey(rsaPem, { alg: 'none' as 'RS256' })).rejects.toMatchObject(refused);
    const jwt = await signJwt(token, { tenant: hmac });
    await expect(jwtVerify(jwt, hmac.key, { algorithms: ['HS256'], currentDate: new Date(NOW * 1000) })).resolves.toBeDefined();
  });

  it('header text a record carries is never reused: a forged encodedHeaders cannot change alg or kid', async () => {
    const rsa = importNodeSigningKey(rsaPem);
    const forged = { ...rsa.encodedHeaders!, plain: Buffer.from('{"alg":"none","kid":"x"}').toString('base64url') };
    const jwt = signJwtSync(token, { tenant: { ...rsa, encodedHeaders: forged } });
    expect(decodeProtectedHeader(jwt)).toEqual({ typ: 'JWT', alg: 'RS256', kid: rsa.kid });
    await verifies(jwt, rsa, 'RS256');
  });

  it('kids outside [A-Za-z0-9._~+/=-]{1,128} are refused at import, in withKid and at signing', async () => {
    for (const kid of ['a b', 'a"b', 'a\nb', '', 'k'.repeat(129), 'a<b', 'ü']) {
      await expect(importSigningKey(hmacJwk, { kid })).rejects.toMatchObject(refused);
      expect(() => importNodeSigningKey(hmacJwk, { kid })).toThrow(expect.objectContaining(refused));
      const key = importNodeSigningKey(rsaPem);
      expect(() => withKid(key, kid)).toThrow(expect.objectContaining(refused));
      expect(() => signJwtSync(token, { tenant: { ...key, kid } })).toThrow(expect.objectContaining(refused));
    }
    const ok = 'Ab0._~+/=-'.repeat(12).slice(0, 128);
    expect(decodeProtectedHeader(signJwtSync(token, { tenant: withKid(importNodeSigningKey(rsaPem), ok) })).kid).toBe(ok);
  });
});
