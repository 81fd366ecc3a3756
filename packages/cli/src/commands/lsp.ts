import { runStdioServer } from '@claimc/language-server';
import { parseCommandArgs } from '../args.js';
import { UsageError } from '../command.js';
import type { Command } from '../command.js';

const usage = `Usage: claimc lsp --stdio

Runs the claimc language server over standard input and output, for editors: diagnostics as you type
(the same codes, positions and hints as claimc check), completion, hover, go to definition, find
references, rename, formatting of .claims files and quick fixes, for .claims files and JSON policies
in every envelope (raw, Graph request body, PowerShell). Settings come from the editor (see
docs/editor.md). The process runs until the editor closes the connection.

Options:
  --stdio      talk LSP over stdin/stdout (required)
  -h, --help   show this help
`;

/** `claimc lsp --stdio`: the language server on the process streams. */
export const lspCommand: Command = {
  name: 'lsp',
  summary: 'run the language server for editors (--stdio)',
  usage,
  async run(args) {
    const { values } = parseCommandArgs(args, { stdio: { type: 'boolean' } });
    if (values.stdio !== true) throw new UsageError('--stdio is required: the server talks LSP over stdin/stdout');
    runStdioServer(process.stdin, process.stdout);
    // The connection keeps the process alive; it exits when the editor sends `exit`.
    return new Promise<number>(() => {});
  },
};
