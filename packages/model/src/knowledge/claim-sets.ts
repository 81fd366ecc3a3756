/**
 * The basic claim set as data (D15), so it can be corrected in one place. Each row names the claim,
 * the formats and versions that carry it by default, and the source it is read from.
 */
export interface BasicClaim {
  readonly format: 'jwt' | 'saml';
  readonly name: string;
  /** JWT versions that carry it by default; in other versions it is an optional claim only. */
  readonly versions?: readonly (1 | 2)[];
  readonly source: 'user';
  readonly id: string;
}

const ns = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';

/** The basic claim set rows (D15). @example basicClaims.filter((c) => c.format === 'jwt').map((c) => c.name) // ['name', 'given_name', 'family_name'] */
export const basicClaims: readonly BasicClaim[] = [
  { format: 'jwt', name: 'name', versions: [1, 2], source: 'user', id: 'displayname' },
  { format: 'jwt', name: 'given_name', versions: [1], source: 'user', id: 'givenname' },
  { format: 'jwt', name: 'family_name', versions: [1], source: 'user', id: 'surname' },
  { format: 'saml', name: ns + 'givenname', source: 'user', id: 'givenname' },
  { format: 'saml', name: ns + 'surname', source: 'user', id: 'surname' },
  { format: 'saml', name: ns + 'name', source: 'user', id: 'userprincipalname' },
  { format: 'saml', name: ns + 'emailaddress', source: 'user', id: 'mail' },
];
