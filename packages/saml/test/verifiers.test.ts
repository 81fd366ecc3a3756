// Signed SAML proven by verifiers no one here wrote: @node-saml/node-saml (a service provider library), xmlsec1
// (Debian) and xmllint against the OASIS schemas (Debian opensaml-schemas). Seed 001: the SAML token type covers
// SAML 1.1 and 2.0; Entra signs what it sends, on the assertion, the response or both per the app's signing option.
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { prepareDirectory } from '@claimc/compiler';
import { assembleToken, type AssembledSaml, type IndexedDirectory, type SamlSigningOption } from '@claimc/runtime/internal';
import { defaultIds, defaultSnapshot, defaultUserIds, demoSigningJwk } from '../../cli/src/demo/tenant.js';
import { importNodeSigningKey, type NodeSigningKey } from '@claimc/runtime/node';
import { validateWithXsd, verifyWithXmlsec } from '../../testkit/src/index.js';
import { buildSignedSaml11Assertion, buildSignedSamlResponse, buildWsFedResult, createSigningCertificate, federationMetadataXml, readSigningCertificate, wsFedTokenTypes, type SigningCertificate } from '../src/index.js';

const now = Date.UTC(2026, 0, 1) / 1000; // the injected clock of every assertion here
const acs = 'https://expenses.contoso.com/saml/acs';
const audience = 'https://expenses.contoso.com/saml';
const requestId = '_4fee3b04-6f4d-4e5b-9c1a-3bd5b1c0a001';
const certificateWindow = { notBefore: Date.UTC(2020, 0, 1) / 1000, notAfter: Date.UTC(2049, 11, 31) / 1000 };
const options: readonly SamlSigningOption[] = ['SignAssertion', 'SignResponse', 'SignResponseAndAssertion'];

let directory: IndexedDirectory;
let assertion: AssembledSaml;
let key: NodeSigningKey;
let certificate: SigningCertificate;
let metadataCertificate: string;
let issuer: string;

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');
const serialize = (node: unknown): string => new XMLSerializer().serializeToString(node as Element);
const byLocalName = (root: { getElementsByTagNameNS(ns: string, name: string): ArrayLike<Element> }, name: string): Element[] => Array.from(root.getElementsByTagNameNS('*', name));

beforeAll(() => {
  const prepared = prepareDirectory(defaultSnapshot);
  directory = prepared.directory!;
  assertion = assembleToken(directory, { token: 'saml', client: defaultIds.samlApp, user: defaultUserIds.adele, now }) as AssembledSaml;
  issuer = assertion.issuer;
  key = importNodeSigningKey({ ...demoSigningJwk });
  certificate = createSigningCertificate(key, certificateWindow);
  // the SP is configured from the federation metadata, as an administrator would
  const metadata = parse(federationMetadataXml({ tenantId: directory.organization.id, certificate, key }));
  const x509 = byLocalName(metadata, 'X509Certificate').find((node) => node.parentNode?.parentNode?.parentNode?.localName === 'KeyDescriptor');
  metadataCertificate = x509!.textContent!;
});

afterEach(() => {
  vi.useRealTimers();
});

/** node-saml as an SP would configure it; the clock frozen one minute after issuance. */
async function spAccepts(xml: string, settings: { wantAssertionsSigned?: boolean; wantAuthnResponseSigned?: boolean; cert?: string; at?: number; inResponseTo?: ValidateInResponseTo } = {}) {
  vi.useFakeTimers({ now: (settings.at ?? now + 60) * 1000, toFake: ['Date'] });
  const sp = new SAML({
    idpCert: settings.cert ?? metadataCertificate,
    issuer: audience,
    audience,
    callbackUrl: acs,
    idpIssuer: issuer,
    wantAssertionsSigned: settings.wantAssertionsSigned ?? true,
    wantAuthnResponseSigned: settings.wantAuthnResponseSigned ?? false,
    acceptedClockSkewMs: 0,
    validateInResponseTo: settings.inResponseTo ?? ValidateInResponseTo.always,
  });
  await sp.cacheProvider.saveAsync(requestId, new Date(now * 1000).toISOString());
  return sp.validatePostResponseAsync({ SAMLResponse: Buffer.from(xml, 'utf8').toString('base64') });
}

const response = (signingOption: SamlSigningOption, overrides: Partial<Parameters<typeof buildSignedSamlResponse>[0]> = {}) =>
  buildSignedSamlResponse({ assertion, destination: acs, inResponseTo: requestId, signingOption, key, certificate, ...overrides });

