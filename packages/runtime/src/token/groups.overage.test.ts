import { describe, expect, it } from 'vitest';
import { limits } from '@claimc/model';
import type { IndexedApp, IndexedUser } from '../directory/indexed.js';
import type { DirectoryGroup, DirectoryRole } from '../directory/schema.js';
import { defaultAccessRoleId } from './claim-sets.js';
import { assignedRoleValues, groupClaimConfig, isAssigned, resolveGroups, resolveWids, type GroupClaimConfig } from './groups.js';

// Group selection, filtering, formatting and the all-or-overage rule, on hand-built directory records.
type Filter = { readonly matchOn: 'displayname' | 'samaccountname'; readonly type: 'prefix' | 'suffix' | 'contains'; readonly value: string };

const group = (id: string, extra: Partial<DirectoryGroup> = {}): DirectoryGroup => ({ id, displayName: `Group ${id}`, securityEnabled: true, ...extra }) as DirectoryGroup;
const role = (id: string, roleTemplateId: string): DirectoryRole => ({ id, displayName: `Role ${id}`, roleTemplateId }) as DirectoryRole;

function user(options: { direct?: DirectoryGroup[]; transitive?: DirectoryGroup[]; roles?: DirectoryRole[]; id?: string } = {}): IndexedUser {
  const direct = options.direct ?? [];
  return {
    user: { id: options.id ?? 'u1', userPrincipalName: 'u1@contoso.com' },
    isGuest: false,
    directGroups: direct.map((g) => ({ group: g })),
    transitiveGroups: (options.transitive ?? direct).map((g) => ({ group: g })),
    directoryRoles: options.roles ?? [],
  } as unknown as IndexedUser;
}

function app(assignments: Record<string, string[]> = {}, appRoles: { id: string; value?: string | null }[] = []): IndexedApp {
  return {
    appId: 'app',
    application: undefined,
    servicePrincipal: { appId: 'app' },
    policy: undefined,
    appRoles,
    assignmentsByPrincipal: new Map(Object.entries(assignments).map(([principal, roles]) => [principal, roles.map((appRoleId) => ({ appRoleId, principalId: principal }))])),
  } as unknown as IndexedApp;
}

const config = (overrides: Partial<GroupClaimConfig> = {}): GroupClaimConfig => ({
  securityGroups: true,
  directoryRoles: false,
  applicationGroups: false,
  allGroups: false,
  format: 'id',
  cloudDisplayName: false,
  emitAsRoles: false,
  ...overrides,
});

describe('groupClaimConfig', () => {
  it('reads groupMembershipClaims case-insensitively, trimmed, comma-separated', () => {
    expect(groupClaimConfig(' SecurityGroup , DirectoryRole', undefined)).toEqual(config({ securityGroups: true, directoryRoles: true }));
    expect(groupClaimConfig('ApplicationGroup', undefined)).toEqual(config({ securityGroups: false, applicationGroups: true }));
    expect(groupClaimConfig('All', undefined)).toEqual(config({ securityGroups: false, allGroups: true }));
    expect(groupClaimConfig('None', undefined)).toEqual(config({ securityGroups: false }));
    expect(groupClaimConfig(null, undefined)).toEqual(config({ securityGroups: false }));
  });

  it('takes the first listed format and the cloud_displayname / emit_as_roles flags, case-insensitively', () => {
    const optional = (additionalProperties: string[]) => ({ name: 'groups', additionalProperties }) as never;
    expect(groupClaimConfig('All', optional(['Emit_As_Roles', 'NetBIOS_Domain_And_Sam_Account_Name', 'sam_account_name']))).toEqual(
      config({ securityGroups: false, allGroups: true, format: 'netbios_domain_and_sam_account_name', emitAsRoles: true }),
    );
    expect(groupClaimConfig('All', optional(['dns_domain_and_sam_account_name'])).format).toBe('dns_domain_and_sam_account_name');
    expect(groupClaimConfig('All', optional(['sam_account_name'])).format).toBe('sam_account_name');
    expect(groupClaimConfig('All', optional(['unknown'])).format).toBe('id');
    expect(groupClaimConfig('All', optional(['cloud_displayname'])).cloudDisplayName).toBe(true);
  });
});

