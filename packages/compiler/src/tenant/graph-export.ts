import { createDiagnostic, toPointer, type Diagnostic, type DiagnosticCode, type Span } from '@claimc/model';
import { DirectorySnapshotSchema, type ParsedDirectorySnapshot } from '@claimc/runtime/internal';
import { parseJsonTree, type JsonNode } from '@claimc/syntax';
import type { DiagnosticFile } from '../render/files.js';

/** One file of an export folder: its path relative to the folder (forward slashes) and its text. */
export interface ExportFile {
  readonly path: string;
  readonly text: string;
}

/** A Graph export read as a snapshot: the snapshot (undefined when there are errors) and every finding, per file. */
export interface AssembledExport {
  readonly snapshot: ParsedDirectorySnapshot | undefined;
  readonly files: readonly DiagnosticFile[];
}

type JsonObject = Record<string, unknown>;
/** Where an object of the snapshot came from: file and JSON Pointer inside it. */
interface Origin {
  readonly file: string;
  readonly pointer: string;
}

/** The requests an export folder holds, by file name without `.json` (and without a page number). */
const listNames = {
  organization: 'organization',
  users: 'users',
  groups: 'groups',
  directoryRoles: 'directoryRoles',
  applications: 'applications',
  servicePrincipals: 'servicePrincipals',
  'policies/claimsMappingPolicies': 'claimsMappingPolicies',
  claimsMappingPolicies: 'claimsMappingPolicies',
  extensionProperties: 'extensionProperties',
  'directoryObjects/getAvailableExtensionProperties': 'extensionProperties',
} as const;
type ListKind = (typeof listNames)[keyof typeof listNames];
const nested = /^(users|groups|servicePrincipals|applications)\/([^/]+)\/(transitiveMemberOf|memberOf|appRoleAssignments|transitiveMembers|members|claimsMappingPolicies|appRoleAssignedTo|extensionProperties)$/;
const nestedKinds = new Set(['users/transitiveMemberOf', 'users/memberOf', 'users/appRoleAssignments', 'groups/transitiveMembers', 'groups/members', 'servicePrincipals/claimsMappingPolicies', 'servicePrincipals/appRoleAssignedTo', 'applications/extensionProperties']);

/** A response split over pages: `users.json`, `users.2.json`, … */
interface Paged {
  readonly base: string;
  readonly pages: { readonly file: ExportFile; readonly page: number; readonly value: JsonObject }[];
}

/** Finds a node by JSON Pointer in a parsed tree. */
function nodeAt(root: JsonNode | undefined, pointer: string): JsonNode | undefined {
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node?.kind === 'object') node = node.members.find((m) => m.key.value === key)?.value;
    else if (node?.kind === 'array') node = node.items[Number(key)];
    else return node;
  }
  return node;
}

/** Collects diagnostics per file and locates pointers in the file's text only when one is reported. */
class Findings {
  private readonly byFile = new Map<string, Diagnostic[]>();
  private readonly trees = new Map<string, JsonNode | undefined>();
  constructor(private readonly texts: ReadonlyMap<string, string>) {}

  add(file: string, code: DiagnosticCode, args: Record<string, string | number>, pointer?: string, span?: Span): void {
    let at = span;
    if (at === undefined && pointer !== undefined) {
      if (!this.trees.has(file)) this.trees.set(file, parseJsonTree(this.texts.get(file) ?? '').root);
      // the deepest node that exists: a missing property is reported at its object
      let p = pointer;
      let node = nodeAt(this.trees.get(file), p);
      while (node === undefined && p.includes('/')) {
        p = p.slice(0, p.lastIndexOf('/'));
        node = nodeAt(this.trees.get(file), p);
      }
      at = node?.span;
    }
    const list = this.byFile.get(file) ?? [];
    list.push(createDiagnostic(code, args, { span: at ?? { start: 0, end: 0 }, ...(pointer !== undefined ? { pointer } : {}) }));
    this.byFile.set(file, list);
  }

  get hasErrors(): boolean {
    for (const list of this.byFile.values()) if (list.some((d) => d.severity === 'error')) return true;
    return false;
  }