describe('node-saml accepts what claimc signs', () => {
  it.each(options)('%s: accepted with the metadata certificate, profile carries NameID and attributes', async (signingOption) => {
    const { profile } = await spAccepts(response(signingOption), {
      wantAssertionsSigned: signingOption !== 'SignResponse',
      wantAuthnResponseSigned: signingOption !== 'SignAssertion',
    });
    expect(profile?.nameID).toBe(assertion.nameId.value);
    expect(profile?.issuer).toBe(issuer);
    expect(profile?.['http://schemas.microsoft.com/identity/claims/tenantid']).toBe(directory.organization.id);
    expect(profile?.['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname']).toBe('Adele');
  });

  it('the signing option decides what is signed: an SP wanting a signed response rejects SignAssertion, one wanting a signed assertion rejects SignResponse', async () => {
    await expect(spAccepts(response('SignAssertion'), { wantAuthnResponseSigned: true })).rejects.toThrow(/signature/i);
    await expect(spAccepts(response('SignResponse'), { wantAssertionsSigned: true, wantAuthnResponseSigned: true })).rejects.toThrow(/signature/i);
  });

  it('rejects a changed attribute value', async () => {
    for (const signingOption of options) {
      const tampered = response(signingOption).replace('<AttributeValue>Adele</AttributeValue>', '<AttributeValue>Mallory</AttributeValue>');
      expect(tampered).toContain('Mallory');
      await expect(spAccepts(tampered, { wantAssertionsSigned: signingOption !== 'SignResponse', wantAuthnResponseSigned: signingOption !== 'SignAssertion' })).rejects.toThrow();
    }
  });

  it('rejects a signature moved from the assertion to the response', async () => {
    const document = parse(response('SignAssertion'));
    const signature = byLocalName(document, 'Signature')[0]!;
    const responseElement = document.documentElement!;
    signature.parentNode!.removeChild(signature);
    responseElement.insertBefore(signature, byLocalName(document, 'Status')[0]!);
    await expect(spAccepts(serialize(document))).rejects.toThrow();
  });

  it('rejects a wrapping attack: a forged assertion beside the signed one', async () => {
    const document = parse(response('SignAssertion'));
    const original = byLocalName(document, 'Assertion')[0]!;
    const forged = original.cloneNode(true) as Element;
    forged.setAttribute('ID', '_forged');
    const forgedSignature = byLocalName(forged, 'Signature')[0]!;
    forged.removeChild(forgedSignature);
    byLocalName(forged, 'NameID')[0]!.textContent = 'admin@contoso.com';
    document.documentElement!.insertBefore(forged, original);
    await expect(spAccepts(serialize(document))).rejects.toThrow();
    // and the signed assertion moved inside the forged one's Subject
    const nested = parse(response('SignAssertion'));
    const signed = byLocalName(nested, 'Assertion')[0]!;
    const evil = signed.cloneNode(true) as Element;
    evil.setAttribute('ID', '_evil');
    evil.removeChild(byLocalName(evil, 'Signature')[0]!);
    byLocalName(evil, 'NameID')[0]!.textContent = 'admin@contoso.com';
    nested.documentElement!.replaceChild(evil, signed);
    byLocalName(evil, 'SubjectConfirmation')[0]!.appendChild(signed);
    await expect(spAccepts(serialize(nested))).rejects.toThrow();
  });

  it('rejects another key, an unknown InResponseTo and an expired assertion', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const otherKey = importNodeSigningKey(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const other = createSigningCertificate(otherKey, certificateWindow);
    await expect(spAccepts(response('SignAssertion'), { cert: other.base64 })).rejects.toThrow(/signature/i);
    await expect(spAccepts(response('SignAssertion', { inResponseTo: '_not-requested' }))).rejects.toThrow(/InResponseTo/i);
    await expect(spAccepts(response('SignAssertion'), { at: now + 4200 + 1 })).rejects.toThrow(/subject confirmation|expired/i);
  });
});

describe('xmlsec1 verifies the signatures with the certificate', () => {
  it.each(options)('%s', (signingOption) => {
    const xml = response(signingOption);
    expect(verifyWithXmlsec(xml, certificate.pem)).toMatchObject({ ok: true });
    if (signingOption === 'SignResponseAndAssertion') {
      // the assertion's own signature holds when the assertion stands alone (exclusive canonicalization)
      const inner = serialize(byLocalName(parse(xml), 'Assertion')[0]);
      expect(verifyWithXmlsec(inner, certificate.pem)).toMatchObject({ ok: true });
    }
    const tampered = xml.replace('<AttributeValue>Retail</AttributeValue>', '<AttributeValue>Sales</AttributeValue>');
    expect(verifyWithXmlsec(tampered, certificate.pem).ok).toBe(false);
  });

  it('fails with another certificate', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = createSigningCertificate(importNodeSigningKey(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string), certificateWindow);
    expect(verifyWithXmlsec(response('SignAssertion'), other.pem).ok).toBe(false);
  });
});

