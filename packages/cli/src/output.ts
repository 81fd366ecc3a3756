import type { CliIO } from './command.js';
import { writeTextFile } from './files.js';

/** The `-o, --output <file>` option every command that writes a result accepts. */
export const outputOption = { output: { type: 'string', short: 'o' } } as const;

/**
 * Writes a command's result to `-o <file>` (creating missing folders) or, without one, to standard output.
 * Returns false after printing why when the file cannot be written (the caller exits 2).
 *
 * @example
 * if (!(await writeResult(io, values.output, report))) return ExitCode.usage;
 */
export async function writeResult(io: CliIO, output: string | undefined, content: string, command: string): Promise<boolean> {
  if (output === undefined || output === '-') {
    io.stdout.write(content);
    return true;
  }
  const written = await writeTextFile(output, content, io);
  if (!written.ok) io.stderr.write(`claimc ${command}: ${written.message}\n`);
  return written.ok;
}
