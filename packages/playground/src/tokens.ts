// The playground's token pipeline: a checked policy assigned to one app of a snapshot, prepared, and the ID,
// access and SAML tokens assembled for one user, each claim with where it came from. No DOM, no Node APIs.
import { basicClaims, hasErrors, serializePolicy, type ClaimsMappingPolicy, type ClaimsSchemaEntry, type Diagnostic } from '@claimc/model';
import { prepareDirectory } from '@claimc/compiler';
import { assembleToken, signJwt, importSigningKey, type AssembledToken, type IndexedDirectory, type KeyRing, type SigningKey, type TokenRequest } from '@claimc/runtime';
import { issuedJwtClaims, optionalClaimRows } from '@claimc/runtime/internal';

/** The kinds of token the page shows side by side. */
export const tokenKinds = ['id', 'access', 'saml'] as const;
export type TokenKind = (typeof tokenKinds)[number];

/** One claim of an issued token and why it is there. */
export interface ExplainedClaim {
  readonly name: string;
  readonly value: string;
  readonly explanation: string;
}

/** One token as the page shows it: its claims, the policy claims that are absent and why, or why it was refused. */
export type IssuedToken =
  | { readonly kind: TokenKind; readonly ok: true; readonly claims: readonly ExplainedClaim[]; readonly absent: readonly { readonly name: string; readonly reason: string }[]; readonly overage: boolean; readonly signed: string | undefined }
  | { readonly kind: TokenKind; readonly ok: false; readonly error: string };

/** A user or an application of a snapshot, as the pickers list them. */
export interface Principal {
  readonly id: string;
  readonly label: string;
}

const policyId = 'claimc-playground-policy';
const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.map(record) : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The users and the applications (service principals) of a snapshot, for the pickers.
 *
 * @example
 * principals(defaultSnapshot).users[0] // { id: 'e1000000-…', label: 'Adele Vance (adelev@contoso.com)' }
 */
export function principals(snapshot: unknown): { users: Principal[]; apps: Principal[] } {
  const data = record(snapshot);
  const users = list(data['users']).flatMap((u) => {
    const id = text(u['id']);
    return id === undefined ? [] : [{ id, label: `${text(u['displayName']) ?? id} (${text(u['userPrincipalName']) ?? id})` }];
  });
  const apps = list(data['servicePrincipals']).flatMap((sp) => {
    const appId = text(sp['appId']);
    return appId === undefined ? [] : [{ id: appId, label: text(sp['displayName']) ?? appId }];
  });
  return { users, apps };
}

/**
 * A copy of the snapshot with the policy assigned to the app in place of its own (as `claimc issue --policy`
 * does); `undefined` keeps the snapshot's own assignment.
 *
 * @example
 * withPolicy(defaultSnapshot, appId, { Version: 1, IncludeBasicClaimSet: true })
 */
export function withPolicy(snapshot: unknown, appId: string, policy: ClaimsMappingPolicy | undefined): unknown {
  if (policy === undefined) return snapshot;
  const data = record(snapshot);
  return {
    ...data,
    servicePrincipals: list(data['servicePrincipals']).map((sp) => (sp['appId'] === appId ? { ...sp, claimsMappingPolicies: [{ id: policyId }] } : sp)),
    claimsMappingPolicies: [...list(data['claimsMappingPolicies']), { id: policyId, displayName: 'playground policy', definition: [serializePolicy(policy)] }],
  };
}

/** What preparing a snapshot with the policy gave: the directory, or the findings that stopped it. */
export type Prepared = { readonly ok: true; readonly directory: IndexedDirectory } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Prepares a snapshot (with the playground policy assigned) for issuing. */
export function prepare(snapshot: unknown): Prepared {
  const prepared = prepareDirectory(snapshot);
  if (prepared.directory === undefined || hasErrors(prepared.diagnostics)) return { ok: false, diagnostics: prepared.diagnostics.filter((d) => d.severity === 'error') };
  return { ok: true, directory: prepared.directory };
}

/** Where a claim of the policy comes from, in the policy's own words: `user.department`, `transformation JoinTheData (Join)`, `value "x"`. */
export function entryOrigin(entry: ClaimsSchemaEntry, policy: ClaimsMappingPolicy): string {
  if (entry.Value !== undefined) return `policy: constant value ${JSON.stringify(entry.Value)}`;
  if (entry.TransformationId !== undefined) {
    const transform = (policy.ClaimsTransformation ?? []).find((t) => t.ID === entry.TransformationId);
    return `policy: transformation ${entry.TransformationId}${transform !== undefined ? ` (${transform.TransformationMethod})` : ''}`;
  }
  return `policy: ${entry.Source ?? '?'}.${entry.ExtensionID ?? entry.ID ?? '?'}`;
}

/** Why each claim name is in a token: the policy entry that emits it, else the runtime's knowledge of the claim sets. */
export function explainer(policy: ClaimsMappingPolicy | undefined, kind: TokenKind): (name: string) => string {
  const origins = new Map<string, string>();
  for (const entry of policy?.ClaimsSchema ?? []) {
    const name = kind === 'saml' ? entry.SamlClaimType : (entry.JwtClaimType ?? entry.ID);
    if (name !== undefined && !origins.has(name)) origins.set(name, entryOrigin(entry, policy!));
  }
  const format = kind === 'saml' ? 'saml' : 'jwt';
  for (const basic of basicClaims) if (basic.format === format && !origins.has(basic.name)) origins.set(basic.name, `basic claim set: ${basic.source}.${basic.id}`);
  if (kind !== 'saml') for (const row of issuedJwtClaims) if (!origins.has(row.name)) origins.set(row.name, `protocol claim: ${row.note}`);
  for (const row of optionalClaimRows) {
    const name = kind === 'saml' ? row.saml : row.jwt ? row.name : undefined;
    if (name !== undefined && !origins.has(name)) origins.set(name, `optional claim (the app's optionalClaims or group settings): ${row.note}`);
  }
  return (name) =>
    origins.get(name) ??
    (name === '_claim_names' || name === '_claim_sources' || name === 'hasgroups' || name.endsWith('/groups.link')
      ? 'group overage: the user is in more groups than the token may list'
      : kind === 'saml'
        ? 'SAML claim set (subject, groups, roles)'
        : 'JWT claim set (protocol claims, groups, roles)');
}

