import { ClaimcRuntimeError } from '../errors.js';
import type { AssembledSaml } from './saml-assertion.js';

// XML 1.0 `Char`: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF. Lone surrogates fall outside.
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Throws `ERR_SAML_VALUE` when text contains a character XML 1.0 cannot carry, not even as a character reference (C0
 * controls other than TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF): an assertion is never emitted with a value
 * silently altered (threats V4, V6).
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

// RFC 3986 URI-reference, the grammar XML Schema's anyURI is checked against once the characters it allows to be
// escaped (controls, space, non-ASCII, <>"{}|\\^`') are escaped: here each becomes "_" (valid wherever a
// percent-escape is), and surrounding whitespace is collapsed away first, as the anyURI type does.
const pct = '%[0-9A-Fa-f]{2}';
const unreserved = "A-Za-z0-9\\-._~";
const subDelims = "!$&'()*+,;=";
const pchar = `(?:[${unreserved}${subDelims}:@]|${pct})`;
const segment = `${pchar}*`;
const segmentNz = `${pchar}+`;
const segmentNzNc = `(?:[${unreserved}${subDelims}@]|${pct})+`;
const host = `(?:\\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\\.[${unreserved}${subDelims}:]+)\\]|(?:[${unreserved}${subDelims}]|${pct})*)`;
const authority = `(?:(?:[${unreserved}${subDelims}:]|${pct})*@)?${host}(?::[0-9]+)?`;
const queryOrFragment = `(?:${pchar}|[/?])*`;
const hierPart = `(?://${authority}(?:/${segment})*|/(?:${segmentNz}(?:/${segment})*)?|${segmentNz}(?:/${segment})*|)`;
const relativePart = `(?://${authority}(?:/${segment})*|/(?:${segmentNz}(?:/${segment})*)?|${segmentNzNc}(?:/${segment})*|)`;
const uriReference = new RegExp(
  `^(?:[A-Za-z][A-Za-z0-9+.\\-]*:${hierPart}|${relativePart})(?:\\?${queryOrFragment})?(?:#${queryOrFragment})?$`,
);
const anyUriEscapable = /[\u0000-\u0020\u007F-\uFFFF<>"{}|\\^`']/g;

/**
 * Throws `ERR_SAML_VALUE` when text is not an `xs:anyURI` (a URI reference once the characters XML Schema lets be
 * escaped are escaped): SAML types Audience, NameID `Format` and attribute `NameFormat` so, and a receiver that
 * validates the assertion would refuse it.
 *
 * @example
 * assertSamlUri('Audience', 'https://app.contoso.com') // ok
 * assertSamlUri('Audience', 'https://[contoso') // throws ERR_SAML_VALUE
 */
export function assertSamlUri(where: string, text: string): void {
  assertSamlText(where, text);
  const collapsed = text.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '').replace(/[\t\n\r ]+/g, ' ');
  if (uriReference.test(collapsed.replace(anyUriEscapable, '_'))) return;
  throw new ClaimcRuntimeError('ERR_SAML_VALUE', `SAML ${where}: ${JSON.stringify(text.length > 200 ? text.slice(0, 200) + '…' : text)} is not a URI reference, which SAML requires here (xs:anyURI)`);
}

// Characters written as character references besides the markup ones: CR (parsers turn CR and CRLF into LF),
// U+0085 and U+2028 (XML 1.1 parsers and some 1.0 ones, xmldom among them, turn them into LF), U+2029, DEL and the C1
// controls, and noncharacters (U+FDD0–U+FDEF, U+nFFFE/U+nFFFF as a surrogate pair): a reference reaches every parser
// as the character itself. Attribute values also encode TAB and LF, which attribute-value normalisation turns into spaces.
const textSpecial = /[&<>\r\u007F-\u009F\u2028\u2029\uFDD0-\uFDEF]|[\uD800-\uDBFF][\uDFFE\uDFFF]/g;
const attributeSpecial = /[&<>"\t\n\r\u007F-\u009F\u2028\u2029\uFDD0-\uFDEF]|[\uD800-\uDBFF][\uDFFE\uDFFF]/g;
const named: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const reference = (c: string): string => named[c] ?? `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`;

/**
 * Text content as XML: markup characters escaped, characters parsers would normalise as references; text XML cannot
 * carry at all is `ERR_SAML_VALUE` (also checked at assembly, with the attribute named).
 */
function escapeText(text: string): string {
  assertSamlText('text', text);
  return text.replace(textSpecial, reference);
}

/** An attribute value (always written in double quotes) as XML, as {@link escapeText} plus `"`, TAB and LF. */
function escapeAttr(text: string): string {
  assertSamlText('attribute', text);
  return text.replace(attributeSpecial, reference);
}

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
    `<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="${escapeAttr(assertion.id)}" IssueInstant="${escapeAttr(assertion.issueInstant)}" Version="2.0">` +
    `<Issuer>${escapeText(assertion.issuer)}</Issuer>` +
    `<Subject><NameID Format="${escapeAttr(assertion.nameId.format)}">${escapeText(assertion.nameId.value)}</NameID>` +
    `<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><SubjectConfirmationData${inResponseTo} NotOnOrAfter="${escapeAttr(assertion.notOnOrAfter)}"${recipient}/></SubjectConfirmation></Subject>` +
    `<Conditions NotBefore="${escapeAttr(assertion.notBefore)}" NotOnOrAfter="${escapeAttr(assertion.notOnOrAfter)}"><AudienceRestriction><Audience>${escapeText(assertion.audience)}</Audience></AudienceRestriction></Conditions>` +
    `<AttributeStatement>${attributes}</AttributeStatement>` +
    `<AuthnStatement AuthnInstant="${escapeAttr(assertion.issueInstant)}" SessionIndex="${escapeAttr(assertion.id)}"><AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef></AuthnContext></AuthnStatement>` +
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