  files(): DiagnosticFile[] {
    return [...this.byFile].map(([file, diagnostics]) => ({ file, text: this.texts.get(file) ?? '', diagnostics }));
  }
}

/** The properties a `$metadata#users(id,mail)` context says were selected, or undefined without `$select`. */
export function selectedProperties(context: unknown): string[] | undefined {
  // the list closes the context; key segments ('id') and #Collection(type) are not selections
  if (typeof context !== 'string' || context.includes('#Collection(')) return undefined;
  const m = /\(([^()']*)\)$/.exec(context);
  if (m === null) return undefined;
  return m[1]!
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '' && p !== '*');
}

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
const typeOf = (item: JsonObject): string => String(item['@odata.type'] ?? '').toLowerCase();

/**
 * Reads a folder of Microsoft Graph responses, saved unedited, into a directory snapshot: OData collections
 * (paged over `<name>.json`, `<name>.2.json`, …), `GET /organization`, `/users`, per-user
 * `transitiveMemberOf`/`memberOf`/`appRoleAssignments`, per-group `transitiveMembers`/`members`, `/applications`,
 * `/servicePrincipals` with their `claimsMappingPolicies` and `appRoleAssignedTo`, `/policies/claimsMappingPolicies`
 * and directory extension definitions. Memberships are inverted into `groups[].members`. The `$select` of the
 * users and organization responses is kept as `exported`, so a property left out is "not exported", never null.
 * Never throws on input: every problem is a diagnostic located in its file.
 *
 * @example
 * const { snapshot, files } = assembleGraphExport([{ path: 'organization.json', text }, { path: 'users.json', text: usersText }]);
 */
export function assembleGraphExport(input: readonly ExportFile[]): AssembledExport {
  const texts = new Map(input.map((f) => [f.path, f.text]));
  const findings = new Findings(texts);
  const lists = new Map<ListKind, Paged>();
  const perPrincipal: { kind: string; id: string; paged: Paged }[] = [];
  const pagedByBase = new Map<string, Paged>();

  for (const file of [...input].sort((a, b) => a.path.localeCompare(b.path))) {
    const m = /^(.*?)(?:\.(\d+))?\.json$/i.exec(file.path);
    if (m === null) continue; // README and other non-JSON files travel with exports
    const base = m[1]!;
    const page = m[2] === undefined ? 1 : Number(m[2]);
    const known = Object.hasOwn(listNames, base) || (nested.test(base) && nestedKinds.has(base.replace(nested, '$1/$3')));
    if (!known) {
      findings.add(file.path, 'CM7102', { file: file.path }, undefined, { start: 0, end: 0 });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(file.text.replace(/^\uFEFF/, ''));
    } catch (error) {
      const tree = parseJsonTree(file.text);
      const first = tree.findings.find((f) => f.span !== undefined);
      findings.add(file.path, 'CM7101', { problem: (error as Error).message }, undefined, first?.span ?? { start: 0, end: 0 });
      continue;
    }
    if (!isObject(value) || (!Array.isArray(value['value']) && base !== 'organization')) {
      findings.add(file.path, 'CM7103', { found: Array.isArray(value) ? 'an array' : isObject(value) ? 'an object without "value"' : typeof value }, undefined, { start: 0, end: 0 });
      continue;
    }
    let paged = pagedByBase.get(base);
    if (paged === undefined) {
      paged = { base, pages: [] };
      pagedByBase.set(base, paged);
      if (Object.hasOwn(listNames, base)) {
        const kind = listNames[base as keyof typeof listNames];
        const existing = lists.get(kind);
        if (existing === undefined) lists.set(kind, paged);
        else paged = existing;
      } else {
        const n = nested.exec(base)!;
        perPrincipal.push({ kind: `${n[1]!}/${n[3]!}`, id: decodeURIComponent(n[2]!), paged });
      }
    }
    paged.pages.push({ file, page, value });
  }

  // items of a paged response, in page order, each with its origin; a last page with nextLink is an error
  const itemsOf = (paged: Paged | undefined): { item: JsonObject; origin: Origin }[] => {
    if (paged === undefined) return [];
    const pages = [...paged.pages].sort((a, b) => a.page - b.page);
    const out: { item: JsonObject; origin: Origin }[] = [];
    for (const { file, value } of pages) {
      const items = Array.isArray(value['value']) ? (value['value'] as unknown[]) : [value];
      items.forEach((item, index) => {
        if (isObject(item)) out.push({ item, origin: { file: file.path, pointer: Array.isArray(value['value']) ? `/value/${index}` : '' } });
        else findings.add(file.path, 'CM7106', { problem: `expected an object, found ${item === null ? 'null' : typeof item}` }, `/value/${index}`);
      });
    }
    const last = pages[pages.length - 1];
    if (last !== undefined && typeof last.value['@odata.nextLink'] === 'string') {
      findings.add(last.file.path, 'CM7104', { next: `${paged.base}.${last.page + 1}.json` }, '/@odata.nextLink');
    }
    return out;
  };

  const origins = new Map<object, Origin>();
  const keep = <T extends JsonObject>(entries: { item: JsonObject; origin: Origin }[]): T[] =>
    entries.map(({ item, origin }) => {
      const copy = { ...item } as T;
      origins.set(copy, origin);
      return copy;
    });
  for (const required of ['organization', 'users'] as const) {
    if (!lists.has(required)) findings.add(`${required}.json`, 'CM7108', { file: required }, undefined, { start: 0, end: 0 });
  }

  const organizationItems = itemsOf(lists.get('organization'));
  const users = keep<JsonObject & { id: string }>(itemsOf(lists.get('users')));
  const groups = keep<JsonObject & { id: string; members?: string[] }>(itemsOf(lists.get('groups')));
  const roles = keep<JsonObject & { id: string; members?: string[] }>(itemsOf(lists.get('directoryRoles')));
  const applications = keep(itemsOf(lists.get('applications')));
  const servicePrincipals = keep<JsonObject & { id: string; claimsMappingPolicies?: { id: string }[]; appRoleAssignedTo?: JsonObject[] }>(itemsOf(lists.get('servicePrincipals')));
  const policies = keep<JsonObject & { id: string }>(itemsOf(lists.get('claimsMappingPolicies')));
  const extensionProperties = keep(itemsOf(lists.get('extensionProperties')));

  const userIds = new Set(users.map((u) => u.id));
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const roleById = new Map(roles.map((r) => [r.id, r]));
  const spById = new Map(servicePrincipals.map((sp) => [sp.id, sp]));
  const policyIds = new Set(policies.map((p) => p.id));
  const memberSets = new Map<object, Set<string>>();
  const addMember = (container: JsonObject & { members?: string[] }, id: string): void => {
    let set = memberSets.get(container);
    if (set === undefined) {
      set = new Set(Array.isArray(container.members) ? container.members.map((m) => (typeof m === 'string' ? m : String((m as { id?: unknown }).id))) : []);
      memberSets.set(container, set);
    }
    set.add(id);
  };
  type Container = JsonObject & { id: string; members?: string[] };
  /** The group or role with the item's id, added (without its @odata.type) when the export lists it only in memberships. */
  const containerFor = (list: Container[], byId: Map<string, Container>, item: JsonObject, origin: Origin): Container => {
    const id = String(item['id']);
    let found = byId.get(id);
    if (found === undefined) {
      found = { ...item, id };
      delete found['@odata.type'];
      origins.set(found, origin);
      list.push(found);
      byId.set(id, found);
    }
    return found;
  };
  const groupFor = (item: JsonObject, origin: Origin): Container => containerFor(groups, groupById, item, origin);
  const roleFor = (item: JsonObject, origin: Origin): Container => containerFor(roles, roleById, item, origin);

  for (const { kind, id, paged } of perPrincipal) {
    const file = paged.pages[0]!.file.path;
    const items = itemsOf(paged);
    const [resource] = kind.split('/');
    const owner = resource === 'users' ? userIds.has(id) : resource === 'groups' ? true : resource === 'servicePrincipals' ? spById.has(id) : true;
    if (!owner) {
      findings.add(file, 'CM7105', { file, kind: resource === 'users' ? 'user' : 'service principal', id }, undefined, { start: 0, end: 0 });
      continue;
    }
    switch (kind) {
      case 'users/transitiveMemberOf':
      case 'users/memberOf':
        for (const { item, origin } of items) {
          const type = typeOf(item);
          if (type.endsWith('.directoryrole')) addMember(roleFor(item, origin), id);
          else if (type.endsWith('.group') || type === '') addMember(groupFor(item, origin), id);
          // administrative units and other directory objects carry no claims
        }
        break;
      case 'groups/transitiveMembers':
      case 'groups/members': {
        const group = groupFor({ id }, { file, pointer: '' });
        for (const { item } of items) if (typeof item['id'] === 'string') addMember(group, item['id']);
        break;
      }
      case 'users/appRoleAssignments':
      case 'servicePrincipals/appRoleAssignedTo':
        for (const { item, origin } of items) {
          const resourceId = kind === 'servicePrincipals/appRoleAssignedTo' ? id : String(item['resourceId']);
          const sp = spById.get(resourceId);
          if (sp === undefined) continue; // an assignment to an app the export left out
          const list = (sp.appRoleAssignedTo ??= []);
          if (!list.some((a) => a['id'] !== undefined && a['id'] === item['id'])) {
            const copy = { ...item };
            origins.set(copy, origin);
            list.push(copy);
          }
        }
        break;
      case 'servicePrincipals/claimsMappingPolicies': {
        const sp = spById.get(id)!;
        sp.claimsMappingPolicies = items.map(({ item }) => ({ id: String(item['id']) }));
        for (const { item, origin } of items) {
          if (policyIds.has(String(item['id'])) || !Array.isArray(item['definition'])) continue;
          const copy = { ...item } as JsonObject & { id: string };
          origins.set(copy, origin);
          policies.push(copy);
          policyIds.add(copy.id);
        }
        break;
      }
      case 'applications/extensionProperties':
        extensionProperties.push(...keep(items));
        break;
    }
  }
  for (const [container, set] of memberSets) (container as { members?: string[] }).members = [...set];

  const exported: Record<string, string[]> = {};
  const usersPaged = lists.get('users');
  const selected = usersPaged === undefined ? undefined : selectedProperties(usersPaged.pages[0]?.value['@odata.context']);
  exported['users'] = selected ?? [...new Set(users.flatMap((u) => Object.keys(u).filter((k) => !k.startsWith('@'))))];
  const organizationContext = lists.get('organization')?.pages[0]?.value['@odata.context'];
  const organization = organizationItems[0];
  exported['organization'] = selectedProperties(organizationContext) ?? (organization === undefined ? [] : Object.keys(organization.item).filter((k) => !k.startsWith('@')));

  if (findings.hasErrors || organization === undefined) return { snapshot: undefined, files: findings.files() };
  const organizationCopy = { ...organization.item };
  origins.set(organizationCopy, organization.origin);
  const snapshot = { organization: organizationCopy, users, groups, directoryRoles: roles, applications, servicePrincipals, claimsMappingPolicies: policies, extensionProperties, exported };
  const parsed = DirectorySnapshotSchema.safeParse(snapshot);
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 50)) {
      // walk the path down to the deepest object whose origin is known, then point inside its file
      let value: unknown = snapshot;
      let origin: Origin | undefined;
      let rest: (string | number)[] = [];
      for (const [depth, segment] of issue.path.entries()) {
        value = isObject(value) || Array.isArray(value) ? (value as Record<string | number, unknown>)[segment as string | number] : undefined;
        const found = value !== null && typeof value === 'object' ? origins.get(value) : undefined;
        if (found !== undefined) {
          origin = found;
          rest = issue.path.slice(depth + 1).map((p) => (typeof p === 'symbol' ? String(p) : p));
        }
      }
      const where = issue.path.map(String).join('/');
      if (origin === undefined) findings.add('(export)', 'CM7106', { problem: `${where}: ${issue.message}` }, undefined, { start: 0, end: 0 });
      else findings.add(origin.file, 'CM7106', { problem: issue.message }, origin.pointer + toPointer(rest));
    }
    return { snapshot: undefined, files: findings.files() };
  }
  return { snapshot: parsed.data, files: findings.files() };
}
