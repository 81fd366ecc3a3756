import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { buildCommand } from './build.js';
import { decompileCommand } from './decompile.js';
import { fmtCommand } from './fmt.js';
import { issueCommand } from './issue.js';
import { metadataCommand } from './metadata.js';
import { evalCommand } from './eval.js';
import { compileCommand } from './compile.js';
import { serveCommand } from './serve.js';
import { lspCommand } from './lsp.js';
import { snapshotCommand } from './snapshot.js';
import { usersCommand } from './users.js';
import { diffCommand } from './diff.js';

/**
 * Every `claimc` subcommand, in the order `claimc --help` lists them. One import and one entry per command.
 *
 * @example
 * const check = commands.find((c) => c.name === 'check');
 */
export const commands: readonly Command[] = [
  checkCommand,
  buildCommand,
  decompileCommand,
  fmtCommand,
  issueCommand,
  metadataCommand,
  evalCommand,
  compileCommand,
  serveCommand,
  lspCommand,
  snapshotCommand,
  usersCommand,
  diffCommand,
];
