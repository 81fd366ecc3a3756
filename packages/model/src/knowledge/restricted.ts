/**
 * Restricted claim names (entra-semantics.md §4). One versioned table, shared by the checker, the
 * lowerer, the reference interpreter, `linkPlan` and the runtime's last-line guard (D6, threats N1–N4).
 */

export const restrictedSetVersion = '2026-claim-type-uris';

/** The JWT restricted set, exactly as Entra lists it (case-sensitive spelling kept). */
export const jwtRestrictedClaims: readonly string[] = [
  '.', '_claim_names', '_claim_sources', 'aai', 'access_token', 'account_type', 'acct', 'acr', 'acrs', 'actor', 'actortoken',
  'ageGroup', 'aio', 'altsecid', 'amr', 'app_chain', 'app_displayname', 'app_res', 'appctx', 'appctxsender', 'appid', 'appidacr',
  'assertion', 'at_hash', 'aud', 'auth_data', 'auth_time', 'authorization_code', 'azp', 'azpacr', 'bk_claim', 'bk_enclave', 'bk_pub',
  'brk_client_id', 'brk_redirect_uri', 'c_hash', 'ca_enf', 'ca_policy_result', 'capolids', 'capolids_latebind', 'cc', 'cert_token_use',
  'child_client_id', 'child_redirect_uri', 'client_id', 'client_ip', 'cloud_graph_host_name', 'cloud_instance_host_name',
  'cloud_instance_name', 'CloudAssignedMdmId', 'cnf', 'code', 'controls', 'controls_auds', 'credential_keys', 'csr', 'csr_type', 'ctry',
  'deviceid', 'dns_names', 'domain_dns_name', 'domain_netbios_name', 'e_exp', 'email', 'endpoint', 'enfpolids', 'exp', 'expires_on',
  'fido_auth_data', 'fido_ver', 'fwd', 'fwd_appidacr', 'grant_type', 'graph', 'group_sids', 'groups', 'hasgroups', 'hash_alg', 'haswids',
  'home_oid', 'home_puid', 'home_tid', 'iat', 'identityprovider', 'idp', 'idtyp', 'in_corp', 'instance', 'inviteTicket', 'ipaddr',
  'isbrowserhostedapp', 'iss', 'isViral', 'jwk', 'key_id', 'key_type', 'login_hint', 'mam_compliance_url', 'mam_enrollment_url',
  'mam_terms_of_use_url', 'mdm_compliance_url', 'mdm_enrollment_url', 'mdm_terms_of_use_url', 'msgraph_host', 'msproxy', 'nameid', 'nbf',
  'netbios_name', 'nickname', 'nonce', 'oid', 'on_prem_id', 'onprem_sam_account_name', 'onprem_sid', 'openid2_id', 'origin_header',
  'password', 'platf', 'polids', 'pop_jwk', 'preferred_username', 'previous_refresh_token', 'primary_sid', 'prov_data', 'puid', 'pwd_exp',
  'pwd_url', 'rdp_bt', 'redirect_uri', 'refresh_token', 'refresh_token_issued_on', 'refreshtoken', 'request_nonce', 'resource', 'rh',
  'role', 'roles', 'rp_id', 'rt_type', 'scope', 'scp', 'secaud', 'sid', 'signature', 'signin_state', 'source_anchor', 'src1', 'src2', 'sub',
  'target_deviceid', 'tbid', 'tbidv2', 'tenant_ctry', 'tenant_display_name', 'tenant_id', 'tenant_region_scope', 'tenant_region_sub_scope',
  'thumbnail_photo', 'tid', 'tokenAutologonEnabled', 'trustedfordelegation', 'ttr', 'unique_name', 'upn', 'user_agent',
  'user_setting_sync_url', 'username', 'uti', 'ver', 'verified_primary_email', 'verified_secondary_email', 'vnet', 'vsm_binding_key',
  'wamcompat_client_info', 'wamcompat_id_token', 'wamcompat_scopes', 'wids', 'win_ver', 'x5c_ca', 'xcb2b_rclient', 'xcb2b_rcloud',
  'xcb2b_rtenant', 'ztdid',
];

/** Registered JWT names (RFC 7519) and names the runtime owns, restricted as well (threats N1). */
export const jwtRuntimeOwnedClaims: readonly string[] = ['jti', 'typ', 'alg', 'kid', 'x5t', 'crit'];

