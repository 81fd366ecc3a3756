import { join } from 'node:path';
import { createDiagnostic, hasErrors, sortDiagnostics } from '@claimc/model';
import { printPolicyClaims, readPolicies, selectPolicy, type PolicyReadResult } from '@claimc/syntax';
import { parseCommandArgs } from '../args.js';
import { ExitCode, UsageError } from '../command.js';
import type { Command } from '../command.js';
import { readTextFile } from '../files.js';
import { reportTo, writeOutput } from './build.js';

const usage = `Usage: claimc decompile <policy.json> [-o <file.claims>] [--select <id|displayName>]
       claimc decompile <policies.json> --all -o <folder>

Writes a JSON policy (raw, Graph body or collection, PowerShell line, Terraform, az rest) as .claims.
Nothing is lost: building the result gives the same policy, IDs included. Transformations used by one
claim are written inline. A .claims file holds one policy: a file with several needs --select, or
--all to write each into its own file in a folder.

Options:
  -o, --output <path>          write the .claims text here (default: standard output); with --all, a folder
  --select <id|displayName>    the policy to write when the file holds several (Graph id, Terraform address or display name)
  --all                        write every policy, one <displayName>.claims file each, into the -o folder
  -h, --help                   show this help

Exit codes: 0 written, 1 the JSON cannot be read as a policy, 2 usage error or unreadable/unwritable file.
`;

/** A file name from a display name: letters, digits, dot, dash and underscore kept, the rest one dash. */
function fileNameFor(policy: PolicyReadResult, index: number, taken: Set<string>): string {
  const base = (policy.displayName ?? policy.id ?? `policy-${index + 1}`).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || `policy-${index + 1}`;
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}`;
  taken.add(name.toLowerCase());
  return name + '.claims';
}

const printed = (policy: PolicyReadResult): string => printPolicyClaims(policy.policy!, policy.displayName !== undefined ? { displayName: policy.displayName } : {});

/** `claimc decompile <policy.json> [-o file.claims] [--select …] [--all -o folder]`. */
export const decompileCommand: Command = {
  name: 'decompile',
  summary: 'write a JSON policy as readable .claims (lossless)',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { output: { type: 'string', short: 'o' }, select: { type: 'string' }, all: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'no policy file given' : 'decompile takes one policy file');
    if (values.all === true && values.output === undefined) throw new UsageError('--all needs -o <folder>');
    if (values.all === true && values.select !== undefined) throw new UsageError('--all and --select exclude each other');
    const path = positionals[0] as string;
    const read = await readTextFile(path, io);
    if (!read.ok) {
      io.stderr.write(read.message + '\n');
      return ExitCode.usage;
    }
    const all = readPolicies(read.text, { fileName: path });
    const names = all.policies.map((p, i) => `"${p.displayName ?? p.id ?? `#${i + 1}`}"`).join(', ');
    let chosen: readonly PolicyReadResult[] = all.policies;
    const refusal = [];
    if (values.select !== undefined) {
      const one = selectPolicy(all.policies, values.select);
      if (one === undefined) refusal.push(createDiagnostic('CM1410', { selector: values.select, names }, { span: { start: 0, end: 0 } }));
      chosen = one === undefined ? [] : [one];
    } else if (values.all !== true && all.policies.length > 1) {
      refusal.push(createDiagnostic('CM1409', { count: all.policies.length, names }, { span: all.policies[1]!.span ?? { start: 0, end: 0 } }));
    }
    const diagnostics = sortDiagnostics([...all.diagnostics, ...refusal, ...chosen.flatMap((p) => p.diagnostics)]);
    reportTo(io, path, read.text, diagnostics.filter((d) => d.severity === 'error'));
    if (chosen.length === 0 || chosen.some((p) => p.policy === undefined) || hasErrors(diagnostics)) return ExitCode.findings;
    if (values.all === true) {
      const taken = new Set<string>();
      for (const [index, policy] of chosen.entries()) {
        const failure = await writeOutput(join(values.output!, fileNameFor(policy, index, taken)), printed(policy), io);
        if (failure !== undefined) {
          io.stderr.write(failure + '\n');
          return ExitCode.usage;
        }
      }
      return ExitCode.ok;
    }
    const failure = await writeOutput(values.output, printed(chosen[0]!), io);
    if (failure !== undefined) {
      io.stderr.write(failure + '\n');
      return ExitCode.usage;
    }
    return ExitCode.ok;
  },
};
