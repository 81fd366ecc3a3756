import { ClaimcRuntimeError, TokenRefusedError } from '../errors.js';
import type { IndexedApp, IndexedDirectory, IndexedUser } from '../directory/indexed.js';
import type { KeyCredential } from '../directory/schema.js';
import { isAssigned } from './groups.js';
import { withKid, type KeyDescription, type KeyRing } from '../sign/keys.js';

/** Which key signs a token: the tenant's global key, or the application's custom signing key (D19). */
export type SigningKeyChoice = { readonly kind: 'tenant' } | { readonly kind: 'application'; readonly appId: string; readonly keyId: string };

/** The tenant-key choice (one frozen value). */
export const tenantSigningKey: SigningKeyChoice = Object.freeze({ kind: 'tenant' });

const parseTime = (value: string | null | undefined): number | undefined => {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
};

const isUsage = (credential: KeyCredential, usage: string): boolean => (credential.usage ?? '').toLowerCase() === usage;

/**
 * What a `usage: Sign` keyCredential lacks to be a custom signing key (seed 002: the Sign key's `keyId` matches a
 * passwordCredential's `keyId`, and a Verify keyCredential carries the same `customKeyIdentifier`); empty when complete.
 *
 * @example
 * customKeyGaps(servicePrincipal, signCredential) // ['a passwordCredential with keyId 4c26…']
 */
export function customKeyGaps(servicePrincipal: IndexedApp['servicePrincipal'], credential: KeyCredential): readonly string[] {
  const gaps: string[] = [];
  if (!(servicePrincipal.passwordCredentials ?? []).some((p) => p.keyId?.toLowerCase() === credential.keyId.toLowerCase())) gaps.push(`a passwordCredential with keyId ${credential.keyId}`);
  const identifier = credential.customKeyIdentifier;
  if (typeof identifier !== 'string' || identifier === '') gaps.push('a customKeyIdentifier on the Sign keyCredential');
  else if (!(servicePrincipal.keyCredentials ?? []).some((k) => isUsage(k, 'verify') && k.customKeyIdentifier === identifier)) gaps.push(`a Verify keyCredential with customKeyIdentifier ${identifier}`);
  return gaps;
}

/** `usage: Sign` keyCredentials of a service principal, complete or not. */
function signKeyCredentials(app: IndexedApp): readonly KeyCredential[] {
  return (app.servicePrincipal.keyCredentials ?? []).filter((k) => isUsage(k, 'sign'));
}

/** The custom signing keys of a service principal: Sign keyCredentials with their passwordCredential and Verify key (seed 002). */
export function signingCredentials(app: IndexedApp): readonly KeyCredential[] {
  return signKeyCredentials(app).filter((k) => customKeyGaps(app.servicePrincipal, k).length === 0);
}

/** A signing keyCredential's validity as Unix seconds (start ≤ now < end; a missing bound is open), parsed once. */
export interface SigningKeyWindow {
  readonly start: number;
  readonly end: number;
  readonly credential: KeyCredential;
  readonly choice: SigningKeyChoice;
}

/** The signing keyCredentials of an app with their dates parsed, in manifest order (parse once, test per token). */
export function signingKeyWindows(app: IndexedApp): readonly SigningKeyWindow[] {
  return Object.freeze(
    signingCredentials(app).map((credential) =>
      Object.freeze({
        start: parseTime(credential.startDateTime) ?? -Infinity,
        end: parseTime(credential.endDateTime) ?? Infinity,
        credential,
        choice: Object.freeze({ kind: 'application', appId: app.appId, keyId: credential.customKeyIdentifier ?? credential.keyId }) as SigningKeyChoice,
      }),
    ),
  );
}

/** The first window valid at `now` (D20: the injected clock). */
export function validWindow(windows: readonly SigningKeyWindow[], now: number): SigningKeyWindow | undefined {
  // indexed: no iterator per token (most apps have no window at all)
  for (let i = 0; i < windows.length; i++) {
    const window = windows[i]!;
    if (window.start <= now && now < window.end) return window;
  }
  return undefined;
}