/** Restricted JWT prefixes: every `xms_*` claim and the `extn.` optional-claim namespace. */
export const jwtRestrictedPrefixes: readonly string[] = ['xms_', 'extn.'];

/** SAML URIs that the 2021 list restricted as JWT names (kept restricted: D6 errs on the safe side). */
export const jwtRestrictedSamlUris: readonly string[] = [
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationinstant',
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationmethod',
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/expiration',
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/expired',
];

const ms2008 = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/';
const ms2005 = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';
const msIdentity = 'http://schemas.microsoft.com/identity/claims/';
const msClaims = 'http://schemas.microsoft.com/claims/';

/** The SAML restricted set (URIs). The 2021 list's `nameidentifier` is left out: a policy entry with that name sets the NameID (§3.5). */
export const samlRestrictedClaims: readonly string[] = [
  'http://schemas.microsoft.com/2012/01/devicecontext/claims/ismanaged',
  'http://schemas.microsoft.com/2014/02/devicecontext/claims/isknown',
  'http://schemas.microsoft.com/2014/03/psso',
  'http://schemas.microsoft.com/2014/09/devicecontext/claims/iscompliant',
  ...['authnmethodsreferences', 'groups.link'].map((n) => msClaims + n),
  ...['accesstoken', 'acct', 'agegroup', 'aio', 'identityprovider', 'objectidentifier', 'openid2_id', 'puid', 'scope', 'tenantid', 'xms_et'].map((n) => msIdentity + n),
  ...[
    'authenticationinstant', 'authenticationmethod', 'confirmationkey', 'denyonlyprimarygroupsid', 'denyonlyprimarysid',
    'denyonlywindowsdevicegroup', 'expiration', 'expired', 'groups', 'groupsid', 'ispersistent', 'role', 'samlissuername', 'wids',
    'windowsdeviceclaim', 'windowsdevicegroup', 'windowsfqbnversion', 'windowssubauthority', 'windowsuserclaim',
  ].map((n) => ms2008 + n),
  ...['authentication', 'authorizationdecision', 'denyonlysid', 'privatepersonalidentifier', 'spn', 'upn'].map((n) => ms2005 + n),
  'http://schemas.xmlsoap.org/ws/2009/09/identity/claims/actor',
  'http://schemas.microsoft.com/accesscontrolservice/2010/07/claims/identityprovider',
];

/** SAML claims that become usable when the application has a custom signing key (§4). */
export const samlUnrestrictedWithCustomKey: readonly string[] = [
  ms2008 + 'windowsaccountname',
  ms2008 + 'primarysid',
  ms2008 + 'primarygroupsid',
  ms2005 + 'sid',
  ms2005 + 'x500distinguishedname',
  ms2005 + 'upn',
  ms2008 + 'role',
];

/**
 * Claim-type URIs that stand for a JWT claim: the SAML names under which Entra issues its own claims,
 * and the URIs .NET relying parties map short JWT names onto by default. Each row is `[uri, claim]`.
 */
export const claimTypeUris: readonly (readonly [uri: string, claim: string])[] = [
  [msIdentity + 'objectidentifier', 'oid'],
  [msIdentity + 'tenantid', 'tid'],
  [msIdentity + 'identityprovider', 'idp'],
  [msIdentity + 'scope', 'scp'],
  [msIdentity + 'displayname', 'name'],
  [msClaims + 'authnmethodsreferences', 'amr'],
  [msClaims + 'authnclassreference', 'acr'],
  [msClaims + 'groups.link', '_claim_sources'],
  [ms2008 + 'role', 'roles'],
  [ms2008 + 'groups', 'groups'],
  [ms2008 + 'wids', 'wids'],
  [ms2008 + 'authenticationmethod', 'amr'],
  [ms2008 + 'authenticationinstant', 'auth_time'],
  [ms2008 + 'groupsid', 'groupsid'],
  [ms2008 + 'primarysid', 'primarysid'],
  [ms2008 + 'primarygroupsid', 'primarygroupsid'],
  [ms2008 + 'windowsaccountname', 'winaccountname'],
  [ms2008 + 'denyonlyprimarygroupsid', 'denyonlyprimarygroupsid'],
  [ms2008 + 'denyonlyprimarysid', 'denyonlyprimarysid'],
  [ms2005 + 'upn', 'upn'],
  [ms2005 + 'name', 'unique_name'],
  [ms2005 + 'nameidentifier', 'sub'],
  [ms2005 + 'emailaddress', 'email'],
  [ms2005 + 'givenname', 'given_name'],
  [ms2005 + 'surname', 'family_name'],
  [ms2005 + 'denyonlysid', 'denyonlysid'],
  [ms2005 + 'privatepersonalidentifier', 'ppid'],
  ['http://schemas.xmlsoap.org/ws/2009/09/identity/claims/actor', 'actort'],
  ['http://schemas.microsoft.com/2012/01/devicecontext/claims/identifier', 'deviceid'],
  ['http://schemas.microsoft.com/2012/01/devicecontext/claims/ismanaged', 'deviceismanaged'],
];

