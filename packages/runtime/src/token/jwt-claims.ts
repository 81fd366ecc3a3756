import { jwtNameRestriction } from '@claimc/model';
import type { OptionalClaim } from '../directory/schema.js';
import { ClaimcRuntimeError } from '../errors.js';
import { issuedJwtClaims, type JwtKind } from './claim-sets.js';
import { checkAssignment, signingKeyWindows, tenantKeyAllowed, type SigningKeyWindow } from './gating.js';
import { groupClaimConfig, groupsWithAssignments, resolveGroups, type GroupClaim, type GroupClaimConfig } from './groups.js';
import { defaultJwtBasic, guardPolicyValue, pairwiseSubject, pairwiseSubjectPrefix, scopeClaim, tokenIssuer, writeIssuedClaim, type IssuedClaimInputs } from './issued-claims.js';
import { ClaimList, slot } from './jwt-shape.js';
import { collectOptionalClaims, type JsonValue, type OptionalClaimInputs, type OptionalClaimSink } from './optional.js';
import { noAbsences, type AbsentClaim, type PolicyClaimValue } from './policy-port.js';
import { sha256Prefix, sha256WithPrefixBase64url, type Sha256, type Sha256Prefix } from './sha256.js';
import { digestShapePrefix, factsFor, jwtVersion, optionalClaimsOf, resolveApps, type Facts, type IssuerOptions, type RequestApps, type TokenRequest } from './request.js';

// A JWT's claims in two steps: what the request's shape decides for every user (apps, version, keys, audiences,
// which issued claims apply), then one user's claims over it, in precedence order.

/** What a JWT needs that depends on the request's shape, not on its user: shared by every user's tokens of the shape. */
export interface JwtRequestShape {
  readonly apps: RequestApps;
  readonly tokenType: 'id' | 'access';
  /** undefined: the request's version contradicts the resource's, so every token is refused, after the user checks. */
  readonly version: 1 | 2 | undefined;
  readonly implicit: boolean;
  /** Whether the `profile` claims apply (v1, access tokens, or the `profile` scope). */
  readonly profile: boolean;
  readonly optionalClaims: readonly OptionalClaim[];
  readonly groupsConfig: GroupClaimConfig;
  /** The issued claims for this token kind and principal, in `issuedJwtClaims` order. */
  readonly issued: readonly string[];
  /** `scp`, when the issued claims include it. */
  readonly scp: string | undefined;
  readonly tenantAudience: string;
  readonly applicationAudience: string;
  readonly policyApplies: boolean;
  readonly windows: readonly SigningKeyWindow[];
  /** The tenant key may sign (D19); when false and no custom key is valid, the token is refused. */
  readonly tenantKeyAllowed: boolean;
  /** The issuers for the directory's own tenant (a personal account signs in through another). */
  readonly tenantIssuer: string;
  readonly applicationIssuer: string;
  /** The pairwise `sub` hash's state after `tid|client appId|` for the directory's tenant: each user adds their object ID. */
  readonly subjectPrefix: Sha256Prefix;
  /** The request digest's state after the shape's part for the directory's tenant: each token adds `principal|now|nonce`. */
  readonly digestPrefix: Sha256Prefix;
  /**
   * Policy claim names already found unrestricted: a pure function of the name, so each name is classified once per
   * shape (a policy emits the same few names for every user). Only ever added to, synchronously.
   */
  readonly unrestrictedPolicyNames: Set<string>;
}

/** The issuer with the application's ID appended (D19's issuerWithApplicationId). */
const withApplicationId = (issuer: string, appId: string): string => (issuer.endsWith('/') ? issuer + appId : `${issuer}/${appId}`);

