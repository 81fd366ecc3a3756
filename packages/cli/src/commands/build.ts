import { basename, extname } from 'node:path';
import { hasErrors, writeEnvelope } from '@claimc/model';
import type { Diagnostic, EnvelopeKind } from '@claimc/model';
import { renderDiagnostics } from '@claimc/compiler';
import { oneOf, parseCommandArgs } from '../args.js';
import { wantsColor } from '../color.js';
import { ExitCode, UsageError } from '../command.js';
import type { CliIO, Command } from '../command.js';
import { readTextFile, writeTextFile } from '../files.js';
import { checkPolicyText } from './check.js';

const usage = `Usage: claimc build <file.claims> [options]

Compiles a policy to the JSON Entra accepts. Runs the checker with --target entra semantics: an
extension Entra would not accept, or any other error, is reported and nothing is written.

Options:
  -o, --output <file>                   write the JSON here (default: standard output)
  --envelope <raw|graph|powershell>     raw {"ClaimsMappingPolicy":…} (default), a Graph request body,
                                        or a New-MgPolicyClaimMappingPolicy command line
  --display-name <name>                 display name for graph/powershell (default: the policy's
                                        name, else the file name)
  --custom-signing-key                  the application has a custom signing key
  -h, --help                            show this help

Exit codes: 0 built, 1 the policy has errors, 2 usage error or unreadable/unwritable file.
`;

/** Writes `text` to `path` (relative to the working directory) or standard output; a failure is a message. */
export async function writeOutput(path: string | undefined, text: string, io: CliIO): Promise<string | undefined> {
  if (path === undefined) {
    io.stdout.write(text);
    return undefined;
  }
  const written = await writeTextFile(path, text, io);
  return written.ok ? undefined : written.message;
}

/** Renders diagnostics of one file to standard error (colour when it is a terminal). */
export function reportTo(io: CliIO, file: string, text: string, diagnostics: readonly Diagnostic[]): void {
  if (diagnostics.length === 0) return;
  io.stderr.write(renderDiagnostics([{ file, text, diagnostics }], 'text', { color: wantsColor(io.stderr, io) }));
}

/** `claimc build <file.claims> [-o policy.json] [--envelope raw|graph|powershell]`. */
export const buildCommand: Command = {
  name: 'build',
  summary: 'compile a .claims policy to Entra-ready JSON (raw, Graph body or PowerShell)',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      output: { type: 'string', short: 'o' },
      envelope: { type: 'string' },
      'display-name': { type: 'string' },
      'custom-signing-key': { type: 'boolean' },
    });
    const envelope: EnvelopeKind = oneOf(values.envelope ?? 'raw', ['raw', 'graph', 'powershell'], '--envelope');
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'no policy file given' : 'build takes one policy file');
    const path = positionals[0] as string;
    const read = await readTextFile(path, io);
    if (!read.ok) {
      io.stderr.write(read.message + '\n');
      return ExitCode.usage;
    }
    const { read: policy, diagnostics } = checkPolicyText(read.text, path, { target: 'entra', ...(values['custom-signing-key'] === true ? { hasCustomSigningKey: true } : {}) });
    reportTo(io, path, read.text, diagnostics);
    if (hasErrors(diagnostics) || policy.policy === undefined) return ExitCode.findings;
    const displayName = values['display-name'] ?? policy.displayName ?? basename(path, extname(path));
    const failure = await writeOutput(values.output, writeEnvelope(policy.policy, envelope, displayName), io);
    if (failure !== undefined) {
      io.stderr.write(failure + '\n');
      return ExitCode.usage;
    }
    return ExitCode.ok;
  },
};