/** Claim-type URIs Entra issues itself whatever the policy says: restricted as JWT names although `name` is not. */
const entraIssuedUris: readonly string[] = [msIdentity + 'displayname'];

/** URI prefixes restricted as JWT names: the SAML spelling of the `extn.` namespace. */
export const jwtRestrictedUriPrefixes: readonly string[] = [msIdentity + 'extn.'];

/** Property names that must never become object keys (threats N3). */
export const prototypeKeys: readonly string[] = [
  '__proto__', 'constructor', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
  'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toString', 'toLocaleString', 'valueOf',
];

const lowerSet = (names: readonly string[]): ReadonlySet<string> => new Set(names.map((n) => n.toLowerCase()));
const jwtRestrictedLower = lowerSet([...jwtRestrictedClaims, ...jwtRuntimeOwnedClaims]);
const samlRestrictedLower = lowerSet(samlRestrictedClaims);
const samlKeyUnlockedLower = lowerSet(samlUnrestrictedWithCustomKey);
const prototypeLower = lowerSet(prototypeKeys);

/** A URI without its scheme, lower-cased: `http://` and `https://` spellings of a claim type are one name. */
const uriKey = (name: string): string => name.toLowerCase().replace(/^https?:\/\//, '');
const lastSegment = (uri: string): string => uri.slice(uri.lastIndexOf('/') + 1);

/** Every claim-type URI restricted as a JWT name, keyed by {@link uriKey}, with the claim it stands for. */
const jwtRestrictedUris: ReadonlyMap<string, string> = (() => {
  const uris = new Map<string, string>();
  // the SAML restricted lists (with or without a custom key: JWT has no such unlock) and the 2021 JWT list
  for (const uri of [...samlRestrictedClaims, ...samlUnrestrictedWithCustomKey, ...jwtRestrictedSamlUris, ...entraIssuedUris]) uris.set(uriKey(uri), lastSegment(uri));
  for (const [uri, claim] of claimTypeUris) {
    if (uris.has(uriKey(uri)) || jwtRestrictedLower.has(claim.toLowerCase())) uris.set(uriKey(uri), claim);
  }
  return uris;
})();
const jwtRestrictedUriPrefixKeys: readonly string[] = jwtRestrictedUriPrefixes.map(uriKey);

/** Why a claim name may not be used. `restricted-uri`: the claim-type URI of a restricted claim, used as a JWT name. */
export type NameRestriction = 'restricted' | 'restricted-prefix' | 'restricted-uri' | 'prototype-key' | 'needs-custom-key' | 'malformed';

/** Separators of a claim name's segments for the reserved and prototype checks: `iss.x`, `iss:x`, `iss/x`, `iss#x`. */
const segmentSeparators = /[.:/#]/;

/**
 * The restricted claim a claim-type URI stands for, when a JWT claim may not carry that name; matched
 * case-insensitively and with either scheme.
 *
 * @example
 * restrictedClaimOfUri('http://schemas.microsoft.com/ws/2008/06/identity/claims/role') // 'roles'
 * restrictedClaimOfUri('http://example.com/claims/role') // undefined
 */
export function restrictedClaimOfUri(name: string): string | undefined {
  const key = uriKey(name);
  const claim = jwtRestrictedUris.get(key);
  if (claim !== undefined) return claim;
  const prefix = jwtRestrictedUriPrefixKeys.find((p) => key.startsWith(p));
  return prefix === undefined ? undefined : 'extn.' + name.slice(name.length - (key.length - prefix.length));
}

/** ASCII allow-list for JWT claim names (threats N2): no homoglyphs, no whitespace, no control characters. */
export const jwtClaimNamePattern = /^[A-Za-z_][A-Za-z0-9_.:/#-]{0,255}$/;
/** ASCII allow-list for SAML attribute names: a URI or a plain name. */
export const samlClaimNamePattern = /^[A-Za-z_][A-Za-z0-9_.:/#?=&%~+@-]{0,255}$/;

/**
 * Classifies a JWT claim name. Reserved names are matched case-insensitively and on the first segment
 * before `.`, `:`, `/` or `#` (`cnf.jwk` and `iss:x` are restricted because `cnf` and `iss` are); a
 * claim-type URI that stands for a restricted claim (the SAML `role` URI) is restricted too.
 *
 * @example
 * jwtNameRestriction('ISS') // 'restricted'
 * jwtNameRestriction('http://schemas.microsoft.com/identity/claims/tenantid') // 'restricted-uri'
 * jwtNameRestriction('employeeid') // undefined
 */
export function jwtNameRestriction(name: string): NameRestriction | undefined {
  const lower = name.toLowerCase();
  const segments = lower.split(segmentSeparators);
  if (prototypeLower.has(lower) || segments.some((seg) => prototypeLower.has(seg))) return 'prototype-key';
  if (!jwtClaimNamePattern.test(name)) return 'malformed';
  if (jwtRestrictedLower.has(lower) || jwtRestrictedLower.has(segments[0] ?? lower)) return 'restricted';
  if (jwtRestrictedPrefixes.some((p) => lower.startsWith(p))) return 'restricted-prefix';
  if (restrictedClaimOfUri(name) !== undefined) return 'restricted-uri';
  return undefined;
}

/**
 * Classifies a SAML attribute name; `hasCustomSigningKey` unlocks the names listed in {@link samlUnrestrictedWithCustomKey}.
 *
 * @example
 * samlNameRestriction('http://schemas.microsoft.com/ws/2008/06/identity/claims/role', false) // 'needs-custom-key'
 */
export function samlNameRestriction(name: string, hasCustomSigningKey: boolean): NameRestriction | undefined {
  const lower = name.toLowerCase();
  if (prototypeLower.has(lower)) return 'prototype-key';
  if (!samlClaimNamePattern.test(name)) return 'malformed';
  if (samlKeyUnlockedLower.has(lower)) return hasCustomSigningKey ? undefined : 'needs-custom-key';
  if (samlRestrictedLower.has(lower)) return 'restricted';
  return undefined;
}

/** True when a string is a prototype-sensitive key (used for IDs and references too). */
export function isPrototypeKey(name: string): boolean {
  return prototypeLower.has(name.toLowerCase());
}

/**
 * A usable claim name close to a refused one, for quick fixes: restricted prefixes dropped, characters
 * outside the allow-list folded to ASCII or `_`, a reserved name suffixed with `_custom`. Undefined when no
 * mechanical rename exists (SAML URIs that are restricted as a whole, names that need a custom key).
 *
 * @example
 * suggestClaimName('xms_tenant', 'jwt') // 'tenant'
 * suggestClaimName('email', 'jwt') // 'email_custom'
 */
export function suggestClaimName(name: string, format: 'jwt' | 'saml', hasCustomSigningKey = false): string | undefined {
  const usable = (candidate: string): boolean =>
    candidate !== name && (format === 'jwt' ? jwtNameRestriction(candidate) === undefined : samlNameRestriction(candidate, hasCustomSigningKey) === undefined);
  const pattern = format === 'jwt' ? jwtClaimNamePattern : samlClaimNamePattern;
  let candidate = name;
  if (!pattern.test(candidate)) {
    const allowed = format === 'jwt' ? /[A-Za-z0-9_.:/#-]/ : /[A-Za-z0-9_.:/#?=&%~+@-]/;
    const folded = [...candidate.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').trim()].map((c) => (allowed.test(c) ? c : '_')).join('').slice(0, 256);
    candidate = /^[A-Za-z_]/.test(folded) ? folded : ('_' + folded).slice(0, 256);
  }
  if (format === 'jwt') {
    const lower = candidate.toLowerCase();
    const prefix = jwtRestrictedPrefixes.find((p) => lower.startsWith(p));
    if (prefix !== undefined && candidate.length > prefix.length) candidate = candidate.slice(prefix.length);
    if (usable(candidate)) return candidate;
    const dotted = candidate.replace(/\./g, '_');
    if (usable(dotted)) return dotted;
    if (usable(dotted + '_custom')) return dotted + '_custom';
    return undefined;
  }
  return usable(candidate) ? candidate : undefined;
}
