import { ClaimcRuntimeError } from '@claimc/runtime/internal';
import type { NodeSigningKey } from '@claimc/runtime/node';
import { rsaKeyObject, signingCertificateOf, type SigningCertificate } from './certificate.js';
import { derivedId } from './response.js';
import { escapeXmlAttribute, signEnveloped } from './xml.js';

/** What federation metadata describes. */
export interface FederationMetadataOptions {
  readonly tenantId: string;
  /** The certificate SAML tokens are signed with (the tenant's, or an app's own with `?appid=`); default: the key's. */
  readonly certificate?: SigningCertificate;
  /** Signs the metadata document as Entra does (with the same key); omit for unsigned metadata. */
  readonly key?: NodeSigningKey;
  /** Authority host (default https://login.microsoftonline.com). */
  readonly authority?: string;
  /** The identity provider's entity ID, the assertions' Issuer (default `https://sts.windows.net/{tenant}/`). */
  readonly entityId?: string;
}

const metadataNs = 'urn:oasis:names:tc:SAML:2.0:metadata';
const dsigNs = 'http://www.w3.org/2000/09/xmldsig#';
const bindings = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

/**
 * The SAML 2.0 federation metadata of the tenant as identity provider (what Entra serves at
 * `/{tenant}/federationmetadata/2007-06/federationmetadata.xml`, `?appid=` for an app's own certificate): entity ID
 * `https://sts.windows.net/{tenant}/`, the signing certificate in a `KeyDescriptor use="signing"`, and the SAML
 * sign-on and logout endpoints. With `key`, an enveloped signature covers the document.
 *
 * @example
 * const xml = federationMetadataXml({ tenantId, certificate, key }); // '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" …'
 */
export function federationMetadataXml(options: FederationMetadataOptions): string {
  const certificate = options.certificate ?? (options.key !== undefined ? signingCertificateOf(options.key) : undefined);
  if (certificate === undefined) throw new ClaimcRuntimeError('ERR_KEY_INVALID', 'federation metadata needs a certificate or a key with one');
  const authority = options.authority ?? 'https://login.microsoftonline.com';
  const endpoint = escapeXmlAttribute(`${authority}/${options.tenantId}/saml2`);
  const entityId = options.entityId ?? `https://sts.windows.net/${options.tenantId}/`;
  const xml =
    `<EntityDescriptor xmlns="${metadataNs}" ID="${derivedId('metadata', entityId + certificate.x5t)}" entityID="${escapeXmlAttribute(entityId)}">` +
    `<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<KeyDescriptor use="signing"><KeyInfo xmlns="${dsigNs}"><X509Data><X509Certificate>${certificate.base64}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>` +
    `<SingleLogoutService Binding="${bindings.redirect}" Location="${endpoint}"/>` +
    `<SingleSignOnService Binding="${bindings.redirect}" Location="${endpoint}"/>` +
    `<SingleSignOnService Binding="${bindings.post}" Location="${endpoint}"/>` +
    `</IDPSSODescriptor>` +
    `</EntityDescriptor>`;
  if (options.key === undefined) return xml;
  // the metadata schema puts ds:Signature first in EntityDescriptor
  return signEnveloped(xml, rsaKeyObject(options.key), certificate, {
    element: "/*[local-name()='EntityDescriptor']",
    place: { reference: "/*[local-name()='EntityDescriptor']", action: 'prepend' },
  });
}
