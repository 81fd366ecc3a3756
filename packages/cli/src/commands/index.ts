import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { issueCommand } from './issue.js';
import { metadataCommand } from './metadata.js';

/** Every `claimc` subcommand, in the order `claimc --help` lists them. One import and one entry per command. */
export const commands: readonly Command[] = [
  checkCommand,
  issueCommand,
  metadataCommand,
];
