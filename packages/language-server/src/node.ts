import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node.js';
import { startLanguageServer } from './server.js';

/**
 * Runs the claimc language server over a pair of streams (stdio for `claimc lsp --stdio` and the VS Code
 * extension); the snapshot setting is read from the file system.
 *
 * @example
 * runStdioServer(process.stdin, process.stdout);
 */
export function runStdioServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): void {
  const connection = createConnection(new StreamMessageReader(input), new StreamMessageWriter(output));
  startLanguageServer(connection, {
    readFile: (path, base) => readFile(isAbsolute(path) || base === undefined ? path : resolve(base, path), 'utf8'),
  });
}
