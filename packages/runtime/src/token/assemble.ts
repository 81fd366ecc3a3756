import { basicClaims, findAttribute, jwtNameRestriction, samlNameIdentifierClaim, samlNameIdFormats, samlNameRestriction } from '@claimc/model';
import type { EvaluationContext } from '../context.js';
import type { IndexedApp, IndexedDirectory, IndexedUser } from '../directory/indexed.js';
import type { OptionalClaim } from '../directory/schema.js';
import { ClaimcRuntimeError } from '../errors.js';
import { issuedJwtClaims, oidcScopes, samlUris, tokenLifetimes, type JwtKind } from './claim-sets.js';
import { checkAssignment, decideSigningKey, requestError, validCustomKey, type SigningKeyChoice } from './gating.js';
import { assignedRoleValues, groupClaimConfig, resolveGroups, resolveWids, type GroupClaim } from './groups.js';
import { emailValue, guestIdp, homeUpn, optionalClaimValues, upnValue, type JsonValue } from './optional.js';
import type { PolicyClaimValue, PolicySamlAttribute, PolicySettingsPort } from './policy-port.js';
import { assertSamlText } from './saml-xml.js';
import { base64url, bytesToGuid, sha256 } from './sha256.js';

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
}

/** A JWT payload: a null-prototype object, insertion order = emission order. */
export type JwtPayload = Readonly<Record<string, JsonValue>>;

/** A JWT before signing. */
export interface AssembledJwt {
  readonly format: 'jwt';
  readonly tokenType: 'id' | 'access';
  readonly version: 1 | 2;
  readonly payload: JwtPayload;
  /** The same token with groups in overage form, when it lists groups (threats G2: the byte budget's first resort). */
  readonly withGroupsOverage: (() => JwtPayload) | undefined;
  readonly signingKey: SigningKeyChoice;
  /** v1 tokens carry `x5t` (= kid) in the header (IDT). */
  readonly x5t: boolean;
  /** Policy claims that produced no value, with the evaluator's reason. */
  readonly absent: readonly { readonly name: string; readonly reason: string }[];
}

/** A SAML attribute in the assertion. */
export interface SamlAttributeOut {
  readonly name: string;
  readonly nameFormat?: string;
  readonly values: readonly string[];
}

/** A SAML 2.0 assertion before serialization (always unsigned here). */
export interface AssembledSaml {
  readonly format: 'saml';
  readonly id: string;
  readonly issuer: string;
  readonly audience: string;
  readonly issueInstant: string;
  readonly notBefore: string;
  readonly notOnOrAfter: string;
  readonly nameId: { readonly value: string; readonly format: string };
  readonly attributes: readonly SamlAttributeOut[];
  readonly signingKey: SigningKeyChoice;
  readonly absent: readonly { readonly name: string; readonly reason: string }[];
}

export type AssembledToken = AssembledJwt | AssembledSaml;

const noAbsences: readonly { readonly name: string; readonly reason: string }[] = Object.freeze([]);

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

const readUserAttribute = (user: IndexedUser, id: string): string | undefined => {
  const attribute = findAttribute('user', id);
  if (attribute?.read.kind !== 'graph') return undefined;
  let value: unknown = user.user;
  for (const segment of attribute.read.path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  return typeof value === 'string' ? value : typeof value === 'boolean' ? String(value) : undefined;
};

/** The default basic set when no policy applies (D15, knowledge `basicClaims`). */
function defaultJwtBasic(user: IndexedUser | undefined, version: 1 | 2): [string, string][] {
  if (user === undefined) return [];
  const out: [string, string][] = [];
  for (const row of basicClaims) {
    if (row.format !== 'jwt' || (row.versions !== undefined && !row.versions.includes(version))) continue;
    const value = readUserAttribute(user, row.id);
    if (value !== undefined) out.push([row.name, value]);
  }
  return out;
}

function defaultSamlBasic(user: IndexedUser | undefined): SamlAttributeOut[] {
  if (user === undefined) return [];
  const out: SamlAttributeOut[] = [];
  for (const row of basicClaims) {
    if (row.format !== 'saml') continue;
    const value = readUserAttribute(user, row.id);
    if (value !== undefined) out.push({ name: row.name, values: [value] });
  }
  return out;
}

function guardPolicyValue(name: string, value: unknown): PolicyClaimValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as readonly string[];
  throw new ClaimcRuntimeError('ERR_RESTRICTED_CLAIM', `policy claim ${JSON.stringify(name)} carries a value that is not a string or a list of strings (threats V2)`);
}

