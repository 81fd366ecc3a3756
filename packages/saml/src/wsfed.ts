import type { AssembledSaml } from '@claimc/runtime/internal';
import type { NodeSigningKey } from '@claimc/runtime/node';
import type { SigningCertificate } from './certificate.js';
import { samlAssertion } from './response.js';
import { buildSignedSaml11Assertion } from './saml11.js';
import { escapeXmlText } from './xml.js';

/** The token types a WS-Federation response carries (`TokenType`). */
export const wsFedTokenTypes = {
  saml11: 'urn:oasis:names:tc:SAML:1.0:assertion',
  saml2: 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0',
} as const;

/** What a WS-Federation sign-in response needs. */
export interface WsFedResultOptions {
  /** The assertion from `assembleToken(directory, { token: 'saml', … })`; its audience is the `wtrealm`. */
  readonly assertion: AssembledSaml;
  /** SAML 1.1 (default, what WS-Federation apps receive from Entra) or SAML 2.0. */
  readonly tokenType?: 'saml11' | 'saml2';
  /** An RSA key and its certificate (default: the one `certifyKey` attached). */
  readonly key: NodeSigningKey;
  readonly certificate?: SigningCertificate;
}

const trustNs = 'http://schemas.xmlsoap.org/ws/2005/02/trust';
const utilityNs = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const policyNs = 'http://schemas.xmlsoap.org/ws/2004/09/policy';
const addressingNs = 'http://www.w3.org/2005/08/addressing';

/**
 * Builds the `wresult` of a WS-Federation sign-in (`wa=wsignin1.0`): a `t:RequestSecurityTokenResponse` with the
 * lifetime, the realm it applies to and the signed SAML 1.1 or 2.0 assertion as the requested security token.
 * Post it with `wa=wsignin1.0` (and the request's `wctx`) to the app's reply URL.
 *
 * @example
 * const wresult = buildWsFedResult({ assertion, key: certifyKey(key, window), tokenType: 'saml11' }); // '<t:RequestSecurityTokenResponse …'
 * // post wa=wsignin1.0, wresult and the request's wctx to the reply URL
 */
export function buildWsFedResult(options: WsFedResultOptions): string {
  const tokenType = options.tokenType ?? 'saml11';
  const { assertion } = options;
  const token = tokenType === 'saml11' ? buildSignedSaml11Assertion(options) : samlAssertion(options, true);
  return (
    `<t:RequestSecurityTokenResponse xmlns:t="${trustNs}">` +
    `<t:Lifetime><wsu:Created xmlns:wsu="${utilityNs}">${assertion.notBefore}</wsu:Created><wsu:Expires xmlns:wsu="${utilityNs}">${assertion.notOnOrAfter}</wsu:Expires></t:Lifetime>` +
    `<wsp:AppliesTo xmlns:wsp="${policyNs}"><wsa:EndpointReference xmlns:wsa="${addressingNs}"><wsa:Address>${escapeXmlText(assertion.audience)}</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>` +
    `<t:RequestedSecurityToken>${token}</t:RequestedSecurityToken>` +
    `<t:TokenType>${wsFedTokenTypes[tokenType]}</t:TokenType>` +
    `<t:RequestType>${trustNs}/Issue</t:RequestType>` +
    `<t:KeyType>http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey</t:KeyType>` +
    `</t:RequestSecurityTokenResponse>`
  );
}
