import { basicClaims, findAttribute } from '@claimc/model';
import type { IndexedApp, IndexedUser } from '../directory/indexed.js';
import type { OptionalClaim } from '../directory/schema.js';
import { ClaimcRuntimeError } from '../errors.js';
import type { SamlAttribute } from '../evaluate.js';
import { oidcScopes } from './claim-sets.js';
import { resolveWids, type GroupClaim, type GroupClaimConfig } from './groups.js';
import { slot, type ClaimList } from './jwt-shape.js';
import { emailValue, guestIdp, homeUpn, upnValue } from './optional.js';
import type { PolicyClaimValue } from './policy-port.js';
import type { Facts, IssuerOptions } from './request.js';
import { base64url, sha256 } from './sha256.js';

// The claims Entra itself issues (core, basic when no policy applies, pairwise subject, scopes, groups and roles):
// one rule per claim name, computed from the request's facts.

/** The `iss` of a token: Entra's for the version, or the configured authority's. */
export function tokenIssuer(tid: string, version: 1 | 2, options: IssuerOptions = {}): string {
  if (options.authority !== undefined) return version === 1 ? `${options.authority}/${tid}/` : `${options.authority}/${tid}/v2.0`;
  return version === 1 ? `https://sts.windows.net/${tid}/` : `https://login.microsoftonline.com/${tid}/v2.0`;
}

/** `sub`: a pairwise identifier, base64url(SHA-256(tid|client appId|oid)) — 43 characters like Entra's. */
export function pairwiseSubject(tenantId: string, appId: string, objectId: string): string {
  return base64url(sha256(pairwiseSubjectPrefix(tenantId, appId) + objectId));
}

/** The hashed text of a pairwise `sub` before the object ID: the same for every user of one tenant and client. */
export const pairwiseSubjectPrefix = (tenantId: string, appId: string): string => `${tenantId}|${appId.toLowerCase()}|`;

/** `scp`: the requested scopes without the resource prefix or OIDC scopes; `.default` means every published scope. */
export function scopeClaim(scopes: ReadonlySet<string>, target: IndexedApp): string {
  const published = (target.application?.api?.oauth2PermissionScopes ?? []).filter((s) => s.isEnabled !== false && typeof s.value === 'string').map((s) => s.value!);
  const prefixes = [...(target.application?.identifierUris ?? []), target.appId].map((u) => (u.endsWith('/') ? u : u + '/'));
  const out: string[] = [];
  for (const raw of scopes) {
    const prefix = prefixes.find((p) => raw.startsWith(p));
    const scope = prefix === undefined ? raw : raw.slice(prefix.length);
    if (oidcScopes.has(scope)) continue;
    if (scope === '.default') out.push(...published);
    else out.push(scope);
  }
  const unique = [...new Set(out)];
  if (unique.length > 0) return unique.join(' ');
  return published.length > 0 ? published.join(' ') : 'user_impersonation';
}

const readUserAttribute = (user: IndexedUser, id: string): string | undefined => {
  const attribute = findAttribute('user', id);
  if (attribute?.read.kind !== 'graph') return undefined;
  let value: unknown = user.user;
  const path = attribute.read.path;
  // indexed loops here and below: no iterator per claim when no policy supplies the basic set
  for (let i = 0; i < path.length; i++) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[path[i]!] : undefined;
  return typeof value === 'string' ? value : typeof value === 'boolean' ? String(value) : undefined;
};

/** The default basic set when no policy applies (D15, knowledge `basicClaims`). */
export function defaultJwtBasic(user: IndexedUser | undefined, version: 1 | 2): Readonly<Record<string, string>> {
  // null prototype, insertion order = emission order, as evaluation returns its basic set
  const out = Object.create(null) as Record<string, string>;
  if (user === undefined) return out;
  for (let i = 0; i < basicClaims.length; i++) {
    const row = basicClaims[i]!;
    if (row.format !== 'jwt' || (row.versions !== undefined && !row.versions.includes(version))) continue;
    const value = readUserAttribute(user, row.id);
    if (value !== undefined) out[row.name] = value;
  }
  return out;
}

export function defaultSamlBasic(user: IndexedUser | undefined): SamlAttribute[] {
  if (user === undefined) return [];
  const out: SamlAttribute[] = [];
  for (const row of basicClaims) {
    if (row.format !== 'saml') continue;
    const value = readUserAttribute(user, row.id);
    if (value !== undefined) out.push({ name: row.name, values: [value] });
  }
  return out;
}

export function guardPolicyValue(name: string, value: unknown): PolicyClaimValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as readonly string[];
  throw new ClaimcRuntimeError('ERR_RESTRICTED_CLAIM', `policy claim ${JSON.stringify(name)} carries a value that is not a string or a list of strings (threats V2)`);
}