/** Everything both formats derive from the request. */
interface Facts {
  readonly directory: IndexedDirectory;
  readonly request: TokenRequest;
  readonly tid: string;
  readonly user: IndexedUser | undefined;
  readonly client: IndexedApp;
  readonly resource: IndexedApp;
  /** The app the token is for: its policy and manifest apply (D16). */
  readonly target: IndexedApp;
  readonly scopes: ReadonlySet<string>;
  readonly digest: Uint8Array;
  readonly context: EvaluationContext;
  readonly settings: PolicySettingsPort | undefined;
}

function gatherFacts(directory: IndexedDirectory, request: TokenRequest): Facts {
  if (!Number.isSafeInteger(request.now) || request.now < 0) throw requestError(`now must be a non-negative integer of Unix seconds, got ${String(request.now)}`);
  const client = findApp(directory, request.client, 'client');
  const resource = request.token === 'access' && request.resource !== undefined ? findApp(directory, request.resource, 'resource') : client;
  const target = request.token === 'access' ? resource : client;
  const user = request.user === undefined ? undefined : findUser(directory, request.user);
  if (user === undefined && request.token !== 'access') throw requestError(`${request.token === 'saml' ? 'a SAML assertion' : 'an ID token'} needs a user; only access tokens can be app-only`);
  const tid = directory.organization.id;
  const defaultScope = request.token === 'id' ? 'openid profile' : '';
  const scopes = new Set((request.scope ?? defaultScope).split(/\s+/).filter((s) => s !== ''));
  const digest = sha256(
    `token|${tid}|${user?.user.id ?? client.servicePrincipal.id}|${client.appId}|${target.appId}|${request.token}|${request.version ?? ''}|${request.flow ?? ''}|${request.scope ?? ''}|${request.now}|${request.nonce ?? ''}`,
  );
  const context: EvaluationContext = {
    ...(user !== undefined ? { user: user.user, groups: user.transitiveGroups.map((g) => g.group.id), assignedRoles: [...assignedRoleValues(target, user.user.id, user)] } : {}),
    tenant: directory.organization,
    client: client.servicePrincipal,
    ...(request.token === 'access' ? { resource: resource.servicePrincipal } : {}),
    audience: target.servicePrincipal,
  };
  return { directory, request, tid, user, client, resource, target, scopes, digest, context, settings: target.policy?.port.settings };
}

const optionalClaimsOf = (app: IndexedApp, token: 'id' | 'access' | 'saml'): readonly OptionalClaim[] => {
  const oc = app.application?.optionalClaims;
  return (token === 'id' ? oc?.idToken : token === 'access' ? oc?.accessToken : oc?.saml2Token) ?? [];
};

/**
 * Assembles a token as Entra would issue it: basic < optional < policy claims (D14), then the Entra-issued and
 * core claims, which are written last and never replaced. Throws {@link TokenRefusedError} for the gating rules
 * (D19, AADSTS50105) and a `ClaimcRuntimeError` for an impossible request. Pure: no clock, no shared state.
 *
 * @example
 * const directory = indexDirectory(defaultSnapshot, plans);
 * const token = assembleToken(directory, { token: 'id', client: webAppId, user: 'adelev@contoso.com', now: 1_700_000_000 });
 * if (token.format === 'jwt') console.log(token.payload.sub);
 */
export function assembleToken(directory: IndexedDirectory, request: TokenRequest): AssembledToken {
  const facts = gatherFacts(directory, request);
  if (facts.user !== undefined) checkAssignment(facts.target, facts.user);
  return request.token === 'saml' ? assembleSaml(facts) : assembleJwt(facts);
}

function jwtVersion(facts: Facts): 1 | 2 {
  const { request, target } = facts;
  if (request.token === 'id') return request.version ?? 2;
  const version = target.application?.api?.requestedAccessTokenVersion === 2 ? 2 : 1;
  if (request.version !== undefined && request.version !== version) {
    throw requestError(`access tokens for ${target.appId} are v${version}.0: the resource's api.requestedAccessTokenVersion decides, not the request`);
  }
  return version;
}

