import {
  TokenRefusedError,
  assembleToken,
  evaluationContextsFor,
  samlAssertionXml,
  withAppPolicy,
  type EvaluationContext,
  type IndexedDirectory,
  type PolicyClaimValue,
  type PolicyPort,
  type TokenRequest,
} from '@claimc/runtime/internal';

/** The token whose claims are compared. */
export type ImpactToken = 'id' | 'access' | 'saml';

/** What a diff over users needs: the indexed directory, both policies linked, the apps and the token. */
export interface ImpactSetup {
  readonly directory: IndexedDirectory;
  readonly before: PolicyPort;
  readonly after: PolicyPort;
  /** appIds of the apps the policy applies to. */
  readonly apps: readonly string[];
  readonly token: ImpactToken;
  readonly now: number;
  /** Example users kept per claim and kind. */
  readonly examplesPerClaim?: number;
  /**
   * Compare whole tokens instead of the claims the policies contribute: needed when a policy setting changes
   * core claims (issuerWithApplicationId, audienceOverride, GroupFilter). Slower: every token is assembled twice.
   */
  readonly wholeTokens?: boolean;
}

/** One example user for the report. */
export interface ImpactExample {
  readonly user: string;
  readonly app: string;
  readonly claim: string;
  readonly kind: 'added' | 'removed' | 'changed' | 'refused' | 'size';
  readonly before?: PolicyClaimValue | number | null;
  readonly after?: PolicyClaimValue | number | null;
  /** The AADSTS code of a refused token, or the size limit crossed. */
  readonly code?: string;
}

/** Counts per claim. */
export interface ClaimImpact {
  added: number;
  removed: number;
  changed: number;
}

/** The impact over a range of users; partial results merge with {@link mergeImpact}. */
export interface ImpactResult {
  users: number;
  changed: number;
  refused: number;
  /** Users whose estimated token size crosses 8 KB or 16 KB. */
  sizeCrossings: number;
  claims: Record<string, ClaimImpact>;
  examples: ImpactExample[];
}

/** Token size limits a change can cross (bytes). */
export const tokenSizeLimits = [8192, 16384] as const;

/** Why the new policy's token is refused for an app where the old one was issued (one check per app: the cause is the app and policy). */
interface AppRefusal {
  readonly code: string;
}

const same = (a: PolicyClaimValue | undefined, b: PolicyClaimValue | undefined): boolean => {
  if (a === b) return true;
  if (a === undefined || b === undefined || typeof a === 'string' || typeof b === 'string') return false;
  return a.length === b.length && a.every((v, i) => v === b[i]);
};

/** The claims of a whole token as a flat map (JWT payload; SAML attributes and NameID), or the AADSTS code of a refusal. */
function wholeTokenClaims(directory: IndexedDirectory, request: TokenRequest): ClaimView | string {
  let token;
  try {
    token = assembleToken(directory, request);
  } catch (error) {
    if (error instanceof TokenRefusedError) return error.aadsts;
    throw error;
  }
  const out: Record<string, PolicyClaimValue> = Object.create(null) as Record<string, PolicyClaimValue>;
  if (token.format === 'saml') {
    for (const a of token.attributes) out[a.name] = a.values.length === 1 ? a.values[0]! : a.values;
    out['NameID'] = token.nameId.value;
    out['Issuer'] = token.issuer;
    out['Audience'] = token.audience;
    return { top: out, base: noClaims };
  }
  for (const [name, value] of Object.entries(token.payload)) out[name] = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value : JSON.stringify(value);
  return { top: out, base: noClaims };
}

/** Claims as two layers read without merging (no allocation per user): `top` wins over `base` (policy over basic set). */
interface ClaimView {
  readonly top: Readonly<Record<string, PolicyClaimValue>>;
  readonly base: Readonly<Record<string, PolicyClaimValue>>;
}
const noClaims: Readonly<Record<string, PolicyClaimValue>> = Object.freeze(Object.create(null) as Record<string, PolicyClaimValue>);
// claim names never collide with prototype keys: the compiler rejects them (names validated at compile time)
const valueOf = (view: ClaimView, name: string): PolicyClaimValue | undefined => view.top[name] ?? view.base[name];

