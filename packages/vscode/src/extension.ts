// The VS Code client: starts the bundled claimc language server (out/server.js) over stdio and hands it the
// `claimc.*` settings. Bundled to CommonJS by build.mjs; `vscode` is provided by the editor.
import { workspace } from 'vscode';
import type { ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node.js';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node.js';

let client: LanguageClient | undefined;

/** Starts the language client for `.claims` files and JSON or PowerShell policies. */
export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('out/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'claims' },
      { scheme: 'untitled', language: 'claims' },
      { scheme: 'file', language: 'json' },
      { scheme: 'file', language: 'jsonc' },
      { scheme: 'file', language: 'powershell' },
    ],
    synchronize: { configurationSection: 'claimc' },
    initializationOptions: JSON.parse(JSON.stringify(workspace.getConfiguration('claimc'))) as unknown,
  };
  client = new LanguageClient('claimc', 'claimc', serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => void client?.stop() });
  await client.start();
}

/** Stops the server with the editor. */
export async function deactivate(): Promise<void> {
  await client?.stop();
}
