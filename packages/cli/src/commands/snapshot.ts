import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { prepareDirectory, prepareSnapshotParts } from '@claimc/compiler';
import { snapshotLines, type ParsedDirectorySnapshot } from '@claimc/runtime/internal';
import { parseCommandArgs } from '../args.js';
import { ExitCode, UsageError } from '../command.js';
import type { CliIO, Command } from '../command.js';
import { readSnapshotSource, reportFiles } from '../directory-input.js';

const usage = `Usage: claimc snapshot <export folder|snapshot.json> -o <tenant.snapshot>

Validates a tenant once — a folder of Microsoft Graph responses saved unedited (see docs/tenants.md for
the requests and two export scripts), or a snapshot JSON file — compiles its claims-mapping policies,
resolves every membership, and writes the indexed form: JSON Lines, one resource per line, users last
with their groups and roles as indexes. Every command that takes --directory reads it fast, at any
tenant size.

Options:
  -o, --output <file>   where to write the indexed snapshot (required)
  -h, --help            show this help

Exit codes: 0 written, 1 the export or snapshot has errors (located diagnostics), 2 usage or unreadable input.
`;

/** Writes lines to a file, waiting for the stream to drain so a million users never sit in memory as one string. */
async function writeLines(path: string, lines: Iterable<string>, io: CliIO): Promise<string | undefined> {
  const full = resolve(io.cwd, path);
  try {
    await mkdir(dirname(full), { recursive: true });
  } catch (error) {
    return `${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`;
  }
  const stream = createWriteStream(full, { encoding: 'utf8' });
  let failure: string | undefined;
  stream.on('error', (error: NodeJS.ErrnoException) => (failure = `${path}: cannot write (${error.code ?? 'unknown error'})`));
  let chunk = '';
  for (const line of lines) {
    chunk += line + '\n';
    if (chunk.length < 1 << 16) continue;
    if (!stream.write(chunk)) await new Promise<void>((done) => stream.once('drain', () => done()));
    chunk = '';
    if (failure !== undefined) break;
  }
  await new Promise<void>((done) => stream.end(chunk, () => done()));
  return failure;
}

/** `claimc snapshot <folder|snapshot.json> -o tenant.snapshot`. */
export const snapshotCommand: Command = {
  name: 'snapshot',
  summary: 'validate a Graph export folder once and write the indexed snapshot every command reads fast',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { output: { type: 'string', short: 'o' } });
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'no export folder or snapshot given' : 'snapshot takes one export folder or snapshot file');
    if (values.output === undefined) throw new UsageError('-o <tenant.snapshot> is required');
    const read = await readSnapshotSource(positionals[0]!, io);
    if (!read.ok) return read.exitCode;
    const source = read.source;
    const prepared = source.kind === 'parts' ? prepareSnapshotParts(source.parts) : prepareDirectory(source.snapshot);
    reportFiles(io, [{ file: source.file, text: source.kind === 'object' ? source.text : '', diagnostics: prepared.diagnostics }]);
    if (prepared.directory === undefined) return ExitCode.findings;
    const data: ParsedDirectorySnapshot =
      prepared.snapshot ??
      (source.kind === 'parts'
        ? {
            organization: source.parts.organization,
            groups: [...source.parts.groups],
            directoryRoles: [...source.parts.roles],
            applications: [...source.parts.applications],
            servicePrincipals: [...source.parts.servicePrincipals],
            claimsMappingPolicies: [...source.parts.claimsMappingPolicies],
            extensionProperties: [...source.parts.extensionProperties],
            ...(source.parts.exported !== undefined ? { exported: Object.fromEntries(Object.entries(source.parts.exported).map(([k, v]) => [k, [...v]])) } : {}),
          }
        : ({} as ParsedDirectorySnapshot));
    const failure = await writeLines(values.output, snapshotLines(data, prepared.directory), io);
    if (failure !== undefined) {
      io.stderr.write(`claimc snapshot: ${failure}\n`);
      return ExitCode.usage;
    }
    const d = prepared.directory;
    io.stderr.write(`claimc snapshot: ${values.output}: ${d.users.length} users, ${d.groupsById.size} groups, ${d.apps.length} apps, ${prepared.plans.size} policies\n`);
    return ExitCode.ok;
  },
};
