import { extensionIdPattern, limits, tenantRegionScope } from '@claimc/model';
import type { IndexedDirectory, IndexedUser } from '../directory/indexed.js';
import type { OptionalClaim } from '../directory/schema.js';
import { optionalClaimRows, samlUris, type OptionalClaimRow } from './claim-sets.js';
import { base64url } from 'jose';
import { bytesToGuid, sha256 } from './sha256.js';

/** A JSON value a token claim may carry. */
export type JsonValue = string | number | boolean | readonly JsonValue[] | { readonly [key: string]: JsonValue };

const rowsByName: ReadonlyMap<string, OptionalClaimRow> = new Map(optionalClaimRows.map((r) => [r.name, r]));
const utf8 = new TextEncoder();

/** A guest's UPN in their home tenant: `alice_fabrikam.com#EXT#@contoso.com` → `alice@fabrikam.com` (else mail, else the UPN). */
export function homeUpn(user: IndexedUser): string | undefined {
  const upn = user.user.userPrincipalName ?? undefined;
  if (!user.isGuest) return upn;
  if (typeof upn === 'string' && upn.includes('#EXT#')) {
    const local = upn.slice(0, upn.indexOf('#EXT#'));
    const at = local.lastIndexOf('_');
    if (at > 0) return local.slice(0, at) + '@' + local.slice(at + 1);
  }
  return user.user.mail ?? upn;
}

/** The `upn` value honouring the guest forms of OC's additionalProperties (members are unaffected). */
export function upnValue(user: IndexedUser, additionalProperties: readonly string[]): string | undefined {
  const upn = user.user.userPrincipalName ?? undefined;
  if (!user.isGuest) return upn;
  const props = additionalProperties.map((p) => p.toLowerCase());
  if (props.includes('include_externally_authenticated_upn')) return upn;
  if (props.includes('include_externally_authenticated_upn_without_hash')) return upn?.replace(/#/g, '_');
  return homeUpn(user);
}

/** The tenant of personal Microsoft accounts (seed 004): their `tid`, and the tenant in their STS URIs. */
export const microsoftAccountTenantId = '9188040d-6c67-4c5b-b112-36a304b66dad';

/**
 * A guest's identity provider (seed 004): the issuer of their home identity, never a Graph enum name. Graph's
 * `MicrosoftAccount` → `live.com`; `ExternalAzureAD` → `https://sts.windows.net/<homeTenantId>/` (none without
 * `homeTenantId`); a URI or domain issuer (`google.com`, a federation STS) as is; `mail` (one-time passcode) and no
 * federated identity → the home domain. Members: none.
 */
export function guestIdp(user: IndexedUser): string | undefined {
  if (!user.isGuest) return undefined;
  const federated = (user.user.identities ?? []).find((i) => (i.signInType ?? '').toLowerCase() === 'federated' && typeof i.issuer === 'string');
  const issuer = federated?.issuer ?? undefined;
  switch (issuer?.toLowerCase()) {
    case 'microsoftaccount':
      return 'live.com';
    case 'externalazuread': {
      const home = user.user.homeTenantId;
      return typeof home === 'string' && home !== '' ? `https://sts.windows.net/${home}/` : undefined;
    }
    case undefined:
    case 'mail':
      break;
    default:
      return issuer;
  }
  const home = homeUpn(user);
  return home?.includes('@') === true ? home.slice(home.lastIndexOf('@') + 1) : undefined;
}

/** True for a personal Microsoft account signing in through the consumer tenant (seed 004). */
export const isPersonalAccount = (user: IndexedUser | undefined): boolean => user?.user.personalMicrosoftAccount === true;

/** The email a token carries: mail, or for a guest their home UPN. */
export function emailValue(user: IndexedUser): string | undefined {
  return user.user.mail ?? (user.isGuest ? homeUpn(user) : undefined);
}

/**
 * The `sid` optional claim: a deterministic session GUID from tenant, user and the injected clock.
 *
 * @example
 * sessionId(tenantId, userId, 1_700_000_000) // 'xxxxxxxx-xxxx-…'
 */
export function sessionId(tenantId: string, userId: string, now: number): string {
  return bytesToGuid(sha256(`sid|${tenantId}|${userId}|${now}`));
}

/** What optional-claim values depend on besides the user. */
export interface OptionalClaimInputs {
  readonly directory: IndexedDirectory;
  readonly user: IndexedUser | undefined;
  readonly format: 'jwt' | 'saml';
  readonly tokenType: 'id' | 'access' | 'saml';
  readonly version: 1 | 2;
  readonly now: number;
  /** The app whose manifest lists the claims: extension claims must be registered on it (EXT, OC). */
  readonly appId: string;
}

const stringify = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) ? String(value) : undefined;

/**
 * Computes the optional claims of one manifest list, in manifest order, as `[name, value]` pairs. Extension claims
 * (`source: "user"`) become `extn.<attr>` (SAML: `…/identity/claims/extn.<attr>`); only extensions registered on
 * the app itself count and only the first 10 (D7). Claims needing request context the emulator lacks are skipped
 * (see the `offline` column of the table). `groups` and `aud` only change formatting and are handled elsewhere.
 */
export function optionalClaimValues(claims: readonly OptionalClaim[], inputs: OptionalClaimInputs): [string, JsonValue][] {
  const out: [string, JsonValue][] = [];
  collectOptionalClaims(claims, inputs, { set: (name, value) => out.push([name, value]) });
  return out;
}