describe('resolveGroups', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => group(`g${i}`));

  it('lists groups up to the cap and turns one more into overage with the count, never a partial list', () => {
    expect(resolveGroups(user({ direct: many(3) }), app(), config(), undefined, 3)).toEqual({ kind: 'list', values: ['g0', 'g1', 'g2'] });
    expect(resolveGroups(user({ direct: many(4) }), app(), config(), undefined, 3)).toEqual({ kind: 'overage', count: 4 });
  });

  it('is none without groups or when no group has the requested attribute', () => {
    expect(resolveGroups(user(), app(), config(), undefined, 200)).toEqual({ kind: 'none' });
    expect(resolveGroups(user({ direct: many(2) }), app(), config({ format: 'sam_account_name' }), undefined, 200)).toEqual({ kind: 'none' });
  });

  it('SecurityGroup takes security-enabled groups, All takes every group; both add directory roles once', () => {
    const groups = [group('s1'), group('d1', { securityEnabled: false }), group('s1')];
    const roles = [role('r1', 't1')];
    expect(resolveGroups(user({ direct: groups, roles }), app(), config(), undefined, 200)).toEqual({ kind: 'list', values: ['s1', 'r1'] });
    expect(resolveGroups(user({ direct: groups, roles }), app(), config({ securityGroups: false, allGroups: true }), undefined, 200)).toEqual({ kind: 'list', values: ['s1', 'd1', 'r1'] });
    expect(resolveGroups(user({ direct: groups, roles }), app(), config({ securityGroups: false, directoryRoles: true }), undefined, 200)).toEqual({ kind: 'none' });
  });

  it('ApplicationGroup takes only direct groups assigned to the app', () => {
    const direct = [group('a1'), group('n1')];
    const nested = [...direct, group('a2')];
    const result = resolveGroups(user({ direct, transitive: nested }), app({ a1: ['r'], a2: ['r'] }), config({ securityGroups: false, applicationGroups: true }), undefined, 200);
    expect(result).toEqual({ kind: 'list', values: ['a1'] });
  });

  it('formats sAMAccountName with the DNS or NetBIOS domain, and leaves out groups that lack them', () => {
    const synced = group('g1', { onPremisesSamAccountName: 'sales', onPremisesDomainName: 'corp.contoso.com', onPremisesNetBiosName: 'CORP' });
    const bare = group('g2', { onPremisesSamAccountName: 'hr' });
    const domainOnly = group('g4', { onPremisesDomainName: 'corp.contoso.com', onPremisesNetBiosName: 'CORP' });
    const u = user({ direct: [synced, bare, group('g3'), domainOnly] });
    expect(resolveGroups(u, app(), config({ format: 'sam_account_name' }), undefined, 200)).toEqual({ kind: 'list', values: ['sales', 'hr'] });
    expect(resolveGroups(u, app(), config({ format: 'dns_domain_and_sam_account_name' }), undefined, 200)).toEqual({ kind: 'list', values: ['corp.contoso.com\\sales'] });
    expect(resolveGroups(u, app(), config({ format: 'netbios_domain_and_sam_account_name' }), undefined, 200)).toEqual({ kind: 'list', values: ['CORP\\sales'] });
  });

  it('cloud_displayname emits the display name of cloud-only application groups only', () => {
    const cloud = group('c1', { displayName: 'Cloud Team' });
    const synced = group('s1', { displayName: 'Synced', onPremisesSecurityIdentifier: 'S-1-5-21' });
    const samOnly = group('s2', { displayName: 'SamOnly', onPremisesSamAccountName: 'x' });
    const a = app({ c1: ['r'], s1: ['r'], s2: ['r'] });
    const u = user({ direct: [cloud, synced, samOnly] });
    expect(resolveGroups(u, a, config({ securityGroups: false, applicationGroups: true, cloudDisplayName: true }), undefined, 200)).toEqual({ kind: 'list', values: ['Cloud Team', 's1', 's2'] });
    expect(resolveGroups(u, a, config({ securityGroups: true, cloudDisplayName: true }), undefined, 200)).toEqual({ kind: 'list', values: ['c1', 's1', 's2'] });
    const withRole = user({ direct: [cloud], roles: [role('r1', 't1')] });
    expect(resolveGroups(withRole, a, config({ securityGroups: false, allGroups: true, applicationGroups: true, cloudDisplayName: true }), undefined, 200)).toEqual({ kind: 'list', values: ['Cloud Team', 'r1'] });
  });

  it('filters case-insensitively by prefix, suffix or contains, on the display name or the sAMAccountName', () => {
    const u = user({ direct: [group('g1', { displayName: 'Sales-EU', onPremisesSamAccountName: 'SALES_eu' }), group('g2', { displayName: 'HR-US', onPremisesSamAccountName: 'hr_us' })] });
    const by = (filter: Filter) => resolveGroups(u, app(), config(), filter, 200);
    expect(by({ matchOn: 'displayname', type: 'prefix', value: 'sALES' })).toEqual({ kind: 'list', values: ['g1'] });
    expect(by({ matchOn: 'displayname', type: 'prefix', value: 'EU' })).toEqual({ kind: 'none' });
    expect(by({ matchOn: 'displayname', type: 'suffix', value: '-us' })).toEqual({ kind: 'list', values: ['g2'] });
    expect(by({ matchOn: 'displayname', type: 'suffix', value: 'HR' })).toEqual({ kind: 'none' });
    expect(by({ matchOn: 'displayname', type: 'contains', value: 'S-e' })).toEqual({ kind: 'list', values: ['g1'] });
    expect(by({ matchOn: 'samaccountname', type: 'contains', value: 'R_U' })).toEqual({ kind: 'list', values: ['g2'] });
    expect(resolveGroups(user({ direct: [group('g3')] }), app(), config(), { matchOn: 'samaccountname', type: 'contains', value: '' }, 200)).toEqual({ kind: 'none' });
  });

  it(`applies a filter only up to ${limits.groupFilterMaxGroups} memberships; above that the claim is overage`, () => {
    const filter: Filter = { matchOn: 'displayname', type: 'prefix', value: 'group g1' };
    const atLimit = user({ direct: many(limits.groupFilterMaxGroups) });
    const result = resolveGroups(atLimit, app(), config(), filter, 200);
    expect(result.kind).toBe('list');
    expect((result as unknown as { values: string[] }).values).toHaveLength(111); // g1, g10–g19, g100–g199
    const over = user({ direct: many(limits.groupFilterMaxGroups + 1) });
    expect(resolveGroups(over, app(), config(), filter, 5_000)).toEqual({ kind: 'overage', count: limits.groupFilterMaxGroups + 1 });
    const overByRoles = user({ direct: many(limits.groupFilterMaxGroups), roles: [role('r1', 't1')] });
    expect(resolveGroups(overByRoles, app(), config(), filter, 5_000).kind).toBe('overage');
    expect(resolveGroups(over, app(), config(), undefined, 5_000)).toEqual({ kind: 'list', values: many(limits.groupFilterMaxGroups + 1).map((g) => g.id) });
  });
});

