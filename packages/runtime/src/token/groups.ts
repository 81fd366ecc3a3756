import { limits } from '@claimc/model';
import type { IndexedApp, IndexedGroup, IndexedUser } from '../directory/indexed.js';
import type { DirectoryGroup, DirectoryRole, OptionalClaim } from '../directory/schema.js';
import { defaultAccessRoleId } from './claim-sets.js';
import type { PolicySettingsPort } from './policy-port.js';

/** The group value formats of the `groups` optional claim (OC additionalProperties). */
export type GroupFormat = 'id' | 'sam_account_name' | 'dns_domain_and_sam_account_name' | 'netbios_domain_and_sam_account_name' | 'on_premises_group_sid';

/** How an app asked for groups: `groupMembershipClaims` plus the `groups` optional claim's properties. */
export interface GroupClaimConfig {
  readonly securityGroups: boolean;
  readonly directoryRoles: boolean;
  readonly applicationGroups: boolean;
  readonly allGroups: boolean;
  readonly format: GroupFormat;
  readonly cloudDisplayName: boolean;
  readonly emitAsRoles: boolean;
}

// `on_premises_group_sid` is claimc's spelling of the portal's "On Premises Group Security Identifier" (seed 003: GroupSID),
// for which the manifest documents no value
const formats: readonly GroupFormat[] = ['sam_account_name', 'dns_domain_and_sam_account_name', 'netbios_domain_and_sam_account_name', 'on_premises_group_sid'];

/**
 * Reads `groupMembershipClaims` (comma-separated, case-insensitive, `None`/null = nothing) and the `groups`
 * optional claim of the token type; the first listed format wins (OC).
 */
export function groupClaimConfig(groupMembershipClaims: string | null | undefined, groupsOptionalClaim: OptionalClaim | undefined): GroupClaimConfig {
  const types = new Set((groupMembershipClaims ?? '').split(',').map((t) => t.trim().toLowerCase()));
  const props = (groupsOptionalClaim?.additionalProperties ?? []).map((p) => p.toLowerCase());
  const format = (props.find((p) => (formats as readonly string[]).includes(p)) as GroupFormat | undefined) ?? 'id';
  return {
    securityGroups: types.has('securitygroup'),
    directoryRoles: types.has('directoryrole'),
    applicationGroups: types.has('applicationgroup'),
    allGroups: types.has('all'),
    format,
    cloudDisplayName: props.includes('cloud_displayname'),
    emitAsRoles: props.includes('emit_as_roles'),
  };
}

/** A group or directory role as a candidate for the groups claim. */
interface Candidate {
  readonly id: string;
  readonly displayName: string | null | undefined;
  readonly group: DirectoryGroup | undefined;
}

/** The resolved group claim: the values, or overage when over the cap (D18). */
export type GroupClaim = { readonly kind: 'none' } | { readonly kind: 'list'; readonly values: readonly string[] } | { readonly kind: 'overage'; readonly count: number };

const isCloudOnly = (group: DirectoryGroup): boolean => group.onPremisesSecurityIdentifier == null && group.onPremisesSamAccountName == null;

function matches(filter: NonNullable<PolicySettingsPort['groupFilter']>, displayName: string | null | undefined, group: DirectoryGroup | undefined): boolean {
  const raw = filter.matchOn === 'displayname' ? displayName : group?.onPremisesSamAccountName;
  if (typeof raw !== 'string') return false;
  const subject = raw.toLowerCase();
  const value = filter.value.toLowerCase();
  if (filter.type === 'prefix') return subject.startsWith(value);
  if (filter.type === 'suffix') return subject.endsWith(value);
  return subject.includes(value);
}

function format(id: string, group: DirectoryGroup | undefined, config: GroupClaimConfig): string | undefined {
  if (config.cloudDisplayName && config.applicationGroups && group !== undefined && isCloudOnly(group)) return group.displayName ?? undefined;
  if (config.format === 'id') return id;
  if (config.format === 'on_premises_group_sid') return typeof group?.onPremisesSecurityIdentifier === 'string' ? group.onPremisesSecurityIdentifier : undefined;
  const sam = group?.onPremisesSamAccountName;
  if (typeof sam !== 'string') return undefined;
  if (config.format === 'sam_account_name') return sam;
  const domain = config.format === 'dns_domain_and_sam_account_name' ? group?.onPremisesDomainName : group?.onPremisesNetBiosName;
  return typeof domain === 'string' ? `${domain}\\${sam}` : undefined;
}

