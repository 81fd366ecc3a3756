import type { Target } from '@claimc/model';
import type { ServiceSettings, SnapshotKnowledge } from '@claimc/language-service';
import {
  PolicyDocuments,
  completeAt,
  definitionAt,
  formatDocument,
  hoverAt,
  looksLikePolicy,
  prepareRenameAt,
  quickFixes,
  referencesAt,
  renameAt,
  snapshotKnowledge,
  toLspDiagnostics,
} from '@claimc/language-service';
import type { Connection, InitializeResult } from 'vscode-languageserver';
import { CodeActionKind, ResponseError, TextDocumentSyncKind, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * The editor settings, under `claimc` in the client's configuration or in `initializationOptions`:
 * the checker's options and an optional directory snapshot (path) with the application to size tokens for.
 */
export interface ClaimcEditorSettings {
  readonly target?: Target;
  readonly customSigningKey?: boolean;
  readonly verifiedDomains?: readonly string[];
  /** Path of a directory snapshot (Graph shapes); relative paths resolve against the workspace folder. */
  readonly snapshot?: string;
  /** appId or display name of the application in the snapshot whose optional and group claims size the tokens. */
  readonly application?: string;
}

/** What the server needs from its host besides the connection: reading the snapshot file. */
export interface ServerHost {
  /** Reads a file as UTF-8; relative paths against `base` (the workspace folder path, when known). */
  readFile(path: string, base: string | undefined): Promise<string>;
}

/** The file name a URI stands for (the front end picks `.claims` or JSON by it). */
export function fileNameOf(uri: string): string {
  const path = decodeURIComponent(uri.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, ''));
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

const targets: readonly Target[] = ['lenient', 'entra'];

/**
 * Serves the claimc language services on a connection: diagnostics as documents open and change (the same
 * codes, ranges and hints as `claimc check`), completion, hover, definition, references, rename, formatting and
 * quick fixes. Never throws on user input; a bad setting or an unreadable snapshot is a window message.
 *
 * @example
 * const connection = createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
 * startLanguageServer(connection, { readFile: (p) => readFile(p, 'utf8') });
 */
export function startLanguageServer(connection: Connection, host: ServerHost): void {
  const documents = new TextDocuments(TextDocument);
  const policies = new PolicyDocuments();
  let workspace: string | undefined;
  let knowledge: SnapshotKnowledge | undefined;

  const analysisOf = (uri: string) => {
    const document = documents.get(uri);
    if (document === undefined) return undefined;
    const fileName = fileNameOf(uri);
    const text = document.getText();
    if (!looksLikePolicy(fileName, text)) return undefined;
    return policies.analyze(uri, text, fileName);
  };

  const publish = (uri: string): void => {
    const analysis = analysisOf(uri);
    void connection.sendDiagnostics({ uri, diagnostics: analysis === undefined ? [] : toLspDiagnostics(analysis, uri) });
  };

  const configure = async (raw: unknown): Promise<void> => {
    const settings = (typeof raw === 'object' && raw !== null ? raw : {}) as ClaimcEditorSettings;
    const target = targets.includes(settings.target as Target) ? (settings.target as Target) : 'lenient';
    knowledge = undefined;
    if (typeof settings.snapshot === 'string' && settings.snapshot !== '') {
      try {
        knowledge = snapshotKnowledge(JSON.parse(await host.readFile(settings.snapshot, workspace)), settings.application);
        if (settings.application !== undefined && knowledge.application === undefined) {
          void connection.window.showWarningMessage(`claimc: no application "${settings.application}" in ${settings.snapshot}`);
        }
      } catch (error) {
        void connection.window.showWarningMessage(`claimc: cannot read the snapshot ${settings.snapshot}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const next: ServiceSettings = {
      target,
      ...(settings.customSigningKey === true ? { hasCustomSigningKey: true } : {}),
      ...(Array.isArray(settings.verifiedDomains) ? { verifiedDomains: settings.verifiedDomains.filter((d): d is string => typeof d === 'string') } : {}),
      ...(knowledge !== undefined ? { knowledge } : {}),
    };
    policies.settings = next;
    for (const document of documents.all()) publish(document.uri);
  };

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    workspace = folder?.startsWith('file://') === true ? decodeURIComponent(folder.slice('file://'.length)) : undefined;
    await configure((params.initializationOptions as { claimc?: unknown } | undefined)?.claimc ?? params.initializationOptions);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['.', '"', ' ', '(', ','] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'claimc' },
    };
  });

  connection.onDidChangeConfiguration((change) => {
    const settings = (change.settings as { claimc?: unknown } | undefined)?.claimc;
    if (settings !== undefined) void configure(settings);
  });

  documents.onDidChangeContent((change) => publish(change.document.uri));
  documents.onDidClose((event) => {
    policies.close(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.onCompletion((params) => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis === undefined ? [] : completeAt(analysis, policies.lastReadable(params.textDocument.uri), params.position, knowledge);
  });
  connection.onHover((params) => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis === undefined ? null : (hoverAt(analysis, params.position, knowledge) ?? null);
  });
  connection.onDefinition((params) => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis === undefined ? [] : definitionAt(analysis, params.textDocument.uri, params.position);
  });
  connection.onReferences((params) => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis === undefined ? [] : referencesAt(analysis, params.textDocument.uri, params.position, params.context.includeDeclaration);
  });
  connection.onPrepareRename((params) => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis === undefined ? null : (prepareRenameAt(analysis, params.position) ?? null);
  });
  connection.onRenameRequest((params) => {
    const analysis = analysisOf(params.textDocument.uri);
    if (analysis === undefined) return null;
    try {
      return renameAt(analysis, params.textDocument.uri, params.position, params.newName) ?? null;
    } catch (error) {
      if (error instanceof RangeError) return new ResponseError(-32602, error.message);
      throw error;
    }
  });
  connection.onDocumentFormatting((params) => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis === undefined ? [] : formatDocument(analysis);
  });
  connection.onCodeAction((params) => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis === undefined ? [] : quickFixes(analysis, params.textDocument.uri, params.range);
  });

  documents.listen(connection);
  connection.listen();
}
