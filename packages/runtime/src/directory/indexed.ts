import { ClaimcRuntimeError } from '../errors.js';
import type { PolicyPort } from '../token/policy-port.js';
import {
  DirectorySnapshotSchema,
  type AppRole,
  type AppRoleAssignment,
  type DirectoryApplication,
  type DirectoryGroup,
  type DirectoryMember,
  type DirectoryRole,
  type DirectoryServicePrincipal,
  type DirectoryUser,
  type ParsedDirectorySnapshot,
} from './schema.js';

/** The tenant (Graph `organization`) as the snapshot holds it. */
export type DirectoryOrganization = Extract<ParsedDirectorySnapshot['organization'], { id: string }>;

/** A group with its place in the snapshot (group claims keep snapshot order, so output is deterministic). */
export interface IndexedGroup {
  readonly group: DirectoryGroup;
  readonly order: number;
}

/** A user with membership resolved once at index time. */
export interface IndexedUser {
  readonly user: DirectoryUser;
  readonly isGuest: boolean;
  /** Groups listing the user directly, snapshot order. */
  readonly directGroups: readonly IndexedGroup[];
  /** Direct and nested groups (transitive), snapshot order. */
  readonly transitiveGroups: readonly IndexedGroup[];
  /** Activated directory roles held directly or through a (transitive) group. */
  readonly directoryRoles: readonly DirectoryRole[];
}

/** An application: its registration (manifest), its service principal, its linked policy. */
export interface IndexedApp {
  readonly appId: string;
  readonly application: DirectoryApplication | undefined;
  readonly servicePrincipal: DirectoryServicePrincipal;
  readonly policy: { readonly id: string; readonly port: PolicyPort } | undefined;
  readonly appRoles: readonly AppRole[];
  /** `appRoleAssignedTo` grouped by principal id. */
  readonly assignmentsByPrincipal: ReadonlyMap<string, readonly AppRoleAssignment[]>;
}

/**
 * A snapshot indexed once for many issuances: lookups by id, UPN and appId, membership resolved.
 * Immutable after construction (safe to share across concurrent issuances).
 */
export interface IndexedDirectory {
  readonly organization: DirectoryOrganization;
  readonly verifiedDomains: readonly string[];
  readonly users: readonly IndexedUser[];
  readonly usersById: ReadonlyMap<string, IndexedUser>;
  /** Keyed by lower-cased userPrincipalName. */
  readonly usersByUpn: ReadonlyMap<string, IndexedUser>;
  readonly apps: readonly IndexedApp[];
  readonly appsByAppId: ReadonlyMap<string, IndexedApp>;
  /** Keyed by identifier URI exactly as registered (with and without a trailing slash). */
  readonly appsByIdentifierUri: ReadonlyMap<string, IndexedApp>;
  readonly appsByServicePrincipalId: ReadonlyMap<string, IndexedApp>;
  readonly groupsById: ReadonlyMap<string, IndexedGroup>;
  /**
   * For a snapshot made from a Graph export: per resource (`users`, `organization`, …) the properties the
   * export selected. A property outside the list was not exported (not the same as a null value).
   */
  readonly exported?: ReadonlyMap<string, ReadonlySet<string>>;
}

const memberId = (member: DirectoryMember): string => (typeof member === 'string' ? member : member.id);

/**
 * Validates and indexes a snapshot, attaching each service principal's linked policy (`policies` keyed by policy id).
 * Throws `ERR_SNAPSHOT_INVALID` for a malformed snapshot or a policy assignment with no linked plan;
 * `prepareDirectory` in `@claimc/compiler` reports the same problems as located diagnostics instead.
 *
 * @example
 * const directory = buildDirectory(defaultSnapshot, new Map());
 * directory.usersByUpn.get('adelev@contoso.com')?.transitiveGroups.length;
 */
