import { jwtNameRestriction } from '@claimc/model';
import type { IndexedApp, IndexedDirectory } from '../directory/indexed.js';
import { ClaimcRuntimeError } from '../errors.js';
import { issuedJwtClaims, tokenLifetimes, type JwtKind } from './claim-sets.js';
import { checkAssignment, decideTenantKey, signingKeyWindows, tenantKeyAllowed, tenantSigningKey, validWindow, type SigningKeyChoice, type SigningKeyWindow } from './gating.js';
import { groupClaimConfig, resolveGroups, type GroupClaim } from './groups.js';
import { defaultJwtBasic, guardPolicyValue, pairwiseSubject, tokenIssuer, writeIssuedClaim, type IssuedClaimInputs } from './issued-claims.js';
import { compileShape, deepFreeze, materialize, perTokenClaimsLast, slot, type JwtShape, type Slot, type SlotValues } from './jwt-shape.js';
import { optionalClaimValues, type JsonValue } from './optional.js';
import { noAbsences, type PolicyClaimValue } from './policy-port.js';
import { gatherFacts, jwtVersion, optionalClaimsOf, type IssuerOptions, type TokenRequest } from './request.js';
import { base64url, sha256Prefix, sha256WithPrefix, type Sha256Prefix } from './sha256.js';

// A JWT: everything but the per-token values prepared once per request shape into a template (claims in precedence
// order, groups, roles, keys), then each token fills in the clock, the digests and the nonce.

/** A JWT payload: a null-prototype object, insertion order = emission order. */
export type JwtPayload = Readonly<Record<string, JsonValue>>;

/** A JWT before signing. */
export interface AssembledJwt {
  readonly format: 'jwt';
  readonly tokenType: 'id' | 'access';
  readonly version: 1 | 2;
  /** Frozen: the signers sign exactly this. */
  readonly payload: JwtPayload;
  /** `JSON.stringify(payload)`, built from the template's precomputed text (undefined: signers stringify). */
  readonly payloadJson: string | undefined;
  /**
   * `payloadJson` split where its UTF-8 bytes can be base64url-encoded separately: `payloadJson` ends with `tail`, and
   * base64url(UTF-8(payloadJson)) === `encodedHead` + base64url(UTF-8(`tail`)). `encodedHead` is encoded once per
   * template; signers encode only the short per-token `tail` (undefined when `payloadJson` is).
   */
  readonly payloadEncoding: PayloadEncoding | undefined;
  /** The same token with groups in overage form, when it lists groups (threats G2: the byte budget's first resort). */
  readonly withGroupsOverage: (() => JwtPayload) | undefined;
  readonly signingKey: SigningKeyChoice;
  /** v1 tokens carry `x5t` (= kid) in the header (IDT). */
  readonly x5t: boolean;
  /** Policy claims that produced no value, with the evaluator's reason. */
  readonly absent: readonly { readonly name: string; readonly reason: string }[];
}

/** The fixed part of a JWT payload already base64url-encoded, and the JSON text after it (see `AssembledJwt.payloadEncoding`). */
export interface PayloadEncoding {
  /** base64url of the first 3k bytes of the payload's UTF-8 (no padding: the split is on a 3-byte boundary). */
  readonly encodedHead: string;
  /** The rest of the payload's JSON text: the fixed remainder (0–2 bytes when ASCII) and the per-token claims. */
  readonly tail: string;
}

/** The shapes signed with one key kind: with groups listed, and with groups in overage form (the byte budget's fallback). */
export interface JwtVariant {
  readonly listed: JwtShape;
  /** Built on demand (rare: only a token over the byte budget needs it), never stored. */
  readonly overage: (() => JwtShape) | undefined;
}