/** Where {@link collectOptionalClaims} puts each claim (a `ClaimList`, or a list of pairs). */
export interface OptionalClaimSink {
  set(name: string, value: JsonValue): void;
}

/**
 * {@link optionalClaimValues} into a sink, claim by claim in manifest order (no pair per claim).
 *
 * @example
 * const claims = new ClaimList(manifest.length);
 * collectOptionalClaims(manifest, inputs, claims);
 */
export function collectOptionalClaims(claims: readonly OptionalClaim[], inputs: OptionalClaimInputs, out: OptionalClaimSink): void {
  let extensions = 0;
  let appKey: string | undefined; // only when an extension claim asks
  for (let index = 0; index < claims.length; index++) {
    const claim = claims[index]!;
    if ((claim.source ?? '').toLowerCase() === 'user') {
      const match = extensionIdPattern.exec(claim.name);
      // seed 001: extensions requested in the manifest are not returned to a personal Microsoft account
      if (match === null || match[1]!.toLowerCase() !== (appKey ??= inputs.appId.replace(/-/g, '').toLowerCase()) || inputs.user === undefined || isPersonalAccount(inputs.user)) continue;
      if (++extensions > limits.extensionOptionalClaims) continue;
      const raw: unknown = (inputs.user.user as Record<string, unknown>)[claim.name];
      const name = inputs.format === 'jwt' ? `extn.${match[2]!}` : samlUris.extensionPrefix + match[2]!;
      if (Array.isArray(raw)) {
        const values = raw.map(stringify).filter((v): v is string => v !== undefined);
        if (values.length > 0) out.set(name, values);
      } else {
        const value = stringify(raw);
        if (value !== undefined) out.set(name, value);
      }
      continue;
    }
    const row = rowsByName.get(claim.name);
    if (row === undefined || !row.offline || listedBefore(claims, index)) continue;
    if (inputs.format === 'saml' ? row.saml === undefined : !row.jwt) continue;
    if (inputs.format === 'jwt' && row.versions !== undefined && !row.versions.includes(inputs.version)) continue;
    if (inputs.format === 'jwt' && row.tokens !== undefined && !row.tokens.includes(inputs.tokenType as 'id' | 'access')) continue;
    const value = computeOptional(row.name, claim, inputs);
    if (value === undefined) continue;
    out.set(inputs.format === 'saml' ? row.saml! : row.name, inputs.format === 'saml' && typeof value !== 'string' && !Array.isArray(value) ? String(value) : value);
  }
}

/**
 * Whether a claim of the same name (not an extension) comes earlier in the list: that one decided the name (every
 * check above depends on the name alone), so this one is a repeat. A scan of a short list instead of a set per token.
 */
function listedBefore(claims: readonly OptionalClaim[], index: number): boolean {
  const name = claims[index]!.name;
  for (let i = 0; i < index; i++) if (claims[i]!.name === name && (claims[i]!.source ?? '').toLowerCase() !== 'user') return true;
  return false;
}

/** Whether an optional claim lists an additional property (case-insensitive; `lower` is lower case): no closure per token. */
function hasProperty(claim: OptionalClaim, lower: string): boolean {
  const props = claim.additionalProperties;
  if (props === undefined || props === null) return false;
  for (let i = 0; i < props.length; i++) {
    const p = props[i]!;
    if (p === lower || (p.length === lower.length && p.toLowerCase() === lower)) return true;
  }
  return false;
}

function computeOptional(name: string, claim: OptionalClaim, inputs: OptionalClaimInputs): JsonValue | undefined {
  const { user, directory } = inputs;
  const org = directory.organization;
  switch (name) {
    case 'tenant_ctry':
      return org.countryLetterCode ?? undefined;
    case 'tenant_region_scope':
      return tenantRegionScope(org);
    case 'xms_tpl':
      return (org as { preferredLanguage?: string | null }).preferredLanguage ?? undefined;
    case 'idtyp':
      return user === undefined ? 'app' : hasProperty(claim, 'include_user_token') ? 'user' : undefined;
    default:
      break;
  }
  if (user === undefined) return undefined;
  const u = user.user;
  switch (name) {
    case 'acct':
      return user.isGuest ? 1 : 0;
    case 'auth_time':
      return inputs.now;
    case 'ctry': {
      const country = u.usageLocation ?? u.country;
      return typeof country === 'string' && /^[A-Z]{2}$/.test(country) ? country : undefined;
    }
    case 'email':
      return emailValue(user);
    case 'login_hint':
      return base64url.encode(utf8.encode(JSON.stringify({ oid: u.id, tid: org.id, upn: u.userPrincipalName ?? '' })));
    case 'sid':
      return sessionId(org.id, u.id, inputs.now);
    case 'upn':
      return upnValue(user, claim.additionalProperties ?? []);
    case 'verified_primary_email':
      return u.mail ?? undefined;
    case 'verified_secondary_email':
      return u.otherMails?.[0] ?? undefined;
    case 'xms_edov': {
      const email = emailValue(user);
      return email === undefined ? undefined : directory.verifiedDomains.includes(email.slice(email.lastIndexOf('@') + 1).toLowerCase());
    }
    case 'xms_pdl':
      return u.preferredDataLocation ?? undefined;
    case 'xms_pl':
      return u.preferredLanguage ?? undefined;
    case 'onprem_sid':
      return u.onPremisesSecurityIdentifier ?? undefined;
    case 'family_name':
      return u.surname ?? undefined;
    case 'given_name':
      return u.givenName ?? undefined;
    case 'preferred_username':
      return homeUpn(user);
    default:
      return undefined;
  }
}