/** Prepares a request shape; throws only what precedes every user check (an unknown client or resource). */
export function jwtRequestShape(directory: RequestApps['directory'], request: TokenRequest, options: IssuerOptions): JwtRequestShape {
  const resolved = resolveApps(directory, request, options);
  // the groups holding a role on the target: a user's roles look up these few, or nothing when there are none
  const apps: RequestApps = { ...resolved, assignedGroups: groupsWithAssignments(resolved.target, directory.groupsById) };
  const { client, target, settings } = apps;
  const tokenType = request.token as 'id' | 'access';
  let version: 1 | 2 | undefined;
  try {
    version = jwtVersion(request, target);
  } catch {
    version = undefined; // thrown again, fresh, where the unshared path throws it
  }
  const v = version ?? 2;
  const kind = `${tokenType}${v}` as JwtKind;
  const principal = request.user === undefined ? 'app' : 'user';
  const profile = v === 1 || tokenType === 'access' || apps.scopes.has('profile');
  const optionalClaims = optionalClaimsOf(target, tokenType);
  // aud and key (D16, D19)
  let tenantAudience = tokenType === 'id' ? client.appId : v === 2 ? target.appId : (request.resource ?? target.appId);
  const useGuid = optionalClaims.some((c) => c.name === 'aud' && (c.additionalProperties ?? []).some((p) => p.toLowerCase() === 'use_guid'));
  if (tokenType === 'access' && v === 1 && useGuid) tenantAudience = target.appId;
  const policyApplies = target.policy !== undefined;
  const tenantIssuer = tokenIssuer(directory.organization.id, v, options);
  const issued = issuedJwtClaims.filter((row) => row.kinds.includes(kind) && row.principals.includes(principal) && !(row.scope === 'profile' && !profile && principal === 'user')).map((row) => row.name);
  return Object.freeze({
    apps,
    tokenType,
    version,
    implicit: request.flow === 'implicit',
    profile,
    optionalClaims,
    groupsConfig: groupClaimConfig(target.application?.groupMembershipClaims, optionalClaims.find((c) => c.name === 'groups')),
    issued,
    scp: issued.includes('scp') ? scopeClaim(apps.scopes, target) : undefined,
    tenantAudience,
    applicationAudience: settings?.audienceOverride ?? tenantAudience,
    policyApplies,
    windows: signingKeyWindows(target),
    tenantKeyAllowed: tenantKeyAllowed(directory, target, tenantAudience, policyApplies),
    tenantIssuer,
    applicationIssuer: settings?.issuerWithApplicationId === true ? withApplicationId(tenantIssuer, target.appId) : tenantIssuer,
    subjectPrefix: sha256Prefix(pairwiseSubjectPrefix(directory.organization.id, client.appId)),
    digestPrefix: sha256Prefix(digestShapePrefix(directory.organization.id, apps, request)),
    unrestrictedPolicyNames: new Set<string>(),
  });
}

/** One user's share of a JWT over a request shape: everything the claims are built from. */
export interface JwtUserClaims extends IssuedClaimInputs {
  readonly facts: Facts;
  readonly version: 1 | 2;
  /** The basic claims (a null-prototype object in emission order). */
  readonly basic: Readonly<Record<string, JsonValue>>;
  /** The policy's claims, checked (a null-prototype object in emission order). */
  readonly policy: Readonly<Record<string, PolicyClaimValue>>;
  readonly groups: GroupClaim;
  readonly absent: readonly AbsentClaim[];
  readonly tenantIssuer: string;
  readonly applicationIssuer: string;
}

const noPolicyClaims: Readonly<Record<string, PolicyClaimValue>> = Object.freeze(Object.create(null) as Record<string, PolicyClaimValue>);

/** The evaluation's policy claims, read in place after checking every name and value (fails closed, threats N4 and V2). */
function checkedPolicyClaims(shape: JwtRequestShape, policy: Readonly<Record<string, unknown>>): Readonly<Record<string, PolicyClaimValue>> {
  const checked = shape.unrestrictedPolicyNames;
  for (const name in policy) {
    if (!checked.has(name)) {
      if (jwtNameRestriction(name) !== undefined) throw new ClaimcRuntimeError('ERR_RESTRICTED_CLAIM', `policy evaluation produced the restricted claim name ${JSON.stringify(name)}; issuance fails closed (threats N4)`);
      checked.add(name);
    }
    guardPolicyValue(name, policy[name]);
  }
  return policy as Readonly<Record<string, PolicyClaimValue>>;
}

