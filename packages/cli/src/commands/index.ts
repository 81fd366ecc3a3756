import type { Command } from '../command.js';

/** Every `claimc` subcommand, in the order `claimc --help` lists them. One import and one entry per command. */
export const commands: readonly Command[] = [
];
