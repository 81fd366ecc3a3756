/** SAML attribute name formats (entra-semantics.md §1.3). */
export const samlNameFormats = {
  unspecified: 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified',
  uri: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
  basic: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
} as const;

/** The three NameFormat URNs, for membership tests. @example samlNameFormatValues.includes(samlNameFormats.uri) // true */
export const samlNameFormatValues: readonly string[] = Object.values(samlNameFormats);

/** SAML NameID formats (§3.5). */
export const samlNameIdFormats = {
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  windowsDomainQualifiedName: 'urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName',
} as const;

/** The SAML attribute that carries the NameID when a policy sets it. */
export const samlNameIdentifierClaim = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier';

/** GroupFilter `MatchOn` values (§6.4), lower-cased: matching is case-insensitive (D1), Graph spells them displayName/samAccountName. @example groupFilterMatchOn.includes('displayname') // true */
export const groupFilterMatchOn: readonly string[] = ['displayname', 'samaccountname'];
/** GroupFilter `Type` values (§6.4). @example groupFilterTypes.includes('suffix') // true */
export const groupFilterTypes: readonly string[] = ['prefix', 'suffix', 'contains'];
