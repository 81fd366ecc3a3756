import { inflateRawSync } from 'node:zlib';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { samlAssertionXml, type AssembledSaml } from '@claimc/runtime/internal';
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

const escapeAttr = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** The bearer confirmation a service provider checks: the assertion answers this request at this ACS URL. */
function confirmedAssertion(assertion: AssembledSaml, destination: string, inResponseTo: string | undefined): string {
  const extra = ` Recipient="${escapeAttr(destination)}"` + (inResponseTo !== undefined ? ` InResponseTo="${escapeAttr(inResponseTo)}"` : '');
  return samlAssertionXml(assertion).replace('<SubjectConfirmationData ', `<SubjectConfirmationData${extra} `);
}

/**
 * The `samlp:Response` delivered to a service provider. This is the one place that turns an assembled assertion
 * into what the ACS receives, so a signed response replaces exactly this function.
 *
 * @example
 * const xml = buildSamlResponse(assertion, { destination: acsUrl, inResponseTo: request.id });
 */
export function buildSamlResponse(assertion: AssembledSaml, target: { readonly destination: string; readonly inResponseTo: string | undefined }): string {
  const inResponseTo = target.inResponseTo !== undefined ? ` InResponseTo="${escapeAttr(target.inResponseTo)}"` : '';
  return (
    `<samlp:Response xmlns:samlp="${protocolNs}" ID="_${assertion.id.replace(/^_/, '')}r" Version="2.0" IssueInstant="${assertion.issueInstant}" Destination="${escapeAttr(target.destination)}"${inResponseTo}>` +
    `<Issuer xmlns="${assertionNs}">${escapeAttr(assertion.issuer)}</Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    confirmedAssertion(assertion, target.destination, target.inResponseTo) +
    `</samlp:Response>`
  );
}

/**
 * The WS-Federation `wresult`: a RequestSecurityTokenResponse carrying the SAML 2.0 assertion for the realm. Like
 * {@link buildSamlResponse}, the single place a signed token plugs in.
 *
 * @example
 * const wresult = buildWsFedResult(assertion, 'https://expenses.contoso.com/saml', replyUrl);
 */
export function buildWsFedResult(assertion: AssembledSaml, realm: string, reply: string): string {
  return (
    `<t:RequestSecurityTokenResponse xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust">` +
    `<t:Lifetime><wsu:Created xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">${assertion.notBefore}</wsu:Created>` +
    `<wsu:Expires xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">${assertion.notOnOrAfter}</wsu:Expires></t:Lifetime>` +
    `<wsp:AppliesTo xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy"><wsa:EndpointReference xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:Address>${escapeAttr(realm)}</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>` +
    `<t:RequestedSecurityToken>${confirmedAssertion(assertion, reply, undefined)}</t:RequestedSecurityToken>` +
    `<t:TokenType>urn:oasis:names:tc:SAML:2.0:assertion</t:TokenType>` +
    `<t:RequestType>http://schemas.xmlsoap.org/ws/2005/02/trust/Issue</t:RequestType>` +
    `<t:KeyType>http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey</t:KeyType>` +
    `</t:RequestSecurityTokenResponse>`
  );
}
