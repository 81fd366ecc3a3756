import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { CliIO } from './command.js';

export type ReadResult = { readonly ok: true; readonly path: string; readonly text: string } | { readonly ok: false; readonly message: string };

/** Reads a UTF-8 text file relative to the working directory; a failure is a message, never a throw. */
export async function readTextFile(path: string, io: CliIO): Promise<ReadResult> {
  const full = resolve(io.cwd, path);
  try {
    const bytes = await readFile(full);
    if (bytes.includes(0)) return { ok: false, message: `${path}: not a text file (it contains NUL bytes)` };
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, path: full, text };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, message: `${path}: no such file` };
    if (code === 'EISDIR') return { ok: false, message: `${path}: is a directory` };
    if (error instanceof TypeError) return { ok: false, message: `${path}: not valid UTF-8 text` };
    return { ok: false, message: `${path}: cannot read (${code ?? 'unknown error'})` };
  }
}

/** Reads and parses a JSON file (context inputs, snapshots); a failure is a message, never a throw. */
export async function readJsonFile(path: string, io: CliIO): Promise<{ ok: true; value: unknown; text: string } | { ok: false; message: string }> {
  const read = await readTextFile(path, io);
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
