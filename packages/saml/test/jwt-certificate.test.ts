// The v1 JWT header's x5t is the base64url SHA-1 thumbprint of the signing certificate (seed 004: x5t names the
// certificate's thumbprint, not a GUID), on the portable (jose) and Node signers alike, and JWKS publish the
// certificate (x5c) that jose can import to verify the token. Clock frozen (`now`).
import { createHash, X509Certificate } from 'node:crypto';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { prepareDirectory } from '@claimc/compiler';
import { assembleToken, importSigningKey, jwks, signJwt, withCertificate, withKid, type AssembledJwt, type KeyDescription, type KeyRing } from '@claimc/runtime/internal';
import { defaultIds, defaultSnapshot, defaultUserIds, demoSigningJwk } from '../../cli/src/demo/tenant.js';
import { importNodeSigningKey, signJwtSync } from '@claimc/runtime/node';
import { certifyKey, signingCertificateOf } from '../src/index.js';

const now = Date.UTC(2026, 0, 1) / 1000;
const window = { notBefore: Date.UTC(2020, 0, 1) / 1000, notAfter: Date.UTC(2049, 11, 31) / 1000 };

describe('x5t from the certificate', () => {
  const directory = prepareDirectory(defaultSnapshot).directory!;
  // a v1 ID token for the web app, which signs with its custom key
  const token = assembleToken(directory, { token: 'id', client: defaultIds.webApp, user: defaultUserIds.adele, now, version: 1 }) as AssembledJwt;

  it('both signers put the certificate thumbprint in x5t, and JWKS x5c verifies the token with jose', async () => {
    const nodeKey = certifyKey(importNodeSigningKey({ ...demoSigningJwk }), window);
    const certificate = signingCertificateOf(nodeKey);
    const x5t = createHash('sha1').update(new X509Certificate(certificate.pem).raw).digest('base64url');
    expect(nodeKey.certificate?.x5t).toBe(x5t);
    const portableKey = withCertificate(await importSigningKey({ ...demoSigningJwk }), nodeKey.certificate!);
    // the web app signs with its custom key: the same material under the key credential's id, same certificate here
    const appId = defaultIds.webApp;
    const ring = <K extends KeyDescription>(key: K): KeyRing<K> => ({ tenant: key, applications: new Map([[appId, withKid(key, 'e5000000-0000-4000-8000-000000000001')]]) });
    const fast = signJwtSync(token, ring(nodeKey));
    const portable = await signJwt(token, ring(portableKey));
    expect(fast).toBe(portable);
    const header = decodeProtectedHeader(fast);
    expect(header).toEqual({ typ: 'JWT', alg: 'RS256', x5t, kid: 'e5000000-0000-4000-8000-000000000001' });

    const published = jwks([ring(nodeKey).applications!.get(appId)!]).keys[0]!;
    expect(published.x5t).toBe(x5t);
    expect(published.x5c).toEqual([certificate.base64]);
    const { payload } = await jwtVerify(fast, await importX509(certificate.pem, 'RS256'), { currentDate: new Date(now * 1000) });
    expect(payload.aud).toBe(token.payload.aud);
  });

  it('a key without a certificate keeps its kid as x5t (EC, Ed25519, HMAC)', async () => {
    const key = await importSigningKey({ ...demoSigningJwk });
    const header = decodeProtectedHeader(await signJwt(token, { tenant: key, applications: new Map([[defaultIds.webApp, key]]) }));
    expect(header.x5t).toBe(key.kid);
  });
});
