import { base64url as joseBase64url } from 'jose';
import { basicClaims, findAttribute, jwtNameRestriction, samlNameIdentifierClaim, samlNameIdFormats, samlNameRestriction } from '@claimc/model';
import type { EvaluationContext } from '../context.js';
import type { IndexedApp, IndexedDirectory, IndexedUser } from '../directory/indexed.js';
import type { OptionalClaim } from '../directory/schema.js';
import { ClaimcRuntimeError, TokenRefusedError } from '../errors.js';
import { clockRange, issuedJwtClaims, oidcScopes, samlUris, tokenLifetimes, type JwtKind } from './claim-sets.js';
import { checkAssignment, decideSigningKey, decideTenantKey, requestError, signingKeyWindows, tenantKeyAllowed, tenantSigningKey, validWindow, type SigningKeyChoice, type SigningKeyWindow } from './gating.js';
import { assignedRoleValues, groupClaimConfig, resolveGroups, resolveWids, type GroupClaim } from './groups.js';
import { emailValue, guestIdp, homeUpn, isPersonalAccount, microsoftAccountTenantId, optionalClaimValues, sessionId, upnValue, type JsonValue } from './optional.js';
import type { PolicyClaimValue, PolicySamlAttribute, PolicySettingsPort } from './policy-port.js';
import { assertSamlText, assertSamlUri } from './saml-xml.js';
import { base64url, base64urlFlat, bytesToGuid, sha256, sha256Prefix, sha256WithPrefix, type Sha256Prefix } from './sha256.js';

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

/** The `iss` of a token: Entra's for the version, or the configured authority's. */
export function tokenIssuer(tid: string, version: 1 | 2, options: IssuerOptions = {}): string {
  if (options.authority !== undefined) return version === 1 ? `${options.authority}/${tid}/` : `${options.authority}/${tid}/v2.0`;
  return version === 1 ? `https://sts.windows.net/${tid}/` : `https://login.microsoftonline.com/${tid}/v2.0`;
}

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

/** Everything both formats derive from the request, apart from the clock and the nonce. */
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
  /** The digest input before `now|nonce` (uti, aio, rh and the SAML ID are digests of prefix + `now|nonce`). */
  readonly digestPrefix: string;
  readonly context: EvaluationContext;
  readonly settings: PolicySettingsPort | undefined;
  readonly options: IssuerOptions;
}

const printableAscii = /^[\x20-\x7e]+$/;

