import { escapeForDisplay, suggest } from '@claimc/model';
import { ExitCode, UsageError } from './command.js';
import type { CliIO, Command } from './command.js';
import { commands } from './commands/index.js';
import { cliVersion } from './version.js';

/**
 * Runs `claimc` with the arguments after the program name and returns the exit code:
 * 0 ok, 1 findings, 2 usage or unreadable input. Never throws: an unexpected exception is one
 * `internal error:` line on stderr and exit 2.
 *
 * @example
 * const code = await main(['check', 'policy.json'], { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let command: Command | undefined;
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.stderr.write(generalHelp());
      return ExitCode.usage;
    }
    if (first === '--help' || first === '-h') {
      io.stdout.write(generalHelp());
      return ExitCode.ok;
    }
    if (first === '--version' || first === '-V') {
      io.stdout.write(cliVersion() + '\n');
      return ExitCode.ok;
    }
    if (first === 'help') return helpFor(rest[0], io);
    command = commands.find((c) => c.name === first);
    if (command === undefined) return unknownCommand(first, io);
    if (asksForHelp(rest)) {
      io.stdout.write(withNewline(command.usage));
      return ExitCode.ok;
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`claimc${command !== undefined ? ' ' + command.name : ''}: ${error.message}\n`);
      if (command !== undefined) io.stderr.write(withNewline(command.usage));
      return ExitCode.usage;
    }
    io.stderr.write(`claimc: internal error: ${oneLine(error)}\n`);
    return ExitCode.usage;
  }
}

function helpFor(name: string | undefined, io: CliIO): number {
  if (name === undefined) {
    io.stdout.write(generalHelp());
    return ExitCode.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) return unknownCommand(name, io);
  io.stdout.write(withNewline(command.usage));
  return ExitCode.ok;
}

function unknownCommand(name: string, io: CliIO): number {
  const guess = name.startsWith('-') ? undefined : suggest(name, commands.map((c) => c.name));
  io.stderr.write(`claimc: unknown ${name.startsWith('-') ? 'option' : 'command'} '${escapeForDisplay(name)}'${guess !== undefined ? ` (did you mean '${guess}'?)` : ''}\nRun 'claimc --help' for the list of commands.\n`);
  return ExitCode.usage;
}

// `--help` anywhere before a `--` terminator asks for the command's usage.
function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

function generalHelp(): string {
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return [
    'claimc — check, compile and evaluate Microsoft Entra claims-mapping policies offline',
    '',
    'Usage: claimc <command> [options]',
    '',
    'Commands:',
    list,
    '',
    'Options:',
    '  -h, --help     show help (also: claimc <command> --help)',
    '  -V, --version  print the version',
    '',
    'Exit codes: 0 ok, 1 findings or errors, 2 usage error or unreadable input.',
    '',
  ].join('\n');
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : text + '\n';
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.replace(/\s*\n\s*/g, ' ').slice(0, 500);
}