describe('resolveWids', () => {
  const roles = [role('r1', 't1'), role('r2', 't1'), role('r3', 't2')];
  it('lists role template IDs once, with DirectoryRole or All only', () => {
    expect(resolveWids(user({ roles }), config({ directoryRoles: true }))).toEqual(['t1', 't2']);
    expect(resolveWids(user({ roles }), config({ securityGroups: false, allGroups: true }))).toEqual(['t1', 't2']);
    expect(resolveWids(user({ roles }), config())).toEqual([]);
  });
});

describe('app role assignment', () => {
  const appRoles = [
    { id: 'role-a', value: 'Reader' },
    { id: 'role-b', value: 'Writer' },
    { id: 'role-c', value: '' },
    { id: 'role-d', value: null },
    { id: defaultAccessRoleId, value: 'Default' },
  ];

  it('collects direct and direct-group assignments in the app role order, without the default access role or empty values', () => {
    const member = group('g1');
    const nested = group('g2');
    const a = app({ u1: ['role-b', defaultAccessRoleId, 'role-c', 'role-d'], g1: ['role-a'], g2: ['role-a'] }, appRoles);
    expect(assignedRoleValues(a, 'u1', user({ direct: [member], transitive: [member, nested] }))).toEqual(['Reader', 'Writer']);
    expect(assignedRoleValues(a, 'u1', undefined)).toEqual(['Writer']);
    expect(assignedRoleValues(a, 'nobody', user({ id: 'nobody', transitive: [nested] }))).toEqual([]);
  });

  it('isAssigned: directly, or through a group the user is a direct member of (not a nested one)', () => {
    expect(isAssigned(app({ u1: ['r'] }), user())).toBe(true);
    expect(isAssigned(app({ g1: ['r'] }), user({ direct: [group('g1')] }))).toBe(true);
    expect(isAssigned(app({ g2: ['r'] }), user({ direct: [group('g1')], transitive: [group('g1'), group('g2')] }))).toBe(false);
    expect(isAssigned(app(), user())).toBe(false);
  });
});
