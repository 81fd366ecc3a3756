import { basicClaims, findAttribute, type ClaimsMappingPolicy, type ClaimsSchemaEntry } from '@claimc/model';
import {
  TokenRefusedError,
  assembleToken,
  evaluateJwt,
  evaluateSaml,
  evaluationContextsFor,
  optionalClaimRows,
  type Absence,
  type IndexedApp,
  type IndexedDirectory,
  type LinkedPlan,
  type TokenRequest,
} from '@claimc/runtime/internal';
import { isNotExported, userPropertiesRead } from './exported.js';
import { describeSource } from './policy-diff.js';

/** Where a claim of a token comes from. */
export type ClaimOrigin = 'core' | 'basic' | 'optional' | 'policy' | 'groups';

/** One claim present in the token, with its origin. */
export interface ExplainedClaim {
  readonly claim: string;
  readonly value: unknown;
  readonly origin: ClaimOrigin;
  /** The source or transformation chain (`user.employeeid`, `Join(user.givenname, …)`), or what configures it. */
  readonly from?: string;
  /** Leaf inputs of the chain with the values the directory holds. */
  readonly inputs?: readonly { readonly source: string; readonly value: unknown }[];
  /** ClaimsSchema index of the policy entry that emitted it. */
  readonly entry?: number;
  /** Where that entry stands (`file:line`), filled in by a caller that knows the policy file. */
  readonly at?: string;
}

/** Why a claim a policy entry, an optional claim or the group configuration asks for is not in the token. */
export type AbsenceCause =
  | 'source-empty'
  | 'not-exported'
  | 'restricted'
  | 'overage'
  | 'not-this-token'
  | 'gated'
  | 'needs-request-context'
  | 'overridden'
  | 'input-absent'
  | 'no-match'
  | 'value-too-long'
  | 'beyond-limit'
  | 'invalid'
  | 'unknown-optional-claim';

/** One claim asked for but absent. */
export interface ExplainedAbsence {
  readonly claim: string;
  readonly origin: 'policy' | 'optional' | 'groups' | 'token';
  readonly reason: AbsenceCause;
  readonly hint?: string;
  readonly entry?: number;
  /** Where the entry stands (`file:line`), filled in by a caller that knows the policy file. */
  readonly at?: string;
}

/** Every claim of one token and every asked-for claim that is missing, with reasons. */
export interface TokenExplanation {
  readonly token: 'id' | 'access' | 'saml';
  readonly claims: readonly ExplainedClaim[];
  readonly absent: readonly ExplainedAbsence[];
}

/** The policy of the token's app, as a model (for entries and chains) and linked (for evaluation with entry indexes). */
export interface ExplainPolicy {
  readonly model: ClaimsMappingPolicy;
  readonly linked: LinkedPlan;
}

const groupClaims = new Set(['groups', 'roles', 'wids', 'hasgroups', '_claim_names', '_claim_sources']);

