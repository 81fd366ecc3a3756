import { findAttribute, type ClaimsMappingPolicy } from '@claimc/model';

/** A Graph user property a policy entry reads. */
export interface UserPropertyRead {
  /** The Graph property (`employeeId`, `onPremisesExtensionAttributes`, `extension_<appId>_<name>`). */
  readonly property: string;
  /** Index of the ClaimsSchema entry. */
  readonly entry: number;
  /** The entry's claim type (JWT or SAML), or its ID when it only feeds a transformation. */
  readonly claim: string;
}

const derivedProperties: Readonly<Record<string, string>> = { netbiosname: 'onPremisesDomainName' };

/**
 * The Graph user properties each `Source: user` entry of a policy reads (directory extensions by name).
 * Memberships (`groups`, `assignedroles`) are not properties and are left out.
 *
 * @example
 * userPropertiesRead({ Version: 1, ClaimsSchema: [{ Source: 'user', ID: 'employeeid', JwtClaimType: 'employeeid' }] })
 * // [{ property: 'employeeId', entry: 0, claim: 'employeeid' }]
 */
export function userPropertiesRead(policy: ClaimsMappingPolicy): UserPropertyRead[] {
  const out: UserPropertyRead[] = [];
  (policy.ClaimsSchema ?? []).forEach((entry, index) => {
    if (entry.Source?.toLowerCase() !== 'user') return;
    const claim = entry.JwtClaimType ?? entry.SamlClaimType ?? entry.ID ?? entry.ExtensionID ?? '';
    if (entry.ExtensionID !== undefined) {
      out.push({ property: entry.ExtensionID, entry: index, claim });
      return;
    }
    if (entry.ID === undefined) return;
    const attribute = findAttribute('user', entry.ID);
    if (attribute === undefined) return;
    if (attribute.read.kind === 'graph') out.push({ property: attribute.read.path[0]!, entry: index, claim });
    else if (Object.hasOwn(derivedProperties, attribute.id)) out.push({ property: derivedProperties[attribute.id]!, entry: index, claim });
  });
  return out;
}

/**
 * Whether an export's `$select` list for users leaves a property out (compared case-insensitively, as Graph does).
 *
 * @example
 * isNotExported('employeeId', new Set(['id', 'mail'])) // true
 */
export function isNotExported(property: string, exported: ReadonlySet<string> | undefined): boolean {
  return exported !== undefined && !exported.has(property.toLowerCase());
}
