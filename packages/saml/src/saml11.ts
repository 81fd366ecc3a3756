import { assertSamlText, type AssembledSaml } from '@claimc/runtime/internal';
import type { NodeSigningKey } from '@claimc/runtime/node';
import { rsaKeyObject, signingCertificateOf, type SigningCertificate } from './certificate.js';
import { derivedId } from './response.js';
import { escapeXmlAttribute, escapeXmlText, signEnveloped } from './xml.js';

const saml11Ns = 'urn:oasis:names:tc:SAML:1.0:assertion';
const bearer = 'urn:oasis:names:tc:SAML:1.0:cm:bearer';
const passwordMethod = 'urn:oasis:names:tc:SAML:1.0:am:password';

/**
 * SAML 1.1 names an attribute by namespace + name: a claim URI splits at its last `/`
 * (`http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname` → namespace `…/claims`, name `givenname`);
 * a name without `/` keeps an empty namespace, so relying parties read the claim type as the bare name.
 *
 * @example
 * saml11AttributeName('http://schemas.microsoft.com/identity/claims/tenantid') // { namespace: 'http://schemas.microsoft.com/identity/claims', name: 'tenantid' }
 */
export function saml11AttributeName(claimType: string): { readonly namespace: string; readonly name: string } {
  const slash = claimType.lastIndexOf('/');
  if (slash <= 0 || slash === claimType.length - 1) return { namespace: '', name: claimType };
  return { namespace: claimType.slice(0, slash), name: claimType.slice(slash + 1) };
}

/**
 * Serializes an assembled assertion as an unsigned SAML 1.1 assertion (what Entra puts in a WS-Federation token of
 * type SAML 1.1): Conditions/AudienceRestrictionCondition, AttributeStatement and AuthenticationStatement, each
 * with the Subject (NameIdentifier, bearer confirmation).
 *
 * @example
 * saml11AssertionXml(assertion) // '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion" MajorVersion="1" MinorVersion="1" …'
 */
export function saml11AssertionXml(assertion: AssembledSaml): string {
  const subject =
    `<saml:Subject><saml:NameIdentifier Format="${escapeXmlAttribute(assertion.nameId.format)}">${escapeXmlText(assertion.nameId.value)}</saml:NameIdentifier>` +
    `<saml:SubjectConfirmation><saml:ConfirmationMethod>${bearer}</saml:ConfirmationMethod></saml:SubjectConfirmation></saml:Subject>`;
  const attributes = assertion.attributes
    .map((attribute) => {
      const { namespace, name } = saml11AttributeName(attribute.name);
      const values = attribute.values.map((value) => `<saml:AttributeValue>${escapeXmlText(value)}</saml:AttributeValue>`).join('');
      return `<saml:Attribute AttributeName="${escapeXmlAttribute(name)}" AttributeNamespace="${escapeXmlAttribute(namespace)}">${values}</saml:Attribute>`;
    })
    .join('');
  return (
    `<saml:Assertion xmlns:saml="${saml11Ns}" MajorVersion="1" MinorVersion="1" AssertionID="${derivedId('saml11', assertion.id)}" Issuer="${escapeXmlAttribute(assertion.issuer)}" IssueInstant="${assertion.issueInstant}">` +
    `<saml:Conditions NotBefore="${assertion.notBefore}" NotOnOrAfter="${assertion.notOnOrAfter}"><saml:AudienceRestrictionCondition><saml:Audience>${escapeXmlText(assertion.audience)}</saml:Audience></saml:AudienceRestrictionCondition></saml:Conditions>` +
    (attributes.length > 0 ? `<saml:AttributeStatement>${subject}${attributes}</saml:AttributeStatement>` : '') +
    `<saml:AuthenticationStatement AuthenticationMethod="${passwordMethod}" AuthenticationInstant="${assertion.issueInstant}">${subject}</saml:AuthenticationStatement>` +
    `</saml:Assertion>`
  );
}

/**
 * A signed SAML 1.1 assertion: the enveloped signature (RSA-SHA256, exclusive canonicalization) is the assertion's
 * last child, where the SAML 1.1 schema puts it, and references the `AssertionID`.
 *
 * @example
 * const xml = buildSignedSaml11Assertion({ assertion, key: certifyKey(key, window) });
 */
export function buildSignedSaml11Assertion(options: { readonly assertion: AssembledSaml; readonly key: NodeSigningKey; readonly certificate?: SigningCertificate }): string {
  assertSamlText('Issuer', options.assertion.issuer);
  return signEnveloped(saml11AssertionXml(options.assertion), rsaKeyObject(options.key), options.certificate ?? signingCertificateOf(options.key), {
    element: "/*[local-name()='Assertion']",
    place: { reference: "/*[local-name()='Assertion']", action: 'append' },
    idAttribute: 'AssertionID',
  });
}
