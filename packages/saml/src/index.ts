// Barrel: signed SAML 2.0 Responses, SAML 1.1 assertions, WS-Federation results, federation metadata and the
// certificates they carry. Node-only (node:crypto, xml-crypto); the portable runtime stays free of it.
export type { SigningCertificate, CertificateOptions } from './certificate.js';
export { createSigningCertificate, readSigningCertificate, certifyKey, signingCertificateOf, rsaKeyObject, tenantCertificateCommonName, samlAppCommonName } from './certificate.js';
export type { EnvelopedSignatureTarget } from './xml.js';
export { signEnveloped, escapeXmlText, escapeXmlAttribute, xmlDsig } from './xml.js';
export type { SamlResponseOptions } from './response.js';
export { buildSignedSamlResponse, samlAssertion, derivedId } from './response.js';
export { buildSignedSaml11Assertion, saml11AssertionXml, saml11AttributeName } from './saml11.js';
export type { WsFedResultOptions } from './wsfed.js';
export { buildWsFedResult, wsFedTokenTypes } from './wsfed.js';
export type { FederationMetadataOptions } from './metadata.js';
export { federationMetadataXml } from './metadata.js';
export { certifiedKeyRing, tenantCertificateWindow } from './ring.js';
