/**
 * Sources and their IDs (entra-semantics.md §2), one row per fact, mapped to the Microsoft Graph
 * property the value is read from. Shared by the checker (valid pairs), the compiler and the runtime.
 */

export type SourceName = 'user' | 'application' | 'resource' | 'audience' | 'company' | 'transformation';

/** Every `Source` value Entra documents (§2). @example sourceNames.includes('company') // true */
export const sourceNames: readonly SourceName[] = ['user', 'application', 'resource', 'audience', 'company', 'transformation'];

/** How a value is obtained from the evaluation context. */
export type AttributeRead =
  /** A Graph property path on the source object, e.g. `onPremisesExtensionAttributes.extensionAttribute7`. */
  | { readonly kind: 'graph'; readonly path: readonly string[] }
  /** A value derived from other properties; the runtime documents each derivation by name. */
  | { readonly kind: 'derived'; readonly derivation: 'netbiosname' | 'assignedroles' | 'groups' };

export interface SourceAttribute {
  /** Canonical ID spelling (as entra-semantics.md lists it). */
  readonly id: string;
  readonly read: AttributeRead;
  /** Multi-valued in the directory. */
  readonly multiValued: boolean;
  /** When used directly as a claim source: emit every value (true) or the first one only (D12). */
  readonly emitsAllValues: boolean;
  /** Directory type: booleans and dates are emitted as their string form (D13). */
  readonly type: 'string' | 'boolean' | 'datetime';
  /** Allowed as the SAML NameID / UPN source (§3.5). */
  readonly nameIdSource?: boolean;
  /** Accepted but not documented by Entra (COMM); a warning, an error under `--target entra`. */
  readonly undocumented?: boolean;
  /** Documentation note for generated docs. */
  readonly note?: string;
}

const g = (...path: string[]): AttributeRead => ({ kind: 'graph', path });
const s = (id: string, read: AttributeRead, extra: Partial<SourceAttribute> = {}): SourceAttribute => ({
  id,
  read,
  multiValued: false,
  emitsAllValues: false,
  type: 'string',
  ...extra,
});

const extensionAttributes: SourceAttribute[] = Array.from({ length: 15 }, (_, i) =>
  s(`extensionattribute${i + 1}`, g('onPremisesExtensionAttributes', `extensionAttribute${i + 1}`), { nameIdSource: true }),
);

/** The `user` source's IDs. */
export const userAttributes: readonly SourceAttribute[] = [
  s('surname', g('surname')),
  s('givenname', g('givenName')),
  s('displayname', g('displayName')),
  s('objectid', g('id')),
  s('mail', g('mail'), { nameIdSource: true }),
  s('userprincipalname', g('userPrincipalName'), { nameIdSource: true }),
  s('department', g('department')),
  s('onpremisessamaccountname', g('onPremisesSamAccountName'), { nameIdSource: true }),
  s('netbiosname', { kind: 'derived', derivation: 'netbiosname' }, { note: 'First DNS label of onPremisesDomainName, upper-cased (CONTOSO for contoso.com).' }),
  s('dnsdomainname', g('onPremisesDomainName')),
  s('onpremisesecurityidentifier', g('onPremisesSecurityIdentifier')),
  s('companyname', g('companyName')),
  s('streetaddress', g('streetAddress')),
  s('postalcode', g('postalCode')),
  s('preferredlanguage', g('preferredLanguage')),
  s('onpremisesuserprincipalname', g('onPremisesUserPrincipalName'), { note: 'Populated only when Alternate ID is configured.' }),
  s('mailnickname', g('mailNickname')),
  ...extensionAttributes,
  s('othermail', g('otherMails'), { multiValued: true, note: 'Multi-valued in the directory; emits the first value.' }),
  s('country', g('country')),
  s('city', g('city')),
  s('state', g('state')),
  s('jobtitle', g('jobTitle')),
  s('employeeid', g('employeeId'), { nameIdSource: true }),
  s('facsimiletelephonenumber', g('faxNumber')),
  s('assignedroles', { kind: 'derived', derivation: 'assignedroles' }, {
    multiValued: true,
    emitsAllValues: true,
    note: 'Values of the app roles assigned to the user on the audience application, directly or through a group.',
  }),
  s('accountEnabled', g('accountEnabled'), { type: 'boolean' }),
  s('consentprovidedforminor', g('consentProvidedForMinor')),
  s('createddatetime', g('createdDateTime'), { type: 'datetime' }),
  s('creationtype', g('creationType')),
  s('lastpasswordchangedatetime', g('lastPasswordChangeDateTime'), { type: 'datetime' }),
  s('mobilephone', g('mobilePhone')),
  s('officelocation', g('officeLocation')),
  s('onpremisesdomainname', g('onPremisesDomainName')),
  s('onpremisesimmutableid', g('onPremisesImmutableId')),
  s('onpremisessyncenabled', g('onPremisesSyncEnabled'), { type: 'boolean' }),
  s('preferreddatalocation', g('preferredDataLocation')),
  s('proxyaddresses', g('proxyAddresses'), { multiValued: true, note: 'Multi-valued; emits the first value unless transformed with TreatAsMultiValue.' }),
  s('usertype', g('userType')),
  s('telephonenumber', g('businessPhones'), { multiValued: true, nameIdSource: true, note: 'Graph `businessPhones`; emits the first value.' }),
  s('groups', { kind: 'derived', derivation: 'groups' }, {
    multiValued: true,
    emitsAllValues: true,
    undocumented: true,
    note: 'Object IDs of the groups the user belongs to; seen in community policies only.',
  }),
];

