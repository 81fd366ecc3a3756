import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatClaims } from '@claimc/syntax';
import { parseCommandArgs } from '../args.js';
import { ExitCode, UsageError } from '../command.js';
import type { Command } from '../command.js';
import { expandFolders, readTextFile } from '../files.js';
import { reportTo } from './build.js';

const usage = `Usage: claimc fmt [--check] <file.claims>...

Formats .claims files in place: one statement per line, clauses on indented lines, two-space
indentation, comments kept where they stand. Formatting twice changes nothing.

Options:
  --check      change nothing; list the files that would change and exit 1 if any would
  -h, --help   show this help

Exit codes: 0 formatted (or already formatted), 1 a file would change (--check) or has a syntax
error, 2 usage error or an unreadable/unwritable file.
`;

/** `claimc fmt [--check] <file>...`. */
export const fmtCommand: Command = {
  name: 'fmt',
  summary: 'format .claims files (idempotent, keeps comments); --check for CI',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { check: { type: 'boolean' } });
    if (positionals.length === 0) throw new UsageError('no file given');
    let exit: number = ExitCode.ok;
    for (const path of await expandFolders(positionals, io, /\.claims$/i)) {
      if (path !== '-' && !path.toLowerCase().endsWith('.claims')) {
        // the JSON envelopes have one canonical form, which `build` writes; fmt is the .claims formatter
        io.stderr.write(`claimc fmt: ${path} is not a .claims file; fmt formats the .claims language. For a JSON policy, run 'claimc decompile ${path} -o ${path.replace(/\.[^./\\]*$/, '')}.claims' and format that.\n`);
        exit = ExitCode.usage;
        continue;
      }
      const read = await readTextFile(path, io);
      if (!read.ok) {
        io.stderr.write(read.message + '\n');
        exit = ExitCode.usage;
        continue;
      }
      const formatted = formatClaims(read.text);
      const errors = formatted.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) {
        reportTo(io, path, read.text, errors);
        if (exit === ExitCode.ok) exit = ExitCode.findings;
        continue;
      }
      if (formatted.text === read.text) continue;
      if (values.check === true) {
        io.stdout.write(`would reformat ${path}\n`);
        if (exit === ExitCode.ok) exit = ExitCode.findings;
        continue;
      }
      try {
        await writeFile(resolve(io.cwd, path), formatted.text, 'utf8');
        io.stdout.write(`formatted ${path}\n`);
      } catch (error) {
        io.stderr.write(`${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})\n`);
        exit = ExitCode.usage;
      }
    }
    return exit;
  },
};
