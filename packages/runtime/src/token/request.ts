import type { EvaluationContext } from '../context.js';
import type { IndexedApp, IndexedDirectory, IndexedGroup, IndexedUser } from '../directory/indexed.js';
import type { OptionalClaim } from '../directory/schema.js';
import { TokenRefusedError } from '../errors.js';
import { clockRange, tokenLifetimes } from './claim-sets.js';
import { requestError } from './gating.js';
import { assignedRoleValues } from './groups.js';
import { isPersonalAccount, microsoftAccountTenantId } from './optional.js';
import type { PolicySettingsPort } from './policy-port.js';

// What a token request asks for, checked and resolved against the directory: the facts every token format derives
// its claims from. Nothing here reads the clock; `now` is part of the request.

/**
 * One token request. `now` is the injected clock in Unix seconds (D20); nothing here reads the wall clock.
 *
 * @example
 * const request: TokenRequest = { token: 'id', client: '11111111-1111-1111-1111-111111111111', user: 'adelev@contoso.com', now: 1_700_000_000 };
 */
export interface TokenRequest {
  readonly token: 'id' | 'access' | 'saml';
  /** Client application: appId or identifier URI. */
  readonly client: string;
  /** Resource application for access tokens: appId or identifier URI (v1 `aud` is as requested). Defaults to the client. */
  readonly resource?: string;
  /** UPN or object ID; absent for app-only (client-credentials) access tokens. */
  readonly user?: string;
  /** ID tokens: endpoint version (default 2). Access tokens: must match the resource's requestedAccessTokenVersion. */
  readonly version?: 1 | 2;
  readonly flow?: 'code' | 'implicit';
  /** Space-separated scopes; ID tokens default to `openid profile`. */
  readonly scope?: string;
  readonly now: number;
  /** Overrides the lifetime (D20 defaults: 3600 s JWT, 4200 s SAML). */
  readonly lifetimeSeconds?: number;
  readonly nonce?: string;
  /**
   * ID tokens issued beside an authorization code (hybrid flow): the code, for `c_hash` (seed 004; OIDC Core: the
   * left half of the SHA-256 of its ASCII octets, base64url). Printable ASCII.
   */
  readonly code?: string;
  /** ID tokens issued beside an access token from the authorize endpoint: that token, for `at_hash` (as `c_hash`). */
  readonly accessToken?: string;
}

/**
 * Where tokens say they come from. Entra's hosts by default; a local sign-in endpoint passes its own base URL so
 * that `iss` matches the discovery document it serves (v2 `{authority}/{tid}/v2.0`, v1 and SAML `{authority}/{tid}/`).
 *
 * @example
 * createTokenIssuer(directory, { authority: 'http://127.0.0.1:8080' });
 */
export interface IssuerOptions {
  /** Base URL without a trailing slash; default: v2 https://login.microsoftonline.com, v1 and SAML https://sts.windows.net. */
  readonly authority?: string;
}

function findApp(directory: IndexedDirectory, key: string, role: string): IndexedApp {
  const app = directory.appsByAppId.get(key) ?? directory.appsByIdentifierUri.get(key);
  if (app === undefined) throw requestError(`unknown ${role} application ${JSON.stringify(key)}: no service principal with that appId or identifier URI`);
  return app;
}

function findUser(directory: IndexedDirectory, key: string): IndexedUser {
  const user = directory.usersById.get(key) ?? directory.usersByUpn.get(key.toLowerCase());
  if (user === undefined) throw requestError(`unknown user ${JSON.stringify(key)}: no user with that object ID or userPrincipalName`);
  return user;
}

/** Everything both formats derive from the request, apart from the clock and the nonce. */
export interface Facts {
  readonly directory: IndexedDirectory;
  readonly request: TokenRequest;
  readonly tid: string;
  readonly user: IndexedUser | undefined;
  readonly client: IndexedApp;
  readonly resource: IndexedApp;
  /** The app the token is for: its policy and manifest apply (D16). */
  readonly target: IndexedApp;
  readonly scopes: ReadonlySet<string>;
  readonly context: EvaluationContext;
  /** App-role values the user (app-only: the client) holds on the target app. */
  readonly roles: readonly string[];
  readonly settings: PolicySettingsPort | undefined;
  readonly options: IssuerOptions;
}

const printableAscii = /^[\x20-\x7e]+$/;

function checkHashInput(name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'string' || !printableAscii.test(value))) throw requestError(`${name} must be a non-empty printable ASCII string (its hash goes into the ID token)`);
}

