import { createDiagnostic, extensionIdPattern, hasErrors, limits, toPointer, type ClaimsMappingPolicy, type Diagnostic } from '@claimc/model';
import {
  DirectorySnapshotSchema,
  buildDirectory,
  customKeyGaps,
  optionalClaimRows,
  policyPort,
  unavailablePolicyPort,
  indexSnapshotParts,
  type DirectoryApplication,
  type DirectoryClaimsMappingPolicy,
  type DirectoryServicePrincipal,
  type SnapshotParts,
  type IndexedDirectory,
  type ParsedDirectorySnapshot,
  type PlanDocument,
  type PolicyPort,
} from '@claimc/runtime/internal';
import { compilePolicy, isRestrictedEntryDiagnostic } from './compile.js';
import { isNotExported, userPropertiesRead } from './tenant/exported.js';

/** What preparing a snapshot gives: the indexed directory (undefined when there are errors), its plans, and every finding. */
export interface PreparedDirectory {
  readonly directory: IndexedDirectory | undefined;
  /** Emitted plans by policy id (issuers can store them and use `indexDirectory` at run time). */
  readonly plans: ReadonlyMap<string, PlanDocument>;
  readonly diagnostics: readonly Diagnostic[];
  /** The validated snapshot (Graph shapes), when it came as one (not as indexed parts). */
  readonly snapshot?: ParsedDirectorySnapshot;
}

const optionalRows = new Map(optionalClaimRows.map((r) => [r.name, r]));

/**
 * Validates a directory snapshot (zod issues become CM7001 with JSON Pointers), compiles each claims-mapping
 * policy's `definition[0]` and links the plans into an {@link IndexedDirectory}. Never throws on user input.
 *
 * @example
 * const { directory, diagnostics } = prepareDirectory(JSON.parse(text));
 * if (directory) assembleToken(directory, { token: 'id', client: appId, user: 'adelev@contoso.com', now: 1_700_000_000 });
 */
export function prepareDirectory(snapshot: unknown): PreparedDirectory {
  const diagnostics: Diagnostic[] = [];
  const parsed = DirectorySnapshotSchema.safeParse(snapshot);
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 50)) {
      diagnostics.push(createDiagnostic('CM7001', { problem: issue.message }, { pointer: toPointer(issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))) }));
    }
    return { directory: undefined, plans: new Map(), diagnostics };
  }
  const data = parsed.data;
  checkDuplicates(data, diagnostics);
  const organization = Array.isArray(data.organization) ? data.organization[0]! : data.organization;
  const { plans, ports } = preparePolicies(organization, data.applications ?? [], data.servicePrincipals ?? [], data.claimsMappingPolicies ?? [], data.exported, diagnostics);
  if (hasErrors(diagnostics)) return { directory: undefined, plans, diagnostics };
  return { directory: buildDirectory(data, ports), plans, diagnostics, snapshot: data };
}

/**
 * Prepares an indexed snapshot read by `parseSnapshotLines` (written by `claimc snapshot`): the same policy
 * compilation and checks as {@link prepareDirectory}, then the linear index of the parts. Never throws on user input.
 *
 * @example
 * const read = parseSnapshotLines(bytes);
 * if ('parts' in read) { const { directory } = prepareSnapshotParts(read.parts); }
 */
export function prepareSnapshotParts(parts: SnapshotParts): PreparedDirectory {
  const diagnostics: Diagnostic[] = [];
  const { plans, ports } = preparePolicies(parts.organization, parts.applications, parts.servicePrincipals, parts.claimsMappingPolicies, parts.exported, diagnostics);
  if (hasErrors(diagnostics)) return { directory: undefined, plans, diagnostics };
  return { directory: indexSnapshotParts(parts, ports), plans, diagnostics };
}