export function buildDirectory(snapshot: unknown, policies: ReadonlyMap<string, PolicyPort>): IndexedDirectory {
  const parsed = DirectorySnapshotSchema.safeParse(snapshot);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const pointer = issue === undefined ? '' : issue.path.map((p) => '/' + String(p)).join('');
    throw new ClaimcRuntimeError('ERR_SNAPSHOT_INVALID', `directory snapshot is invalid at ${pointer || '/'}: ${issue?.message ?? 'unknown problem'}`, { pointer });
  }
  const data = parsed.data;
  const organization = (Array.isArray(data.organization) ? data.organization[0] : data.organization) as DirectoryOrganization;
  const groups = data.groups ?? [];
  const groupsById = new Map<string, IndexedGroup>();
  groups.forEach((group, order) => groupsById.set(group.id, Object.freeze({ group, order })));

  // parents: member id → groups listing it directly
  const parents = new Map<string, IndexedGroup[]>();
  for (const entry of groupsById.values()) {
    for (const member of entry.group.members ?? []) {
      const id = memberId(member);
      const list = parents.get(id);
      if (list === undefined) parents.set(id, [entry]);
      else list.push(entry);
    }
  }
  const transitiveOf = (principalId: string): IndexedGroup[] => {
    const seen = new Set<string>();
    const stack = [...(parents.get(principalId) ?? [])];
    const out: IndexedGroup[] = [];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next.group.id)) continue;
      seen.add(next.group.id);
      out.push(next);
      for (const parent of parents.get(next.group.id) ?? []) stack.push(parent);
    }
    return out.sort((a, b) => a.order - b.order);
  };

  const roles = data.directoryRoles ?? [];
  // principal → roles, built once: each user then reads only its own principals (linear in memberships)
  const rolesOf = new Map<string, number[]>();
  roles.forEach((role, index) => {
    for (const member of role.members ?? []) {
      const id = memberId(member);
      const list = rolesOf.get(id);
      if (list === undefined) rolesOf.set(id, [index]);
      else if (list[list.length - 1] !== index) list.push(index);
    }
  });
  const users = (data.users ?? []).map((user): IndexedUser => {
    const directGroups = [...(parents.get(user.id) ?? [])].sort((a, b) => a.order - b.order);
    const transitiveGroups = transitiveOf(user.id);
    const roleIndexes = new Set<number>(rolesOf.get(user.id));
    for (const g of transitiveGroups) for (const r of rolesOf.get(g.group.id) ?? []) roleIndexes.add(r);
    const directoryRoles = [...roleIndexes].sort((a, b) => a - b).map((r) => roles[r]!);
    return indexedUser(user, directGroups, transitiveGroups, directoryRoles);
  });
  return assembleIndex(organization, users, groupsById, data.applications ?? [], data.servicePrincipals ?? [], policies, exportedOf(data));
}

/** One frozen {@link IndexedUser}. */
export function indexedUser(user: DirectoryUser, directGroups: readonly IndexedGroup[], transitiveGroups: readonly IndexedGroup[], directoryRoles: readonly DirectoryRole[]): IndexedUser {
  return Object.freeze({
    user,
    isGuest: (user.userType ?? '').toLowerCase() === 'guest',
    directGroups: Object.freeze(directGroups),
    transitiveGroups: Object.freeze(transitiveGroups),
    directoryRoles: Object.freeze(directoryRoles),
  });
}

/** The `exported` property lists a Graph-export snapshot carries (`{"users":["id",…]}`), as sets. */
export function exportedOf(data: { readonly exported?: unknown }): ReadonlyMap<string, ReadonlySet<string>> | undefined {
  const raw = data.exported;
  if (raw === null || typeof raw !== 'object') return undefined;
  const out = new Map<string, ReadonlySet<string>>();
  for (const [resource, list] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(list)) out.set(resource, new Set(list.filter((p): p is string => typeof p === 'string').map((p) => p.toLowerCase())));
  }
  return out;
}

/**
 * The lookups and apps of an index, shared by {@link buildDirectory} and the streaming snapshot reader: users by
 * id and UPN, each service principal with its registration, linked policy and assignments.
 */
