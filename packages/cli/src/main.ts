import { escapeForDisplay, suggest } from '@claimc/model';
import { ExitCode, UsageError } from './command.js';
import type { CliIO, Command } from './command.js';
import { commands } from './commands/index.js';
import { writeResult } from './output.js';
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
    const { args: withoutColor, color } = takeColorFlags(argv);
    if (color !== undefined) io = { ...io, color };
    const [first, ...rest] = withoutColor;
    if (first === undefined) {
      io.stderr.write(generalHelp());
      return ExitCode.usage;
    }
    if (first === '--help' || first === '-h') {
      io.stdout.write(generalHelp());
      return ExitCode.ok;
    }
    if (first === '--version' || first === '-V' || first === '-v') {
      io.stdout.write(cliVersion() + '\n');
      return ExitCode.ok;
    }
    if (first === 'help') return helpFor(rest[0], io);
    command = commands.find((c) => c.name === first);
    if (command === undefined) return unknownCommand(first, io);
    if (hasFlag(rest, ['--help', '-h'])) {
      io.stdout.write(withNewline(command.usage));
      return ExitCode.ok;
    }
    if (hasFlag(rest, ['--version', '-V', '-v'])) {
      io.stdout.write(cliVersion() + '\n');
      return ExitCode.ok;
    }
    if (command.resultOnStdout === true) return await runWithOutputFile(command, rest, io);
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const name = command !== undefined ? `claimc ${command.name}` : 'claimc';
      io.stderr.write(`${name}: ${oneLine(error.message)}; see '${name} --help'\n`);
      return ExitCode.usage;
    }
    io.stderr.write(`claimc: internal error: ${oneLine(error instanceof Error ? `${error.name}: ${error.message}` : String(error))}\n`);
    return ExitCode.usage;
  }
}

/** `-o, --output <file>` for a command that prints its result: stdout is collected and written to the file (folders created). */
async function runWithOutputFile(command: Command, args: readonly string[], io: CliIO): Promise<number> {
  const rest: string[] = [];
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (arg === '-o' || arg === '--output') {
      output = args[++i];
      if (output === undefined) throw new UsageError(`${arg} needs a file`);
    } else if (arg.startsWith('--output=')) output = arg.slice('--output='.length);
    else rest.push(arg);
  }
  if (output === undefined) return command.run(rest, io);
  let collected = '';
  const code = await command.run(rest, { ...io, stdout: { isTTY: false, write: (chunk: string) => ((collected += chunk), true) } });
  if (code === ExitCode.usage && collected === '') return code;
  return (await writeResult(io, output, collected, command.name)) ? code : ExitCode.usage;
}

// `--color` / `--no-color` are global: any command, any position before a `--` terminator.
function takeColorFlags(argv: readonly string[]): { args: string[]; color: boolean | undefined } {
  const args: string[] = [];
  let color: boolean | undefined;
  let terminated = false;
  for (const arg of argv) {
    if (!terminated && (arg === '--color' || arg === '--no-color')) {
      color = arg === '--color';
      continue;
    }
    if (arg === '--') terminated = true;
    args.push(arg);
  }
  return { args, color };
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

// `--help` or `--version` anywhere before a `--` terminator means the program's, whatever the command.
function hasFlag(args: readonly string[], flags: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (flags.includes(arg)) return true;
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
    '  -h, --help            show help (also: claimc <command> --help)',
    '  -v, -V, --version     print the version',
    '  --color, --no-color   force colour on or off (default: on for a terminal; FORCE_COLOR and NO_COLOR are read)',
    '',
    'Exit codes: 0 ok, 1 findings or errors, 2 usage error or unreadable input.',
    '',
  ].join('\n');
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : text + '\n';
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').slice(0, 500);
}
