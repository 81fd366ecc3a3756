// Claim-set tables as data (entra-semantics.md §4–§7, D15, D18), so a correction is a one-row change.

/** A JWT kind: token type and version (IDT/ATR). */
export type JwtKind = 'id1' | 'id2' | 'access1' | 'access2';

/** Who the token is about: a signed-in user, or the client application itself (client credentials). */
export type Principal = 'user' | 'app';

/**
 * One Entra-issued JWT claim: in which kinds it appears, for which principal, and the scope it needs.
 * Rows are written in this order after basic, optional and policy claims; the last six are the core
 * identity claims written last of all (D14, threats N5). In the emitted payload the per-token claims (`aio`,
 * `nonce`, `rh`, `uti`, `iat`, `nbf`, `exp`, and the optional `auth_time`/`sid`) follow every fixed claim
 * (docs/tokens.md: pre-encoded payload head).
 */
export interface IssuedClaimRow {
  readonly name: string;
  readonly kinds: readonly JwtKind[];
  readonly principals: readonly Principal[];
  /** v2 ID tokens carry it only with this scope (IDT). */
  readonly scope?: 'profile';
  readonly note: string;
}

const all: readonly JwtKind[] = ['id1', 'id2', 'access1', 'access2'];
const user: readonly Principal[] = ['user'];
const both: readonly Principal[] = ['user', 'app'];

export const issuedJwtClaims: readonly IssuedClaimRow[] = [
  { name: 'acr', kinds: ['access1'], principals: user, note: '"1": single-factor sign-in (offline emulation).' },
  { name: 'aio', kinds: all, principals: both, note: 'Opaque; deterministic from the request (docs/tokens.md).' },
  { name: 'amr', kinds: ['id1', 'access1'], principals: user, note: '["pwd"] (offline emulation).' },
  { name: 'appid', kinds: ['access1'], principals: both, note: 'Client application ID.' },
  { name: 'appidacr', kinds: ['access1'], principals: both, note: '"1" (client secret) for app-only, "0" (public client) for users.' },
  { name: 'azp', kinds: ['access2'], principals: both, note: 'Client application ID.' },
  { name: 'azpacr', kinds: ['access2'], principals: both, note: 'As appidacr.' },
  { name: 'email', kinds: all, principals: user, note: 'Guests by default; members with the v2 `email` scope on ID tokens or the optional claim.' },
  { name: 'idp', kinds: all, principals: user, note: 'Guests only: the home identity provider (omitted when equal to iss).' },
  { name: 'idtyp', kinds: ['access1', 'access2'], principals: ['app'], note: '"app" in app-only tokens (the issue asks for it always); users only with include_user_token.' },
  { name: 'nonce', kinds: ['id1', 'id2'], principals: user, note: 'Echoed from the request when given.' },
  { name: 'c_hash', kinds: ['id1', 'id2'], principals: user, note: 'With an authorization code issued beside the ID token: left half of SHA-256 of the code, base64url.' },
  { name: 'at_hash', kinds: ['id1', 'id2'], principals: user, note: 'With an access token issued beside the ID token: left half of SHA-256 of the token, base64url.' },
  { name: 'onprem_sid', kinds: ['id1', 'access1'], principals: user, note: 'Synced users: onPremisesSecurityIdentifier (v1 only; optional claim in v2).' },
  { name: 'preferred_username', kinds: ['id2', 'access2'], principals: user, scope: 'profile', note: 'UPN (guests: home UPN).' },
  { name: 'unique_name', kinds: ['id1', 'access1'], principals: user, note: 'UPN (guests: their mail or home UPN).' },
  { name: 'upn', kinds: ['id1', 'access1'], principals: user, note: 'Members only; guests through the upn optional claim.' },
  { name: 'scp', kinds: ['access1', 'access2'], principals: user, note: 'Space-separated delegated scopes.' },
  { name: 'roles', kinds: all, principals: both, note: 'App roles (direct or group assignment); app-only: application permissions; emit_as_roles: groups.' },
  { name: 'groups', kinds: all, principals: user, note: 'groupMembershipClaims; overage as docs/semantics.md#groups describes.' },
  { name: 'wids', kinds: all, principals: user, note: 'Directory role template IDs (DirectoryRole/All); omitted in implicit flow.' },
  { name: 'oid', kinds: all, principals: both, scope: 'profile', note: 'User object ID; app-only: the client service principal object ID.' },
  { name: 'rh', kinds: all, principals: both, note: 'Opaque; deterministic from the request.' },
  { name: 'tid', kinds: all, principals: both, note: 'Tenant ID.' },
  { name: 'uti', kinds: all, principals: both, note: 'Token identifier; deterministic from the request (no randomness).' },
  { name: 'ver', kinds: all, principals: both, note: '"1.0" or "2.0".' },
  { name: 'sub', kinds: all, principals: both, note: 'Pairwise: base64url(SHA-256(tid|client appId|oid)); app-only: the client SP object ID.' },
  { name: 'aud', kinds: all, principals: both, note: 'ID: client appId; access v2: resource appId; access v1: as requested (use_guid: appId).' },
  { name: 'iss', kinds: all, principals: both, note: 'v1 https://sts.windows.net/{tid}/; v2 https://login.microsoftonline.com/{tid}/v2.0 (with a custom signing key and issuerWithApplicationId, /{appId} is appended).' },
  { name: 'iat', kinds: all, principals: both, note: 'Injected clock.' },
  { name: 'nbf', kinds: all, principals: both, note: 'Equal to iat.' },
  { name: 'exp', kinds: all, principals: both, note: 'iat + lifetime (60 min by default).' },
];