/** Checks a request's clock, lifetime and hash inputs: `now` and `now + lifetime` lie in {@link clockRange}, both integers. */
export function checkNow(request: TokenRequest): void {
  // one check per field, not a loop over pairs: no arrays built per token
  checkHashInput('code', request.code);
  checkHashInput('accessToken', request.accessToken);
  const lifetime = request.lifetimeSeconds;
  if (lifetime !== undefined && (!Number.isSafeInteger(lifetime) || lifetime <= 0)) throw requestError(`lifetimeSeconds must be a positive integer, got ${String(lifetime)}`);
  const now = request.now;
  const latest = clockRange.latest - (lifetime ?? (request.token === 'saml' ? tokenLifetimes.saml : tokenLifetimes.jwt));
  if (!Number.isSafeInteger(now) || now < clockRange.earliest || now > latest) {
    throw requestError(
      `now must be an integer of Unix seconds from ${clockRange.earliest} (1970-01-01T00:00:00Z) to ${latest} (9999-12-31T23:59:59Z less the token lifetime), got ${String(now)}`,
    );
  }
}

/** The part of the facts every user of one request shape shares: the apps and the scopes. */
export interface RequestApps {
  readonly directory: IndexedDirectory;
  readonly client: IndexedApp;
  readonly resource: IndexedApp;
  /** The app the token is for: its policy and manifest apply (D16). */
  readonly target: IndexedApp;
  readonly scopes: ReadonlySet<string>;
  readonly settings: PolicySettingsPort | undefined;
  readonly options: IssuerOptions;
  /**
   * The groups holding an app role on the target, in snapshot order (known once per request shape): roles look these
   * up among the user's groups, and skip the groups when there are none. Undefined: every group of the user is looked up.
   */
  readonly assignedGroups?: readonly IndexedGroup[];
}

/** Resolves a request's apps and scopes (throws for an unknown client or resource, before anything about the user). */
export function resolveApps(directory: IndexedDirectory, request: TokenRequest, options: IssuerOptions): RequestApps {
  const client = findApp(directory, request.client, 'client');
  const resource = request.token === 'access' && request.resource !== undefined ? findApp(directory, request.resource, 'resource') : client;
  const target = request.token === 'access' ? resource : client;
  const defaultScope = request.token === 'id' ? 'openid profile' : '';
  const scopes = new Set((request.scope ?? defaultScope).split(/\s+/).filter((s) => s !== ''));
  return { directory, client, resource, target, scopes, settings: target.policy?.port.settings, options };
}

/**
 * The digest input before the principal: what every user of one request shape and tenant shares (tenant, client,
 * audience app, token type, version, flow, scope), so an issuer hashes it once per shape. The full input is this,
 * the principal's object ID, then `now|nonce` (see {@link digestInput}).
 */
export function digestShapePrefix(tid: string, apps: Pick<RequestApps, 'client' | 'target'>, request: TokenRequest): string {
  return `token|${tid}|${apps.client.appId}|${apps.target.appId}|${request.token}|${request.version ?? ''}|${request.flow ?? ''}|${request.scope ?? ''}|`;
}

/**
 * The digest input before `now|nonce`: {@link digestShapePrefix}, the principal's object ID, `|` (uti, aio, rh and
 * the SAML ID are digests of this + `now|nonce`). Built only where it is hashed whole: an issuer's own-tenant tokens
 * continue from the shape's hashed prefix instead.
 *
 * @example
 * sha256(`${digestInput(facts)}${request.now}|${request.nonce ?? ''}`)
 */
export function digestInput(facts: Facts): string {
  return `${digestShapePrefix(facts.tid, facts, facts.request)}${facts.user?.user.id ?? facts.client.servicePrincipal.id}|`;
}

/** The facts of one request over its resolved apps: the user, the tenant it signs in through, the evaluation context. */
export function factsFor(apps: RequestApps, request: TokenRequest): Facts {
  const { directory, client, resource, target } = apps;
  const user = request.user === undefined ? undefined : findUser(directory, request.user);
  if (user === undefined && request.token !== 'access') throw requestError(`${request.token === 'saml' ? 'a SAML assertion' : 'an ID token'} needs a user; only access tokens can be app-only`);
  // seed 004: a personal Microsoft account signs in through the consumer tenant, which is its tid (and iss)
  const personal = isPersonalAccount(user);
  if (personal) checkPersonalAccountsAllowed(client, user!);
  const tid = personal ? microsoftAccountTenantId : directory.organization.id;
  // the roles claim and the context read the same assignments: looked up once
  const assignedGroups = apps.assignedGroups;
  const roles = assignedRoleValues(target, user?.user.id ?? client.servicePrincipal.id, assignedGroups?.length === 0 ? undefined : user, assignedGroups);
  const context = contextOf(apps, request.token === 'access', user, roles);
  return { directory, request, tid, user, client, resource, target, scopes: apps.scopes, context, roles, settings: apps.settings, options: apps.options };
}

// shared by every context without roles: frozen, so a write would throw instead of reaching another token (the
// context's type says string[]; the evaluator only reads it)
const noAssignedRoles: string[] = Object.freeze([]) as unknown as string[];