/**
 * Resolves the groups claim (D18): select by groupMembershipClaims → GroupFilter (case-insensitive, only when the
 * user is in ≤ 1,000 groups) → format (groups lacking the attribute are left out) → count against `cap`.
 * `transitiveIds`, when given, are the IDs of `user.transitiveGroups` in order (a list the caller built already and
 * never writes): when the claim is exactly those, it is that list.
 */
export function resolveGroups(
  user: IndexedUser,
  app: IndexedApp,
  config: GroupClaimConfig,
  filter: PolicySettingsPort['groupFilter'],
  cap: number,
  transitiveIds?: readonly string[],
): GroupClaim {
  const groups = user.transitiveGroups;
  const fromGroups = config.allGroups || config.securityGroups;
  // the common case takes no candidate list and no set: only transitive groups, in strictly increasing snapshot
  // order (so no group twice), and no directory role or app-assigned group that could repeat one
  let single = fromGroups && !config.applicationGroups && user.directoryRoles.length === 0;
  for (let i = 1; single && i < groups.length; i++) if (groups[i]!.order <= groups[i - 1]!.order) single = false;
  if (single) {
    const filtering = filter !== undefined && groups.length <= limits.groupFilterMaxGroups;
    // every group, as its ID: the caller's list of the user's group IDs is the claim (no second copy)
    if (transitiveIds !== undefined && config.allGroups && !filtering && config.format === 'id') return groupClaimOf(transitiveIds, cap, filter !== undefined);
    const values = new Array<string>(groups.length); // sized once, trimmed after
    let count = 0;
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i]!.group;
      if (!config.allGroups && group.securityEnabled !== true) continue;
      if (filtering && !matches(filter, group.displayName, group)) continue;
      const value = format(group.id, group, config);
      if (value !== undefined) values[count++] = value;
    }
    values.length = count;
    return groupClaimOf(values, cap, filter !== undefined && groups.length > limits.groupFilterMaxGroups);
  }
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  const add = (candidate: Candidate): void => {
    if (seen.has(candidate.id)) return;
    seen.add(candidate.id);
    candidates.push(candidate);
  };
  const fromGroup = (group: DirectoryGroup): Candidate => ({ id: group.id, displayName: group.displayName, group });
  const fromRole = (role: DirectoryRole): Candidate => ({ id: role.id, displayName: role.displayName, group: undefined });
  if (config.allGroups || config.securityGroups) {
    for (const { group } of user.transitiveGroups) if (config.allGroups || group.securityEnabled === true) add(fromGroup(group));
  }
  if (config.applicationGroups) {
    for (const { group } of user.directGroups) if (app.assignmentsByPrincipal.has(group.id)) add(fromGroup(group));
  }
  if (config.allGroups || config.securityGroups) for (const role of user.directoryRoles) add(fromRole(role));
  if (candidates.length === 0) return { kind: 'none' };
  const totalMembership = user.transitiveGroups.length + user.directoryRoles.length;
  const filtered = filter !== undefined && totalMembership <= limits.groupFilterMaxGroups ? candidates.filter((c) => matches(filter, c.displayName, c.group)) : candidates;
  const values: string[] = [];
  for (const candidate of filtered) {
    const value = format(candidate.id, candidate.group, config);
    if (value !== undefined) values.push(value);
  }
  return groupClaimOf(values, cap, filter !== undefined && totalMembership > limits.groupFilterMaxGroups);
}

/** The claim from the formatted values: none, overage (over the cap, or a filter over too many groups), or the list. */
function groupClaimOf(values: readonly string[], cap: number, filterOverLimit: boolean): GroupClaim {
  if (values.length === 0) return { kind: 'none' };
  if (values.length > cap || filterOverLimit) return { kind: 'overage', count: values.length };
  return { kind: 'list', values };
}

const noRoles: readonly string[] = Object.freeze([]);

