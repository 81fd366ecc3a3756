import type { CliIO } from './command.js';

/**
 * Colour only for a terminal, and never when `NO_COLOR` is set to a non-empty value (https://no-color.org).
 *
 * @example
 * const color = wantsColor(io.stdout, io.env);
 */
export function wantsColor(stream: CliIO['stdout'], env: CliIO['env']): boolean {
  const noColor = env['NO_COLOR'];
  return stream.isTTY === true && (noColor === undefined || noColor === '');
}
