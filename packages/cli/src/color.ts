import type { CliIO } from './command.js';

/**
 * Whether to colour a stream, in the order tsc, eslint and Node itself decide it: an explicit `--color` /
 * `--no-color` wins; then `FORCE_COLOR` (`0` or `false` turns colour off, any other value on); then `NO_COLOR`
 * set to a non-empty value turns it off (https://no-color.org); otherwise the stream's own answer
 * (`hasColors()` on a TTY, which reads `TERM` and friends), and no colour when it is not a terminal.
 *
 * @example
 * const color = wantsColor(io.stdout, io);
 */
export function wantsColor(stream: CliIO['stdout'], io: Pick<CliIO, 'env' | 'color'>): boolean {
  if (io.color !== undefined) return io.color;
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  const noColor = io.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  if (stream.isTTY !== true) return false;
  return stream.hasColors?.() ?? true;
}
