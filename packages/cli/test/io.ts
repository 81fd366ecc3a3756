import type { CliIO } from '../src/command.js';

/** A CliIO that records what a command writes; TTY-ness and env are chosen per test. */
export interface RecordingIO extends CliIO {
  readonly out: () => string;
  readonly err: () => string;
}

export function recordingIO(options: { cwd: string; env?: Record<string, string | undefined>; isTTY?: boolean; stdoutWrite?: (chunk: string) => void }): RecordingIO {
  let out = '';
  let err = '';
  return {
    stdout: {
      isTTY: options.isTTY ?? false,
      write(chunk: string) {
        options.stdoutWrite?.(chunk);
        out += chunk;
        return true;
      },
    },
    stderr: {
      isTTY: options.isTTY ?? false,
      write(chunk: string) {
        err += chunk;
        return true;
      },
    },
    env: options.env ?? {},
    cwd: options.cwd,
    out: () => out,
    err: () => err,
  };
}