const nameIdUri = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier';
const nameIdOrigin = (policy: ClaimsMappingPolicy | undefined): string => {
  const entry = policy?.ClaimsSchema?.find((e) => e.SamlClaimType === nameIdUri);
  return entry !== undefined ? `${entryOrigin(entry, policy!)} (the policy's nameidentifier entry)` : "subject: the application's default NameID (no nameidentifier entry in the policy)";
};

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** A fresh RS256 signing key made by WebCrypto in this browser (never leaves the page). */
export async function generateSigningKey(kid?: string): Promise<SigningKey> {
  const pair = (await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  return importSigningKey(jwk as Parameters<typeof importSigningKey>[0], kid === undefined ? {} : { kid });
}

/** The key ring the page signs with: the tenant key, and a key per application custom key asked for (made on demand). */
export class BrowserKeys {
  private tenant: Promise<SigningKey> | undefined;
  private readonly applications = new Map<string, Promise<SigningKey>>();

  async ringFor(token: AssembledToken): Promise<KeyRing> {
    this.tenant ??= generateSigningKey();
    const applications = new Map<string, SigningKey>();
    if (token.signingKey.kind === 'application') {
      const { appId, keyId } = token.signingKey;
      let key = this.applications.get(`${appId}/${keyId}`);
      if (key === undefined) {
        key = generateSigningKey(keyId);
        this.applications.set(`${appId}/${keyId}`, key);
      }
      applications.set(appId, await key);
    }
    return { tenant: await this.tenant, applications };
  }

  /** Every key made so far (their public halves verify the page's tokens). */
  async all(): Promise<SigningKey[]> {
    return Promise.all([...(this.tenant !== undefined ? [this.tenant] : []), ...this.applications.values()]);
  }
}

/** The token request of each kind for a user and an app (access tokens: the app as its own resource). */
export function requestFor(kind: TokenKind, user: string, app: string, now: number): TokenRequest {
  return kind === 'access' ? { token: 'access', client: app, resource: app, user, now } : { token: kind, client: app, user, now };
}

/**
 * Issues one token kind for a user and app of a prepared directory, each claim explained, JWTs signed in the browser.
 *
 * @example
 * const id = await issue(directory, policy, 'id', userId, appId, 1_700_000_000, keys);
 */
export async function issue(directory: IndexedDirectory, policy: ClaimsMappingPolicy | undefined, kind: TokenKind, user: string, app: string, now: number, keys: BrowserKeys | undefined): Promise<IssuedToken> {
  let assembled: AssembledToken;
  try {
    assembled = assembleToken(directory, requestFor(kind, user, app, now));
  } catch (error) {
    return { kind, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const explain = explainer(policy, kind);
  if (assembled.format === 'saml') {
    const claims = [
      { name: 'NameID', value: `${assembled.nameId.value} (${assembled.nameId.format})`, explanation: nameIdOrigin(policy) },
      ...assembled.attributes.map((a) => ({ name: a.name, value: a.values.length === 1 ? a.values[0]! : JSON.stringify(a.values), explanation: explain(a.name) })),
    ];
    return { kind, ok: true, claims, absent: assembled.absent, overage: claims.some((c) => c.name.endsWith('/groups.link')), signed: undefined };
  }
  const payload = assembled.payload as Record<string, unknown>;
  const claims = Object.entries(payload).map(([name, value]) => ({ name, value: show(value), explanation: explain(name) }));
  let signed: string | undefined;
  if (keys !== undefined) {
    try {
      signed = await signJwt(assembled, await keys.ringFor(assembled));
    } catch (error) {
      return { kind, ok: false, error: `signing: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return { kind, ok: true, claims, absent: assembled.absent, overage: '_claim_names' in payload || 'hasgroups' in payload, signed };
}

/** One row of the comparison of two tokens. */
export interface ClaimChange {
  readonly name: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before?: string;
  readonly after?: string;
}

/**
 * The claims that differ between a token issued under the first policy and under the second.
 *
 * @example
 * diffClaims([{ name: 'a', value: '1', explanation: '' }], []) // [{ name: 'a', change: 'removed', before: '1' }]
 */
export function diffClaims(before: readonly ExplainedClaim[], after: readonly ExplainedClaim[]): ClaimChange[] {
  const old = new Map(before.map((c) => [c.name, c.value]));
  const next = new Map(after.map((c) => [c.name, c.value]));
  const changes: ClaimChange[] = [];
  for (const [name, value] of old) {
    if (!next.has(name)) changes.push({ name, change: 'removed', before: value });
    else if (next.get(name) !== value) changes.push({ name, change: 'changed', before: value, after: next.get(name)! });
  }
  for (const [name, value] of next) if (!old.has(name)) changes.push({ name, change: 'added', after: value });
  return changes;
}
