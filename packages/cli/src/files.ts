import { mkdir, open, readdir, stat, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createDiagnostic, limits } from '@claimc/model';
import type { Diagnostic } from '@claimc/model';
import type { CliIO } from './command.js';

/** A read file's text, or why it could not be read: a message, and for an input over its size limit the diagnostic (CM0050, CM0051). */
export type ReadResult =
  | { readonly ok: true; readonly path: string; readonly text: string }
  | { readonly ok: false; readonly message: string; readonly diagnostic?: Diagnostic };

/** How much of an input the CLI reads, and what to call it in the refusal. */
export interface InputLimit {
  readonly maxBytes: number;
  /** Named in CM0050/CM0051, e.g. `a policy`. */
  readonly kind: string;
}

/** Policies, keys and other text inputs: the policy size cap. */
export const textInput: InputLimit = { maxBytes: limits.policyBytes, kind: 'a policy or key file' };
/** Directory snapshots and other JSON data files. */
export const dataInput: InputLimit = { maxBytes: limits.snapshotBytes, kind: 'a directory snapshot or JSON data file' };

/** The file argument that means standard input, for commands that accept it. */
export const stdinPath = '-';

/** Options of {@link readTextFile}. */
export interface ReadOptions {
  /** Size limit (default {@link textInput}). */
  readonly limit?: InputLimit;
  /** Read `-` from standard input (commands that write back to their files leave this off). */
  readonly standardInput?: boolean;
}
const chunkBytes = 1024 * 1024;

/**
 * Reads a UTF-8 text file relative to the working directory (`-`: standard input); a failure is a message, never a
 * throw. The size is checked before reading (fstat) and reading stops one byte past the limit, so a huge input is
 * refused without being loaded.
 *
 * @example
 * const read = await readTextFile('policy.json', io, { standardInput: true });
 * if (!read.ok) io.stderr.write(read.message + '\n');
 */
export async function readTextFile(path: string, io: CliIO, options: ReadOptions = {}): Promise<ReadResult> {
  const limit = options.limit ?? textInput;
  if (path === stdinPath && options.standardInput === true && io.stdin !== undefined) return decode(path, path, await readStdin(io.stdin, limit), limit, true);
  const full = resolve(io.cwd, path);
  let handle: FileHandle | undefined;
  try {
    handle = await open(full, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) return { ok: false, message: `${path}: is a directory` };
    if (stat.size > limit.maxBytes) return tooBig(path, 'CM0050', { size: stat.size, limit: limit.maxBytes, kind: limit.kind });
    return decode(path, full, await readBounded(handle, limit.maxBytes), limit);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, message: `${path}: no such file` };
    if (code === 'EISDIR') return { ok: false, message: `${path}: is a directory` };
    return { ok: false, message: `${path}: cannot read (${code ?? 'unknown error'})` };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Reads at most `maxBytes + 1` bytes (devices and pipes report no size, so the read itself is bounded too). */
async function readBounded(handle: FileHandle, maxBytes: number): Promise<Uint8Array | 'too big'> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const buffer = new Uint8Array(Math.min(chunkBytes, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > maxBytes) return 'too big';
    chunks.push(buffer.subarray(0, bytesRead));
  }
  return Buffer.concat(chunks, total);
}

/** Reads standard input and stops pulling chunks as soon as the limit is passed. */
async function readStdin(stdin: AsyncIterable<Uint8Array | string>, limit: InputLimit): Promise<Uint8Array | 'too big'> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    total += bytes.length;
    if (total > limit.maxBytes) return 'too big';
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}

function decode(path: string, full: string, bytes: Uint8Array | 'too big', limit: InputLimit, fromStdin = false): ReadResult {
  if (bytes === 'too big') {
    return fromStdin
      ? tooBig(path, 'CM0051', { limit: limit.maxBytes, kind: limit.kind })
      : tooBig(path, 'CM0050', { size: `more than ${limit.maxBytes}`, limit: limit.maxBytes, kind: limit.kind });
  }
  if (bytes.includes(0)) return { ok: false, message: `${path}: not a text file (it contains NUL bytes)` };
  try {
    return { ok: true, path: full, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { ok: false, message: `${path}: not valid UTF-8 text` };
  }
}

function tooBig(path: string, code: 'CM0050' | 'CM0051', args: Readonly<Record<string, string | number>>): ReadResult {
  const diagnostic = createDiagnostic(code, args);
  return { ok: false, message: `${path}: ${code} ${diagnostic.message}`, diagnostic };
}

/** Reads and parses a JSON file (context inputs, snapshots; up to the data-file limit); a failure is a message, never a throw. */
export async function readJsonFile(
  path: string,
  io: CliIO,
  options: ReadOptions = { limit: dataInput },
): Promise<{ ok: true; value: unknown; text: string } | { ok: false; message: string; diagnostic?: Diagnostic }> {
  const read = await readTextFile(path, io, options);
  if (!read.ok) return read;
  try {
    return { ok: true, value: JSON.parse(read.text) as unknown, text: read.text };
  } catch (error) {
    return { ok: false, message: `${path}: not valid JSON (${(error as Error).message})` };
  }
}

/** Writes a text file relative to the working directory, creating missing parent folders; a failure is a message, never a throw. */
export async function writeTextFile(path: string, text: string, io: CliIO): Promise<{ ok: true } | { ok: false; message: string }> {
  const full = resolve(io.cwd, path);
  try {
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, text, 'utf8');
    return { ok: true };
  } catch (error) {
    return { ok: false, message: `${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})` };
  }
}

/** The file kinds a folder argument expands to: what the policy readers accept. */
const policyFileName = /\.(json|ps1|claims|tf)$/i;

/**
 * Expands folder arguments to the policy files inside them (recursively, sorted, skipping hidden folders and
 * `node_modules`), as tsc and eslint do; files and `-` pass through unchanged, and a missing path stays so the
 * reader reports it. `only` narrows a folder's files (e.g. `.claims` for `fmt`).
 *
 * @example
 * const paths = await expandFolders(['policies/', 'extra.json'], io); // ['policies/a.json', 'policies/b.claims', 'extra.json']
 */
export async function expandFolders(paths: readonly string[], io: CliIO, only: RegExp = policyFileName): Promise<string[]> {
  const expanded: string[] = [];
  for (const path of paths) {
    if (path === stdinPath) {
      expanded.push(path);
      continue;
    }
    const info = await stat(resolve(io.cwd, path)).catch(() => undefined);
    if (info === undefined || !info.isDirectory()) {
      expanded.push(path);
      continue;
    }
    expanded.push(...(await filesUnder(path, io, only)));
  }
  return expanded;
}

async function filesUnder(folder: string, io: CliIO, only: RegExp): Promise<string[]> {
  const entries = await readdir(resolve(io.cwd, folder), { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(path, io, only)));
    else if (entry.isFile() && only.test(entry.name) && (await holdsPolicy(resolve(io.cwd, path), entry.name))) found.push(path);
  }
  return found;
}

// A folder holds other JSON too (contexts, snapshots, Graph exports): keep the files that mention a policy. Named files are always read.
const policyMarker = /claimsmappingpolic|claims_mapping_policy/i;

async function holdsPolicy(path: string, name: string): Promise<boolean> {
  if (/\.claims$/i.test(name)) return true;
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return true;
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return policyMarker.test(head.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}