/** Checks references and optional claims, compiles every policy and links its plan. */
function preparePolicies(
  organization: { readonly verifiedDomains?: readonly { readonly name: string }[] | null | undefined },
  applications: readonly DirectoryApplication[],
  servicePrincipals: readonly DirectoryServicePrincipal[],
  policies: readonly DirectoryClaimsMappingPolicy[],
  exported: Readonly<Record<string, readonly string[]>> | undefined,
  diagnostics: Diagnostic[],
): { plans: Map<string, PlanDocument>; ports: Map<string, PolicyPort> } {
  const verifiedDomains = (organization.verifiedDomains ?? []).map((d) => d.name);
  const policyIds = new Set(policies.map((p) => p.id));
  const exportedUsers = exported?.['users'] === undefined ? undefined : new Set(exported['users'].map((p) => p.toLowerCase()));

  servicePrincipals.forEach((sp, index) => {
    const refs = sp.claimsMappingPolicies ?? [];
    if (refs.length > 1) diagnostics.push(createDiagnostic('CM7004', { appId: sp.appId, count: refs.length }, { pointer: `/servicePrincipals/${index}/claimsMappingPolicies` }));
    refs.forEach((ref, r) => {
      if (!policyIds.has(ref.id)) diagnostics.push(createDiagnostic('CM7003', { appId: sp.appId, policy: ref.id }, { pointer: `/servicePrincipals/${index}/claimsMappingPolicies/${r}/id` }));
    });
  });
  applications.forEach((app, index) => checkOptionalClaims(app, index, diagnostics));
  applications.forEach((app, index) => checkAcceptMappedClaims(app, index, diagnostics));
  servicePrincipals.forEach((sp, index) => checkCustomKeys(sp, index, diagnostics));

  const plans = new Map<string, PlanDocument>();
  const ports = new Map<string, PolicyPort>();
  policies.forEach((policy, index) => {
    const pointer = `/claimsMappingPolicies/${index}/definition/0`;
    const name = policy.displayName ?? policy.id;
    if (policy.definition.length > 1) diagnostics.push(createDiagnostic('CM7007', { policy: name, count: policy.definition.length }, { pointer: `/claimsMappingPolicies/${index}/definition` }));
    const hasCustomSigningKey = servicePrincipals.some(
      (sp) => (sp.claimsMappingPolicies ?? []).some((ref) => ref.id === policy.id) && (sp.keyCredentials ?? []).some((k) => isSign(k) && customKeyGaps(sp, k).length === 0),
    );
    // a deployed policy: a restricted entry is dropped (CM7253), a policy that cannot compile refuses only its apps (CM7002)
    const result = compilePolicy(policy.definition[0]!, { hasCustomSigningKey, verifiedDomains, dropRestrictedEntries: true });
    for (const d of result.diagnostics) {
      if (result.ok && isRestrictedEntryDiagnostic(d)) {
        const entry = d.pointer!.split('/')[2]!;
        const claimName = restrictedEntryName(result.policy, Number(entry), d.pointer!);
        diagnostics.push(createDiagnostic('CM7253', { policy: name, entry, name: claimName }, { pointer }));
        continue;
      }
      if (d.severity !== 'error') continue;
      diagnostics.push(createDiagnostic('CM7002', { policy: name, code: d.code, message: d.pointer !== undefined ? `${d.message} (at ${d.pointer})` : d.message }, { pointer }));
    }
    if (result.policy !== undefined && exportedUsers !== undefined) {
      const reported = new Set<string>();
      for (const read of userPropertiesRead(result.policy)) {
        if (!isNotExported(read.property, exportedUsers) || reported.has(read.property)) continue;
        reported.add(read.property);
        diagnostics.push(createDiagnostic('CM7107', { policy: name, property: read.property }, { pointer }));
      }
    }
    if (result.ok) {
      plans.set(policy.id, result.plan);
      ports.set(policy.id, policyPort(result.linked));
    } else {
      const first = result.diagnostics.find((d) => d.severity === 'error');
      ports.set(policy.id, unavailablePolicyPort(name, first === undefined ? 'it has errors' : `${first.code} ${first.message}`));
    }
  });
  return { plans, ports };
}

/** The claim name a restricted-name diagnostic points at (`/ClaimsSchema/<n>/JwtClaimType` or `…/SamlClaimType`). */
function restrictedEntryName(policy: ClaimsMappingPolicy, entry: number, pointer: string): string {
  const schema = policy.ClaimsSchema?.[entry];
  const value = pointer.endsWith('/SamlClaimType') ? schema?.SamlClaimType : schema?.JwtClaimType;
  return typeof value === 'string' ? value : '';
}

type SnapshotServicePrincipal = NonNullable<ParsedDirectorySnapshot['servicePrincipals']>[number];
const isSign = (k: NonNullable<SnapshotServicePrincipal['keyCredentials']>[number]): boolean => (k.usage ?? '').toLowerCase() === 'sign';