/** The claims a policy contributes to a token (the basic set it keeps and its own claims; SAML attributes and NameID). */
function claimsOf(port: PolicyPort, context: EvaluationContext, token: ImpactToken, version: 1 | 2): ClaimView {
  if (token === 'saml') {
    const saml = port.evaluateSaml(context);
    const out: Record<string, PolicyClaimValue> = Object.create(null) as Record<string, PolicyClaimValue>;
    for (const a of saml.basic) out[a.name] = a.values.length === 1 ? a.values[0]! : a.values;
    for (const a of saml.policy) out[a.name] = a.values.length === 1 ? a.values[0]! : a.values;
    if (saml.nameId !== undefined) out['NameID'] = saml.nameId.value;
    return { top: out, base: noClaims };
  }
  const jwt = port.evaluateJwt(context, version);
  return { top: jwt.policy, base: jwt.basic };
}

/** Approximate JSON bytes of a view's claims (names and values), without serialising. */
function viewBytes(view: ClaimView): number {
  let bytes = 2;
  const add = (name: string, value: PolicyClaimValue): void => {
    bytes += name.length + 4;
    if (typeof value === 'string') bytes += value.length + 2;
    else for (const v of value) bytes += v.length + 3;
  };
  for (const name in view.top) add(name, view.top[name]!);
  for (const name in view.base) if (view.top[name] === undefined) add(name, view.base[name]!);
  return bytes;
}

const utf8Bytes = (text: string): number => {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? (i++, 4) : 3;
  }
  return bytes;
};

/**
 * The size of a whole token, in bytes: a JWT's compact form with an RS256 header and signature (the payload
 * base64url-encoded), or a SAML assertion's XML.
 */
function tokenSize(directory: IndexedDirectory, request: TokenRequest): number | string {
  try {
    const token = assembleToken(directory, request);
    if (token.format === 'saml') return utf8Bytes(samlAssertionXml(token));
    return Math.ceil((utf8Bytes(JSON.stringify(token.payload)) * 4) / 3) + 480;
  } catch (error) {
    if (error instanceof TokenRefusedError) return error.aadsts;
    throw error;
  }
}

/** Per-app facts computed once: both directories, the JWT version, and whether the new policy makes Entra refuse. */
export interface PreparedImpact {
  readonly setup: ImpactSetup;
  readonly beforeDirectory: IndexedDirectory;
  readonly afterDirectory: IndexedDirectory;
  readonly versions: ReadonlyMap<string, 1 | 2>;
  readonly refusals: ReadonlyMap<string, AppRefusal>;
  /** Apps whose token Entra refuses under both policies: no token changes there. */
  readonly refusedBoth: ReadonlyMap<string, AppRefusal>;
}

/**
 * Prepares a diff over users: a directory view per policy, each app's token version, and per app whether the
 * new policy makes the token refused where the old one was issued (with the AADSTS code).
 *
 * @example
 * const prepared = prepareImpact({ directory, before, after, apps: [appId], token: 'id', now });
 * const result = measureImpact(prepared, 0, directory.users.length);
 */
export function prepareImpact(setup: ImpactSetup): PreparedImpact {
  const beforeDirectory = withAppPolicy(setup.directory, setup.apps, { id: 'claimc-diff-before', port: setup.before });
  const afterDirectory = withAppPolicy(setup.directory, setup.apps, { id: 'claimc-diff-after', port: setup.after });
  const versions = new Map<string, 1 | 2>();
  const refusals = new Map<string, AppRefusal>();
  const refusedBoth = new Map<string, AppRefusal>();
  const probe = setup.directory.users[0];
  for (const appId of setup.apps) {
    const app = setup.directory.appsByAppId.get(appId);
    const accessVersion = app?.application?.api?.requestedAccessTokenVersion === 2 ? 2 : 1;
    versions.set(appId, setup.token === 'access' ? accessVersion : 2);
    if (probe === undefined) continue;
    const request = requestFor(setup, appId, probe.user.id);
    const before = tokenSize(beforeDirectory, request);
    const after = tokenSize(afterDirectory, request);
    // AADSTS50105 (not assigned) depends on the user, not the policy: only refusals the new policy causes count
    if (typeof after === 'string' && typeof before === 'number' && after !== 'AADSTS50105') refusals.set(appId, { code: after });
    if (typeof after === 'string' && typeof before === 'string' && after !== 'AADSTS50105') refusedBoth.set(appId, { code: after });
  }
  return { setup, beforeDirectory, afterDirectory, versions, refusals, refusedBoth };
}

