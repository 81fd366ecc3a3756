import { assertSamlText, bytesToGuid, samlAssertionXml, sha256, type AssembledSaml, type SamlSigningOption } from '@claimc/runtime/internal';
import type { NodeSigningKey } from '@claimc/runtime/node';
import { rsaKeyObject, signingCertificateOf, type SigningCertificate } from './certificate.js';
import { escapeXmlAttribute, escapeXmlText, signEnveloped } from './xml.js';

/** What a SAML 2.0 Response needs beyond the assembled assertion. */
export interface SamlResponseOptions {
  /** The assertion from `assembleToken(directory, { token: 'saml', … })`; its times come from the request's injected clock. */
  readonly assertion: AssembledSaml;
  /** The SP's assertion consumer service URL the Response is posted to (`Destination`). */
  readonly destination: string;
  /** `SubjectConfirmationData/@Recipient` (default: the destination, as Entra sends it). */
  readonly recipient?: string;
  /** The ID of the SP's AuthnRequest; omitted for IdP-initiated sign-in. */
  readonly inResponseTo?: string;
  /** What carries the signature (default `SignAssertion`, Entra's default). */
  readonly signingOption?: SamlSigningOption;
  /** An RSA signing key (`importNodeSigningKey`) and its certificate (default: the one `certifyKey` attached to it). */
  readonly key: NodeSigningKey;
  readonly certificate?: SigningCertificate;
}

const assertionNs = 'urn:oasis:names:tc:SAML:2.0:assertion';
const protocolNs = 'urn:oasis:names:tc:SAML:2.0:protocol';
const success = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/** A deterministic XML ID derived from another one (`_` + GUID, as Entra's IDs look). */
export function derivedId(purpose: string, from: string): string {
  return '_' + bytesToGuid(sha256(`${purpose}|${from}`));
}

/** The SAML 2.0 assertion with its confirmation data, signed when `sign` is true. */
export function samlAssertion(options: Pick<SamlResponseOptions, 'assertion' | 'recipient' | 'inResponseTo' | 'key' | 'certificate'>, sign: boolean): string {
  const xml = samlAssertionXml(options.assertion, {
    ...(options.recipient !== undefined ? { recipient: options.recipient } : {}),
    ...(options.inResponseTo !== undefined ? { inResponseTo: options.inResponseTo } : {}),
  });
  if (!sign) return xml;
  // the schema puts ds:Signature right after the assertion's Issuer
  return signEnveloped(xml, rsaKeyObject(options.key), options.certificate ?? signingCertificateOf(options.key), {
    element: "/*[local-name()='Assertion']",
    place: { reference: "/*[local-name()='Assertion']/*[local-name()='Issuer']", action: 'after' },
  });
}

/**
 * Builds the `samlp:Response` Entra posts to a SAML service provider: Issuer, Status Success, Destination,
 * InResponseTo, and the assertion with SubjectConfirmationData (Recipient, NotOnOrAfter, InResponseTo),
 * Conditions/AudienceRestriction and AuthnStatement; signed per the app's signing option with an enveloped XML
 * signature (RSA-SHA256, exclusive canonicalization, the certificate in KeyInfo). Deterministic: the same inputs
 * give the same bytes (the Response ID derives from the assertion ID).
 *
 * @example
 * const assertion = assembleToken(directory, { token: 'saml', client: samlAppId, user: 'adelev@contoso.com', now });
 * const key = certifyKey(importNodeSigningKey(pem), { notBefore, notAfter }); // a deterministic self-signed certificate
 * const xml = buildSignedSamlResponse({ assertion, destination: 'https://sp.example/acs', inResponseTo: '_req1', signingOption: 'SignAssertion', key });
 * // post base64(xml) as SAMLResponse to the destination
 */
export function buildSignedSamlResponse(options: SamlResponseOptions): string {
  const signingOption = options.signingOption ?? 'SignAssertion';
  const { assertion } = options;
  assertSamlText('Destination', options.destination);
  const assertionXml = samlAssertion({ ...options, recipient: options.recipient ?? options.destination }, signingOption !== 'SignResponse');
  const inResponseTo = options.inResponseTo !== undefined ? ` InResponseTo="${escapeXmlAttribute(options.inResponseTo)}"` : '';
  const response =
    `<samlp:Response xmlns:samlp="${protocolNs}" ID="${derivedId('response', assertion.id)}" Version="2.0" IssueInstant="${assertion.issueInstant}" Destination="${escapeXmlAttribute(options.destination)}"${inResponseTo}>` +
    `<Issuer xmlns="${assertionNs}">${escapeXmlText(assertion.issuer)}</Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${success}"/></samlp:Status>` +
    assertionXml +
    `</samlp:Response>`;
  if (signingOption === 'SignAssertion') return response;
  return signEnveloped(response, rsaKeyObject(options.key), options.certificate ?? signingCertificateOf(options.key), {
    element: "/*[local-name()='Response']",
    place: { reference: "/*[local-name()='Response']/*[local-name()='Issuer']", action: 'after' },
  });
}
