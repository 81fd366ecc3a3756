import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, ProtocolConnection, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node.js';
import {
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node.js';

/** The repository root; the server under test is the built `claimc` binary, started as an editor would. */
export const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/** An editor-side session: `claimc lsp --stdio` in a child process and a JSON-RPC connection to it. */
export class EditorSession {
  readonly connection: ProtocolConnection;
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly published = new Map<string, Diagnostic[]>();
  private readonly waiting = new Map<string, ((d: Diagnostic[]) => void)[]>();
  private readonly versions = new Map<string, number>();

  constructor() {
    this.process = spawn(process.execPath, [`${repoRoot}packages/cli/bin/claimc.js`, 'lsp', '--stdio'], { cwd: repoRoot, stdio: 'pipe' });
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.set(params.uri, params.diagnostics);
      const waiters = this.waiting.get(params.uri) ?? [];
      this.waiting.delete(params.uri);
      for (const w of waiters) w(params.diagnostics);
    });
    this.connection.listen();
  }

  async initialize(initializationOptions: unknown = {}): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: `file://${repoRoot}`,
      workspaceFolders: [{ uri: `file://${repoRoot.replace(/\/$/, '')}`, name: 'claimc' }],
      capabilities: {},
      initializationOptions,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  /** Resolves with the next diagnostics published for a document. */
  nextDiagnostics(uri: string): Promise<Diagnostic[]> {
    return new Promise((resolve) => this.waiting.set(uri, [...(this.waiting.get(uri) ?? []), resolve]));
  }

  async configure(settings: unknown, reopened: readonly string[] = []): Promise<void> {
    const republished = reopened.map((uri) => this.nextDiagnostics(uri));
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { claimc: settings } });
    await Promise.all(republished);
  }

  async open(uri: string, text: string, languageId = uri.endsWith('.claims') ? 'claims' : 'json'): Promise<Diagnostic[]> {
    const next = this.nextDiagnostics(uri);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return next;
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<Diagnostic[]> {
    const next = this.nextDiagnostics(uri);
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return next;
  }

  async close(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.type);
    const exited = new Promise<number | null>((resolve) => this.process.once('exit', (code) => resolve(code)));
    await this.connection.sendNotification(ExitNotification.type);
    await exited;
    this.connection.dispose();
  }
}