/** `wids`: role template IDs of the user's directory roles, never filtered (D18); only with DirectoryRole or All. */
export function resolveWids(user: IndexedUser, config: GroupClaimConfig): readonly string[] {
  if ((!config.directoryRoles && !config.allGroups) || user.directoryRoles.length === 0) return noRoles;
  return [...new Set(user.directoryRoles.map((r) => r.roleTemplateId))];
}

/**
 * The groups holding an app-role assignment on `app`, in snapshot order (empty when none does): prepared once per
 * request shape, so a user's roles need not look up each of their groups.
 */
export function groupsWithAssignments(app: IndexedApp, groupsById: ReadonlyMap<string, IndexedGroup>): readonly IndexedGroup[] {
  const out: IndexedGroup[] = [];
  for (const principal of app.assignmentsByPrincipal.keys()) {
    const group = groupsById.get(principal);
    if (group !== undefined) out.push(group);
  }
  return Object.freeze(out.sort((a, b) => a.order - b.order));
}

/** Whether `groups` (in strictly increasing snapshot order) holds the group at `order`: a binary search. */
function holdsGroup(groups: readonly IndexedGroup[], order: number): boolean {
  let low = 0;
  let high = groups.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = groups[middle]!.order;
    if (at === order) return true;
    if (at < order) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** Whether the entries are in strictly increasing snapshot order (as the index builds them). */
function increasing(groups: readonly IndexedGroup[]): boolean {
  for (let i = 1; i < groups.length; i++) if (groups[i]!.order <= groups[i - 1]!.order) return false;
  return true;
}

/**
 * App-role values a principal holds on `app`: direct assignments plus assignments to groups it is a direct member of
 * (Entra does not follow nested groups for app assignment), in the app's role order. With `assignedGroups` (from
 * {@link groupsWithAssignments}, fewer than the user's groups) each of those is looked up among the user's groups
 * instead of each of the user's groups among the assignments: same roles, fewer lookups.
 */
export function assignedRoleValues(app: IndexedApp, principalId: string, user: IndexedUser | undefined, assignedGroups?: readonly IndexedGroup[]): readonly string[] {
  const assignments = app.assignmentsByPrincipal;
  if (assignments.size === 0) return noRoles;
  // the set only once an assignment is found: most of a user's groups carry none
  let roleIds: Set<string> | undefined;
  // indexed loops: no iterator (and no empty array) per token
  const direct = assignments.get(principalId);
  if (direct !== undefined) for (let i = 0; i < direct.length; i++) (roleIds ??= new Set()).add(direct[i]!.appRoleId);
  if (user !== undefined) {
    const groups = user.directGroups;
    if (assignedGroups !== undefined && assignedGroups.length * 4 < groups.length && increasing(groups)) {
      for (let i = 0; i < assignedGroups.length; i++) {
        const group = assignedGroups[i]!;
        if (holdsGroup(groups, group.order)) {
          const held = assignments.get(group.group.id)!;
          for (let j = 0; j < held.length; j++) (roleIds ??= new Set()).add(held[j]!.appRoleId);
        }
      }
    } else {
      for (let i = 0; i < groups.length; i++) {
        const held = assignments.get(groups[i]!.group.id);
        if (held !== undefined) for (let j = 0; j < held.length; j++) (roleIds ??= new Set()).add(held[j]!.appRoleId);
      }
    }
  }
  if (roleIds === undefined) return noRoles;
  roleIds.delete(defaultAccessRoleId);
  const values: string[] = [];
  const appRoles = app.appRoles;
  for (let i = 0; i < appRoles.length; i++) {
    const role = appRoles[i]!;
    if (roleIds.has(role.id) && typeof role.value === 'string' && role.value !== '') values.push(role.value);
  }
  return values;
}

/** True when the user is assigned to the app, directly or through a group they are a direct member of. */
export function isAssigned(app: IndexedApp, user: IndexedUser): boolean {
  if (app.assignmentsByPrincipal.has(user.user.id)) return true;
  const groups = user.directGroups;
  for (let i = 0; i < groups.length; i++) if (app.assignmentsByPrincipal.has(groups[i]!.group.id)) return true; // no closure per token
  return false;
}
