import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IndexedApp, IndexedGroup, IndexedUser } from '../directory/indexed.js';
import { assignedRoleValues, groupsWithAssignments } from './groups.js';

// A user's roles over an app: looking up the app's few assigned groups among the user's groups must give exactly
// what looking up each of the user's groups among the assignments gives (same roles, the app's role order).

const groupCount = 40;
const groups: IndexedGroup[] = Array.from({ length: groupCount }, (_, order) => ({ group: { id: `g${order}`, displayName: `G${order}` } as IndexedGroup['group'], order }));
const groupsById = new Map(groups.map((g) => [g.group.id, g]));
const roleIds = ['r0', 'r1', 'r2', '00000000-0000-0000-0000-000000000000'];

const cases = fc.record({
  // group index → role index assigned to it (a few groups hold roles)
  assigned: fc.array(fc.tuple(fc.nat(groupCount - 1), fc.nat(roleIds.length - 1)), { maxLength: 6 }),
  direct: fc.nat(roleIds.length), // roleIds.length: no direct assignment
  member: fc.uniqueArray(fc.nat(groupCount - 1), { maxLength: groupCount }),
});

describe('assignedRoleValues through the shape’s assigned groups', () => {
  it('equals the walk over every group of the user (1,000 runs)', () => {
    fc.assert(
      fc.property(cases, ({ assigned, direct, member }) => {
        const assignmentsByPrincipal = new Map<string, { appRoleId: string }[]>();
        const add = (principal: string, role: number): void => {
          const list = assignmentsByPrincipal.get(principal) ?? [];
          list.push({ appRoleId: roleIds[role]! });
          assignmentsByPrincipal.set(principal, list);
        };
        for (const [group, role] of assigned) add(`g${group}`, role);
        if (direct < roleIds.length) add('u', direct);
        const app = { assignmentsByPrincipal, appRoles: roleIds.map((id, i) => ({ id, value: i === 3 ? '' : `role${i}` })) } as unknown as IndexedApp;
        const user = { user: { id: 'u' }, directGroups: [...member].sort((a, b) => a - b).map((i) => groups[i]!) } as unknown as IndexedUser;
        const viaGroups = groupsWithAssignments(app, groupsById);
        expect(assignedRoleValues(app, 'u', user, viaGroups)).toEqual(assignedRoleValues(app, 'u', user));
      }),
      { numRuns: 1_000 },
    );
  });
});
