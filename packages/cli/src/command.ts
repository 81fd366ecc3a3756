/** What a command may touch: the CLI is the only package that reaches process streams, env and the file system. */
export interface CliIO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Standard input, read when a file argument is `-`; reading stops at the input's size limit. */
  readonly stdin?: AsyncIterable<Uint8Array | string>;
  /** `--color` (true) or `--no-color` (false) when the user gave one; see `wantsColor`. */
  readonly color?: boolean;
}

/** The part of a Node writable stream the CLI uses; `hasColors` is a TTY's own colour support. */
export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  hasColors?(): boolean;
}

/** Exit codes (DEVELOPERS.md): 0 ok, 1 findings or errors, 2 usage or unreadable input. */
export const ExitCode = { ok: 0, findings: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** One `claimc <name>` subcommand. */
export interface Command {
  readonly name: string;
  /** One line for `claimc --help`. */
  readonly summary: string;
  /** Full usage text for `claimc <name> --help`. */
  readonly usage: string;
  /** The command prints its result on stdout; `main` gives it `-o, --output <file>` to write that result to a file instead. */
  readonly resultOnStdout?: boolean;
  run(args: readonly string[], io: CliIO): Promise<number>;
}

/** Thrown by argument helpers for a usage mistake; main prints it on one line, points at `--help`, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