function assembleJwt(facts: Facts): AssembledJwt {
  const { request, user, client, target, tid, digest, directory } = facts;
  const tokenType = request.token as 'id' | 'access';
  const version = jwtVersion(facts);
  const kind = `${tokenType}${version}` as JwtKind;
  const principal = user === undefined ? 'app' : 'user';
  const implicit = request.flow === 'implicit';
  const profile = version === 1 || tokenType === 'access' || facts.scopes.has('profile');
  const settings = facts.settings;
  const optionalClaims = optionalClaimsOf(target, tokenType);

  // aud and key (D16, D19)
  let audience = tokenType === 'id' ? client.appId : version === 2 ? target.appId : (request.resource ?? target.appId);
  const useGuid = optionalClaims.some((c) => c.name === 'aud' && (c.additionalProperties ?? []).some((p) => p.toLowerCase() === 'use_guid'));
  if (tokenType === 'access' && version === 1 && useGuid) audience = target.appId;
  const signingKey = decideSigningKey(directory, target, audience, request.now, target.policy !== undefined);
  let issuer = version === 1 ? `https://sts.windows.net/${tid}/` : `https://login.microsoftonline.com/${tid}/v2.0`;
  if (signingKey.kind === 'application' && settings !== undefined) {
    if (settings.issuerWithApplicationId) issuer = issuer.endsWith('/') ? issuer + target.appId : `${issuer}/${target.appId}`;
    if (settings.audienceOverride !== undefined) audience = settings.audienceOverride;
  }

  const evaluation = target.policy?.port.evaluateJwt(facts.context, version);
  const groupsConfig = groupClaimConfig(target.application?.groupMembershipClaims, optionalClaims.find((c) => c.name === 'groups'));
  const groups: GroupClaim = user === undefined ? { kind: 'none' } : resolveGroups(user, target, groupsConfig, settings?.groupFilter, implicit ? 5 : 200);

  const build = (groupClaim: GroupClaim): JwtPayload => {
    const payload: Record<string, JsonValue> = Object.create(null) as Record<string, JsonValue>;
    // basic (D15): the policy's view of it when a policy applies
    const basic = evaluation !== undefined ? Object.entries(evaluation.basic) : defaultJwtBasic(user, version);
    for (const [name, value] of basic) if (profile || name !== 'name') payload[name] = value;
    for (const [name, value] of optionalClaimValues(optionalClaims, { directory, user, format: 'jwt', tokenType, version, now: request.now, appId: target.appId })) payload[name] = value;
    if (evaluation !== undefined) {
      for (const name of Object.keys(evaluation.policy)) {
        if (jwtNameRestriction(name) !== undefined) throw new ClaimcRuntimeError('ERR_RESTRICTED_CLAIM', `policy evaluation produced the restricted claim name ${JSON.stringify(name)}; issuance fails closed (threats N4)`);
        payload[name] = guardPolicyValue(name, evaluation.policy[name]);
      }
    }
    for (const row of issuedJwtClaims) {
      if (!row.kinds.includes(kind) || !row.principals.includes(principal)) continue;
      if (row.scope === 'profile' && !profile && user !== undefined) continue;
      writeIssued(row.name, payload, groupClaim);
    }
    return payload;
  };

  const writeIssued = (name: string, payload: Record<string, JsonValue>, groupClaim: GroupClaim): void => {
    const u = user?.user;
    switch (name) {
      case 'acr':
        payload.acr = '1';
        return;
      case 'aio':
        payload.aio = base64url(digest, 0, 32);
        return;
      case 'amr':
        payload.amr = ['pwd'];
        return;
      case 'appid':
        payload.appid = client.appId;
        return;
      case 'azp':
        payload.azp = client.appId;
        return;
      case 'appidacr':
      case 'azpacr':
        payload[name] = user === undefined ? '1' : '0';
        return;
      case 'email': {
        if (user === undefined) return;
        const wanted = user.isGuest || (tokenType === 'id' && version === 2 && facts.scopes.has('email'));
        const email = wanted ? emailValue(user) : undefined;
        if (email !== undefined) payload.email = email;
        return;
      }
      case 'idp': {
        const idp = user === undefined ? undefined : guestIdp(user);
        if (idp !== undefined && idp !== issuer) payload.idp = idp;
        return;
      }
      case 'idtyp':
        payload.idtyp = 'app';
        return;
      case 'nonce':
        if (request.nonce !== undefined) payload.nonce = request.nonce;
        return;
      case 'onprem_sid':
        if (typeof u?.onPremisesSecurityIdentifier === 'string') payload.onprem_sid = u.onPremisesSecurityIdentifier;
        return;
      case 'preferred_username':
      case 'unique_name': {
        const value = user === undefined ? undefined : name === 'unique_name' && user.isGuest ? emailValue(user) : homeUpn(user);
        if (value !== undefined) payload[name] = value;
        return;
      }
      case 'upn': {
        if (user === undefined) return;
        const upnClaim = optionalClaims.find((c) => c.name === 'upn');
        if (user.isGuest && upnClaim === undefined) return;
        const value = upnValue(user, upnClaim?.additionalProperties ?? []);
        if (value !== undefined) payload.upn = value;
        return;
      }
      case 'scp':
        payload.scp = scopeClaim(facts);
        return;
      case 'roles': {
        const roles =
          groupsConfig.emitAsRoles && user !== undefined
            ? groupClaim.kind === 'list'
              ? groupClaim.values
              : []
            : assignedRoleValues(target, user?.user.id ?? client.servicePrincipal.id, user);
        if (roles.length > 0) payload.roles = [...roles];
        return;
      }
      case 'groups':
        if (groupClaim.kind === 'overage') {
          if (implicit) payload.hasgroups = true;
          else {
            payload._claim_names = { groups: 'src1' };
            payload._claim_sources = { src1: { endpoint: `https://graph.microsoft.com/v1.0/users/${u?.id ?? ''}/getMemberObjects` } };
          }
        } else if (groupClaim.kind === 'list' && !groupsConfig.emitAsRoles) payload.groups = [...groupClaim.values];
        return;
      case 'wids': {
        if (user === undefined || implicit) return;
        const wids = resolveWids(user, groupsConfig);
        if (wids.length > 0) payload.wids = [...wids];
        return;
      }
      case 'oid':
        payload.oid = u?.id ?? client.servicePrincipal.id;
        return;
      case 'rh':
        payload.rh = '0.' + base64url(digest, 16, 32);
        return;
      case 'tid':
        payload.tid = tid;
        return;
      case 'uti':
        payload.uti = base64url(digest, 0, 16);
        return;
      case 'ver':
        payload.ver = version === 1 ? '1.0' : '2.0';
        return;
      case 'sub':
        payload.sub = user === undefined ? client.servicePrincipal.id : pairwiseSubject(tid, client.appId, user.user.id);
        return;
      case 'aud':
        payload.aud = audience;
        return;
      case 'iss':
        payload.iss = issuer;
        return;
      case 'iat':
      case 'nbf':
        payload[name] = request.now;
        return;
      case 'exp':
        payload.exp = request.now + (request.lifetimeSeconds ?? tokenLifetimes.jwt);
        return;
      default:
        throw new ClaimcRuntimeError('ERR_REQUEST_INVALID', `no rule computes the issued claim ${name}`);
    }
  };

  const payload = build(groups);
  return {
    format: 'jwt',
    tokenType,
    version,
    payload,
    withGroupsOverage: groups.kind === 'list' ? () => build({ kind: 'overage', count: groups.values.length }) : undefined,
    signingKey,
    x5t: version === 1,
    absent: evaluation?.absent ?? noAbsences,
  };
}

