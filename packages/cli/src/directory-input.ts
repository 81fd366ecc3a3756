import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { createDiagnostic, type Diagnostic } from '@claimc/model';
import { assembleGraphExport, renderDiagnostics, type DiagnosticFile, type ExportFile } from '@claimc/compiler';
import { isSnapshotLines, parseSnapshotLines, type DirectoryClaimsMappingPolicy, type DirectoryServicePrincipal, type SnapshotParts } from '@claimc/runtime/internal';
import type { CliIO } from './command.js';
import { wantsColor } from './color.js';
import { readJsonFile } from './files.js';

/**
 * A snapshot as read from disk, before policies are compiled: a plain snapshot object (a JSON file, or a
 * Graph export folder assembled into one) or the parts of an indexed snapshot (`claimc snapshot`).
 */
export type SnapshotSource =
  | { readonly kind: 'object'; readonly snapshot: unknown; readonly file: string; readonly text: string }
  | { readonly kind: 'parts'; readonly parts: SnapshotParts; readonly file: string };

/** Reads every file of an export folder (recursively), paths relative to it with forward slashes. */
async function readExportFolder(root: string): Promise<ExportFile[]> {
  const files: ExportFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.json')) files.push({ path: relative(root, full).split(sep).join('/'), text: await readFile(full, 'utf8') });
    }
  };
  await walk(root);
  return files;
}

/** Renders located diagnostics of several files to standard error. */
export function reportFiles(io: CliIO, files: readonly DiagnosticFile[]): void {
  const shown = files.map((f) => ({ ...f, diagnostics: f.diagnostics.filter((d) => d.severity !== 'info') })).filter((f) => f.diagnostics.length > 0);
  if (shown.length > 0) io.stderr.write(renderDiagnostics(shown, 'text', { color: wantsColor(io.stderr, io) }));
}

/**
 * Reads `--directory`: a Graph export folder, an indexed snapshot written by `claimc snapshot`, or a snapshot
 * JSON file. Problems are printed as located diagnostics; the result says which exit code to use otherwise.
 *
 * @example
 * const source = await readSnapshotSource('docs/examples/tenant-export', io);
 */
export async function readSnapshotSource(path: string, io: CliIO): Promise<{ ok: true; source: SnapshotSource; diagnostics: readonly DiagnosticFile[] } | { ok: false; exitCode: number }> {
  const full = resolve(io.cwd, path);
  let isFolder = false;
  try {
    isFolder = (await stat(full)).isDirectory();
  } catch (error) {
    io.stderr.write(`claimc: ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : 'cannot read'}\n`);
    return { ok: false, exitCode: 2 };
  }
  if (isFolder) {
    let files: ExportFile[];
    try {
      files = await readExportFolder(full);
    } catch (error) {
      io.stderr.write(`claimc: ${path}: cannot read the folder (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})\n`);
      return { ok: false, exitCode: 2 };
    }
    const assembled = assembleGraphExport(files);
    const located = assembled.files.map((f) => ({ ...f, file: join(path, f.file) }));
    reportFiles(io, located);
    if (assembled.snapshot === undefined) return { ok: false, exitCode: 1 };
    return { ok: true, source: { kind: 'object', snapshot: assembled.snapshot, file: path, text: '' }, diagnostics: located };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(full);
  } catch (error) {
    io.stderr.write(`claimc: ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})\n`);
    return { ok: false, exitCode: 2 };
  }
  if (isSnapshotLines(bytes)) {
    const read = parseSnapshotLines(bytes);
    if ('parts' in read) return { ok: true, source: { kind: 'parts', parts: read.parts, file: path }, diagnostics: [] };
    const diagnostic: Diagnostic = createDiagnostic('CM7109', { line: read.line, problem: read.problem });
    reportFiles(io, [{ file: path, text: '', diagnostics: [diagnostic] }]);
    return { ok: false, exitCode: 1 };
  }
  const json = await readJsonFile(path, io);
  if (!json.ok) {
    io.stderr.write(`claimc: ${json.message}\n`);
    return { ok: false, exitCode: 2 };
  }
  return { ok: true, source: { kind: 'object', snapshot: json.value, file: path, text: json.text }, diagnostics: [] };
}

/** The lists a policy assignment touches, in either snapshot form. */
export interface AssignableLists {
  readonly applications: readonly { readonly appId?: unknown; readonly identifierUris?: unknown }[];
  readonly servicePrincipals: readonly DirectoryServicePrincipal[];
  readonly claimsMappingPolicies: readonly DirectoryClaimsMappingPolicy[];
}

/**
 * Assigns a policy (by its definition JSON) to apps in place of their own: returns new service-principal and
 * policy lists. Each app is an appId or identifier URI.
 *
 * @example
 * const lists = assignPolicyDefinition(parts, [appId], { id: 'candidate', displayName: 'New', definition: [json] });
 */
export function assignPolicyDefinition(lists: AssignableLists, apps: readonly string[], policy: DirectoryClaimsMappingPolicy): Pick<AssignableLists, 'servicePrincipals' | 'claimsMappingPolicies'> {
  const appIds = new Set(
    apps.map((app) => lists.applications.find((a) => a.appId === app || (Array.isArray(a.identifierUris) && (a.identifierUris as unknown[]).includes(app)))?.appId ?? app),
  );
  return {
    servicePrincipals: lists.servicePrincipals.map((sp) => (appIds.has(sp.appId) ? { ...sp, claimsMappingPolicies: [{ id: policy.id }] } : sp)),
    claimsMappingPolicies: [...lists.claimsMappingPolicies.filter((p) => p.id !== policy.id), policy],
  };
}
