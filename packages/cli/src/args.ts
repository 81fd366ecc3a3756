import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { suggest } from '@claimc/model';
import { UsageError } from './command.js';

type StrictConfig<O extends NonNullable<ParseArgsConfig['options']>> = { args: string[]; options: O; strict: true; allowPositionals: true };

/**
 * `parseArgs` in strict mode with positionals allowed; its errors become a {@link UsageError} (exit 2).
 *
 * @example
 * const { values, positionals } = parseCommandArgs(args, { format: { type: 'string' } });
 */
export function parseCommandArgs<const O extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], options: O): ReturnType<typeof parseArgs<StrictConfig<O>>> {
  try {
    return parseArgs<StrictConfig<O>>({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    if (isParseArgsError(error)) throw new UsageError(withOptionGuess(firstSentence(error.message), options));
    throw error;
  }
}

/**
 * Checks that an option's value is one of the allowed words; a wrong one is a {@link UsageError}.
 *
 * @example
 * const format = oneOf(values.format ?? 'text', ['text', 'json'], '--format');
 */
export function oneOf<const T extends string>(value: string, allowed: readonly T[], flag: string): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
  return found;
}

// An unknown option gets the nearest known one, as an unknown command does.
function withOptionGuess(message: string, options: NonNullable<ParseArgsConfig['options']>): string {
  const unknown = /^Unknown option '(--?[^'=]+)/.exec(message)?.[1];
  if (unknown === undefined) return message;
  const known = Object.keys(options).map((name) => `--${name}`);
  const guess = suggest(unknown, known);
  return guess === undefined ? message.replace(/\.$/, '') : `${message.replace(/\.$/, '')} (did you mean '${guess}'?)`;
}

function isParseArgsError(error: unknown): error is Error & { code: string } {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

// Node's messages go on to explain `--` escaping at length; the first sentence names the problem.
function firstSentence(message: string): string {
  const end = message.search(/\.\s/);
  return end === -1 ? message : message.slice(0, end + 1);
}