/** Where an optional claim can appear and whether it can be computed offline. */
export interface OptionalClaimRow {
  readonly name: string;
  readonly jwt: boolean;
  /** SAML attribute name, when the claim exists in SAML. */
  readonly saml?: string;
  /** Token types for JWT (access-only claims). */
  readonly tokens?: readonly ('id' | 'access')[];
  /** JWT versions in which it is an optional claim (v2-only set: always present in v1). */
  readonly versions?: readonly (1 | 2)[];
  /** False when the value needs request context the emulator does not model (IP, device, network). */
  readonly offline: boolean;
  readonly note: string;
}

const msIdentity = 'http://schemas.microsoft.com/identity/claims/';
const xmlsoap = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';

/** Every optional claim of entra-semantics.md §5. */
export const optionalClaimRows: readonly OptionalClaimRow[] = [
  { name: 'acct', jwt: true, saml: msIdentity + 'acct', offline: true, note: '0 member, 1 guest.' },
  { name: 'acrs', jwt: true, offline: false, note: 'Auth-context IDs: needs Conditional Access, never emitted offline.' },
  { name: 'auth_time', jwt: true, offline: true, note: 'The injected clock (the sign-in happens at `now`).' },
  { name: 'ctry', jwt: true, offline: true, note: 'usageLocation (else country) when it is a 2-letter code.' },
  { name: 'email', jwt: true, saml: xmlsoap + 'emailaddress', offline: true, note: 'mail (guests: mail or home UPN).' },
  { name: 'fwd', jwt: true, offline: false, note: 'Client IP inside a VNET: not modelled.' },
  { name: 'groups', jwt: true, saml: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups', offline: true, note: 'Formatting only (additionalProperties); groupMembershipClaims selects.' },
  { name: 'idtyp', jwt: true, tokens: ['access'], offline: true, note: 'include_user_token: "user" in user tokens.' },
  { name: 'login_hint', jwt: true, offline: true, note: 'Opaque: base64url of {oid, tid, upn} JSON.' },
  { name: 'sid', jwt: true, offline: true, note: 'Session ID: GUID from SHA-256(tid|oid|auth_time).' },
  { name: 'tenant_ctry', jwt: true, offline: true, note: 'organization.countryLetterCode.' },
  { name: 'tenant_region_scope', jwt: true, offline: true, note: 'Region of organization.countryLetterCode (table in token/optional.ts).' },
  { name: 'upn', jwt: true, saml: xmlsoap + 'upn', offline: true, note: 'Guests: home UPN, or the #EXT# forms with the additional properties.' },
  { name: 'verified_primary_email', jwt: true, offline: true, note: 'mail.' },
  { name: 'verified_secondary_email', jwt: true, offline: true, note: 'First of otherMails.' },
  { name: 'vnet', jwt: true, offline: false, note: 'VNET information: not modelled.' },
  { name: 'xms_cc', jwt: true, offline: false, note: 'Client capabilities come from the request: not modelled.' },
  { name: 'xms_edov', jwt: true, offline: true, note: 'true when the email domain is a verified domain of the tenant; needs email.' },
  { name: 'xms_pdl', jwt: true, offline: true, note: 'preferredDataLocation.' },
  { name: 'xms_pl', jwt: true, offline: true, note: 'User preferredLanguage.' },
  { name: 'xms_tpl', jwt: true, offline: true, note: 'Tenant preferredLanguage.' },
  { name: 'ztdid', jwt: true, offline: false, note: 'Zero-touch deployment ID of a device: not modelled.' },
  { name: 'ipaddr', jwt: true, versions: [2], offline: false, note: 'Client IP: not modelled.' },
  { name: 'onprem_sid', jwt: true, versions: [2], offline: true, note: 'onPremisesSecurityIdentifier.' },
  { name: 'pwd_exp', jwt: true, versions: [2], offline: false, note: 'Password expiry: not modelled.' },
  { name: 'pwd_url', jwt: true, versions: [2], offline: false, note: 'Password-change URL: not modelled.' },
  { name: 'in_corp', jwt: true, versions: [2], offline: false, note: 'Corporate network: not modelled.' },
  { name: 'family_name', jwt: true, versions: [2], offline: true, note: 'surname (v1: basic set).' },
  { name: 'given_name', jwt: true, versions: [2], offline: true, note: 'givenName (v1: basic set).' },
  { name: 'aud', jwt: false, versions: [1], offline: true, note: 'use_guid: v1 access tokens get the resource appId as aud.' },
  { name: 'preferred_username', jwt: true, versions: [1], offline: true, note: 'v1 tokens: UPN (guests: home UPN).' },
];

/** SAML attribute names Entra itself issues (§7, SAMLT). */
export const samlUris = {
  tenantId: msIdentity + 'tenantid',
  objectId: msIdentity + 'objectidentifier',
  identityProvider: msIdentity + 'identityprovider',
  displayName: msIdentity + 'displayname',
  authnMethods: 'http://schemas.microsoft.com/claims/authnmethodsreferences',
  groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
  role: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
  wids: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/wids',
  groupsLink: 'http://schemas.microsoft.com/claims/groups.link',
  extensionPrefix: msIdentity + 'extn.',
  passwordMethod: 'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password',
} as const;

/** Lifetimes in seconds: access and ID tokens 60 minutes, SAML 70 minutes. */
export const tokenLifetimes = { jwt: 3600, saml: 4200 } as const;

/**
 * The clocks a token can be issued at, in Unix seconds: from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z, the
 * range a SAML `xs:dateTime` (four-digit year) and a JWT `NumericDate` (a safe integer) both carry. A token's
 * `now + lifetime` must lie in it, so the latest `now` is `latest - lifetime`.
 *
 * @example
 * clockRange.latest - tokenLifetimes.jwt // the latest `now` for a default-lifetime JWT
 */
export const clockRange = Object.freeze({ earliest: 0, latest: 253_402_300_799 });

/**
 * Sizes at which a compact JWT stops fitting common HTTP servers' defaults. Entra does not shrink a token to fit them
 * (seed 003: up to 200 groups are listed in a JWT whatever its size), so claimc reports them as information only.
 */
export const tokenSizeThresholds: readonly { readonly bytes: number; readonly server: string }[] = Object.freeze([
  Object.freeze({ bytes: 8192, server: "nginx's default request header line (large_client_header_buffers 8k)" }),
  Object.freeze({ bytes: 16384, server: "Node.js's default total header size (--max-http-header-size 16 KiB)" }),
]);

/** The directory-role template for the default-access app role (assignment without a role). */
export const defaultAccessRoleId = '00000000-0000-0000-0000-000000000000';

/** OpenID Connect scopes that are not API permissions (never in `scp`). */
export const oidcScopes: ReadonlySet<string> = new Set(['openid', 'profile', 'email', 'offline_access']);