/** Checks and evaluates one request over its shape, throwing in the order the checks are defined (user, assignment, version, policy); `hash`: the issuer's scratch. */
export function jwtUserClaims(shape: JwtRequestShape, request: TokenRequest, hash?: Sha256): JwtUserClaims {
  const facts = factsFor(shape.apps, request);
  const { user, client, target, tid, directory } = facts;
  if (user !== undefined) checkAssignment(target, user);
  const version = shape.version ?? jwtVersion(request, target); // a contradicting version throws here
  const { tokenType, implicit, optionalClaims, groupsConfig } = shape;
  const evaluation = target.policy?.port.evaluateJwt(facts.context, version);
  const groups: GroupClaim = user === undefined ? { kind: 'none' } : resolveGroups(user, target, groupsConfig, facts.settings?.groupFilter, implicit ? 5 : 200, facts.context.groups);
  // a personal account's tenant is not the directory's: its issuers and `sub` are its own
  const ownTenant = tid === directory.organization.id;
  const sub = user === undefined ? client.servicePrincipal.id : ownTenant ? sha256WithPrefixBase64url(shape.subjectPrefix, user.user.id, hash) : pairwiseSubject(tid, client.appId, user.user.id);
  const basic = evaluation !== undefined ? evaluation.basic : defaultJwtBasic(user, version);
  const policy = evaluation !== undefined ? checkedPolicyClaims(shape, evaluation.policy) : noPolicyClaims;
  const tenantIssuer = ownTenant ? shape.tenantIssuer : tokenIssuer(tid, version, facts.options);
  const applicationIssuer = ownTenant ? shape.applicationIssuer : facts.settings?.issuerWithApplicationId === true ? withApplicationId(tenantIssuer, target.appId) : tenantIssuer;
  return {
    facts,
    version,
    basic,
    policy,
    groups,
    absent: evaluation?.absent ?? noAbsences,
    // what the issued-claim rules read (IssuedClaimInputs), in this object: no second object per user
    tokenType,
    implicit,
    optionalClaims,
    groupsConfig,
    sub,
    scp: shape.scp,
    tenantIssuer,
    applicationIssuer,
  };
}

/** Sets optional claims into a list, `auth_time` and `sid` as slots. */
class ClockSlotsInto implements OptionalClaimSink {
  constructor(private readonly out: ClaimList) {}

  set(name: string, value: JsonValue): void {
    this.out.set(name, name === 'auth_time' || name === 'sid' ? slot[name] : value);
  }
}

/**
 * One user's claims in emission order: basic < optional < policy (a later value replaces an earlier one in its
 * place, D14), then the issued and core claims, written last and never replaced; per-token values are slots.
 */
export function jwtClaims(shape: JwtRequestShape, claims: JwtUserClaims, issuer: string, audience: string, groupClaim: GroupClaim): ClaimList {
  // first-insertion order on overwrite, exactly like the object the token used to be built in
  const optionalClaims = shape.optionalClaims;
  // room for the issued and optional claims and a few basic and policy ones (more grow the arrays): allocated once
  const out = new ClaimList(shape.issued.length + optionalClaims.length + 4);
  // basic (D15): the policy's view of it when a policy applies
  const basic = claims.basic;
  for (const name in basic) if (shape.profile || name !== 'name') out.set(name, basic[name]!);
  // the optional claims straight into the list (no list of their own per user); `auth_time` and `sid` depend on the
  // clock, so they become slots
  const { facts, version } = claims;
  const inputs: OptionalClaimInputs = { directory: facts.directory, user: facts.user, format: 'jwt', tokenType: shape.tokenType, version, now: 0, appId: facts.target.appId };
  collectOptionalClaims(optionalClaims, inputs, new ClockSlotsInto(out));
  const policy = claims.policy;
  for (const name in policy) out.set(name, policy[name]!);
  // indexed loops on the per-token path: a for…of whose body is not inlined allocates an iterator result per claim
  const issued = shape.issued;
  for (let i = 0; i < issued.length; i++) writeIssuedClaim(issued[i]!, out, claims, groupClaim, issuer, audience);
  return out.done();
}