/** Everything about a JWT except the per-token values; frozen, shared by every token of one request shape. */
export interface JwtTemplate {
  readonly tokenType: 'id' | 'access';
  readonly version: 1 | 2;
  readonly x5t: boolean;
  readonly absent: readonly { readonly name: string; readonly reason: string }[];
  /** Signed with the tenant key; undefined when the tenant key is refused (D19) and only a valid custom key helps. */
  readonly tenant: JwtVariant | undefined;
  /** Signed with the application's custom key (D19 issuer/audience overrides); undefined when it has none. */
  readonly application: JwtVariant | undefined;
  readonly windows: readonly SigningKeyWindow[];
  readonly refuse: { readonly directory: IndexedDirectory; readonly target: IndexedApp; readonly audience: string; readonly policyApplies: boolean };
  readonly digestPrefix: Sha256Prefix | undefined;
  readonly tid: string;
  /** The user's object ID for `sid` ('' app-only). */
  readonly userId: string;
}

/** Resolves, gates and evaluates one request shape into its frozen template (throws the request's refusal, if any). */
export function prepareJwtTemplate(directory: IndexedDirectory, request: TokenRequest, options: IssuerOptions): JwtTemplate {
  const facts = gatherFacts(directory, request, options);
  const { user, client, target, tid } = facts;
  if (user !== undefined) checkAssignment(target, user);
  const tokenType = request.token as 'id' | 'access';
  const version = jwtVersion(facts);
  const kind = `${tokenType}${version}` as JwtKind;
  const principal = user === undefined ? 'app' : 'user';
  const implicit = request.flow === 'implicit';
  const profile = version === 1 || tokenType === 'access' || facts.scopes.has('profile');
  const settings = facts.settings;
  const optionalClaims = optionalClaimsOf(target, tokenType);

  // aud and key (D16, D19)
  let tenantAudience = tokenType === 'id' ? client.appId : version === 2 ? target.appId : (request.resource ?? target.appId);
  const useGuid = optionalClaims.some((c) => c.name === 'aud' && (c.additionalProperties ?? []).some((p) => p.toLowerCase() === 'use_guid'));
  if (tokenType === 'access' && version === 1 && useGuid) tenantAudience = target.appId;
  const policyApplies = target.policy !== undefined;
  const windows = signingKeyWindows(target);
  const tenantIssuer = tokenIssuer(tid, version, facts.options);
  let applicationIssuer = tenantIssuer;
  let applicationAudience = tenantAudience;
  if (settings !== undefined) {
    if (settings.issuerWithApplicationId) applicationIssuer = tenantIssuer.endsWith('/') ? tenantIssuer + target.appId : `${tenantIssuer}/${target.appId}`;
    if (settings.audienceOverride !== undefined) applicationAudience = settings.audienceOverride;
  }

  const evaluation = target.policy?.port.evaluateJwt(facts.context, version);
  const groupsConfig = groupClaimConfig(target.application?.groupMembershipClaims, optionalClaims.find((c) => c.name === 'groups'));
  const groups: GroupClaim = user === undefined ? { kind: 'none' } : resolveGroups(user, target, groupsConfig, settings?.groupFilter, implicit ? 5 : 200);
  const sub = user === undefined ? client.servicePrincipal.id : pairwiseSubject(tid, client.appId, user.user.id);

  // the optional claims computed once; `auth_time` and `sid` depend on the clock, so they become slots
  const optionalValues = optionalClaimValues(optionalClaims, { directory, user, format: 'jwt', tokenType, version, now: 0, appId: target.appId }).map(
    ([name, value]): [string, JsonValue | Slot] => [name, name === 'auth_time' ? slot.auth_time : name === 'sid' ? slot.sid : value],
  );
  const basic = evaluation !== undefined ? Object.entries(evaluation.basic) : defaultJwtBasic(user, version);
  const policyClaims: [string, PolicyClaimValue][] = [];
  if (evaluation !== undefined) {
    for (const name of Object.keys(evaluation.policy)) {
      if (jwtNameRestriction(name) !== undefined) throw new ClaimcRuntimeError('ERR_RESTRICTED_CLAIM', `policy evaluation produced the restricted claim name ${JSON.stringify(name)}; issuance fails closed (threats N4)`);
      policyClaims.push([name, guardPolicyValue(name, evaluation.policy[name])]);
    }
  }

  const issuedInputs: IssuedClaimInputs = { facts, tokenType, version, implicit, optionalClaims, groupsConfig, sub };
  const build = (issuer: string, audience: string, groupClaim: GroupClaim): JwtShape => {
    // a Map keeps first-insertion order on overwrite, exactly like the object the token used to be built in
    const claims = new Map<string, JsonValue | Slot>();
    // basic (D15): the policy's view of it when a policy applies
    for (const [name, value] of basic) if (profile || name !== 'name') claims.set(name, value);
    for (const [name, value] of optionalValues) claims.set(name, value);
    for (const [name, value] of policyClaims) claims.set(name, value);
    for (const row of issuedJwtClaims) {
      if (!row.kinds.includes(kind) || !row.principals.includes(principal)) continue;
      if (row.scope === 'profile' && !profile && user !== undefined) continue;
      writeIssuedClaim(row.name, claims, issuedInputs, groupClaim, issuer, audience);
    }
    // D14 holds: nothing is written after the core claims; the per-token ones (iat/nbf/exp, aio/rh/uti, nonce,
    // auth_time, sid) are only emitted after the fixed ones, so the JSON is a fixed prefix and a short tail
    return compileShape(perTokenClaimsLast(claims));
  };

  const variant = (issuer: string, audience: string): JwtVariant =>
    Object.freeze({ listed: build(issuer, audience, groups), overage: groups.kind === 'list' ? () => build(issuer, audience, { kind: 'overage', count: groups.values.length }) : undefined });
  const tenant = tenantKeyAllowed(directory, target, tenantAudience, policyApplies) ? variant(tenantIssuer, tenantAudience) : undefined;
  const usesDigest = (shape: JwtShape | undefined): boolean => shape !== undefined && shape.values.some((v) => v === slot.uti || v === slot.aio || v === slot.rh);
  const application = windows.length > 0 ? variant(applicationIssuer, applicationAudience) : undefined;
  return Object.freeze({
    tokenType,
    version,
    x5t: version === 1,
    absent: deepFreeze(evaluation?.absent ?? noAbsences), // shared by every token of the shape
    tenant,
    application,
    windows,
    refuse: Object.freeze({ directory, target, audience: tenantAudience, policyApplies }),
    digestPrefix: usesDigest(tenant?.listed) || usesDigest(application?.listed) ? sha256Prefix(facts.digestPrefix) : undefined,
    tid,
    userId: user?.user.id ?? '',
  });
}

