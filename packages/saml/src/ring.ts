import { keyRingFor, signingKeyWindows, validWindow, type IndexedDirectory, type KeyRing } from '@claimc/runtime/internal';
import type { NodeSigningKey } from '@claimc/runtime/node';
import { certifyKey, samlAppCommonName } from './certificate.js';

/** Validity of the generated certificate of a tenant key: fixed dates, so the same key always has the same certificate. */
export const tenantCertificateWindow = { notBefore: Date.UTC(2020, 0, 1) / 1000, notAfter: Date.UTC(2049, 11, 31, 23, 59, 59) / 1000 } as const;

const isRsa = (key: NodeSigningKey): boolean => key.keyObject?.asymmetricKeyType === 'rsa';

/**
 * The key ring of a directory with certificates, as Entra publishes them: the tenant key keeps its certificate (an
 * RSA key without one gets the generated self-signed one, CN `accounts.accesscontrol.windows.net`, valid 2020–2049),
 * and every app with a custom signing key valid at `now` signs with the same material under that key credential's
 * id, with its own certificate (CN `Microsoft Azure Federated SSO Certificate`, valid for the credential's window)
 * unless `appCertificates: false` keeps the tenant key's. JWKS (`x5c`, `x5t`), v1 JWT headers, SAML `KeyInfo` and
 * federation metadata then all name the same certificate. Deterministic: the same key, snapshot and clock give the
 * same certificates.
 *
 * @example
 * const ring = certifiedKeyRing(directory, importNodeSigningKey(pem), now);
 * signingCertificateOf(selectKey(assertion, ring)).pem // the certificate an SP verifies this assertion with
 */
export function certifiedKeyRing(directory: IndexedDirectory, key: NodeSigningKey, now: number, options: { readonly appCertificates?: boolean } = {}): KeyRing<NodeSigningKey> {
  const tenant = key.certificate === undefined && isRsa(key) ? certifyKey(key, tenantCertificateWindow) : key;
  // the runtime's ring decides which apps sign with a custom key and under which kid; this only adds certificates
  const ring = keyRingFor(directory, tenant, now);
  if (options.appCertificates === false || !isRsa(tenant)) return ring;
  const applications = new Map<string, NodeSigningKey>();
  for (const app of directory.apps) {
    const appKey = ring.applications?.get(app.appId);
    if (appKey === undefined) continue;
    const window = validWindow(signingKeyWindows(app), now);
    const notBefore = window !== undefined && Number.isFinite(window.start) ? window.start : tenantCertificateWindow.notBefore;
    const notAfter = window !== undefined && Number.isFinite(window.end) ? window.end : tenantCertificateWindow.notAfter;
    applications.set(app.appId, window === undefined ? appKey : certifyKey(appKey, { commonName: samlAppCommonName, notBefore, notAfter }));
  }
  return { tenant, applications };
}