/** `sub`: a pairwise identifier, base64url(SHA-256(tid|client appId|oid)) — 43 characters like Entra's. */
export function pairwiseSubject(tenantId: string, appId: string, objectId: string): string {
  return base64url(sha256(`${tenantId}|${appId.toLowerCase()}|${objectId}`));
}

function scopeClaim(facts: Facts): string {
  const target = facts.target;
  const published = (target.application?.api?.oauth2PermissionScopes ?? []).filter((s) => s.isEnabled !== false && typeof s.value === 'string').map((s) => s.value!);
  const prefixes = [...(target.application?.identifierUris ?? []), target.appId].map((u) => (u.endsWith('/') ? u : u + '/'));
  const out: string[] = [];
  for (const raw of facts.scopes) {
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

function mergeAttribute(list: SamlAttributeOut[], attribute: SamlAttributeOut): void {
  const at = list.findIndex((a) => a.name === attribute.name);
  if (at === -1) list.push(attribute);
  else list[at] = attribute;
}

function assembleSaml(facts: Facts): AssembledSaml {
  const { request, user, client, tid, digest, directory } = facts;
  const u = user!;
  const settings = facts.settings;
  const signingKey: SigningKeyChoice = decideSigningKey(directory, client, client.appId, request.now, false);
  const hasCustomKey = validCustomKey(client, request.now) !== undefined;
  let issuer = `https://sts.windows.net/${tid}/`;
  const identifierUri = client.application?.identifierUris?.[0];
  let audience = identifierUri ?? `spn:${client.appId}`;
  if (hasCustomKey && settings !== undefined) {
    if (settings.issuerWithApplicationId) issuer += client.appId;
    if (settings.audienceOverride !== undefined) audience = settings.audienceOverride;
  }
  const evaluation = client.policy?.port.evaluateSaml(facts.context);
  const attributes: SamlAttributeOut[] = [];
  for (const attribute of evaluation !== undefined ? evaluation.basic : defaultSamlBasic(user)) mergeAttribute(attributes, copy(attribute));
  const optionalClaims = optionalClaimsOf(client, 'saml');
  for (const [name, value] of optionalClaimValues(optionalClaims, { directory, user, format: 'saml', tokenType: 'saml', version: 2, now: request.now, appId: client.appId })) {
    mergeAttribute(attributes, { name, values: Array.isArray(value) ? (value as string[]) : [String(value)] });
  }
  for (const attribute of evaluation?.policy ?? []) {
    if (samlNameRestriction(attribute.name, hasCustomKey) !== undefined) {
      throw new ClaimcRuntimeError('ERR_RESTRICTED_CLAIM', `policy evaluation produced the restricted SAML attribute ${JSON.stringify(attribute.name)}; issuance fails closed (threats N4)`);
    }
    mergeAttribute(attributes, copy(attribute));
  }
  mergeAttribute(attributes, { name: samlUris.tenantId, values: [tid] });
  mergeAttribute(attributes, { name: samlUris.objectId, values: [u.user.id] });
  mergeAttribute(attributes, { name: samlUris.identityProvider, values: [guestIdp(u) ?? `https://sts.windows.net/${tid}/`] });
  mergeAttribute(attributes, { name: samlUris.authnMethods, values: [samlUris.passwordMethod] });
  const groupsConfig = groupClaimConfig(client.application?.groupMembershipClaims, optionalClaims.find((c) => c.name === 'groups'));
  const groups = resolveGroups(u, client, groupsConfig, settings?.groupFilter, 150);
  if (groups.kind === 'overage') mergeAttribute(attributes, { name: samlUris.groupsLink, values: [`https://graph.windows.net/${tid}/users/${u.user.id}/getMemberObjects`] });
  else if (groups.kind === 'list' && !groupsConfig.emitAsRoles) mergeAttribute(attributes, { name: samlUris.groups, values: [...groups.values] });
  const roles = groupsConfig.emitAsRoles ? (groups.kind === 'list' ? groups.values : []) : assignedRoleValues(client, u.user.id, u);
  if (roles.length > 0) mergeAttribute(attributes, { name: samlUris.role, values: [...roles] });
  const wids = resolveWids(u, groupsConfig);
  if (wids.length > 0) mergeAttribute(attributes, { name: samlUris.wids, values: [...wids] });

  const nameId = samlNameId(facts, evaluation);
  const instant = (seconds: number): string => new Date(seconds * 1000).toISOString();
  const assertion: AssembledSaml = {
    format: 'saml',
    id: '_' + bytesToGuid(digest),
    issuer,
    audience,
    issueInstant: instant(request.now),
    notBefore: instant(request.now),
    notOnOrAfter: instant(request.now + (request.lifetimeSeconds ?? tokenLifetimes.saml)),
    nameId,
    attributes,
    signingKey,
    absent: evaluation?.absent ?? noAbsences,
  };
  assertSamlText('Issuer', assertion.issuer);
  assertSamlText('Audience', assertion.audience);
  assertSamlText('NameID', nameId.value);
  for (const attribute of attributes) {
    assertSamlText('attribute name', attribute.name);
    for (const value of attribute.values) assertSamlText(attribute.name, value);
  }
  return assertion;
}

const copy = (a: PolicySamlAttribute): SamlAttributeOut => (a.nameFormat !== undefined ? { name: a.name, nameFormat: a.nameFormat, values: [...a.values] } : { name: a.name, values: [...a.values] });

/** NameID (§3.5): the policy's nameidentifier entry; a policy entry that yields nothing → persistent pairwise ID; else UPN as emailAddress. */
function samlNameId(facts: Facts, evaluation: { readonly nameId?: { readonly value: string; readonly format?: string }; readonly absent: readonly { readonly name: string }[] } | undefined): { value: string; format: string } {
  const user = facts.user!;
  if (evaluation?.nameId !== undefined) return { value: evaluation.nameId.value, format: evaluation.nameId.format ?? samlNameIdFormats.unspecified };
  if (evaluation?.absent.some((a) => a.name === samlNameIdentifierClaim) === true) {
    return { value: pairwiseSubject(facts.tid, facts.client.appId, user.user.id), format: samlNameIdFormats.persistent };
  }
  return { value: user.user.userPrincipalName ?? user.user.id, format: samlNameIdFormats.emailAddress };
}