describe('OASIS schemas (xmllint)', () => {
  it.each(options)('%s Response validates against saml-schema-protocol-2.0', (signingOption) => {
    expect(validateWithXsd(response(signingOption), 'protocol')).toEqual({ valid: true, errors: [] });
  });

  it('the signed assertion validates against saml-schema-assertion-2.0; a misplaced signature does not', () => {
    const signed = serialize(byLocalName(parse(response('SignAssertion')), 'Assertion')[0]);
    expect(validateWithXsd(signed, 'assertion')).toEqual({ valid: true, errors: [] });
    const document = parse(signed);
    const signature = byLocalName(document, 'Signature')[0]!;
    document.documentElement!.removeChild(signature);
    document.documentElement!.appendChild(signature);
    expect(validateWithXsd(serialize(document), 'assertion').valid).toBe(false);
  });

  it('IdP-initiated (no InResponseTo) still validates and is accepted without a request', async () => {
    const xml = buildSignedSamlResponse({ assertion, destination: acs, key, certificate });
    expect(xml).not.toContain('InResponseTo');
    expect(validateWithXsd(xml, 'protocol').valid).toBe(true);
    const { profile } = await spAccepts(xml, { inResponseTo: ValidateInResponseTo.ifPresent });
    expect(profile?.nameID).toBe(assertion.nameId.value);
    await expect(spAccepts(xml)).rejects.toThrow(/InResponseTo/i);
  });
});

describe('SAML 1.1 and WS-Federation', () => {
  it('a signed SAML 1.1 assertion validates against the SAML 1.1 schema and verifies with xmlsec1', () => {
    const xml = buildSignedSaml11Assertion({ assertion, key, certificate });
    expect(validateWithXsd(xml, 'saml11-assertion')).toEqual({ valid: true, errors: [] });
    expect(verifyWithXmlsec(xml, certificate.pem)).toMatchObject({ ok: true });
    const document = parse(xml);
    const givenName = byLocalName(document, 'Attribute').find((a) => a.getAttribute('AttributeName') === 'givenname')!;
    expect(givenName.getAttribute('AttributeNamespace')).toBe('http://schemas.xmlsoap.org/ws/2005/05/identity/claims');
    expect(verifyWithXmlsec(xml.replace('>Adele<', '>Mallory<'), certificate.pem).ok).toBe(false);
  });

  it.each(['saml11', 'saml2'] as const)('wresult (RequestSecurityTokenResponse) carrying a signed %s token', (tokenType) => {
    const wresult = buildWsFedResult({ assertion, key, certificate, tokenType });
    const document = parse(wresult);
    expect(document.documentElement!.localName).toBe('RequestSecurityTokenResponse');
    expect(byLocalName(document, 'TokenType')[0]!.textContent).toBe(wsFedTokenTypes[tokenType]);
    expect(byLocalName(document, 'Address')[0]!.textContent).toBe(audience);
    const token = byLocalName(document, 'RequestedSecurityToken')[0]!.getElementsByTagNameNS('*', 'Assertion')[0]!;
    const tokenXml = serialize(token);
    expect(validateWithXsd(tokenXml, tokenType === 'saml11' ? 'saml11-assertion' : 'assertion')).toEqual({ valid: true, errors: [] });
    expect(verifyWithXmlsec(tokenXml, certificate.pem)).toMatchObject({ ok: true });
    expect(verifyWithXmlsec(wresult, certificate.pem)).toMatchObject({ ok: true });
  });
});

describe('federation metadata and certificates', () => {
  it('metadata validates against saml-schema-metadata-2.0, is signed, and carries the signing certificate', () => {
    const xml = federationMetadataXml({ tenantId: directory.organization.id, certificate, key });
    expect(validateWithXsd(xml, 'metadata')).toEqual({ valid: true, errors: [] });
    expect(verifyWithXmlsec(xml, certificate.pem)).toMatchObject({ ok: true });
    expect(parse(xml).documentElement!.getAttribute('entityID')).toBe(issuer);
    expect(metadataCertificate).toBe(certificate.base64);
  });

  it('the generated certificate is self-signed, valid for the given window, matches the key, and is deterministic', () => {
    const x509 = new X509Certificate(certificate.pem);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(key.keyObject!)).toBe(true);
    expect(new Date(x509.validFrom).getTime() / 1000).toBe(certificateWindow.notBefore);
    expect(new Date(x509.validTo).getTime() / 1000).toBe(certificateWindow.notAfter);
    expect(createSigningCertificate(key, certificateWindow).pem).toBe(certificate.pem);
    // x5t is the base64url SHA-1 thumbprint of the DER certificate (node:crypto's own fingerprint)
    expect(Buffer.from(x509.fingerprint.replace(/:/g, ''), 'hex').toString('base64url')).toBe(certificate.x5t);
    expect(createHash('sha1').update(x509.raw).digest('base64url')).toBe(certificate.x5t);
    expect(readSigningCertificate(certificate.pem, key).x5t).toBe(certificate.x5t);
  });

  it('refuses a certificate of another key and a non-RSA key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecKey = importNodeSigningKey(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    expect(() => createSigningCertificate(ecKey, certificateWindow)).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const otherKey = importNodeSigningKey(rsa.export({ type: 'pkcs8', format: 'pem' }) as string);
    expect(() => readSigningCertificate(certificate.pem, otherKey)).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
  });

  it('the same inputs give byte-identical Responses (deterministic IDs and signatures)', () => {
    expect(response('SignResponseAndAssertion')).toBe(response('SignResponseAndAssertion'));
  });
});
