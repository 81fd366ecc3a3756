import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import { createLocalJWKSet, decodeProtectedHeader, exportJWK, jwtVerify, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  assembleToken,
  importSigningKey,
  jwks,
  prepareJwt,
  samlAssertionXml,
  signJwt,
  tokenSizeNotes,
  type AssembledJwt,
  type SigningAlgorithm,
} from '@claimc/runtime/internal';
import { defaultIds, defaultSnapshot, demoSigningJwk } from '../../../cli/src/demo/tenant.js';
import { importNodeSigningKey, signJwtSync } from '@claimc/runtime/node';
import { CLIENT, NOW, USER, directoryOf, groupId, policy, customKey, tenant } from '../../../testkit/src/index.js';

// Signing (jose portable path and node:crypto fast path), JWKS, byte budget, SAML XML. Clock frozen at NOW.

const privateJwk = (alg: SigningAlgorithm): JWK => {
  if (alg === 'HS256') return { kty: 'oct', k: randomBytes(32).toString('base64url'), alg: 'HS256' };
  const pair =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...(pair.privateKey.export({ format: 'jwk' }) as JWK), ...(alg === 'PS256' ? { alg: 'PS256' } : {}) };
};

const directory = directoryOf(tenant());
const idToken = (version: 1 | 2 = 2): AssembledJwt => {
  const token = assembleToken(directory, { token: 'id', client: CLIENT, user: USER, now: NOW, version });
  if (token.format !== 'jwt') throw new Error('jwt expected');
  return token;
};

describe.each(['RS256', 'PS256', 'ES256', 'EdDSA', 'HS256'] as const)('%s', (alg) => {
  const jwk = privateJwk(alg);
  it('portable and fast path both verify with jwtVerify pinned to alg/iss/aud and carry identical payloads', async () => {
    const key = await importSigningKey(jwk);
    const nodeKey = importNodeSigningKey(jwk);
    expect([key.alg, nodeKey.alg, key.kid]).toEqual([alg, alg, nodeKey.kid]);
    const token = idToken();
    const portable = await signJwt(token, { tenant: key });
    const fast = signJwtSync(token, { tenant: nodeKey });
    expect(fast.split('.').slice(0, 2)).toEqual(portable.split('.').slice(0, 2));
    const verifyKey = alg === 'HS256' ? key.key : createLocalJWKSet(jwks([key]));
    for (const jwt of [portable, fast]) {
      const { payload, protectedHeader } = await jwtVerify(jwt, verifyKey as Parameters<typeof jwtVerify>[1], {
        algorithms: [alg], issuer: token.payload.iss as string, audience: CLIENT, typ: 'JWT', currentDate: new Date(NOW * 1000),
      });
      expect(payload).toEqual({ ...token.payload });
      expect(Object.keys(protectedHeader)).toEqual(['typ', 'alg', 'kid']);
    }
  });
});

