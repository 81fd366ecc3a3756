import { createHash, createPublicKey, sign as cryptoSign, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { ClaimcRuntimeError, withCertificate, type KeyCertificate, type KeyDescription } from '@claimc/runtime/internal';
import type { NodeSigningKey } from '@claimc/runtime/node';

/** An X.509 certificate for a signing key, in every form the outputs need. */
export interface SigningCertificate extends KeyCertificate {
  /** PEM text (`-----BEGIN CERTIFICATE-----`). */
  readonly pem: string;
  /** Standard base64 of the DER bytes: the text of `<X509Certificate>` in XML signatures and metadata. */
  readonly base64: string;
  readonly subject: string;
  /** Validity, ISO 8601 UTC. */
  readonly notBefore: string;
  readonly notAfter: string;
}

/** What a generated self-signed certificate says. */
export interface CertificateOptions {
  /** Subject and issuer common name (default `accounts.accesscontrol.windows.net`, the CN of Entra's token-signing certificates). */
  readonly commonName?: string;
  /** Validity start and end, Unix seconds (callers pass fixed dates or the injected clock, never the wall clock). */
  readonly notBefore: number;
  readonly notAfter: number;
}

/** The CN of the certificates Entra signs tokens with; SAML apps' own certificates use `samlAppCommonName`. */
export const tenantCertificateCommonName = 'accounts.accesscontrol.windows.net';
/** The CN of the certificates Entra creates for an enterprise app's SAML signing. */
export const samlAppCommonName = 'Microsoft Azure Federated SSO Certificate';

const keyError = (message: string, cause?: unknown): ClaimcRuntimeError => new ClaimcRuntimeError('ERR_KEY_INVALID', message, cause === undefined ? {} : { cause });

/** The node:crypto private key of an RSA signing key; certificates and XML signatures use RSA, as Entra does. */
export function rsaKeyObject(key: NodeSigningKey): KeyObject {
  if (key.keyObject === undefined || key.keyObject.asymmetricKeyType !== 'rsa') {
    throw keyError(`certificates and SAML signatures need an RSA key (rsa-sha256); this key signs ${key.alg}`);
  }
  return key.keyObject;
}

function describe(pem: string): SigningCertificate {
  const x509 = new X509Certificate(pem);
  const der = x509.raw;
  return Object.freeze({
    pem: x509.toString(),
    base64: der.toString('base64'),
    x5t: createHash('sha1').update(der).digest('base64url'),
    x5c: Object.freeze([der.toString('base64')]),
    subject: x509.subject,
    notBefore: new Date(x509.validFrom).toISOString(),
    notAfter: new Date(x509.validTo).toISOString(),
  });
}

/**
 * Makes the self-signed certificate of an RSA signing key (sha256WithRSAEncryption). Deterministic: the serial number
 * is derived from the public key and the validity, and RSA PKCS#1 v1.5 signatures are deterministic, so the same key
 * and dates always give the same certificate (and the same `x5t`).
 *
 * @example
 * const certificate = createSigningCertificate(key, { notBefore: Date.UTC(2020, 0, 1) / 1000, notAfter: Date.UTC(2049, 11, 31) / 1000 });
 * certificate.x5t // base64url SHA-1 thumbprint, the v1 JWT header's x5t
 */
export function createSigningCertificate(key: NodeSigningKey, options: CertificateOptions): SigningCertificate {
  const privateKey = rsaKeyObject(key);
  if (!(options.notAfter > options.notBefore)) throw keyError('a certificate must end after it starts');
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const serial = createHash('sha256').update(spki).update(`${options.notBefore}|${options.notAfter}`).digest().subarray(0, 16);
  serial[0] = (serial[0]! & 0x3f) | 0x40; // positive and without a leading zero byte
  const rsa = forge.pki.publicKeyFromPem(publicKey.export({ format: 'pem', type: 'spki' }) as string) as forge.pki.rsa.PublicKey;
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = rsa;
  certificate.serialNumber = serial.toString('hex');
  certificate.validity.notBefore = new Date(options.notBefore * 1000);
  certificate.validity.notAfter = new Date(options.notAfter * 1000);
  const name = [{ shortName: 'CN', value: options.commonName ?? tenantCertificateCommonName }];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  // forge lays out the to-be-signed bytes and asks the key to sign them; node:crypto signs (forge's pure-JS RSA is far slower)
  const signer = {
    sign: (): string => {
      const tbs = Buffer.from(forge.asn1.toDer(certificate.tbsCertificate).getBytes(), 'binary');
      return cryptoSign('sha256', tbs, privateKey).toString('binary');
    },
  };
  certificate.sign(signer as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return describe(forge.pki.certificateToPem(certificate));
}

/**
 * Reads a certificate PEM (one Entra or a CA issued) and checks that it belongs to the signing key.
 *
 * @example
 * const certificate = readSigningCertificate(readFileSync('saml.crt', 'utf8'), key);
 */
export function readSigningCertificate(pem: string, key: NodeSigningKey): SigningCertificate {
  let certificate: SigningCertificate;
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(pem);
    certificate = describe(pem);
  } catch (error) {
    throw keyError('the certificate is not a PEM or DER X.509 certificate', error);
  }
  if (key.keyObject === undefined || !x509.checkPrivateKey(key.keyObject)) throw keyError('the certificate does not belong to the signing key');
  return certificate;
}

/**
 * The key with its certificate attached (`withCertificate`): v1 JWT headers and JWKS then carry the certificate's
 * `x5t`, JWKS its `x5c`, and the SAML builders find the certificate on the key.
 *
 * @example
 * const key = certifyKey(importNodeSigningKey(pem), { notBefore, notAfter });
 */
export function certifyKey(key: NodeSigningKey, options: CertificateOptions | SigningCertificate): NodeSigningKey {
  const certificate = 'pem' in options ? options : createSigningCertificate(key, options);
  return withCertificate(key, certificate);
}

/**
 * The certificate attached to a key (`certifyKey`, `withCertificate`), in every form; `ERR_KEY_INVALID` when it has none.
 *
 * @example
 * signingCertificateOf(certifyKey(key, window)).pem // '-----BEGIN CERTIFICATE-----…'
 */
export function signingCertificateOf(key: KeyDescription): SigningCertificate {
  const der = key.certificate?.x5c[0];
  if (der === undefined) throw keyError(`the key ${key.kid} has no certificate; attach one with certifyKey`);
  return describe(`-----BEGIN CERTIFICATE-----\n${der.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`);
}
