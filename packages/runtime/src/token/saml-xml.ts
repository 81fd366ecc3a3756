import { ClaimcRuntimeError } from '../errors.js';
import type { AssembledSaml } from './assemble.js';

// XML 1.0 `Char`: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF. Lone surrogates fall outside.
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Throws `ERR_SAML_VALUE` when text contains a character XML 1.0 cannot carry (control characters, lone
 * surrogates, U+FFFE/U+FFFF): an assertion is never emitted with a value silently altered (threats V4, V6).
 *
 * @example
 * assertSamlText('department', 'R&D') // ok: escaped on output
 * assertSamlText('department', 'a\u0000b') // throws ERR_SAML_VALUE
 */
export function assertSamlText(where: string, text: string): void {
  const match = notXmlChar.exec(text);
  if (match === null) return;
  const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  throw new ClaimcRuntimeError('ERR_SAML_VALUE', `SAML ${where}: U+${code} at index ${match.index} cannot be carried by XML 1.0`);
}

const escapeText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
const escapeAttr = (text: string): string => escapeText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');

/** Where a bearer assertion may be presented (SubjectConfirmationData): the SP's ACS URL and the request it answers. */
export interface SamlConfirmation {
  readonly recipient?: string;
  readonly inResponseTo?: string;
}

/**
 * Serializes an assembled assertion as SAML 2.0 XML (unsigned): Issuer, Subject/NameID, Conditions with the
 * Audience, AttributeStatement (NameFormat when set) and AuthnStatement. `confirmation` adds the Recipient and
 * InResponseTo a Response's assertion carries.
 *
 * @example
 * const xml = samlAssertionXml(token); // '<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" …'
 */
export function samlAssertionXml(assertion: AssembledSaml, confirmation: SamlConfirmation = {}): string {
  for (const [where, text] of [['Recipient', confirmation.recipient], ['InResponseTo', confirmation.inResponseTo]] as const) if (text !== undefined) assertSamlText(where, text);
  const inResponseTo = confirmation.inResponseTo !== undefined ? ` InResponseTo="${escapeAttr(confirmation.inResponseTo)}"` : '';
  const recipient = confirmation.recipient !== undefined ? ` Recipient="${escapeAttr(confirmation.recipient)}"` : '';
  const attributes = assertion.attributes
    .map((a) => {
      const nameFormat = a.nameFormat !== undefined ? ` NameFormat="${escapeAttr(a.nameFormat)}"` : '';
      const values = a.values.map((v) => `<AttributeValue>${escapeText(v)}</AttributeValue>`).join('');
      return `<Attribute Name="${escapeAttr(a.name)}"${nameFormat}>${values}</Attribute>`;
    })
    .join('');
  return (
    `<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="${escapeAttr(assertion.id)}" IssueInstant="${assertion.issueInstant}" Version="2.0">` +
    `<Issuer>${escapeText(assertion.issuer)}</Issuer>` +
    `<Subject><NameID Format="${escapeAttr(assertion.nameId.format)}">${escapeText(assertion.nameId.value)}</NameID>` +
    `<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><SubjectConfirmationData${inResponseTo} NotOnOrAfter="${assertion.notOnOrAfter}"${recipient}/></SubjectConfirmation></Subject>` +
    `<Conditions NotBefore="${assertion.notBefore}" NotOnOrAfter="${assertion.notOnOrAfter}"><AudienceRestriction><Audience>${escapeText(assertion.audience)}</Audience></AudienceRestriction></Conditions>` +
    `<AttributeStatement>${attributes}</AttributeStatement>` +
    `<AuthnStatement AuthnInstant="${assertion.issueInstant}" SessionIndex="${escapeAttr(assertion.id)}"><AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef></AuthnContext></AuthnStatement>` +
    `</Assertion>`
  );
}

/**
 * The `claims` view of an assertion (CLI `--format claims`): issuer, audience, times, NameID and attributes.
 *
 * @example
 * samlClaimsView(token).attributes[0] // { name: 'http://schemas…/givenname', values: ['Adele'] }
 */
export function samlClaimsView(assertion: AssembledSaml): {
  issuer: string;
  audience: string;
  issueInstant: string;
  notBefore: string;
  notOnOrAfter: string;
  nameId: { value: string; format: string };
  attributes: { name: string; nameFormat?: string; values: string[] }[];
} {
  return {
    issuer: assertion.issuer,
    audience: assertion.audience,
    issueInstant: assertion.issueInstant,
    notBefore: assertion.notBefore,
    notOnOrAfter: assertion.notOnOrAfter,
    nameId: { value: assertion.nameId.value, format: assertion.nameId.format },
    attributes: assertion.attributes.map((a) => (a.nameFormat !== undefined ? { name: a.name, nameFormat: a.nameFormat, values: [...a.values] } : { name: a.name, values: [...a.values] })),
  };
}
