import { hasErrors } from '@claimc/model';
import { printPolicyClaims, readPolicy } from '@claimc/syntax';
import { parseCommandArgs } from '../args.js';
import { ExitCode, UsageError } from '../command.js';
import type { Command } from '../command.js';
import { readTextFile } from '../files.js';
import { reportTo, writeOutput } from './build.js';

const usage = `Usage: claimc decompile <policy.json> [-o <file.claims>]

Writes a JSON policy (raw, Graph body or PowerShell line) as .claims. Nothing is lost: building the
result gives the same policy, IDs included. Transformations used by one claim are written inline.

Options:
  -o, --output <file>   write the .claims text here (default: standard output)
  -h, --help            show this help

Exit codes: 0 written, 1 the JSON cannot be read as a policy, 2 usage error or unreadable/unwritable file.
`;

/** `claimc decompile <policy.json> [-o file.claims]`. */
export const decompileCommand: Command = {
  name: 'decompile',
  summary: 'write a JSON policy as readable .claims (lossless)',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { output: { type: 'string', short: 'o' } });
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'no policy file given' : 'decompile takes one policy file');
    const path = positionals[0] as string;
    const read = await readTextFile(path, io);
    if (!read.ok) {
      io.stderr.write(read.message + '\n');
      return ExitCode.usage;
    }
    const result = readPolicy(read.text, { fileName: path });
    reportTo(io, path, read.text, result.diagnostics.filter((d) => d.severity === 'error'));
    if (result.policy === undefined || hasErrors(result.diagnostics)) return ExitCode.findings;
    const text = printPolicyClaims(result.policy, result.displayName !== undefined ? { displayName: result.displayName } : {});
    const failure = await writeOutput(values.output, text, io);
    if (failure !== undefined) {
      io.stderr.write(failure + '\n');
      return ExitCode.usage;
    }
    return ExitCode.ok;
  },
};
