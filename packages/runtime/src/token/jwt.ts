import type { IndexedApp, IndexedDirectory } from '../directory/indexed.js';
import { ClaimcRuntimeError } from '../errors.js';
import { tokenLifetimes } from './claim-sets.js';
import { decideTenantKey, tenantSigningKey, validWindow, type SigningKeyChoice, type SigningKeyWindow } from './gating.js';
import type { GroupClaim } from './groups.js';
import { jwtClaims, jwtUserClaims, type JwtRequestShape, type JwtUserClaims } from './jwt-claims.js';
import { compileShape, deepFreeze, materialize, perTokenClaimsLast, slot, type JwtShape, type SlotValues } from './jwt-shape.js';
import { writePayload, type PayloadLayouts, type WrittenPayload } from './payload-writer.js';
import type { JsonValue } from './optional.js';
import { digestInput, type TokenRequest } from './request.js';
import type { TokenScratch } from './scratch.js';
import { requestDigestTexts, requestDigestTextsOf, sha256Prefix, type RequestDigestTexts, type Sha256Prefix } from './sha256.js';

// A JWT: everything but the per-token values prepared once per request shape into a template (claims in precedence
// order, groups, roles, keys), then each token fills in the clock, the digests and the nonce.

/** A JWT payload: a null-prototype object, insertion order = emission order. */
export type JwtPayload = Readonly<Record<string, JsonValue>>;

