import type { PolicyPort } from '../token/policy-port.js';
import { assembleIndex, exportedOf, indexedUser, type DirectoryOrganization, type IndexedDirectory, type IndexedGroup } from './indexed.js';
import {
  DirectoryApplicationSchema,
  DirectoryClaimsMappingPolicySchema,
  DirectoryGroupSchema,
  DirectoryRoleSchema,
  DirectoryServicePrincipalSchema,
  ExtensionPropertySchema,
  type DirectoryApplication,
  type DirectoryClaimsMappingPolicy,
  type DirectoryGroup,
  type DirectoryRole,
  type DirectoryServicePrincipal,
  type DirectoryUser,
  type ExtensionProperty,
  type ParsedDirectorySnapshot,
} from './schema.js';

/** The first line's `format` of an indexed snapshot (`claimc snapshot`). */
export const snapshotLinesFormat = 'claimc-snapshot';
const version = 1;

/** One user of an indexed snapshot: the Graph object and its memberships as indexes into the group and role lists. */
export interface SnapshotUserRecord {
  readonly user: DirectoryUser;
  /** Transitive groups (indexes into `groups`, snapshot order). */
  readonly groups: readonly number[];
  /** Direct groups; the same as `groups` when the export had only transitive membership. */
  readonly direct: readonly number[];
  readonly roles: readonly number[];
}

/** An indexed snapshot read back: every resource list, memberships already resolved. */
export interface SnapshotParts {
  readonly organization: DirectoryOrganization;
  readonly exported: Readonly<Record<string, readonly string[]>> | undefined;
  readonly groups: readonly DirectoryGroup[];
  readonly roles: readonly DirectoryRole[];
  readonly applications: readonly DirectoryApplication[];
  readonly servicePrincipals: readonly DirectoryServicePrincipal[];
  readonly claimsMappingPolicies: readonly DirectoryClaimsMappingPolicy[];
  readonly extensionProperties: readonly ExtensionProperty[];
  readonly users: readonly SnapshotUserRecord[];
}

/** Drops `members` (memberships live on the user records). */
function withoutMembers<T extends { readonly members?: unknown }>(item: T): Omit<T, 'members'> {
  const { members: _members, ...rest } = item;
  return rest;
}

/**
 * Writes a validated, indexed directory as JSON Lines: a header, one line per group, role, application,
 * service principal, policy and extension definition, then one line per user with its memberships as list
 * indexes, and a trailer with the user count. No line holds more than one resource, so a tenant of any size
 * stays far below V8's string limit, and reading it back needs no membership resolution.
 *
 * @example
 * for (const line of snapshotLines(parsed, directory)) stream.write(line + '\n');
 */
export function* snapshotLines(data: ParsedDirectorySnapshot, directory: IndexedDirectory): Generator<string> {
  const organization = Array.isArray(data.organization) ? data.organization[0] : data.organization;
  const groups = data.groups ?? [];
  const roles = data.directoryRoles ?? [];
  // by id: the index may hold other copies of the same role objects
  const roleIndex = new Map(roles.map((r, i) => [r.id, i]));
  const counts = { groups: groups.length, roles: roles.length, users: directory.users.length };
  yield JSON.stringify({ format: snapshotLinesFormat, version, counts, organization, ...(data.exported !== undefined ? { exported: data.exported } : {}) });
  for (const g of groups) yield JSON.stringify({ group: withoutMembers(g) });
  for (const r of roles) yield JSON.stringify({ role: withoutMembers(r) });
  for (const a of data.applications ?? []) yield JSON.stringify({ application: a });
  for (const sp of data.servicePrincipals ?? []) yield JSON.stringify({ servicePrincipal: sp });
  for (const p of data.claimsMappingPolicies ?? []) yield JSON.stringify({ policy: p });
  for (const e of data.extensionProperties ?? []) yield JSON.stringify({ extension: e });
  for (const u of directory.users) {
    const g = u.transitiveGroups.map((x) => x.order);
    const d = u.directGroups.map((x) => x.order);
    const same = d.length === g.length && d.every((v, i) => v === g[i]);
    yield JSON.stringify({ user: u.user, g, ...(same ? {} : { d }), r: u.directoryRoles.map((r) => roleIndex.get(r.id)!) });
  }
  yield JSON.stringify({ end: { users: directory.users.length } });
}

/** Whether bytes start like an indexed snapshot (its header line). */
export function isSnapshotLines(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 64));
  return /^\uFEFF?\{"format":"claimc-snapshot"/.test(head);
}

/** Why an indexed snapshot could not be read: the 1-based line and what is wrong there. */
export interface SnapshotLinesProblem {
  readonly line: number;
  readonly problem: string;
}

const indexList = (value: unknown, size: number): value is number[] =>
  Array.isArray(value) && value.every((n) => Number.isInteger(n) && (n as number) >= 0 && (n as number) < size);

/**
 * Reads an indexed snapshot line by line (each line decoded and parsed on its own, so the file may be far
 * larger than one JavaScript string). The small resource lists are validated against the Graph shapes; user
 * lines are checked for shape and index ranges. Never throws on bad input: the first problem is returned.
 *
 * @example
 * const read = parseSnapshotLines(readFileSync('tenant.snapshot'));
 * if ('parts' in read) console.log(read.parts.users.length);
 */
