/**
 * The longest value each directory attribute can hold, as Microsoft Graph documents it (characters), and
 * how many values a multi-valued one can emit. The token-size bound reads this table; docs/check.md prints it.
 */

/** The documented size of one attribute: characters per value and, for lists emitted whole, how many values. */
export interface ValueLimit {
  /** Longest value in UTF-16 characters. */
  readonly chars: number;
  /** Most values emitted at once (1 for single-valued or first-value-only attributes). */
  readonly values?: number;
  /** Where the figure comes from, for the docs. */
  readonly basis: string;
  /** The value is ASCII by construction (IDs, dates, codes, addresses): one byte per character in any encoding. */
  readonly ascii?: boolean;
}

const graph = (chars: number, basis = 'Graph user resource: documented maximum length'): ValueLimit => ({ chars, basis });
const fixed = (chars: number, basis: string): ValueLimit => ({ chars, basis, ascii: true });
const asciiGraph = (chars: number, basis = 'Graph user resource: documented maximum length'): ValueLimit => ({ chars, basis, ascii: true });

/** A GUID as Graph writes it (8-4-4-4-12 hex digits). */
export const guidLength = 36;

/** Directory extension properties of type String hold at most 256 characters (Graph extensionProperty). */
export const directoryExtensionLength = 256;

/** Limits of the `user` source's IDs, keyed by canonical ID. IDs not listed fall back to {@link defaultValueLimit}. */
export const userValueLimits: Readonly<Record<string, ValueLimit>> = {
  surname: graph(64),
  givenname: graph(64),
  displayname: graph(256),
  objectid: fixed(guidLength, 'a GUID'),
  mail: asciiGraph(254, 'an SMTP address (RFC 5321 path limit)'),
  userprincipalname: asciiGraph(113, 'Graph: 64-character alias, @, 48-character domain'),
  department: graph(64),
  onpremisessamaccountname: graph(20, 'Active Directory sAMAccountName'),
  netbiosname: fixed(15, 'a NetBIOS name'),
  dnsdomainname: fixed(255, 'a DNS name'),
  onpremisesdomainname: fixed(255, 'a DNS name'),
  onpremisesecurityidentifier: fixed(184, 'a Windows SID string with 15 sub-authorities'),
  companyname: graph(64),
  streetaddress: graph(1024),
  postalcode: asciiGraph(40),
  preferredlanguage: fixed(10, 'an ISO 639-1 language tag with region'),
  onpremisesuserprincipalname: asciiGraph(113, 'as userPrincipalName'),
  mailnickname: graph(64),
  ...Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionattribute${i + 1}`, graph(1024, 'Graph onPremisesExtensionAttributes: 1024 characters each')])),
  othermail: asciiGraph(254, 'an SMTP address; the first value only'),
  country: graph(128),
  city: graph(128),
  state: graph(128),
  jobtitle: graph(128),
  employeeid: asciiGraph(16),
  facsimiletelephonenumber: asciiGraph(64),
  assignedroles: graph(120, 'an app role value (Graph appRole.value); one value per app role of the application'),
  accountenabled: fixed(5, 'true or false'),
  consentprovidedforminor: fixed(11, 'Granted, Denied or NotRequired'),
  createddatetime: fixed(28, 'an ISO 8601 date-time'),
  creationtype: fixed(17, 'the longest documented creation type'),
  lastpasswordchangedatetime: fixed(28, 'an ISO 8601 date-time'),
  mobilephone: asciiGraph(64),
  officelocation: graph(128),
  onpremisesimmutableid: fixed(64, 'a base64 source anchor'),
  onpremisessyncenabled: fixed(5, 'true or false'),
  preferreddatalocation: fixed(8, 'a data-location code'),
  proxyaddresses: asciiGraph(256, 'an SMTP proxy address; the first value only'),
  usertype: fixed(6, 'Member or Guest'),
  telephonenumber: asciiGraph(64, 'Graph businessPhones: one number'),
  groups: fixed(guidLength, 'a group object ID; at most the group limit before overage'),
};

/** Limits of the IDs shared by `application`, `resource` and `audience`. */
export const servicePrincipalValueLimits: Readonly<Record<string, ValueLimit>> = {
  displayname: graph(256, 'Graph servicePrincipal displayName'),
  objectid: fixed(guidLength, 'a GUID'),
  tags: graph(256, 'a tag; the first value only'),
};

/** Limits of the `company` source's IDs. */
export const companyValueLimits: Readonly<Record<string, ValueLimit>> = {
  tenantcountry: fixed(2, 'an ISO 3166 alpha-2 code'),
};

/** Used for an attribute the tables do not list. */
export const defaultValueLimit: ValueLimit = { chars: 256, basis: 'no documented limit; the default string length' };

/**
 * The documented limit of a Source/ID pair (case-insensitive).
 *
 * @example
 * valueLimitOf('user', 'DisplayName').chars // 256
 */
export function valueLimitOf(source: string, id: string): ValueLimit {
  const table = source.toLowerCase() === 'user' ? userValueLimits : source.toLowerCase() === 'company' ? companyValueLimits : servicePrincipalValueLimits;
  const lower = id.toLowerCase();
  return Object.hasOwn(table, lower) ? (table[lower] ?? defaultValueLimit) : defaultValueLimit;
}