/** Reads a raw Graph value from an object by path. */
function readPath(object: unknown, path: readonly string[]): unknown {
  let value = object;
  for (const key of path) value = value !== null && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** The leaf inputs of an entry: directory attributes it reads (directly or through transformations), with values. */
function leafInputs(policy: ClaimsMappingPolicy, entry: ClaimsSchemaEntry, context: Record<string, unknown>, depth = 0): { source: string; value: unknown }[] {
  if (depth > 8) return [];
  if (entry.TransformationId !== undefined) {
    const t = (policy.ClaimsTransformation ?? []).find((x) => x.ID === entry.TransformationId);
    return (t?.InputClaims ?? []).flatMap((input) => {
      const source = (policy.ClaimsSchema ?? []).find((e) => e.ID === input.ClaimTypeReferenceId && e !== entry);
      return source === undefined ? [] : leafInputs(policy, source, context, depth + 1);
    });
  }
  if (entry.Value !== undefined || entry.Source === undefined) return [];
  const source = entry.Source.toLowerCase();
  const object = source === 'user' ? context['user'] : source === 'company' ? context['tenant'] : source === 'application' ? context['client'] : source === 'resource' ? context['resource'] : source === 'audience' ? context['audience'] : undefined;
  if (entry.ExtensionID !== undefined) return [{ source: `${source}.${entry.ExtensionID}`, value: readPath(object, [entry.ExtensionID]) ?? null }];
  const attribute = entry.ID === undefined ? undefined : findAttribute(source, entry.ID);
  if (attribute === undefined) return [{ source: `${source}.${entry.ID ?? '?'}`, value: null }];
  const value = attribute.read.kind === 'graph' ? readPath(object, attribute.read.path) : attribute.read.derivation === 'groups' ? context['groups'] : attribute.read.derivation === 'assignedroles' ? context['assignedRoles'] : undefined;
  return [{ source: `${source}.${attribute.id}`, value: value ?? null }];
}

// the evaluator's 'not-this-format' is this report's 'not-this-token' (an entry for the other token format)
const reasonOf = (absence: Absence): AbsenceCause => (absence.reason === 'not-this-format' ? 'not-this-token' : absence.reason);

/**
 * Explains one token: for every claim its origin (core set, basic set, optional claim from the manifest, a policy
 * entry with its source chain and input values, group configuration), and for every claim a policy entry, an
 * optional claim or the group configuration asked for but that is absent, why (source empty, not exported,
 * restricted, overage, not in this token type or version, gated, …). Pure: the same inputs give the same answer.
 *
 * @example
 * const explanation = explainToken(directory, { token: 'id', client: appId, user: 'adelev@contoso.com', now }, policy);
 */
export function explainToken(directory: IndexedDirectory, request: TokenRequest, policy: ExplainPolicy | undefined): TokenExplanation {
  const token = request.token;
  let assembled;
  try {
    assembled = assembleToken(directory, request);
  } catch (error) {
    if (!(error instanceof TokenRefusedError)) throw error;
    return { token, claims: [], absent: [{ claim: '(token)', origin: 'token', reason: 'gated', hint: error.message }] };
  }
  const targetKey = token === 'access' ? (request.resource ?? request.client) : request.client;
  const target: IndexedApp | undefined = directory.appsByAppId.get(targetKey) ?? directory.appsByIdentifierUri.get(targetKey);
  const user = request.user === undefined ? undefined : (directory.usersById.get(request.user) ?? directory.usersByUpn.get(request.user.toLowerCase()));
  const context = (user === undefined ? {} : evaluationContextsFor(directory, request)(user)) as Record<string, unknown>;
  const present: [string, unknown][] =
    assembled.format === 'saml'
      ? [['NameID', assembled.nameId.value], ...assembled.attributes.map((a): [string, unknown] => [a.name, a.values.length === 1 ? a.values[0] : a.values])]
      : Object.entries(assembled.payload);
  const version: 1 | 2 = assembled.format === 'jwt' && assembled.payload['ver'] === '1.0' ? 1 : 2;

  // the policy's evaluation, with entry indexes
  const format = token === 'saml' ? 'saml' : 'jwt';
  const entries = policy?.model.ClaimsSchema ?? [];
  let policyNames = new Map<string, unknown>();
  let basicNames = new Set<string>();
  let absences: readonly Absence[] = [];
  if (policy !== undefined && user !== undefined) {
    if (format === 'saml') {
      const saml = evaluateSaml(policy.linked, context);
      policyNames = new Map(saml.policy.map((a) => [a.name, a.values]));
      if (saml.nameId !== undefined) policyNames.set('NameID', saml.nameId.value);
      basicNames = new Set(saml.basic.map((a) => a.name));
      absences = saml.absent;
    } else {
      const jwt = evaluateJwt(policy.linked, context, { jwtVersion: version });
      policyNames = new Map(Object.entries(jwt.policy));
      basicNames = new Set(Object.keys(jwt.basic));
      absences = jwt.absent;
    }
  } else {
    basicNames = new Set(basicClaims.filter((c) => c.format === format && (c.versions === undefined || c.versions.includes(version))).map((c) => c.name));
  }
  const absentEntries = new Set(absences.map((a) => a.entry));
  const emittedBy = (name: string): number | undefined => {
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i]!;
      const emitted = name === 'NameID' ? e.SamlClaimType?.toLowerCase().endsWith('/nameidentifier') : format === 'saml' ? e.SamlClaimType === name : e.JwtClaimType === name;
      if (emitted === true && !absentEntries.has(i)) return i;
    }
    return undefined;
  };

  const optional = (token === 'id' ? target?.application?.optionalClaims?.idToken : token === 'access' ? target?.application?.optionalClaims?.accessToken : target?.application?.optionalClaims?.saml2Token) ?? [];
  const optionalName = (name: string, source: string | null | undefined): string => {
    if ((source ?? '').toLowerCase() !== 'user') return name;
    const m = /^extension_[0-9a-fA-F]{32}_(.+)$/.exec(name);
    return m === null ? name : format === 'saml' ? `http://schemas.microsoft.com/identity/claims/extn.${m[1]!}` : `extn.${m[1]!}`;
  };
  const optionalNames = new Map(optional.map((c) => [optionalName(c.name, c.source), c]));

  const claims: ExplainedClaim[] = present.map(([claim, value]) => {
    const entry = policyNames.has(claim) ? emittedBy(claim) : undefined;
    if (entry !== undefined) {
      const e = entries[entry]!;
      return { claim, value, origin: 'policy', from: describeSource(policy!.model, e), inputs: leafInputs(policy!.model, e, context), entry };
    }
    if (groupClaims.has(claim)) {
      const from = claim === 'roles' ? 'app role assignments' : claim === 'wids' ? 'directory roles (groupMembershipClaims)' : `groupMembershipClaims: ${target?.application?.groupMembershipClaims ?? 'none'}`;
      return { claim, value, origin: 'groups', from };
    }
    const opt = optionalNames.get(claim);
    if (opt !== undefined) return { claim, value, origin: 'optional', from: `optionalClaims.${token === 'id' ? 'idToken' : token === 'access' ? 'accessToken' : 'saml2Token'}: ${opt.name}` };
    if (basicNames.has(claim)) {
      const row = basicClaims.find((c) => c.name === claim && c.format === format);
      return { claim, value, origin: 'basic', ...(row !== undefined ? { from: `user.${row.id}` } : {}) };
    }
    return { claim, value, origin: 'core' };
  });

  const absent: ExplainedAbsence[] = [];
  const exportedUsers = directory.exported?.get('users');
  for (const a of absences) {
    let reason = reasonOf(a);
    let hint: string | undefined;
    if (reason === 'source-empty' || reason === 'input-absent') {
      const entry = entries[a.entry];
      const reads = entry === undefined ? [] : userPropertiesRead({ Version: 1, ClaimsSchema: [entry] });
      const missing = reads.find((r) => isNotExported(r.property, exportedUsers));
      if (missing !== undefined) {
        reason = 'not-exported';
        hint = `the export did not select ${missing.property}: add it to $select of GET /users`;
      }
    }
    absent.push({ claim: a.name, origin: 'policy', reason, entry: a.entry, ...(hint !== undefined ? { hint } : {}) });
  }
  const presentNames = new Set(present.map(([n]) => n));
  for (const [name, oc] of optionalNames) {
    if (presentNames.has(name)) continue;
    const row = optionalClaimRows.find((r) => r.name === oc.name);
    const isExtension = (oc.source ?? '').toLowerCase() === 'user';
    let reason: AbsenceCause;
    let hint: string | undefined;
    if (isExtension) {
      reason = isNotExported(oc.name, exportedUsers) ? 'not-exported' : 'source-empty';
      if (reason === 'not-exported') hint = `the export did not select ${oc.name}: add it to $select of GET /users`;
    } else if (row === undefined) reason = 'unknown-optional-claim';
    else if (!row.offline) reason = 'needs-request-context';
    else if ((format === 'jwt' && !row.jwt) || (format === 'saml' && row.saml === undefined) || (row.tokens !== undefined && token !== 'saml' && !row.tokens.includes(token)) || (row.versions !== undefined && format === 'jwt' && !row.versions.includes(version))) {
      reason = 'not-this-token';
    } else reason = 'source-empty';
    absent.push({ claim: name, origin: 'optional', reason, ...(hint !== undefined ? { hint } : {}) });
  }
  const membership = (target?.application?.groupMembershipClaims ?? '').toLowerCase();
  if (membership !== '' && membership !== 'none' && user !== undefined && !presentNames.has('groups') && format === 'jwt') {
    const overage = presentNames.has('hasgroups') || presentNames.has('_claim_names');
    absent.push({ claim: 'groups', origin: 'groups', reason: overage ? 'overage' : 'source-empty', hint: overage ? 'too many groups for the token: the app reads them from Graph (_claim_sources) or filters them' : 'the user is in no group the configuration emits' });
  }
  return { token, claims, absent };
}