describe('keys and headers', () => {
  it('v1 tokens carry x5t = kid', async () => {
    const key = await importSigningKey({ ...demoSigningJwk });
    const header = decodeProtectedHeader(await signJwt(idToken(1), { tenant: key }));
    expect(header).toEqual({ typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid });
  });
  it('refuses short HMAC secrets (K2), RSA < 2048 (K3), unknown material', async () => {
    const short = { kty: 'oct', k: randomBytes(31).toString('base64url') };
    await expect(importSigningKey(short)).rejects.toMatchObject({ code: 'ERR_KEY_INVALID' });
    expect(() => importNodeSigningKey({ kty: 'oct', k: randomBytes(47).toString('base64url'), alg: 'HS384' })).toThrow(/at least 48 bytes/);
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' }) as JWK;
    await expect(importSigningKey(weak)).rejects.toMatchObject({ code: 'ERR_KEY_INVALID' });
    await expect(importSigningKey('hello')).rejects.toMatchObject({ code: 'ERR_KEY_INVALID' });
  });
  it('imports PKCS#8 PEM for RSA, P-256 and Ed25519 with the same kid on both paths', async () => {
    for (const [type, alg] of [['rsa', 'RS256'], ['ec', 'ES256'], ['ed25519', 'EdDSA']] as const) {
      const pair = type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      const [portable, fast] = [await importSigningKey(pem), importNodeSigningKey(pem)];
      expect([portable.alg, fast.alg]).toEqual([alg, alg]);
      expect(portable.kid).toBe(fast.kid);
      expect(portable.publicJwk).toEqual({ ...(await exportJWK(pair.publicKey)), alg, kid: portable.kid, use: 'sig' });
    }
  });
  it('an app with a custom key signs with the ring\'s application key; a ring without it is an error', async () => {
    const d = directoryOf(tenant({ clientSp: { ...customKey('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'app-kid') } }));
    const token = assembleToken(d, { token: 'id', client: CLIENT, user: USER, now: NOW });
    if (token.format !== 'jwt') throw new Error('jwt');
    const key = importNodeSigningKey({ ...demoSigningJwk });
    expect(() => signJwtSync(token, { tenant: key })).toThrow(/custom key cki-app-kid/);
    const jwt = signJwtSync(token, { tenant: key, applications: new Map([[CLIENT, { ...key, kid: 'cki-app-kid' }]]) });
    expect(decodeProtectedHeader(jwt).kid).toBe('cki-app-kid');
  });
});

describe('token size is information, the byte budget is opt-in', () => {
  const many = Array.from({ length: 190 }, (_, i) => ({ id: groupId(i + 1), displayName: `G${i}`, securityEnabled: true, members: [USER] }));
  const d = directoryOf(tenant({ groups: many, client: { groupMembershipClaims: 'SecurityGroup' } }));
  const token = assembleToken(d, { token: 'id', client: CLIENT, user: USER, now: NOW }) as AssembledJwt;
  const key = importNodeSigningKey({ ...demoSigningJwk });
  it('seed 003: a JWT lists up to 200 groups whatever its size — 190 GUIDs stay listed past 8 KB, with a size note', () => {
    const prepared = prepareJwt(token, { tenant: key });
    expect((prepared.payload.groups as string[]).length).toBe(190);
    const jwt = signJwtSync(token, { tenant: key });
    expect(prepared.byteLength).toBe(jwt.length);
    expect(jwt.length).toBeGreaterThan(8192);
    expect(prepared.sizeNotes.map((n) => [n.bytes, n.limit])).toEqual([[jwt.length, 8192]]);
  });
  it('an explicit byteBudget (not Entra behaviour) switches groups to overage; still over → ERR_TOKEN_TOO_LARGE', () => {
    const limited = prepareJwt(token, { tenant: key }, { byteBudget: 8000 });
    expect(limited.payload).not.toHaveProperty('groups');
    expect(limited.payload).toHaveProperty('_claim_names');
    expect(signJwtSync(token, { tenant: key }, { byteBudget: 8000 }).length).toBeLessThanOrEqual(8000);
    expect(limited.sizeNotes).toEqual([]);
    expect(() => prepareJwt(token, { tenant: key }, { byteBudget: 600 })).toThrow(expect.objectContaining({ code: 'ERR_TOKEN_TOO_LARGE' }));
  });
  it('tokenSizeNotes names each server default exceeded', () => {
    expect(tokenSizeNotes(8192)).toEqual([]);
    expect(tokenSizeNotes(8193).map((n) => n.limit)).toEqual([8192]);
    expect(tokenSizeNotes(16385).map((n) => n.limit)).toEqual([8192, 16384]);
  });
});

describe('SAML assertion XML', () => {
  const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');
  it('parses with a real XML parser: Issuer, NameID, Audience, attributes with NameFormat', () => {
    const d = directoryOf(tenant({ user: { department: 'R&D <core>' }, client: { api: { acceptMappedClaims: true } }, clientSp: { claimsMappingPolicies: [{ id: 'p' }] }, policies: [{ id: 'p', definition: policy([{ Source: 'user', ID: 'department', SamlClaimType: 'http://contoso.com/dept', SAMLNameForm: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri' }]) }] }));
    const token = assembleToken(d, { token: 'saml', client: CLIENT, user: USER, now: NOW });
    if (token.format !== 'saml') throw new Error('saml');
    const doc = parse(samlAssertionXml(token));
    const text = (tag: string) => doc.getElementsByTagName(tag)[0]?.textContent;
    expect(text('Issuer')).toBe(token.issuer);
    expect(text('Audience')).toBe('https://client.contoso.com');
    expect(text('NameID')).toBe('ada@contoso.com');
    expect(doc.getElementsByTagName('Conditions')[0]?.getAttribute('NotOnOrAfter')).toBe(new Date((NOW + 4200) * 1000).toISOString());
    const attributes = Array.from(doc.getElementsByTagName('Attribute')).map((a) => ({
      name: a.getAttribute('Name'), nameFormat: a.getAttribute('NameFormat') || undefined, values: Array.from(a.getElementsByTagName('AttributeValue')).map((v) => v.textContent),
    }));
    expect(attributes).toEqual(token.attributes.map((a) => ({ name: a.name, nameFormat: a.nameFormat, values: [...a.values] })));
    expect(attributes).toContainEqual({ name: 'http://contoso.com/dept', nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri', values: ['R&D <core>'] });
  });
  it.each([['control character', 'a\u0001b'], ['lone surrogate', 'a\ud800b'], ['U+FFFE', 'a\ufffe']])('a %s in a value is ERR_SAML_VALUE', (_, value) => {
    const d = directoryOf(tenant({ user: { surname: value } }));
    expect(() => assembleToken(d, { token: 'saml', client: CLIENT, user: USER, now: NOW })).toThrow(expect.objectContaining({ code: 'ERR_SAML_VALUE' }));
  });
});

describe('property: generated users and policies → the signed token verifies and its payload equals the claims output', () => {
  const key = importNodeSigningKey(privateJwk('ES256'));
  const verifyKeys = createLocalJWKSet(jwks([key]));
  const text = fc.string({ unit: 'binary', maxLength: 12 });
  const attributes = ['department', 'jobtitle', 'employeeid', 'city', 'mail', 'extensionattribute1', 'companyname'];
  it('holds for 150 cases', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ department: text, jobTitle: text, employeeId: text, city: text, companyName: text, mail: fc.option(text, { nil: null }), ext1: text }),
        fc.array(fc.record({ id: fc.constantFrom(...attributes), claim: fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/) }), { maxLength: 6 }),
        fc.boolean(),
        fc.constantFrom<1 | 2>(1, 2),
        fc.integer({ min: 0, max: 30 }),
        async (user, entries, includeBasic, version, groupCount) => {
          const schema = entries.map((e) => ({ Source: 'user', ID: e.id, JwtClaimType: `x_${e.claim}` }));
          const groups = Array.from({ length: groupCount }, (_, i) => ({ id: groupId(i + 1), displayName: `G${i}`, securityEnabled: true, members: [USER] }));
          const d = directoryOf(tenant({
            user: { department: user.department, jobTitle: user.jobTitle, employeeId: user.employeeId, city: user.city, companyName: user.companyName, mail: user.mail, onPremisesExtensionAttributes: { extensionAttribute1: user.ext1 } },
            groups,
            client: { groupMembershipClaims: 'SecurityGroup' },
            clientSp: { claimsMappingPolicies: [{ id: 'p' }], ...customKey('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z') },
            policies: [{ id: 'p', definition: policy(schema, { IncludeBasicClaimSet: includeBasic ? 'true' : 'false' }) }],
          }));
          const token = assembleToken(d, { token: 'id', client: CLIENT, user: USER, now: NOW, version }) as AssembledJwt;
          const ring = { tenant: key, applications: new Map([[CLIENT, key]]) };
          const claims = prepareJwt(token, ring).payload;
          const { payload } = await jwtVerify(signJwtSync(token, ring), verifyKeys, { algorithms: ['ES256'], issuer: claims.iss as string, audience: CLIENT, currentDate: new Date(NOW * 1000) });
          expect(payload).toEqual({ ...claims });
          for (const e of entries) if (payload[`x_${e.claim}`] !== undefined) expect(typeof payload[`x_${e.claim}`]).toBe('string');
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('embedded snapshot: every user × app × token type issues a verifiable token', () => {
  it('issues them all', async () => {
    const d = directoryOf(defaultSnapshot);
    const key = importNodeSigningKey({ ...demoSigningJwk });
    const keyset = createLocalJWKSet(jwks([key]));
    const apps = [defaultIds.webApp, defaultIds.api, defaultIds.legacyApi, defaultIds.samlApp, defaultIds.daemon];
    let count = 0;
    for (const user of d.users) {
      for (const client of apps) {
        for (const [token, resource] of [['id', undefined], ['saml', undefined], ...apps.map((r) => ['access', r] as const)] as const) {
          const assembled = assembleToken(d, { token, client, user: user.user.id, now: NOW, ...(resource !== undefined ? { resource } : {}) });
          if (assembled.format === 'saml') {
            expect(new DOMParser().parseFromString(samlAssertionXml(assembled), 'text/xml').getElementsByTagName('NameID').length).toBe(1);
            continue;
          }
          const ring = { tenant: key, applications: new Map(d.apps.map((a) => [a.appId, { ...key }])) };
          const jwt = signJwtSync(assembled, ring);
          const { payload } = await jwtVerify(jwt, keyset, { algorithms: ['RS256'], issuer: assembled.payload.iss as string, audience: assembled.payload.aud as string, currentDate: new Date(NOW * 1000) });
          expect(payload.sub).toBe(assembled.payload.sub);
          count++;
        }
      }
    }
    expect(count).toBe(12 * 5 * 6);
  });
});
