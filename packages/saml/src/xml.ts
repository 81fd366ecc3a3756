import { SignedXml } from 'xml-crypto';
import type { KeyObject } from 'node:crypto';
import type { SigningCertificate } from './certificate.js';

/** XML text content, escaped (`&`, `<`, `>`, and CR so it survives parsing). */
export const escapeXmlText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
/** An attribute value in double quotes, escaped (whitespace as character references so it survives normalization). */
export const escapeXmlAttribute = (text: string): string => escapeXmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');

/** The algorithms Entra signs SAML with. */
export const xmlDsig = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  exclusiveC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
} as const;

/** Where an enveloped signature goes and which element it covers. */
export interface EnvelopedSignatureTarget {
  /** XPath of the signed element (its ID attribute becomes the Reference URI). */
  readonly element: string;
  /** XPath of the node the Signature is placed relative to, and how (schemas fix the position). */
  readonly place: { readonly reference: string; readonly action: 'after' | 'append' | 'prepend' };
  /** Name of the ID attribute when it is not `ID` (SAML 1.1: `AssertionID`). */
  readonly idAttribute?: string;
}

/**
 * Adds an enveloped XML signature with xml-crypto: RSA-SHA256 over exclusive canonicalization, SHA-256 digest, and
 * KeyInfo carrying the certificate — what Entra sends.
 *
 * @example
 * signEnveloped(xml, key, certificate, { element: "/*[local-name()='Assertion']", place: { reference: "/*[local-name()='Assertion']/*[local-name()='Issuer']", action: 'after' } });
 */
export function signEnveloped(xml: string, privateKey: KeyObject, certificate: SigningCertificate, target: EnvelopedSignatureTarget): string {
  const signed = new SignedXml({
    privateKey,
    publicCert: certificate.pem,
    signatureAlgorithm: xmlDsig.rsaSha256,
    canonicalizationAlgorithm: xmlDsig.exclusiveC14n,
    ...(target.idAttribute !== undefined ? { idAttribute: target.idAttribute } : {}),
  });
  signed.addReference({ xpath: target.element, transforms: [xmlDsig.envelopedSignature, xmlDsig.exclusiveC14n], digestAlgorithm: xmlDsig.sha256 });
  signed.computeSignature(xml, { location: { reference: target.place.reference, action: target.place.action } });
  return signed.getSignedXml();
}
