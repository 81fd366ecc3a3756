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
  const users = (data.users ?? []).map((user): IndexedUser => {
    const directGroups = [...(parents.get(user.id) ?? [])].sort((a, b) => a.order - b.order);
    const transitiveGroups = transitiveOf(user.id);
    const principalIds = new Set([user.id, ...transitiveGroups.map((g) => g.group.id)]);
    const directoryRoles = roles.filter((role) => (role.members ?? []).some((m) => principalIds.has(memberId(m))));
    return Object.freeze({
      user,
      isGuest: (user.userType ?? '').toLowerCase() === 'guest',
      directGroups: Object.freeze(directGroups),
      transitiveGroups: Object.freeze(transitiveGroups),
      directoryRoles: Object.freeze(directoryRoles),
    });
  });
  const usersById = new Map(users.map((u) => [u.user.id, u]));
  const usersByUpn = new Map<string, IndexedUser>();
  for (const u of users) if (typeof u.user.userPrincipalName === 'string') usersByUpn.set(u.user.userPrincipalName.toLowerCase(), u);

  const applications = new Map((data.applications ?? []).map((a) => [a.appId, a]));
  const apps = (data.servicePrincipals ?? []).map((sp, index): IndexedApp => {
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
  });
}