/** What the issued-claim rules read beyond the facts: decided once per token shape. */
export interface IssuedClaimInputs {
  readonly facts: Facts;
  readonly tokenType: 'id' | 'access';
  readonly version: 1 | 2;
  readonly implicit: boolean;
  readonly optionalClaims: readonly OptionalClaim[];
  readonly groupsConfig: GroupClaimConfig;
  /** The token's `sub`: pairwise for users, the service principal's object ID app-only. */
  readonly sub: string;
  /** `scp`, computed once per request shape. */
  readonly scp: string | undefined;
}

/** Writes one issued claim (a row of `issuedJwtClaims`) into the claims being built; a rule may write nothing. */
export function writeIssuedClaim(name: string, claims: ClaimList, inputs: IssuedClaimInputs, groupClaim: GroupClaim, issuer: string, audience: string): void {
  const { facts, tokenType, version, implicit, optionalClaims, groupsConfig, sub, scp } = inputs;
  const { user, client, target, tid, request } = facts;
  const u = user?.user;
  switch (name) {
    case 'acr':
      claims.set('acr', '1');
      return;
    case 'amr':
      claims.set('amr', ['pwd']);
      return;
    case 'appid':
    case 'azp':
      claims.set(name, client.appId);
      return;
    case 'appidacr':
    case 'azpacr':
      claims.set(name, user === undefined ? '1' : '0');
      return;
    case 'email': {
      if (user === undefined) return;
      const wanted = user.isGuest || (tokenType === 'id' && version === 2 && facts.scopes.has('email'));
      const email = wanted ? emailValue(user) : undefined;
      if (email !== undefined) claims.set('email', email);
      return;
    }
    case 'idp': {
      const idp = user === undefined ? undefined : guestIdp(user);
      if (idp !== undefined && idp !== issuer) claims.set('idp', idp);
      return;
    }
    case 'idtyp':
      claims.set('idtyp', 'app');
      return;
    case 'nonce':
      if (request.nonce !== undefined) claims.set('nonce', slot.nonce);
      return;
    case 'c_hash':
      if (request.code !== undefined) claims.set('c_hash', slot.c_hash);
      return;
    case 'at_hash':
      if (request.accessToken !== undefined) claims.set('at_hash', slot.at_hash);
      return;
    case 'onprem_sid':
      if (typeof u?.onPremisesSecurityIdentifier === 'string') claims.set('onprem_sid', u.onPremisesSecurityIdentifier);
      return;
    case 'preferred_username':
    case 'unique_name': {
      const value = user === undefined ? undefined : name === 'unique_name' && user.isGuest ? emailValue(user) : homeUpn(user);
      if (value !== undefined) claims.set(name, value);
      return;
    }
    case 'upn': {
      if (user === undefined) return;
      const upnClaim = optionalClaims.find((c) => c.name === 'upn');
      if (user.isGuest && upnClaim === undefined) return;
      const value = upnValue(user, upnClaim?.additionalProperties ?? []);
      if (value !== undefined) claims.set('upn', value);
      return;
    }
    case 'scp':
      claims.set('scp', scp ?? scopeClaim(facts.scopes, target));
      return;
    case 'roles': {
      const roles =
        groupsConfig.emitAsRoles && user !== undefined
          ? groupClaim.kind === 'list'
            ? groupClaim.values
            : []
          : facts.roles;
      if (roles.length > 0) claims.set('roles', [...roles]);
      return;
    }
    case 'groups':
      if (groupClaim.kind === 'overage') {
        if (implicit) claims.set('hasgroups', true);
        else {
          claims.set('_claim_names', { groups: 'src1' });
          claims.set('_claim_sources', { src1: { endpoint: `https://graph.microsoft.com/v1.0/users/${u?.id ?? ''}/getMemberObjects` } });
        }
      } else if (groupClaim.kind === 'list' && !groupsConfig.emitAsRoles) claims.set('groups', groupClaim.values); // resolved per user: no one else holds it
      return;
    case 'wids': {
      if (user === undefined || implicit) return;
      const wids = resolveWids(user, groupsConfig);
      if (wids.length > 0) claims.set('wids', [...wids]);
      return;
    }
    case 'oid':
      claims.set('oid', u?.id ?? client.servicePrincipal.id);
      return;
    case 'tid':
      claims.set('tid', tid);
      return;
    case 'ver':
      claims.set('ver', version === 1 ? '1.0' : '2.0');
      return;
    case 'sub':
      claims.set('sub', sub);
      return;
    case 'aud':
      claims.set('aud', audience);
      return;
    case 'iss':
      claims.set('iss', issuer);
      return;
    case 'aio':
    case 'rh':
    case 'uti':
    case 'iat':
    case 'nbf':
    case 'exp':
      claims.set(name, slot[name]);
      return;
    default:
      throw new ClaimcRuntimeError('ERR_REQUEST_INVALID', `no rule computes the issued claim ${name}`);
  }
}