/** A JWT before signing. */
export interface AssembledJwt {
  readonly format: 'jwt';
  readonly tokenType: 'id' | 'access';
  readonly version: 1 | 2;
  /**
   * Frozen, null-prototype: the signers sign exactly this. A user's first token (and `assembleToken`'s) builds it on
   * first read, from the same claims as `payloadJson`, and returns that same object on every later read.
   */
  readonly payload: JwtPayload;
  /** `JSON.stringify(payload)`, written with the payload (undefined: signers stringify). */
  readonly payloadJson: string | undefined;
  /**
   * `payloadJson` split where its UTF-8 bytes can be base64url-encoded separately: `payloadJson` ends with `tail`, and
   * base64url(UTF-8(payloadJson)) === `encodedHead` + base64url(UTF-8(`tail`)). `encodedHead` is encoded once per
   * template; signers encode only the short per-token `tail`. Undefined for a token without a template (a user's
   * first token, `assembleToken`) and when `payloadJson` is: signers encode `payloadJson` whole.
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

/** The template of one user's tokens over a request shape: both key variants compiled, frozen, shareable. */
export function jwtTemplate(shape: JwtRequestShape, claims: JwtUserClaims): JwtTemplate {
  const { facts, groups, version } = claims;
  const { directory, target } = facts;
  const compile = (issuer: string, audience: string, groupClaim: GroupClaim): JwtShape => compileShape(perTokenClaimsLast(jwtClaims(shape, claims, issuer, audience, groupClaim)));
  const variant = (issuer: string, audience: string): JwtVariant =>
    Object.freeze({ listed: compile(issuer, audience, groups), overage: groups.kind === 'list' ? () => compile(issuer, audience, { kind: 'overage', count: groups.values.length }) : undefined });
  const tenant = shape.tenantKeyAllowed ? variant(claims.tenantIssuer, shape.tenantAudience) : undefined;
  const application = shape.windows.length > 0 ? variant(claims.applicationIssuer, shape.applicationAudience) : undefined;
  const usesDigest = (listed: JwtShape | undefined): boolean => listed !== undefined && listed.values.some((v) => v === slot.uti || v === slot.aio || v === slot.rh);
  return Object.freeze({
    tokenType: shape.tokenType,
    version,
    x5t: version === 1,
    absent: deepFreeze(claims.absent), // shared by every token of the shape
    tenant,
    application,
    windows: shape.windows,
    refuse: Object.freeze({ directory, target, audience: shape.tenantAudience, policyApplies: shape.policyApplies }),
    digestPrefix: usesDigest(tenant?.listed) || usesDigest(application?.listed) ? sha256Prefix(digestInput(facts)) : undefined,
    tid: facts.tid,
    userId: facts.user?.user.id ?? '',
  });
}

/** The per-token values of a request: its clock and lifetime, the request digest (when the claims use it), the nonce and hash inputs. */
function slotValuesOf(request: TokenRequest, digest: RequestDigestTexts | undefined, tid: string, userId: string): SlotValues {
  const now = request.now;
  return {
    now,
    exp: now + (request.lifetimeSeconds ?? tokenLifetimes.jwt),
    digest,
    nonce: request.nonce,
    code: request.code,
    accessToken: request.accessToken,
    tid,
    userId,
  };
}

/** One token from a template: picks the key valid at `now` (or refuses), then fills in the per-token values (`scratch`: the issuer's). */
export function finishJwt(template: JwtTemplate, request: TokenRequest, scratch?: TokenScratch): AssembledJwt {
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
  const digest = template.digestPrefix === undefined ? undefined : requestDigestTexts(template.digestPrefix, `${now}|${nonce ?? ''}`, scratch?.hash);
  const values = slotValuesOf(request, digest, template.tid, template.userId);
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

/**
 * One token for a user without a template: the key valid at `now` picks the variant, and only that variant's claims
 * are built and written straight into the payload and its JSON (no shape compiled, nothing kept). Same token as
 * `finishJwt(jwtTemplate(shape, claims), request)`; a refused key takes that path, which throws the refusal.
 * `scratch` is the issuer's (each call allocates its own without it).
 */
export function assembleJwtOnce(shape: JwtRequestShape, request: TokenRequest, layouts?: PayloadLayouts, scratch?: TokenScratch): AssembledJwt {
  const claims = jwtUserClaims(shape, request, scratch?.hash);
  const now = request.now;
  const window = validWindow(shape.windows, now);
  let issuer: string;
  let audience: string;
  let signingKey: SigningKeyChoice;
  // one assignment each, not an array destructured: nothing allocated per token
  if (window !== undefined) {
    issuer = claims.applicationIssuer;
    audience = shape.applicationAudience;
    signingKey = window.choice;
  } else if (shape.tenantKeyAllowed) {
    issuer = claims.tenantIssuer;
    audience = shape.tenantAudience;
    signingKey = tenantSigningKey;
  } else return finishJwt(jwtTemplate(shape, claims), request, scratch);
  const { facts, groups, version } = claims;
  const listed = jwtClaims(shape, claims, issuer, audience, groups);
  const usesDigest = listed.get('uti') === slot.uti || listed.get('aio') === slot.aio || listed.get('rh') === slot.rh;
  const nonce = request.nonce;
  // the directory's own tenant continues from the shape's hashed prefix; a personal account's tenant hashes it all
  const ownTenant = facts.tid === facts.directory.organization.id;
  const principal = facts.user?.user.id ?? facts.client.servicePrincipal.id;
  const digest = !usesDigest ? undefined : ownTenant ? requestDigestTextsOf(shape.digestPrefix, principal, now, nonce, scratch?.hash) : requestDigestTexts(undefined, `${digestInput(facts)}${now}|${nonce ?? ''}`, scratch?.hash);
  const values = slotValuesOf(request, digest, facts.tid, facts.user?.user.id ?? '');
  // the groups claim is the context's list of the user's group IDs: the issuer knows which of those need no escaping
  const ids = facts.context.groups;
  const plainList = layouts !== undefined && groups.kind === 'list' && groups.values === ids && facts.user !== undefined ? layouts.plainGroupIds(facts.directory, facts.user.transitiveGroups, ids) : undefined;
  const written = writePayload(listed, values, layouts, plainList, scratch?.json);
  const overage = groups.kind === 'list' ? (): JwtPayload => writePayload(jwtClaims(shape, claims, issuer, audience, { kind: 'overage', count: groups.values.length }), values).payload : undefined;
  return new FirstJwt(shape.tokenType, version, written, overage, signingKey, deepFreeze(claims.absent));
}

/**
 * A token written straight from its claims: the JSON text at once, the payload object on first read (a getter on
 * the prototype, so `{ ...token }` does not copy it; read `token.payload` by name; `JSON.stringify` shows it). Fields in the order of a
 * template's tokens.
 */
class FirstJwt implements AssembledJwt {
  readonly format: 'jwt';
  readonly tokenType: 'id' | 'access';
  readonly version: 1 | 2;
  readonly payloadJson: string | undefined;
  readonly payloadEncoding: undefined;
  readonly withGroupsOverage: (() => JwtPayload) | undefined;
  readonly signingKey: SigningKeyChoice;
  readonly x5t: boolean;
  readonly absent: readonly { readonly name: string; readonly reason: string }[];
  readonly #written: WrittenPayload;

  constructor(
    tokenType: 'id' | 'access',
    version: 1 | 2,
    written: WrittenPayload,
    withGroupsOverage: (() => JwtPayload) | undefined,
    signingKey: SigningKeyChoice,
    absent: readonly { readonly name: string; readonly reason: string }[],
  ) {
    this.format = 'jwt';
    this.tokenType = tokenType;
    this.version = version;
    this.payloadJson = written.json;
    this.payloadEncoding = undefined; // the signer encodes the whole text once; a head encoded here would be used once too
    this.withGroupsOverage = withGroupsOverage;
    this.signingKey = signingKey;
    this.x5t = version === 1;
    this.absent = absent;
    this.#written = written;
  }

  /** Built on first read from the claims the text was written from; the same frozen object on every read. */
  get payload(): JwtPayload {
    return this.#written.payload;
  }

  /** `JSON.stringify(token)` shows the payload as it does for every other token, although it is not an own field. */
  toJSON(): Omit<AssembledJwt, 'withGroupsOverage'> {
    const { format, tokenType, version, payloadJson, payloadEncoding, signingKey, x5t, absent } = this;
    return { format, tokenType, version, payload: this.payload, payloadJson, payloadEncoding, signingKey, x5t, absent };
  }
}
