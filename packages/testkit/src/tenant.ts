import type { DirectorySnapshot, IndexedDirectory, TokenRequest } from '@claimc/runtime/internal';
import { assembleToken } from '@claimc/runtime/internal';
import { prepareDirectory } from '@claimc/compiler';

// Small snapshot builders for the token tests: every test states the tenant it needs. The runtime's tests reach
// the compiler (policies compiled and linked into the directory) only through these helpers.

/**
 * The compiler's snapshot preparation (validation, policies compiled and linked), for tests that assert a
 * snapshot's findings before issuing from it.
 *
 * @example
 * const { directory, diagnostics } = prepareDirectory(tenant({ policies: [{ id: 'p', definition: policy([]) }] }));
 */
export { prepareDirectory };

/** The frozen clock of every token test, and the ids of the tenant {@link tenant} builds. @example assembleToken(directory, { token: 'id', client: CLIENT, user: USER, now: NOW }) */
export const NOW = 1_750_000_000; // 2025-06-15T15:06:40Z, frozen clock for every token test (D20)
export const TID = '11111111-0000-4000-8000-000000000000';
export const CLIENT = '22222222-0000-4000-8000-000000000001';
export const API = '22222222-0000-4000-8000-000000000002';
export const CLIENT_SP = '33333333-0000-4000-8000-000000000001';
export const API_SP = '33333333-0000-4000-8000-000000000002';
export const USER = '44444444-0000-4000-8000-000000000001';

/** The id of the n-th test group. @example tenant({ groups: [{ id: groupId(1), displayName: 'g1' }] }) */
export const groupId = (n: number): string => `55555555-0000-4000-8000-${String(n).padStart(12, '0')}`;

type Json = Record<string, unknown>;

export interface TenantOptions {
  readonly user?: Json;
  readonly users?: readonly Json[];
  readonly groups?: readonly Json[];
  readonly directoryRoles?: readonly Json[];
  readonly client?: Json;
  readonly clientSp?: Json;
  readonly api?: Json;
  readonly apiSp?: Json;
  readonly policies?: readonly { id: string; definition: string }[];
}

/**
 * A tenant with one user, a client app and an API; each piece can be overridden.
 *
 * @example
 * const directory = directoryOf(tenant({ user: { department: 'R&D' } }));
 */
export function tenant(options: TenantOptions = {}): DirectorySnapshot {
  const user = { id: USER, userPrincipalName: 'ada@contoso.com', displayName: 'Ada Lovelace', givenName: 'Ada', surname: 'Lovelace', mail: 'ada@contoso.com', userType: 'Member', ...options.user };
  return {
    organization: { id: TID, countryLetterCode: 'NL', verifiedDomains: [{ name: 'contoso.com' }] },
    users: [user, ...(options.users ?? [])],
    groups: [...(options.groups ?? [])],
    directoryRoles: [...(options.directoryRoles ?? [])],
    applications: [
      { appId: CLIENT, displayName: 'Client', identifierUris: ['https://client.contoso.com'], ...options.client },
      { appId: API, displayName: 'API', identifierUris: ['https://api.contoso.com'], api: { requestedAccessTokenVersion: 2 }, ...options.api },
    ],
    servicePrincipals: [
      { id: CLIENT_SP, appId: CLIENT, displayName: 'Client', ...options.clientSp },
      { id: API_SP, appId: API, displayName: 'API', ...options.apiSp },
    ],
    claimsMappingPolicies: (options.policies ?? []).map((p) => ({ id: p.id, displayName: p.id, definition: [p.definition] })),
  } as DirectorySnapshot;
}

/**
 * Prepares a snapshot (policies compiled and linked) and fails loudly on errors (scenario tenants must be valid).
 *
 * @example
 * const directory = directoryOf(tenant());
 */
export function directoryOf(snapshot: DirectorySnapshot): IndexedDirectory {
  const prepared = prepareDirectory(snapshot);
  const errors = prepared.diagnostics.filter((d) => d.severity === 'error');
  if (prepared.directory === undefined) throw new Error(`snapshot invalid: ${JSON.stringify(errors)}`);
  return prepared.directory;
}

/**
 * Assembles a JWT for {@link USER} at {@link CLIENT} (clock {@link NOW}) and returns its payload as a plain object.
 *
 * @example
 * expect(jwtClaims(directoryOf(tenant()), { token: 'id' }).name).toBe('Ada Lovelace');
 */
export function jwtClaims(directory: IndexedDirectory, request: Partial<TokenRequest> & Pick<TokenRequest, 'token'>): Record<string, unknown> {
  const token = assembleToken(directory, { client: CLIENT, user: USER, now: NOW, ...request });
  if (token.format !== 'jwt') throw new Error('expected a JWT');
  return { ...token.payload };
}

/** A Sign keyCredential alone, valid between two ISO instants (not a custom signing key without {@link customKey}'s other parts). */
export const signKey = (start: string, end: string, keyId = '66666666-0000-4000-8000-000000000001'): Json => ({ keyId, usage: 'Sign', type: 'X509CertAndPassword', startDateTime: start, endDateTime: end });

/**
 * A complete custom signing key (seed 002): the Sign keyCredential, a passwordCredential with its keyId and a Verify
 * keyCredential with the same customKeyIdentifier. Spread into a service principal. The kid is the keyId.
 */
export const customKey = (start: string, end: string, keyId = '66666666-0000-4000-8000-000000000001'): { keyCredentials: Json[]; passwordCredentials: Json[] } => ({
  keyCredentials: [
    { ...signKey(start, end, keyId), customKeyIdentifier: `cki-${keyId}` },
    { keyId: `verify-${keyId}`, usage: 'Verify', type: 'AsymmetricX509Cert', customKeyIdentifier: `cki-${keyId}`, startDateTime: start, endDateTime: end },
  ],
  passwordCredentials: [{ keyId, customKeyIdentifier: `cki-${keyId}`, startDateTime: start, endDateTime: end }],
});

/**
 * A claims-mapping policy definition (JSON text) with the basic claim set.
 *
 * @example
 * tenant({ policies: [{ id: 'p', definition: policy([{ Source: 'user', ID: 'department', JwtClaimType: 'dept' }]) }] })
 */
export const policy = (schema: readonly Json[], extra: Json = {}): string =>
  JSON.stringify({ ClaimsMappingPolicy: { Version: 1, IncludeBasicClaimSet: 'true', ClaimsSchema: schema, ...extra } });