/** Checks a request's clock, lifetime and hash inputs: `now` and `now + lifetime` lie in {@link clockRange}, both integers. */
function checkNow(request: TokenRequest): void {
  for (const [name, value] of [['code', request.code], ['accessToken', request.accessToken]] as const) {
    if (value !== undefined && (typeof value !== 'string' || !printableAscii.test(value))) throw requestError(`${name} must be a non-empty printable ASCII string (its hash goes into the ID token)`);
  }
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

/** Reads everything but `now`, `nonce` and `lifetimeSeconds`: the result is the same for every token of one request shape. */
function gatherFacts(directory: IndexedDirectory, request: TokenRequest, options: IssuerOptions): Facts {
  const client = findApp(directory, request.client, 'client');
  const resource = request.token === 'access' && request.resource !== undefined ? findApp(directory, request.resource, 'resource') : client;
  const target = request.token === 'access' ? resource : client;
  const user = request.user === undefined ? undefined : findUser(directory, request.user);
  if (user === undefined && request.token !== 'access') throw requestError(`${request.token === 'saml' ? 'a SAML assertion' : 'an ID token'} needs a user; only access tokens can be app-only`);
  // seed 004: a personal Microsoft account signs in through the consumer tenant, which is its tid (and iss)
  const personal = isPersonalAccount(user);
  if (personal) checkPersonalAccountsAllowed(client, user!);
  const tid = personal ? microsoftAccountTenantId : directory.organization.id;
  const defaultScope = request.token === 'id' ? 'openid profile' : '';
  const scopes = new Set((request.scope ?? defaultScope).split(/\s+/).filter((s) => s !== ''));
  const digestPrefix = `token|${tid}|${user?.user.id ?? client.servicePrincipal.id}|${client.appId}|${target.appId}|${request.token}|${request.version ?? ''}|${request.flow ?? ''}|${request.scope ?? ''}|`;
  const context: EvaluationContext = {
    ...(user !== undefined ? { user: user.user, groups: user.transitiveGroups.map((g) => g.group.id), assignedRoles: [...assignedRoleValues(target, user.user.id, user)] } : {}),
    tenant: directory.organization,
    client: client.servicePrincipal,
    ...(request.token === 'access' ? { resource: resource.servicePrincipal } : {}),
    audience: target.servicePrincipal,
  };
  return { directory, request, tid, user, client, resource, target, scopes, digestPrefix, context, settings: target.policy?.port.settings, options };
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
  const client = findApp(directory, request.client, 'client');
  const resource = request.token === 'access' && request.resource !== undefined ? findApp(directory, request.resource, 'resource') : client;
  const target = request.token === 'access' ? resource : client;
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

const optionalClaimsOf = (app: IndexedApp, token: 'id' | 'access' | 'saml'): readonly OptionalClaim[] => {
  const oc = app.application?.optionalClaims;
  return (token === 'id' ? oc?.idToken : token === 'access' ? oc?.accessToken : oc?.saml2Token) ?? [];
};

/**
 * Assembles a token as Entra would issue it: basic < optional < policy claims (D14), then the Entra-issued and
 * core claims, which are written last and never replaced. Throws {@link TokenRefusedError} for the gating rules
 * (D19, AADSTS50105) and a `ClaimcRuntimeError` for an impossible request. Pure: no clock, no shared state.
 * Issuers minting many tokens use {@link createTokenIssuer}, which prepares each request shape once.
 *
 * @example
 * const directory = indexDirectory(defaultSnapshot, plans);
 * const token = assembleToken(directory, { token: 'id', client: webAppId, user: 'adelev@contoso.com', now: 1_700_000_000 });
 * if (token.format === 'jwt') console.log(token.payload.sub);
 */
export function assembleToken(directory: IndexedDirectory, request: TokenRequest, options: IssuerOptions = {}): AssembledToken {
  checkNow(request);
  if (request.token === 'saml') return assembleSamlToken(directory, request, options);
  return finishJwt(prepareJwtTemplate(directory, request, options), request);
}

function assembleSamlToken(directory: IndexedDirectory, request: TokenRequest, options: IssuerOptions): AssembledSaml {
  const facts = gatherFacts(directory, request, options);
  if (facts.user !== undefined) checkAssignment(facts.target, facts.user);
  return assembleSaml(facts);
}

/** Assembles tokens for one indexed directory, preparing each request shape once (see {@link createTokenIssuer}). */
export interface TokenIssuer {
  readonly directory: IndexedDirectory;
  /** Same result as `assembleToken(directory, request)`. */
  assemble(request: TokenRequest): AssembledToken;
}

/**
 * An issuer over an indexed directory for the hot path. Everything a JWT needs except the clock and the nonce —
 * claims, groups, roles, policy evaluation, pairwise `sub`, key windows, the JSON text around the per-token
 * values — depends only on the immutable directory and the request's other fields, so it is computed once per
 * request shape into a frozen template; each token then fills in `iat`/`nbf`/`exp`, the digest claims and the
 * nonce. The template memo is private to this issuer (never module-global), holds only frozen values that are
 * pure functions of their key, and is filled synchronously inside `assemble` (JavaScript never interleaves two
 * calls), so a hit and a miss yield identical tokens and concurrent issuances cannot observe each other
 * (threats §3.8; proven by the concurrency differential test). At `maxTemplates` entries the memo starts over.
 * SAML assertions are assembled directly.
 *
 * @example
 * const issuer = createTokenIssuer(directory);
 * const token = issuer.assemble({ token: 'access', client: webAppId, resource: apiAppId, user: 'adelev@contoso.com', now: 1_700_000_000 });
 */
export function createTokenIssuer(directory: IndexedDirectory, options: IssuerOptions & { readonly maxTemplates?: number } = {}): TokenIssuer {
  const issuerOptions: IssuerOptions = options.authority !== undefined ? { authority: options.authority } : {};
  const maxTemplates = options.maxTemplates ?? 10_000;
  // nested Maps keyed by the raw request strings (no key string to build and hash per token); two spellings of one
  // user or app give two equal templates, never a wrong one
  let root = new Map<unknown, unknown>();
  let size = 0;
  const assemble = (request: TokenRequest): AssembledToken => {
    checkNow(request);
    if (request.token === 'saml') return assembleSamlToken(directory, request, issuerOptions);
    // unrolled: no key array per token on the hit path
    type Level = Map<unknown, unknown> | undefined;
    // which per-token values the request carries: each changes the payload's shape
    const perTokenValues = (request.nonce !== undefined ? 1 : 0) | (request.code !== undefined ? 2 : 0) | (request.accessToken !== undefined ? 4 : 0);
    const byUser = root.get(request.token) as Level;
    const byResource = ((byUser?.get(request.user) as Level)?.get(request.client) as Level)?.get(request.resource) as Level;
    const byScope = ((byResource?.get(request.version) as Level)?.get(request.flow) as Level)?.get(request.scope) as Level;
    let template = byScope?.get(perTokenValues) as JwtTemplate | undefined;
    if (template === undefined) {
      const keys = [request.token, request.user, request.client, request.resource, request.version, request.flow, request.scope, perTokenValues];
      // only a request that yields a template is remembered: failing requests leave no entries behind
      template = prepareJwtTemplate(directory, request, issuerOptions);
      if (size >= maxTemplates) {
        root = new Map();
        size = 0;
      }
      let level = root;
      for (let i = 0; i < keys.length - 1; i++) {
        let next = level.get(keys[i]) as Map<unknown, unknown> | undefined;
        if (next === undefined) level.set(keys[i], (next = new Map()));
        level = next;
      }
      level.set(keys[keys.length - 1], template);
      size++;
    }
    return finishJwt(template, request);
  };
  return Object.freeze({ directory, assemble });
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

/** The per-token values of a JWT: the clock, the request digest and the nonce. */
type SlotKind = 'iat' | 'nbf' | 'exp' | 'uti' | 'aio' | 'rh' | 'nonce' | 'auth_time' | 'sid' | 'c_hash' | 'at_hash';

/** A placeholder in a template for a per-token value. */
class Slot {
  constructor(readonly kind: SlotKind) {
    Object.freeze(this);
  }
}

const slot: Readonly<Record<SlotKind, Slot>> = Object.freeze({
  iat: new Slot('iat'),
  nbf: new Slot('nbf'),
  exp: new Slot('exp'),
  uti: new Slot('uti'),
  aio: new Slot('aio'),
  rh: new Slot('rh'),
  nonce: new Slot('nonce'),
  auth_time: new Slot('auth_time'),
  sid: new Slot('sid'),
  c_hash: new Slot('c_hash'),
  at_hash: new Slot('at_hash'),
});

/** One payload shape: claim names in emission order, static values (deep-frozen) or slots, and the JSON text between slots. */
interface JwtShape {
  readonly names: readonly string[];
  readonly values: readonly (JsonValue | Slot)[];
  /** `{…` up to the first slot's value, then the text between slots, then `…}`; undefined when a claim name is an array index (JSON.stringify would reorder). */
  readonly jsonParts: readonly string[] | undefined;
  /** `jsonParts[0]` split on a 3-byte boundary of its UTF-8, the head pre-encoded (undefined with `jsonParts`). */
  readonly head: { readonly text: string; readonly encoded: string; readonly rest: string } | undefined;
  /** Indexes of the slots in `names`, in order. */
  readonly slots: readonly number[];
  /** A new object with every claim of the shape (slots `null`), own data properties in emission order. */
  readonly fresh: () => Record<string, JsonValue>;
}

/** The shapes signed with one key kind: with groups listed, and with groups in overage form (the byte budget's fallback). */
interface JwtVariant {
  readonly listed: JwtShape;
  /** Built on demand (rare: only a token over the byte budget needs it), never stored. */
  readonly overage: (() => JwtShape) | undefined;
}

/** Everything about a JWT except the per-token values; frozen, shared by every token of one request shape. */
interface JwtTemplate {
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

const arrayIndexName = /^(?:0|[1-9]\d*)$/;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const utf8 = new TextEncoder();

/** UTF-8 length of one UTF-16 code unit at `at` (a surrogate pair counts 4 on its high half, 0 on its low half). */
function utf8Width(text: string, at: number): number {
  const unit = text.charCodeAt(at);
  if (unit < 0x80) return 1;
  if (unit < 0x800) return 2;
  if (unit >= 0xd800 && unit <= 0xdbff && at + 1 < text.length && (text.charCodeAt(at + 1) & 0xfc00) === 0xdc00) return 4;
  if (unit >= 0xdc00 && unit <= 0xdfff && at > 0 && (text.charCodeAt(at - 1) & 0xfc00) === 0xd800) return 0;
  return 3; // BMP characters and lone surrogates (which UTF-8 encoding replaces by U+FFFD, 3 bytes)
}

/**
 * Splits the fixed JSON prefix where its UTF-8 byte count is a multiple of 3 (base64 of a concatenation splits
 * only there), at a character boundary, as late as possible; the head is encoded once per template.
 *
 * @example
 * splitForBase64('{"a":"é",') // { text: '{"a":"é"', encoded: 'eyJhIjoiw6ki', rest: ',' } (9 bytes, then 1)
 */
export function splitForBase64(prefix: string): { text: string; encoded: string; rest: string } {
  const encoded = utf8.encode(prefix);
  let bytes = encoded.length;
  let cut = prefix.length;
  // a pair's 4 bytes count on its high half and 0 on its low half; never cut after a high surrogate, not even a lone
  // one (JSON text has none), since a tail starting with a low one would pair with it
  while (cut > 0 && (bytes % 3 !== 0 || (prefix.charCodeAt(cut - 1) & 0xfc00) === 0xd800)) bytes -= utf8Width(prefix, --cut);
  // the cut is on a character boundary and after no high surrogate, so the head's bytes are a prefix of the whole's
  return { text: prefix.slice(0, cut), encoded: base64urlFlat(encoded.subarray(0, bytes)), rest: prefix.slice(cut) };
}

/** The per-token claims (slots) after every fixed claim, each group in its own order: the payload becomes one fixed prefix and a short tail. */
function perTokenClaimsLast(claims: ReadonlyMap<string, JsonValue | Slot>): Map<string, JsonValue | Slot> {
  const ordered = new Map<string, JsonValue | Slot>();
  for (const [name, value] of claims) if (!(value instanceof Slot)) ordered.set(name, value);
  for (const [name, value] of claims) if (value instanceof Slot) ordered.set(name, value);
  return ordered;
}

function compileShape(claims: ReadonlyMap<string, JsonValue | Slot>): JwtShape {
  const names: string[] = [];
  const values: (JsonValue | Slot)[] = [];
  const jsonParts: string[] = [];
  let text = '{';
  let indexLike = false;
  for (const [name, value] of claims) {
    if (arrayIndexName.test(name) && Number(name) < 4294967295) indexLike = true;
    names.push(name);
    values.push(value instanceof Slot ? value : deepFreeze(value));
    text += (names.length > 1 ? ',' : '') + JSON.stringify(name) + ':';
    if (value instanceof Slot) {
      jsonParts.push(text);
      text = '';
    } else text += JSON.stringify(value);
  }
  jsonParts.push(text + '}');
  // the claims as one fast-properties object, reachable only through this closure and never written after this
  // loop: a token spreads it (V8 copies the whole shape at once) instead of inserting each claim into an
  // Object.create(null) dictionary — about half of the payload's cost. defineProperty: any name stays an own property,
  // and V8 keeps the object in fast mode (over a dozen keyed stores would turn it into a dictionary). Slots hold null
  // until a token fills them (a number placeholder makes a double field, which V8's fast clone does not copy).
  const base: Record<string, JsonValue> = {};
  const slots: number[] = [];
  for (let i = 0; i < names.length; i++) {
    const value = values[i]!;
    if (value instanceof Slot) slots.push(i);
    Object.defineProperty(base, names[i]!, { value: value instanceof Slot ? null : value, enumerable: true, writable: true, configurable: true });
  }
  return Object.freeze({
    names: Object.freeze(names),
    values: Object.freeze(values),
    jsonParts: indexLike ? undefined : Object.freeze(jsonParts),
    head: indexLike ? undefined : Object.freeze(splitForBase64(jsonParts[0]!)),
    slots: Object.freeze(slots),
    fresh: Object.freeze((): Record<string, JsonValue> => ({ ...base })),
  });
}

function prepareJwtTemplate(directory: IndexedDirectory, request: TokenRequest, options: IssuerOptions): JwtTemplate {
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
  const hasNonce = request.nonce !== undefined;
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
      writeIssued(row.name, claims, groupClaim, issuer, audience);
    }
    // D14 holds: nothing is written after the core claims; the per-token ones (iat/nbf/exp, aio/rh/uti, nonce,
    // auth_time, sid) are only emitted after the fixed ones, so the JSON is a fixed prefix and a short tail
    return compileShape(perTokenClaimsLast(claims));
  };

  const writeIssued = (name: string, claims: Map<string, JsonValue | Slot>, groupClaim: GroupClaim, issuer: string, audience: string): void => {
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
        if (hasNonce) claims.set('nonce', slot.nonce);
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
        claims.set('scp', scopeClaim(facts));
        return;
      case 'roles': {
        const roles =
          groupsConfig.emitAsRoles && user !== undefined
            ? groupClaim.kind === 'list'
              ? groupClaim.values
              : []
            : assignedRoleValues(target, user?.user.id ?? client.servicePrincipal.id, user);
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
        } else if (groupClaim.kind === 'list' && !groupsConfig.emitAsRoles) claims.set('groups', [...groupClaim.values]);
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

/** The values of one token's slots. */
interface SlotValues {
  readonly now: number;
  readonly exp: number;
  readonly digest: Uint8Array | undefined;
  /** base64url of the whole digest (`aio`); `uti` is its first 20 characters plus the 16th byte's two. */
  readonly digestText: string;
  readonly nonce: string | undefined;
  readonly code: string | undefined;
  readonly accessToken: string | undefined;
  readonly template: JwtTemplate;
}

/** OIDC Core `c_hash`/`at_hash`: base64url of the left half of the SHA-256 of the value's ASCII octets (RS256's hash). */
function oidcHalfHash(value: string): string {
  return base64url(sha256(value), 0, 16);
}

function slotValue(kind: SlotKind, values: SlotValues): JsonValue {
  switch (kind) {
    case 'iat':
    case 'nbf':
    case 'auth_time':
      return values.now;
    case 'exp':
      return values.exp;
    case 'uti':
      return values.digestText.slice(0, 20) + base64url(values.digest!, 15, 16);
    case 'aio':
      return values.digestText;
    case 'rh':
      return '0.' + base64url(values.digest!, 16, 32);
    case 'nonce':
      return values.nonce!;
    case 'sid':
      return sessionId(values.template.tid, values.template.userId, values.now);
    case 'c_hash':
      return oidcHalfHash(values.code!);
    case 'at_hash':
      return oidcHalfHash(values.accessToken!);
  }
}

/** A fresh, frozen, null-prototype payload from a shape, and its exact JSON text (head + tail). */
function materialize(shape: JwtShape, values: SlotValues): { payload: JwtPayload; tail: string | undefined } {
  const payload = shape.fresh();
  // null prototype before any write: the slots are own properties already, so no write can reach a prototype
  Object.setPrototypeOf(payload, null);
  const { names, jsonParts, slots } = shape;
  const shapeValues = shape.values;
  let json = shape.head?.rest;
  for (let s = 0; s < slots.length; s++) {
    const index = slots[s]!;
    const kind = (shapeValues[index] as Slot).kind;
    const filled = slotValue(kind, values);
    payload[names[index]!] = filled;
    // only the nonce can need escaping; the rest are integers and base64url/GUID text
    const text = typeof filled === 'number' ? String(filled) : kind === 'nonce' ? JSON.stringify(filled) : `"${filled as string}"`;
    if (json !== undefined) json += text + jsonParts![s + 1]!;
  }
  return { payload: Object.freeze(payload), tail: json };
}

function finishJwt(template: JwtTemplate, request: TokenRequest): AssembledJwt {
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
    template,
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

/** `sub`: a pairwise identifier, base64url(SHA-256(tid|client appId|oid)) — 43 characters like Entra's. */
export function pairwiseSubject(tenantId: string, appId: string, objectId: string): string {
  // once per request shape, off the per-token path: jose's base64url
  return joseBase64url.encode(sha256(`${tenantId}|${appId.toLowerCase()}|${objectId}`));
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
  const { request, user, client, tid, directory } = facts;
  const digest = sha256(`${facts.digestPrefix}${request.now}|${request.nonce ?? ''}`);
  const u = user!;
  const settings = facts.settings;
  const identifierUri = client.application?.identifierUris?.[0];
  let audience = identifierUri ?? `spn:${client.appId}`;
  // seed 002: gating covers SAML too — a policy needs a custom signing key, or acceptMappedClaims with a GUID or verified-domain audience
  const signingKey: SigningKeyChoice = decideSigningKey(directory, client, audience, request.now, client.policy !== undefined);
  // decideSigningKey picks the application key exactly when one is valid at `now`
  const hasCustomKey = signingKey.kind === 'application';
  let issuer = tokenIssuer(tid, 1, facts.options);
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
  mergeAttribute(attributes, { name: samlUris.identityProvider, values: [guestIdp(u) ?? tokenIssuer(tid, 1, facts.options)] });
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
  assertSamlUri('Audience', assertion.audience);
  assertSamlText('NameID', nameId.value);
  assertSamlUri('NameID Format', nameId.format);
  for (const attribute of attributes) {
    assertSamlText('attribute name', attribute.name);
    if (attribute.nameFormat !== undefined) assertSamlUri(`NameFormat of ${attribute.name}`, attribute.nameFormat);
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