function requestFor(setup: ImpactSetup, appId: string, userId: string): TokenRequest {
  return { token: setup.token, client: appId, ...(setup.token === 'access' ? { resource: appId } : {}), user: userId, now: setup.now };
}

/** An empty result, the unit of {@link mergeImpact}. */
export function emptyImpact(): ImpactResult {
  return { users: 0, changed: 0, refused: 0, sizeCrossings: 0, claims: Object.create(null) as Record<string, ClaimImpact>, examples: [] };
}

/**
 * Compares the claims of users `[start, end)` under both policies, for every app: per claim added, removed or
 * value changed; refused tokens; token sizes crossing 8 KB or 16 KB (measured on whole tokens only for users whose
 * claims change and whose token could reach a limit). `onProgress` is called every 4,096 users.
 *
 * @example
 * const result = measureImpact(prepared, 0, prepared.setup.directory.users.length);
 */
export function measureImpact(prepared: PreparedImpact, start: number, end: number, onProgress?: (done: number) => void): ImpactResult {
  const { setup, versions, refusals, refusedBoth } = prepared;
  const result = emptyImpact();
  const perClaim = setup.examplesPerClaim ?? 3;
  // example slots left per kind and claim: checked before an example object is built (most changes need none)
  const slots = new Map<string, Map<string, number>>();
  const wants = (kind: ImpactExample['kind'], claim: string): boolean => {
    let byClaim = slots.get(kind);
    if (byClaim === undefined) slots.set(kind, (byClaim = new Map()));
    const used = byClaim.get(claim) ?? 0;
    if (used >= perClaim) return false;
    byClaim.set(claim, used + 1);
    return true;
  };
  const example = (e: ImpactExample): void => {
    result.examples.push(e);
  };
  const bump = (claim: string, kind: keyof ClaimImpact): void => {
    const counts = (result.claims[claim] ??= { added: 0, removed: 0, changed: 0 });
    counts[kind]++;
  };
  const users = setup.directory.users;
  const last = Math.min(end, users.length);
  // apps resolved once per app, a context per user
  const contexts = setup.apps.map((appId) => (refusals.has(appId) || refusedBoth.has(appId) ? undefined : evaluationContextsFor(setup.directory, requestFor(setup, appId, ''))));
  const compare = (upn: string, appId: string, before: ClaimView, after: ClaimView): boolean => {
    let changed = false;
    const check = (name: string): void => {
      const a = valueOf(before, name);
      const b = valueOf(after, name);
      if (b === undefined) {
        bump(name, 'removed');
        if (wants('removed', name)) example({ user: upn, app: appId, claim: name, kind: 'removed', before: a ?? null, after: null });
        changed = true;
      } else if (!same(a, b)) {
        bump(name, 'changed');
        if (wants('changed', name)) example({ user: upn, app: appId, claim: name, kind: 'changed', before: a ?? null, after: b });
        changed = true;
      }
    };
    const added = (name: string): void => {
      if (valueOf(before, name) !== undefined) return;
      bump(name, 'added');
      if (wants('added', name)) example({ user: upn, app: appId, claim: name, kind: 'added', before: null, after: valueOf(after, name)! });
      changed = true;
    };
    for (const name in before.top) check(name);
    for (const name in before.base) if (before.top[name] === undefined) check(name);
    for (const name in after.top) added(name);
    for (const name in after.base) if (after.top[name] === undefined) added(name);
    return changed;
  };
  for (let i = start; i < last; i++) {
    const user = users[i]!;
    const upn = user.user.userPrincipalName ?? user.user.id;
    let changed = false;
    let refused = false;
    for (let k = 0; k < setup.apps.length; k++) {
      const appId = setup.apps[k]!;
      const refusal = refusals.get(appId);
      if (refusal !== undefined) {
        refused = true;
        if (wants('refused', '(token)')) example({ user: upn, app: appId, claim: '(token)', kind: 'refused', code: refusal.code });
        continue;
      }
      const contextOf = contexts[k];
      if (contextOf === undefined) continue;
      const version = versions.get(appId) ?? 2;
      let before: ClaimView;
      let after: ClaimView;
      if (setup.wholeTokens === true) {
        const request = requestFor(setup, appId, user.user.id);
        const a = wholeTokenClaims(prepared.beforeDirectory, request);
        const b = wholeTokenClaims(prepared.afterDirectory, request);
        if (typeof b === 'string' && typeof a !== 'string') {
          refused = true;
          if (wants('refused', '(token)')) example({ user: upn, app: appId, claim: '(token)', kind: 'refused', code: b });
          continue;
        }
        if (typeof a === 'string' || typeof b === 'string') continue;
        before = a;
        after = b;
      } else {
        const context = contextOf(user);
        before = claimsOf(setup.before, context, setup.token, version);
        after = claimsOf(setup.after, context, setup.token, version);
      }
      if (!compare(upn, appId, before, after)) continue;
      changed = true;
      const beforeBytes = viewBytes(before);
      const afterBytes = viewBytes(after);
      // a token is at most this much larger than its policy claims: core and basic claims plus ~40 bytes a group
      const bound = 3000 + user.transitiveGroups.length * 40 + Math.max(beforeBytes, afterBytes);
      if (beforeBytes === afterBytes || bound * 1.4 < tokenSizeLimits[0]) continue;
      const request = requestFor(setup, appId, user.user.id);
      const sizeBefore = tokenSize(prepared.beforeDirectory, request);
      const sizeAfter = tokenSize(prepared.afterDirectory, request);
      if (typeof sizeBefore !== 'number' || typeof sizeAfter !== 'number') continue;
      for (const limit of tokenSizeLimits) {
        if (sizeBefore <= limit !== sizeAfter <= limit) {
          result.sizeCrossings++;
          if (wants('size', '(token size)')) example({ user: upn, app: appId, claim: '(token size)', kind: 'size', before: sizeBefore, after: sizeAfter, code: `${limit / 1024} KB` });
          break;
        }
      }
    }
    result.users++;
    if (refused) result.refused++;
    else if (changed) result.changed++;
    if (onProgress !== undefined && (i - start) % 4096 === 4095) onProgress(i - start + 1);
  }
  onProgress?.(Math.max(0, last - start));
  return result;
}

/**
 * Adds partial results (from workers over user ranges) into one; examples keep their order and the cap per claim.
 *
 * @example
 * const total = mergeImpact([first, second], 3);
 */
export function mergeImpact(parts: readonly ImpactResult[], examplesPerClaim = 3): ImpactResult {
  const total = emptyImpact();
  const exampleCount = new Map<string, number>();
  for (const part of parts) {
    total.users += part.users;
    total.changed += part.changed;
    total.refused += part.refused;
    total.sizeCrossings += part.sizeCrossings;
    for (const [claim, counts] of Object.entries(part.claims)) {
      const into = (total.claims[claim] ??= { added: 0, removed: 0, changed: 0 });
      into.added += counts.added;
      into.removed += counts.removed;
      into.changed += counts.changed;
    }
    for (const e of part.examples) {
      const key = `${e.kind}\u0000${e.claim}`;
      const n = exampleCount.get(key) ?? 0;
      if (n >= examplesPerClaim) continue;
      exampleCount.set(key, n + 1);
      total.examples.push(e);
    }
  }
  return total;
}