/** The first signing keyCredential valid at `now` (start ≤ now < end; a missing bound is open), per the injected clock (D20). */
export function validCustomKey(app: IndexedApp, now: number): KeyCredential | undefined {
  return validWindow(signingKeyWindows(app), now)?.credential;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * acceptMappedClaims audiences (seed 002): the app GUID (SAML's `spn:<appId>` is that GUID), or a URI whose host is a
 * verified domain of the tenant or a subdomain of one. An `api://…` identifier URI is neither (AADSTS501461).
 */
export function isAcceptableMappedAudience(directory: IndexedDirectory, app: IndexedApp, audience: string): boolean {
  const lower = audience.toLowerCase();
  if (lower === app.appId.toLowerCase() || lower === `spn:${app.appId.toLowerCase()}`) return true;
  if (guidPattern.test(audience)) return false;
  let host: string;
  try {
    const url = new URL(audience);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
    host = url.hostname.toLowerCase();
  } catch {
    return false;
  }
  return directory.verifiedDomains.some((domain) => host === domain || host.endsWith('.' + domain));
}

/**
 * Decides the signing key and refuses the token as Entra would (D19), for every protocol (seed 002: WS-Fed, SAML,
 * OAuth and OpenID Connect). `policyApplies` is true when the audience app has a claims-mapping policy.
 */
export function decideSigningKey(directory: IndexedDirectory, app: IndexedApp, audience: string, now: number, policyApplies: boolean): SigningKeyChoice {
  return validWindow(signingKeyWindows(app), now)?.choice ?? decideTenantKey(directory, app, audience, policyApplies);
}

/** True when a token for `audience` may be signed with the tenant key (D19): no policy, or acceptMappedClaims with an acceptable audience. */
export function tenantKeyAllowed(directory: IndexedDirectory, app: IndexedApp, audience: string, policyApplies: boolean): boolean {
  return !policyApplies || (app.application?.api?.acceptMappedClaims === true && isAcceptableMappedAudience(directory, app, audience));
}

/** The decision when no custom key is valid: the tenant key, or Entra's refusal (D19). */
export function decideTenantKey(directory: IndexedDirectory, app: IndexedApp, audience: string, policyApplies: boolean): SigningKeyChoice {
  if (tenantKeyAllowed(directory, app, audience, policyApplies)) return tenantSigningKey;
  if (app.application?.api?.acceptMappedClaims === true) {
    throw new TokenRefusedError(
      'ERR_ACCEPT_MAPPED_CLAIMS_AUDIENCE',
      'AADSTS501461',
      `AcceptMappedClaims is only supported for a token audience matching the application GUID or an audience within the tenant's verified domains. Either change the resource identifier, or use an application-specific signing key. (application ${app.appId}, audience ${audience})`,
    );
  }
  const complete = signingCredentials(app).length > 0;
  const incomplete = signKeyCredentials(app).map((k) => `its Sign keyCredential ${k.keyId} lacks ${customKeyGaps(app.servicePrincipal, k).join(' and ')}`).filter((text) => !text.endsWith('lacks '));
  const why = complete ? 'its signing key is expired or not yet valid' : incomplete.length > 0 ? incomplete.join('; ') : 'no signing key';
  throw new TokenRefusedError(
    'ERR_MISSING_CUSTOM_SIGNING_KEY',
    'AADSTS50146',
    `This application is required to be configured with an application-specific signing key. It is either not configured with one, or the key has expired or isn't yet valid. (application ${app.appId}: ${why}, and api.acceptMappedClaims is not true)`,
  );
}

/** Refuses a user who is not assigned to an app that requires assignment (AADSTS50105). */
export function checkAssignment(app: IndexedApp, user: IndexedUser): void {
  if (app.servicePrincipal.appRoleAssignmentRequired !== true || isAssigned(app, user)) return;
  throw new TokenRefusedError(
    'ERR_NOT_ASSIGNED',
    'AADSTS50105',
    `Your administrator has configured the application ${app.servicePrincipal.displayName ?? app.appId} ('${app.appId}') to block users unless they are specifically granted ('assigned') access to the application. The signed in user '${user.user.userPrincipalName ?? user.user.id}' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator.`,
  );
}

/** A request problem (unknown user or app, impossible combination). */
export function requestError(message: string): ClaimcRuntimeError {
  return new ClaimcRuntimeError('ERR_REQUEST_INVALID', message);
}

/**
 * The key ring for a directory when one key plays every role (offline): the tenant key, and for every app with a
 * custom signing key valid at `now` the same material under that key credential's id.
 *
 * @example
 * const ring = keyRingFor(directory, importNodeSigningKey(pem), 1_700_000_000);
 */
export function keyRingFor<K extends KeyDescription>(directory: IndexedDirectory, key: K, now: number): KeyRing<K> {
  const applications = new Map<string, K>();
  for (const app of directory.apps) {
    const credential = validCustomKey(app, now);
    if (credential !== undefined) applications.set(app.appId, withKid(key, credential.customKeyIdentifier ?? credential.keyId));
  }
  return { tenant: key, applications };
}
