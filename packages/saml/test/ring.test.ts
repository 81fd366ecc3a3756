// certifiedKeyRing: the tenant key and every app's custom key with the certificate each is published and signs SAML
// with (the tenant key's generated one; an app's own, valid for its key credential's window). Clock frozen (`now`).
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prepareDirectory } from '@claimc/compiler';
import { validCustomKey } from '@claimc/runtime/internal';
import { defaultIds, defaultSnapshot, demoSigningJwk } from '../../cli/src/demo/tenant.js';
import { importNodeSigningKey } from '@claimc/runtime/node';
import { certifiedKeyRing, certifyKey, createSigningCertificate, samlAppCommonName, signingCertificateOf, tenantCertificateCommonName, tenantCertificateWindow } from '../src/index.js';

const now = Date.UTC(2026, 0, 1) / 1000;
const directory = prepareDirectory(defaultSnapshot).directory!;
const key = importNodeSigningKey({ ...demoSigningJwk });

describe('certifiedKeyRing', () => {
  it('certifies the tenant key and gives each custom key its own certificate for its window, deterministically', () => {
    const ring = certifiedKeyRing(directory, key, now);
    expect(new X509Certificate(signingCertificateOf(ring.tenant).pem).subject).toBe(`CN=${tenantCertificateCommonName}`);
    expect(ring.tenant.certificate?.x5t).toBe(createSigningCertificate(key, tenantCertificateWindow).x5t);
    const samlApp = directory.appsByAppId.get(defaultIds.samlApp)!;
    const appKey = ring.applications!.get(defaultIds.samlApp)!;
    expect(appKey.kid).not.toBe(ring.tenant.kid);
    const appCertificate = new X509Certificate(signingCertificateOf(appKey).pem);
    expect(appCertificate.subject).toBe(`CN=${samlAppCommonName}`);
    const credential = validCustomKey(samlApp, now)!;
    expect(new Date(appCertificate.validFrom).toISOString()).toBe(new Date(credential.startDateTime!).toISOString());
    expect(new Date(appCertificate.validTo).toISOString()).toBe(new Date(credential.endDateTime!).toISOString());
    expect(certifiedKeyRing(directory, key, now).applications!.get(defaultIds.samlApp)!.certificate).toEqual(appKey.certificate);
    // apps without a valid custom key are not in the ring; they sign with the tenant key
    expect(ring.applications!.has(defaultIds.daemon)).toBe(false);
  });

  it('keeps a certificate the tenant key already has, shares it with apps when asked, and leaves non-RSA keys alone', () => {
    const given = certifyKey(key, { notBefore: now - 86400, notAfter: now + 86400 });
    const ring = certifiedKeyRing(directory, given, now, { appCertificates: false });
    expect(ring.tenant).toBe(given);
    expect(ring.applications!.get(defaultIds.samlApp)!.certificate).toEqual(given.certificate);
    const ec = importNodeSigningKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const ecRing = certifiedKeyRing(directory, ec, now);
    expect(ecRing.tenant.certificate).toBeUndefined();
    expect(ecRing.applications!.get(defaultIds.samlApp)!.certificate).toBeUndefined();
  });
});
