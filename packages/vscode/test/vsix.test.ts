import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createProtocolConnection, DidOpenTextDocumentNotification, InitializeRequest, PublishDiagnosticsNotification, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node.js';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node.js';

// `pnpm --filter @claimc/vscode package` builds a self-contained .vsix: the manifest, the TextMate grammar, the
// language configuration, the bundled client and the bundled server, which runs from a folder with no node_modules.

const here = fileURLToPath(new URL('..', import.meta.url));

/** The entries of a zip file (central directory), with their uncompressed bytes. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(end + 16);
  const count = zip.readUInt16LE(end + 10);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

describe('the VS Code extension package', () => {
  it('builds a .vsix with the manifest, grammar, language configuration, client and a server that runs on its own', async () => {
    const version = (JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')) as { version: string }).version;
    execFileSync(process.execPath, [join(here, 'build.mjs')], { cwd: here, stdio: 'pipe' });
    const entries = unzip(readFileSync(join(here, 'build', `claimc-${version}.vsix`)));
    expect([...entries.keys()].sort()).toEqual(
      expect.arrayContaining(['extension/package.json', 'extension/out/extension.js', 'extension/out/server.js', 'extension/syntaxes/claims.tmLanguage.json', 'extension/language-configuration.json']),
    );
    expect([...entries.keys()].some((name) => name.includes('node_modules'))).toBe(false);
    const manifest = JSON.parse(entries.get('extension/package.json')!.toString('utf8')) as { main: string; contributes: { languages: { id: string; extensions: string[] }[]; grammars: { path: string }[] } };
    expect(manifest.main).toBe('./out/extension.js');
    expect(manifest.contributes.languages[0]).toMatchObject({ id: 'claims', extensions: ['.claims'] });
    expect(manifest.contributes.grammars[0]?.path).toBe('./syntaxes/claims.tmLanguage.json');
    expect(JSON.parse(entries.get('extension/syntaxes/claims.tmLanguage.json')!.toString('utf8'))).toMatchObject({ scopeName: 'source.claims' });

    // The bundled server from the .vsix, alone in a temporary folder, answers an editor.
    const folder = mkdtempSync(join(tmpdir(), 'claimc-vsix-'));
    writeFileSync(join(folder, 'server.js'), entries.get('extension/out/server.js')!);
    const server = spawn(process.execPath, [join(folder, 'server.js'), '--stdio'], { cwd: folder, stdio: 'pipe' });
    const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    const published = new Promise<PublishDiagnosticsParams>((resolve) => connection.onNotification(PublishDiagnosticsNotification.type, resolve));
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: {} });
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: 'file:///p.claims', languageId: 'claims', version: 1, text: 'policy {\n  claim x = user.objected\n}\n' } });
    const diagnostics = await published;
    expect(diagnostics.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character])).toEqual([['CM3003', 1, 17]]);
    connection.dispose();
    server.kill();
  }, 60_000);
});