export function assembleIndex(
  organization: DirectoryOrganization,
  users: readonly IndexedUser[],
  groupsById: ReadonlyMap<string, IndexedGroup>,
  applicationList: readonly DirectoryApplication[],
  servicePrincipals: readonly DirectoryServicePrincipal[],
  policies: ReadonlyMap<string, PolicyPort>,
  exported: ReadonlyMap<string, ReadonlySet<string>> | undefined,
): IndexedDirectory {
  const usersById = new Map(users.map((u) => [u.user.id, u]));
  const usersByUpn = new Map<string, IndexedUser>();
  for (const u of users) if (typeof u.user.userPrincipalName === 'string') usersByUpn.set(u.user.userPrincipalName.toLowerCase(), u);

  const applications = new Map(applicationList.map((a) => [a.appId, a]));
  const apps = servicePrincipals.map((sp, index): IndexedApp => {
    const application = applications.get(sp.appId);
    const assignedPolicies = sp.claimsMappingPolicies ?? [];
    if (assignedPolicies.length > 1) {
      throw new ClaimcRuntimeError('ERR_SNAPSHOT_INVALID', `service principal ${sp.appId} has ${assignedPolicies.length} claims-mapping policies; Entra allows one`, {
        pointer: `/servicePrincipals/${index}/claimsMappingPolicies`,
      });
    }
    const policyRef = assignedPolicies[0];
    let policy: IndexedApp['policy'];
    if (policyRef !== undefined) {
      const port = policies.get(policyRef.id);
      if (port === undefined) {
        throw new ClaimcRuntimeError('ERR_SNAPSHOT_INVALID', `service principal ${sp.appId} references claims-mapping policy ${policyRef.id}, which has no linked plan`, {
          pointer: `/servicePrincipals/${index}/claimsMappingPolicies/0/id`,
        });
      }
      policy = Object.freeze({ id: policyRef.id, port });
    }
    const assignmentsByPrincipal = new Map<string, AppRoleAssignment[]>();
    for (const assignment of sp.appRoleAssignedTo ?? []) {
      const list = assignmentsByPrincipal.get(assignment.principalId);
      if (list === undefined) assignmentsByPrincipal.set(assignment.principalId, [assignment]);
      else list.push(assignment);
    }
    return Object.freeze({
      appId: sp.appId,
      application,
      servicePrincipal: sp,
      policy,
      appRoles: Object.freeze((application?.appRoles ?? []).filter((r) => r.isEnabled !== false)),
      assignmentsByPrincipal,
    });
  });
  const appsByAppId = new Map(apps.map((a) => [a.appId, a]));
  const appsByServicePrincipalId = new Map(apps.map((a) => [a.servicePrincipal.id, a]));
  const appsByIdentifierUri = new Map<string, IndexedApp>();
  for (const app of apps) {
    for (const uri of app.application?.identifierUris ?? []) {
      appsByIdentifierUri.set(uri, app);
      appsByIdentifierUri.set(uri.endsWith('/') ? uri.slice(0, -1) : uri + '/', app);
    }
  }
  return Object.freeze({
    organization,
    verifiedDomains: Object.freeze((organization.verifiedDomains ?? []).map((d) => d.name.toLowerCase())),
    users: Object.freeze(users),
    usersById,
    usersByUpn,
    apps: Object.freeze(apps),
    appsByAppId,
    appsByIdentifierUri,
    appsByServicePrincipalId,
    groupsById,
    ...(exported !== undefined ? { exported } : {}),
  });
}

/**
 * A view of a directory in which the given apps carry another policy (or none): users, groups and lookups are
 * shared, only the apps are new. For comparing tokens under two policies without indexing twice.
 *
 * @example
 * const candidate = withAppPolicy(directory, [appId], { id: 'candidate', port });
 */
export function withAppPolicy(directory: IndexedDirectory, appIds: readonly string[], policy: IndexedApp['policy']): IndexedDirectory {
  const wanted = new Set(appIds);
  const apps = directory.apps.map((app) => (wanted.has(app.appId) ? Object.freeze({ ...app, policy }) : app));
  const replaced = new Map(directory.apps.map((app, i) => [app, apps[i]!]));
  const remap = <K>(map: ReadonlyMap<K, IndexedApp>): Map<K, IndexedApp> => new Map([...map].map(([k, app]) => [k, replaced.get(app) ?? app]));
  return Object.freeze({
    ...directory,
    apps: Object.freeze(apps),
    appsByAppId: remap(directory.appsByAppId),
    appsByIdentifierUri: remap(directory.appsByIdentifierUri),
    appsByServicePrincipalId: remap(directory.appsByServicePrincipalId),
  });
}
