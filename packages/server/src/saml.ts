import { inflateRawSync } from 'node:zlib';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { EntraError } from './errors.js';

const protocolNs = 'urn:oasis:names:tc:SAML:2.0:protocol';
const assertionNs = 'urn:oasis:names:tc:SAML:2.0:assertion';

/** What the endpoint needs from an AuthnRequest. */
export interface AuthnRequest {
  readonly id: string;
  /** The SP's entity id: an identifier URI (or appId) of an app in the snapshot. */
  readonly issuer: string;
  readonly assertionConsumerServiceUrl: string | undefined;
}

const malformed = (why: string): EntraError => new EntraError('invalid_request', 'AADSTS75005', `The request is not a valid Saml2 protocol message: ${why}.`);

/**
 * Decodes a `SAMLRequest`: base64 of deflated XML (HTTP-Redirect, and what some SPs post) or of plain XML
 * (HTTP-POST); XML with a DOCTYPE is refused (no entity expansion).
 *
 * @example
 * parseAuthnRequest(query.get('SAMLRequest')!).issuer // 'https://expenses.contoso.com/saml'
 */
export function parseAuthnRequest(encoded: string): AuthnRequest {
  let xml: string;
  try {
    const bytes = Buffer.from(encoded, 'base64');
    const plain = /^\s*</.test(bytes.subarray(0, 64).toString('latin1'));
    xml = (plain ? bytes : inflateRawSync(bytes, { maxOutputLength: 64 * 1024 })).toString('utf8');
  } catch {
    throw malformed('SAMLRequest is neither base64 XML nor base64 of deflated XML');
  }
  if (/<!DOCTYPE/i.test(xml)) throw malformed('a DOCTYPE is not allowed');
  let root: Element | null;
  try {
    root = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml').documentElement;
  } catch {
    throw malformed('not well-formed XML');
  }
  if (root === null || root.localName !== 'AuthnRequest' || root.namespaceURI !== protocolNs) throw malformed('the root element is not samlp:AuthnRequest');
  const id = root.getAttribute('ID');
  if (id === null || id === '') throw malformed('the AuthnRequest has no ID');
  const issuerElement = root.getElementsByTagNameNS(assertionNs, 'Issuer')[0];
  const issuer = issuerElement?.textContent?.trim();
  if (issuer === undefined || issuer === '') throw new EntraError('invalid_request', 'AADSTS750054', 'The SAML request has no Issuer: the service provider must name its entity id.');
  const acs = root.getAttribute('AssertionConsumerServiceURL');
  return { id, issuer, assertionConsumerServiceUrl: acs === null || acs === '' ? undefined : acs };
}