/** The evaluation context: the user's part (when there is a user), then the tenant and the apps; key order as always. */
function contextOf(apps: RequestApps, access: boolean, user: IndexedUser | undefined, roles: readonly string[]): EvaluationContext {
  const { directory, client, resource, target } = apps;
  if (user === undefined) {
    return access
      ? { tenant: directory.organization, client: client.servicePrincipal, resource: resource.servicePrincipal, audience: target.servicePrincipal }
      : { tenant: directory.organization, client: client.servicePrincipal, audience: target.servicePrincipal };
  }
  const groups = new Array<string>(user.transitiveGroups.length);
  for (let i = 0; i < groups.length; i++) groups[i] = user.transitiveGroups[i]!.group.id;
  const assignedRoles = roles.length === 0 ? noAssignedRoles : roles.slice(); // the evaluator's own copy (an empty one cannot be written)
  return access
    ? { user: user.user, groups, assignedRoles, tenant: directory.organization, client: client.servicePrincipal, resource: resource.servicePrincipal, audience: target.servicePrincipal }
    : { user: user.user, groups, assignedRoles, tenant: directory.organization, client: client.servicePrincipal, audience: target.servicePrincipal };
}

/** Reads everything but `now`, `nonce` and `lifetimeSeconds`: the result is the same for every token of one request shape and user. */
export function gatherFacts(directory: IndexedDirectory, request: TokenRequest, options: IssuerOptions): Facts {
  return factsFor(resolveApps(directory, request, options), request);
}

const personalAudiences = new Set(['azureadandpersonalmicrosoftaccount', 'personalmicrosoftaccount']);

/** A personal Microsoft account reaches only apps whose signInAudience includes personal accounts (AADSTS50020). */
function checkPersonalAccountsAllowed(client: IndexedApp, user: IndexedUser): void {
  const audience = client.application?.signInAudience ?? '';
  if (personalAudiences.has(audience.toLowerCase())) return;
  throw new TokenRefusedError(
    'ERR_ACCOUNT_NOT_ALLOWED',
    'AADSTS50020',
    `User account '${user.user.userPrincipalName ?? user.user.id}' from identity provider 'live.com' does not exist in tenant and cannot access the application '${client.appId}' in that tenant. (signInAudience ${audience || 'unset'} does not include personal Microsoft accounts)`,
  );
}

/**
 * The evaluation contexts a policy sees for one request shape, per user, built exactly as {@link assembleToken}
 * builds them: apps resolved once, then one context per user. For tools that compare policies over many users
 * without assembling whole tokens.
 *
 * @example
 * const contextOf = evaluationContextsFor(directory, { token: 'id', client: appId, now: 0 });
 * port.evaluateJwt(contextOf(directory.users[0]), 2).policy;
 */
export function evaluationContextsFor(directory: IndexedDirectory, request: TokenRequest): (user: IndexedUser) => EvaluationContext {
  const { client, resource, target } = resolveApps(directory, request, {});
  const shared = {
    tenant: directory.organization,
    client: client.servicePrincipal,
    ...(request.token === 'access' ? { resource: resource.servicePrincipal } : {}),
    audience: target.servicePrincipal,
  };
  const groupIds = (user: IndexedUser): string[] => {
    const ids = new Array<string>(user.transitiveGroups.length);
    for (let i = 0; i < ids.length; i++) ids[i] = user.transitiveGroups[i]!.group.id;
    return ids;
  };
  // an app nobody is assigned to gives every user an empty role list, without looking
  const rolesOf = target.assignmentsByPrincipal.size === 0 ? (): string[] => [] : (user: IndexedUser): string[] => [...assignedRoleValues(target, user.user.id, user)];
  return (user) => ({ user: user.user, groups: groupIds(user), assignedRoles: rolesOf(user), ...shared });
}

/** The optional claims an app configured for one token type. */
export const optionalClaimsOf = (app: IndexedApp, token: 'id' | 'access' | 'saml'): readonly OptionalClaim[] => {
  const oc = app.application?.optionalClaims;
  return (token === 'id' ? oc?.idToken : token === 'access' ? oc?.accessToken : oc?.saml2Token) ?? [];
};

/** The JWT version: the endpoint's for ID tokens; the resource's requestedAccessTokenVersion for access tokens (throws on a mismatch). */
export function jwtVersion(request: TokenRequest, target: IndexedApp): 1 | 2 {
  if (request.token === 'id') return request.version ?? 2;
  const version = target.application?.api?.requestedAccessTokenVersion === 2 ? 2 : 1;
  if (request.version !== undefined && request.version !== version) {
    throw requestError(`access tokens for ${target.appId} are v${version}.0: the resource's api.requestedAccessTokenVersion decides, not the request`);
  }
  return version;
}