/** One token from a template: picks the key valid at `now` (or refuses), then fills in the per-token values. */
export function finishJwt(template: JwtTemplate, request: TokenRequest): AssembledJwt {
  const now = request.now;
  const window = validWindow(template.windows, now);
  let variant: JwtVariant | undefined;
  let signingKey: SigningKeyChoice;
  if (window !== undefined) {
    variant = template.application;
    signingKey = window.choice;
  } else if (template.tenant !== undefined) {
    variant = template.tenant;
    signingKey = tenantSigningKey;
  } else {
    const { directory, target, audience, policyApplies } = template.refuse;
    signingKey = decideTenantKey(directory, target, audience, policyApplies); // throws the D19 refusal (AADSTS50146 / 501461)
  }
  if (variant === undefined) throw new ClaimcRuntimeError('ERR_REQUEST_INVALID', 'no token shape for the chosen signing key');
  const nonce = request.nonce;
  const digest = template.digestPrefix === undefined ? undefined : sha256WithPrefix(template.digestPrefix, `${now}|${nonce ?? ''}`);
  const values: SlotValues = {
    now,
    exp: now + (request.lifetimeSeconds ?? tokenLifetimes.jwt),
    digest,
    digestText: digest === undefined ? '' : base64url(digest),
    nonce,
    code: request.code,
    accessToken: request.accessToken,
    tid: template.tid,
    userId: template.userId,
  };
  const shape = variant.listed;
  const { payload, tail } = materialize(shape, values);
  const overage = variant.overage;
  const head = shape.head;
  return {
    format: 'jwt',
    tokenType: template.tokenType,
    version: template.version,
    payload,
    payloadJson: head === undefined || tail === undefined ? undefined : head.text + tail,
    payloadEncoding: head === undefined || tail === undefined ? undefined : { encodedHead: head.encoded, tail },
    withGroupsOverage: overage === undefined ? undefined : () => materialize(overage(), values).payload,
    signingKey,
    x5t: template.x5t,
    absent: template.absent,
  };
}