/** seed 002: a Sign keyCredential is a custom signing key only with its passwordCredential and its Verify key (CM7252 names what is missing). */
function checkCustomKeys(sp: SnapshotServicePrincipal, index: number, diagnostics: Diagnostic[]): void {
  (sp.keyCredentials ?? []).forEach((credential, k) => {
    if (!isSign(credential)) return;
    const gaps = customKeyGaps(sp, credential);
    if (gaps.length > 0) diagnostics.push(createDiagnostic('CM7252', { appId: sp.appId, keyId: credential.keyId, missing: `no ${gaps.join(', no ')}` }, { pointer: `/servicePrincipals/${index}/keyCredentials/${k}` }));
  });
}

/** seed 002: acceptMappedClaims is for single-tenant apps; on a multi-tenant app it is a warning (CM7251). */
function checkAcceptMappedClaims(app: NonNullable<ParsedDirectorySnapshot['applications']>[number], index: number, diagnostics: Diagnostic[]): void {
  const audience = app.signInAudience;
  if (app.api?.acceptMappedClaims !== true || typeof audience !== 'string' || audience === 'AzureADMyOrg') return;
  diagnostics.push(createDiagnostic('CM7251', { appId: app.appId, audience }, { pointer: `/applications/${index}/api/acceptMappedClaims` }));
}

function checkDuplicates(data: ParsedDirectorySnapshot, diagnostics: Diagnostic[]): void {
  const lists: [string, string, readonly { readonly id?: string | null | undefined; readonly appId?: string }[], 'id' | 'appId'][] = [
    ['user', 'users', data.users ?? [], 'id'],
    ['group', 'groups', data.groups ?? [], 'id'],
    ['service principal', 'servicePrincipals', data.servicePrincipals ?? [], 'appId'],
    ['application', 'applications', data.applications ?? [], 'appId'],
    ['claims-mapping policy', 'claimsMappingPolicies', data.claimsMappingPolicies ?? [], 'id'],
  ];
  for (const [kind, list, items, key] of lists) {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const id = item[key];
      if (typeof id !== 'string') return;
      if (seen.has(id)) diagnostics.push(createDiagnostic('CM7012', { kind, id }, { pointer: `/${list}/${index}/${key}` }));
      seen.add(id);
    });
  }
}

function checkOptionalClaims(app: DirectoryApplication, index: number, diagnostics: Diagnostic[]): void {
  const appKey = app.appId.replace(/-/g, '').toLowerCase();
  const overLimit: [list: string, count: number][] = [];
  for (const list of ['idToken', 'accessToken', 'saml2Token'] as const) {
    const claims = app.optionalClaims?.[list] ?? [];
    let extensions = 0;
    claims.forEach((claim, c) => {
      const pointer = `/applications/${index}/optionalClaims/${list}/${c}/name`;
      if ((claim.source ?? '').toLowerCase() === 'user') {
        const match = extensionIdPattern.exec(claim.name);
        if (match === null || match[1]!.toLowerCase() !== appKey) diagnostics.push(createDiagnostic('CM7011', { name: claim.name, appId: app.appId }, { pointer }));
        else extensions++;
        return;
      }
      const row = optionalRows.get(claim.name);
      if (row === undefined) diagnostics.push(createDiagnostic('CM7008', { name: claim.name, appId: app.appId }, { pointer }));
      else if (!row.offline) diagnostics.push(createDiagnostic('CM7009', { name: claim.name, appId: app.appId }, { pointer }));
    });
    if (extensions > limits.extensionOptionalClaims) overLimit.push([list, extensions]);
  }
  // One warning per application, however many of its token lists are over the limit.
  if (overLimit.length === 0) return;
  const lists = overLimit.map(([list, count]) => `${list} (${count})`);
  const named = lists.length === 1 ? lists[0]! : `${lists.slice(0, -1).join(', ')} and ${lists.at(-1)!}`;
  const pointer = `/applications/${index}/optionalClaims` + (overLimit.length === 1 ? `/${overLimit[0]![0]}` : '');
  diagnostics.push(createDiagnostic('CM7010', { appId: app.appId, lists: named, limit: limits.extensionOptionalClaims }, { pointer }));
}