export function parseSnapshotLines(bytes: Uint8Array): { readonly parts: SnapshotParts } | SnapshotLinesProblem {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let header: Record<string, unknown> | undefined;
  const groups: DirectoryGroup[] = [];
  const roles: DirectoryRole[] = [];
  const applications: DirectoryApplication[] = [];
  const servicePrincipals: DirectoryServicePrincipal[] = [];
  const claimsMappingPolicies: DirectoryClaimsMappingPolicy[] = [];
  const extensionProperties: ExtensionProperty[] = [];
  const users: SnapshotUserRecord[] = [];
  const listOf = { group: groups, role: roles, application: applications, servicePrincipal: servicePrincipals, policy: claimsMappingPolicies, extension: extensionProperties };
  let ended: number | undefined;
  let line = 0;
  // decoded in chunks of whole lines (a few MiB each): far fewer decoder calls than one per line, and no
  // string ever holds more than a chunk
  const chunk = 8 << 20;
  let lines: string[] = [];
  let next = 0;
  let offset = 0;
  const nextLine = (): string | undefined => {
    while (next >= lines.length) {
      if (offset >= bytes.length) return undefined;
      let end = offset + chunk >= bytes.length ? bytes.length : bytes.indexOf(10, offset + chunk);
      if (end < 0) end = bytes.length;
      lines = decoder.decode(bytes.subarray(offset, end)).split('\n');
      next = 0;
      offset = end + 1;
    }
    return lines[next++];
  };
  for (let text = nextLine(); text !== undefined; text = nextLine()) {
    line++;
    if (text === '') continue;
    if (ended !== undefined) return { line, problem: 'text after the end line' };
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      return { line, problem: `not JSON (${(error as Error).message})` };
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return { line, problem: 'not a JSON object' };
    if (header === undefined) {
      if (record['format'] !== snapshotLinesFormat) return { line, problem: `not a claimc snapshot (no "format":"${snapshotLinesFormat}")` };
      if (record['version'] !== version) return { line, problem: `snapshot version ${String(record['version'])}; this claimc reads version ${version}` };
      const org = record['organization'];
      if (org === null || typeof org !== 'object' || typeof (org as { id?: unknown }).id !== 'string') return { line, problem: 'the header has no organization with an id' };
      header = record;
      continue;
    }
    if ('user' in record) {
      const user = record['user'] as DirectoryUser | null;
      if (user === null || typeof user !== 'object' || typeof user.id !== 'string') return { line, problem: 'a user without a string "id"' };
      const g = record['g'];
      const d = record['d'] ?? g;
      const r = record['r'];
      if (!indexList(g, groups.length) || !indexList(d, groups.length) || !indexList(r, roles.length)) return { line, problem: 'membership indexes out of range' };
      users.push({ user, groups: g, direct: d, roles: r });
      continue;
    }
    const parsed = parseResource(record);
    if (typeof parsed === 'string') return { line, problem: parsed };
    if (parsed.kind === 'end') {
      ended = line;
      const counted = (parsed.value as { users?: unknown }).users;
      if (counted !== users.length) return { line, problem: `the end line counts ${String(counted)} users, the file holds ${users.length}` };
      continue;
    }
    // each list holds the values its schema validated (parseResource), so the cast only names the list's type
    (listOf[parsed.kind] as unknown[]).push(parsed.value);
  }
  if (header === undefined) return { line: 1, problem: 'the file is empty' };
  if (ended === undefined) return { line, problem: 'the file is cut short (no end line): write it again with claimc snapshot' };
  const exported = header['exported'];
  return {
    parts: {
      organization: header['organization'] as DirectoryOrganization,
      exported: exported !== null && typeof exported === 'object' ? (exported as Record<string, string[]>) : undefined,
      groups,
      roles,
      applications,
      servicePrincipals,
      claimsMappingPolicies,
      extensionProperties,
      users,
    },
  };
}

const resourceSchemas = {
  group: DirectoryGroupSchema,
  role: DirectoryRoleSchema,
  application: DirectoryApplicationSchema,
  servicePrincipal: DirectoryServicePrincipalSchema,
  policy: DirectoryClaimsMappingPolicySchema,
  extension: ExtensionPropertySchema,
} as const;

/** One non-user line: its kind and validated value, or what is wrong with it. */
function parseResource(record: Record<string, unknown>): { kind: keyof typeof resourceSchemas | 'end'; value: unknown } | string {
  const keys = Object.keys(record);
  const kind = keys[0];
  if (keys.length !== 1 || kind === undefined) return 'a line must hold one resource';
  if (kind === 'end') return { kind, value: record[kind] ?? {} };
  if (!Object.hasOwn(resourceSchemas, kind)) return `unknown line kind "${kind}"`;
  const schema = resourceSchemas[kind as keyof typeof resourceSchemas];
  const parsed = schema.safeParse(record[kind]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `invalid ${kind} at ${issue?.path.join('/') ?? ''}: ${issue?.message ?? 'unknown problem'}`;
  }
  return { kind: kind as keyof typeof resourceSchemas, value: parsed.data };
}

/**
 * Indexes parts read by {@link parseSnapshotLines}: one pass over groups, roles and users (memberships are
 * already indexes), then the same app and lookup index {@link buildDirectory} builds.
 *
 * @example
 * const directory = indexSnapshotParts(parts, ports);
 */
export function indexSnapshotParts(parts: SnapshotParts, policies: ReadonlyMap<string, PolicyPort>): IndexedDirectory {
  const groupEntries: IndexedGroup[] = parts.groups.map((group, order) => Object.freeze({ group, order }));
  const groupsById = new Map(groupEntries.map((g) => [g.group.id, g]));
  const pick = (indexes: readonly number[]): IndexedGroup[] => indexes.map((i) => groupEntries[i]!);
  const users = parts.users.map((record) => {
    const transitive = pick(record.groups);
    const direct = record.direct === record.groups ? transitive : pick(record.direct);
    return indexedUser(
      record.user,
      direct,
      transitive,
      record.roles.map((r) => parts.roles[r]!),
    );
  });
  return assembleIndex(parts.organization, users, groupsById, parts.applications, parts.servicePrincipals, policies, exportedOf({ exported: parts.exported }));
}

