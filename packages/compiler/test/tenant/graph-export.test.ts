import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LineMap } from '@claimc/model';
import { assembleGraphExport, prepareDirectory, selectedProperties, type ExportFile } from '@claimc/compiler';

const root = fileURLToPath(new URL('../../../../docs/examples/tenant-export', import.meta.url));
function readFolder(dir: string): ExportFile[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return readFolder(full);
    return [{ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') }];
  });
}
const example = readFolder(root);
const replace = (files: ExportFile[], path: string, edit: (value: Record<string, unknown>) => unknown): ExportFile[] =>
  files.map((f) => (f.path === path ? { path, text: JSON.stringify(edit(JSON.parse(f.text) as Record<string, unknown>), null, 2) } : f));
const codes = (files: readonly { file: string; text: string; diagnostics: readonly { code: string; span?: { start: number } }[] }[]) =>
  files.flatMap((f) => f.diagnostics.map((d) => ({ file: f.file, code: d.code, ...new LineMap(f.text).position(d.span?.start ?? 0) })));

describe('assembleGraphExport on the example export folder', () => {
  const { snapshot, files } = assembleGraphExport(example);

  it('reads every response without findings, pages joined in order', () => {
    expect(codes(files)).toEqual([]);
    expect(snapshot?.users?.map((u) => u.userPrincipalName?.split('@')[0])).toEqual(['adelev', 'meganb', 'alexw', 'isaiahl', 'lynner', 'pat_fabrikam.com#EXT#']);
  });

  it('inverts transitiveMemberOf into group and role members, and attaches policies and assignments', () => {
    const prepared = prepareDirectory(snapshot);
    expect(prepared.diagnostics).toEqual([]);
    const directory = prepared.directory!;
    const lynne = directory.usersByUpn.get('lynner@contoso.com')!;
    expect(lynne.transitiveGroups.map((g) => g.group.displayName)).toEqual(['All Staff', 'Finance', 'Project Falcon']);
    expect(lynne.directoryRoles.map((r) => r.displayName)).toEqual(['Global Reader']);
    const hr = directory.appsByAppId.get('6c2e4f1a-3b5d-4e7f-9a1c-2d4e6f8a0b1c')!;
    expect(hr.policy?.id).toBe('0c6b0000-0000-4000-8000-000000000001');
    expect([...hr.assignmentsByPrincipal.keys()]).toEqual(['7e1a0000-0000-4000-8000-000000000001', '5b2c0000-0000-4000-8000-000000000002']);
    expect(directory.exported?.get('users')?.has('employeeid')).toBe(true);
  });

  it('keeps $select as the exported property list', () => {
    expect(selectedProperties('https://graph.microsoft.com/v1.0/$metadata#users(id,mail)')).toEqual(['id', 'mail']);
    expect(selectedProperties('https://graph.microsoft.com/v1.0/$metadata#users')).toBeUndefined();
  });
});

describe('assembleGraphExport findings, located in their files', () => {
  it('a last page with @odata.nextLink is CM7104 at that key', () => {
    const files = example.filter((f) => f.path !== 'users.2.json');
    const result = assembleGraphExport(files);
    expect(result.snapshot).toBeUndefined();
    const text = files.find((f) => f.path === 'users.json')!.text;
    expect(codes(result.files)).toEqual([
      { file: 'users.json', code: 'CM7104', ...new LineMap(text).position(text.indexOf('"https://graph.microsoft.com/v1.0/users?')) },
      // the memberships of the users on the missing page point at users the export lacks
      { file: 'users/7e1a0000-0000-4000-8000-000000000005/transitiveMemberOf.json', code: 'CM7105', line: 1, column: 1 },
      { file: 'users/7e1a0000-0000-4000-8000-000000000006/transitiveMemberOf.json', code: 'CM7105', line: 1, column: 1 },
    ]);
  });

  it('a policy reading a property the users export did not select is CM7107, not a silent absence', () => {
    const files = ['users.json', 'users.2.json'].reduce(
      (list, path) =>
        replace(list, path, (v) => ({
          ...v,
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,displayName,userType)',
          value: (v['value'] as Record<string, unknown>[]).map((u) => ({ id: u['id'], userPrincipalName: u['userPrincipalName'], displayName: u['displayName'], userType: u['userType'] })),
        })),
      example,
    );
    const { snapshot } = assembleGraphExport(files);
    const prepared = prepareDirectory(snapshot);
    expect(prepared.diagnostics.map((d) => [d.code, d.message.match(/user\.(\w+)/)?.[1]])).toEqual([
      ['CM7107', 'employeeId'],
      ['CM7107', 'department'],
      ['CM7107', 'jobTitle'],
    ]);
    expect(prepared.directory).toBeDefined();
  });

  it('bad JSON, an unknown file, a non-collection and an invalid user are each one located diagnostic', () => {
    const files: ExportFile[] = [
      ...replace(example, 'users.2.json', (v) => ({ ...v, value: (v['value'] as object[]).map((u, i) => (i === 0 ? { ...u, accountEnabled: 'yes' } : u)) })).filter((f) => f.path !== 'groups.json'),
      { path: 'groups.json', text: '{"value": [\n  {"id": "x",]\n}' },
      { path: 'notes.json', text: '{}' },
      { path: 'directoryRoles.json', text: '[]' },
    ];
    const result = assembleGraphExport(files);
    expect(result.snapshot).toBeUndefined();
    expect(codes(result.files).sort((a, b) => a.file.localeCompare(b.file))).toEqual([
      { file: 'directoryRoles.json', code: 'CM7103', line: 1, column: 1 },
      { file: 'groups.json', code: 'CM7101', line: 2, column: 14 },
      { file: 'notes.json', code: 'CM7102', line: 1, column: 1 },
    ]);
    const invalid = assembleGraphExport(files.filter((f) => !['groups.json', 'notes.json', 'directoryRoles.json'].includes(f.path)).concat(example.filter((f) => f.path === 'groups.json' || f.path === 'directoryRoles.json')));
    const text = invalid.files.find((f) => f.file === 'users.2.json')!.text;
    expect(codes(invalid.files)).toEqual([{ file: 'users.2.json', code: 'CM7106', ...new LineMap(text).position(text.indexOf('"yes"')) }]);
  });

  it('per-user appRoleAssignments attach to the resource service principal; a file about an unknown user is CM7105', () => {
    const files: ExportFile[] = [
      ...example.filter((f) => !f.path.endsWith('appRoleAssignedTo.json')),
      {
        path: 'users/7e1a0000-0000-4000-8000-000000000002/appRoleAssignments.json',
        text: JSON.stringify({ value: [{ id: 'a', principalId: '7e1a0000-0000-4000-8000-000000000002', principalType: 'User', resourceId: '1d5a0000-0000-4000-8000-000000000001', appRoleId: '4c1d0000-0000-4000-8000-000000000001' }] }),
      },
      { path: 'users/00000000-0000-0000-0000-00000000dead/transitiveMemberOf.json', text: '{"value":[]}' },
    ];
    const result = assembleGraphExport(files);
    expect(codes(result.files).map((c) => c.code)).toEqual(['CM7105']);
    const hr = prepareDirectory(result.snapshot).directory!.appsByAppId.get('6c2e4f1a-3b5d-4e7f-9a1c-2d4e6f8a0b1c')!;
    expect([...hr.assignmentsByPrincipal.keys()]).toEqual(['7e1a0000-0000-4000-8000-000000000002']);
  });
});