/** The IDs shared by `application`, `resource` and `audience` (service principals). */
export const servicePrincipalAttributes: readonly SourceAttribute[] = [
  s('displayname', g('displayName')),
  s('objectid', g('id')),
  s('tags', g('tags'), { multiValued: true, note: 'Multi-valued; emits the first value.' }),
];

/** The `company` source's IDs (Graph `organization`). */
export const companyAttributes: readonly SourceAttribute[] = [s('tenantcountry', g('countryLetterCode'))];

/** Misspellings in the 2019 documentation, kept so the checker can suggest the right ID. */
export const historicalMisspellings: Readonly<Record<string, string>> = {
  preferredlanguange: 'preferredlanguage',
  objected: 'objectid',
};

/** Returns the attribute table for a data source, or undefined for `transformation` / unknown names. */
export function attributesOf(source: string): readonly SourceAttribute[] | undefined {
  switch (source.toLowerCase()) {
    case 'user':
      return userAttributes;
    case 'application':
    case 'resource':
    case 'audience':
      return servicePrincipalAttributes;
    case 'company':
      return companyAttributes;
    default:
      return undefined;
  }
}

// each attribute table indexed by lower-cased ID once (the first row of an ID wins, as a scan would find it)
const attributeIndex: ReadonlyMap<readonly SourceAttribute[], ReadonlyMap<string, SourceAttribute>> = new Map(
  [userAttributes, servicePrincipalAttributes, companyAttributes].map((table) => [table, new Map([...table].reverse().map((a) => [a.id.toLowerCase(), a]))]),
);

/** Looks up a Source/ID pair case-insensitively (D1). @example findAttribute('User', 'Mail')?.id // 'mail' */
export function findAttribute(source: string, id: string): SourceAttribute | undefined {
  const table = attributesOf(source);
  return table === undefined ? undefined : attributeIndex.get(table)?.get(id.toLowerCase());
}

/**
 * The canonical spelling of a source ID (D1): the knowledge base's when it knows the ID, else as written. The one
 * place every reader (JSON, `.claims`) and bind spell IDs.
 *
 * @example
 * canonicalAttributeId('user', 'ExtensionAttribute1'); // 'extensionattribute1'
 * canonicalAttributeId('user', 'notAnAttribute');      // 'notAnAttribute'
 */
export function canonicalAttributeId(source: string, id: string): string {
  return findAttribute(source, id)?.id ?? id;
}

/** Directory extension names: `extension_<appId without dashes>_<attribute>` (EXT). */
export const extensionIdPattern = /^extension_([0-9a-fA-F]{32})_([A-Za-z0-9_]+)$/;
