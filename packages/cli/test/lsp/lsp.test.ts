import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatClaims } from '@claimc/syntax';
import { main } from '../../src/main.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CompletionItem, Diagnostic, Hover, Location, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node.js';
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentFormattingRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
} from 'vscode-languageserver-protocol/node.js';
import { EditorSession, repoRoot } from './client.js';

// The language server driven over stdio by a real LSP client, as an editor drives it: open, change, complete,
// hover, definition, references, rename, format, code action; and its diagnostics equal `claimc check`'s.

const uriOf = (name: string): string => `file:///work/${name}`;
const apply = (text: string, edits: readonly TextEdit[]): string => TextDocument.applyEdits(TextDocument.create('file:///x', 'x', 1, text), [...edits]);
const editsOf = (edit: WorkspaceEdit | null, uri: string): TextEdit[] => edit?.changes?.[uri] ?? [];
const at = (text: string, needle: string, delta = 0): { line: number; character: number } => {
  const offset = text.indexOf(needle) + delta;
  if (offset < delta) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: (before[before.length - 1] ?? '').length };
};
const codes = (diagnostics: readonly Diagnostic[]): string[] => diagnostics.map((d) => String(d.code));

let session: EditorSession;
beforeAll(async () => {
  session = new EditorSession();
  await session.initialize({ target: 'lenient' });
});
afterAll(async () => {
  await session.close();
});

describe('diagnostics equal claimc check for the whole fixture corpus', () => {
  const corpus = join(repoRoot, 'packages/compiler/test/fixtures/check');
  const files = ['invalid', 'valid'].flatMap((kind) =>
    readdirSync(join(corpus, kind))
      .filter((f) => f.endsWith('.json') && !f.endsWith('.expect.json'))
      .map((f) => {
        const expectFile = join(corpus, kind, f.replace(/\.json$/, '.expect.json'));
        const target = kind === 'invalid' ? (JSON.parse(readFileSync(expectFile, 'utf8')) as { target: 'lenient' | 'entra' }).target : 'lenient';
        return { path: join(corpus, kind, f), name: `${kind}/${f}`, target };
      }),
  );

  it.each(['lenient', 'entra'] as const)('%s: code, line and column of every diagnostic, in order', async (target) => {
    const group = files.filter((f) => f.target === target);
    expect(group.length).toBeGreaterThanOrEqual(target === 'lenient' ? 50 : 3);
    let out = '';
    const io = { stdout: { write: (c: string) => (out += c) }, stderr: { write: () => true }, env: {}, cwd: repoRoot };
    await main(['check', ...group.map((f) => f.path), '--target', target, '--format', 'json'], io);
    const report = JSON.parse(out) as { files: { file: string; diagnostics: { code: string; line: number; column: number; severity: string; hint: string | null }[] }[] };
    await session.configure({ target });
    let compared = 0;
    for (const [i, file] of group.entries()) {
      const uri = uriOf(`${target}/${file.name}`);
      const diagnostics = await session.open(uri, readFileSync(file.path, 'utf8'));
      const fromServer = diagnostics.map((d) => ({ code: String(d.code), line: d.range.start.line + 1, column: d.range.start.character + 1, severity: ['', 'error', 'warning', 'info'][d.severity ?? 0] }));
      const fromCheck = (report.files[i]?.diagnostics ?? []).map((d) => ({ code: d.code, line: d.line, column: d.column, severity: d.severity }));
      expect([file.name, fromServer]).toEqual([file.name, fromCheck]);
      // The hint is the message's second line, as `claimc check` prints it.
      for (const [k, d] of (report.files[i]?.diagnostics ?? []).entries()) if (d.hint !== null) expect(diagnostics[k]?.message.split('\n')[1]).toBe(d.hint);
      compared += fromCheck.length;
    }
    expect(compared).toBeGreaterThanOrEqual(target === 'lenient' ? 50 : 3);
  });
});

const claimsText = `policy {
  input user.department
  claim dept = transformation.DeptOut
    via TagDepartment
  claim oid2 = user.objected
  transform TagDepartment = Join {
    input string1 = department
    param string2 = "EU"
    param separator = "-"
    output outputClaim = DeptOut
  }
}
`;

describe('a .claims document in an editor session', () => {
  const uri = uriOf('session/policy.claims');
  let text = claimsText;

  it('open: squiggle at the misspelt ID with the catalog code and hint', async () => {
    const diagnostics = await session.open(uri, text);
    expect(codes(diagnostics)).toEqual(['CM3003']);
    expect(diagnostics[0]?.range.start).toEqual(at(text, 'objected'));
    expect(diagnostics[0]?.message).toContain('Did you mean objectid?');
  });

  it('code action: the quick fix replaces the ID, and the change clears the squiggle', async () => {
    const [diagnostic] = await session.open(uri, text);
    const actions = (await session.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic!.range, context: { diagnostics: [diagnostic!] } })) as CodeAction[];
    expect(actions.map((a) => a.title)).toEqual(['Change to "objectid"']);
    const edits = editsOf(actions[0]?.edit ?? null, uri);
    const after = await session.change(uri, edits.map((e) => ({ range: e.range, text: e.newText })));
    text = apply(text, edits);
    expect(text).toContain('claim oid2 = user.objectid');
    expect(after).toEqual([]);
  });

  it('change: typing an error brings a squiggle back at the right place (incremental sync)', async () => {
    const position = at(text, 'user.department', 'user.'.length);
    const diagnostics = await session.change(uri, [{ range: { start: position, end: { ...position, character: position.character + 'department'.length } }, text: 'departmant' }]);
    text = apply(text, [{ range: { start: position, end: { ...position, character: position.character + 'department'.length } }, newText: 'departmant' }]);
    expect(codes(diagnostics)).toContain('CM3003');
    expect(diagnostics.find((d) => d.code === 'CM3003')?.range.start).toEqual(position);
    const fixed = await session.change(uri, [{ range: { start: position, end: { ...position, character: position.character + 'departmant'.length } }, text: 'department' }]);
    text = apply(text, [{ range: { start: position, end: { ...position, character: position.character + 'departmant'.length } }, newText: 'department' }]);
    expect(fixed).toEqual([]);
  });

  it('completion: the IDs of the chosen source, methods, parameter names', async () => {
    const after = (needle: string, delta: number) => session.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: at(text, needle, delta) }) as Promise<CompletionItem[]>;
    const ids = (await after('user.department', 'user.dep'.length)).map((i) => i.label);
    expect(ids).toContain('department');
    expect(ids).toContain('employeeid');
    expect(ids).not.toContain('tenantcountry');
    const methods = (await after('= Join {', '= Jo'.length)).map((i) => i.label);
    expect(methods).toContain('Join');
    expect(methods).toContain('RegexReplace');
    const params = (await after('param separator', 'param sep'.length)).map((i) => i.label);
    expect(params).toEqual(expect.arrayContaining(['string2', 'separator']));
    expect(params).not.toContain('outputClaim');
  });

  it('hover: the knowledge base on a source ID and on a method', async () => {
    const onId = (await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: at(text, 'objectid', 2) })) as Hover;
    expect(JSON.stringify(onId.contents)).toContain('Graph `id`');
    const onMethod = (await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: at(text, 'Join {', 1) })) as Hover;
    expect(JSON.stringify(onMethod.contents)).toContain('string1 + separator + string2');
  });

  it('definition and references of a transformation ID', async () => {
    const definition = (await session.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: at(text, 'via TagDepartment', 6) })) as Location[];
    expect(definition.map((l) => l.range.start)).toEqual([at(text, 'transform TagDepartment', 'transform '.length)]);
    const references = (await session.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: at(text, 'transform TagDepartment', 12), context: { includeDeclaration: true } })) as Location[];
    expect(references.map((l) => l.range.start)).toEqual([at(text, 'via TagDepartment', 4), at(text, 'transform TagDepartment', 'transform '.length)]);
    const schema = (await session.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: at(text, 'DeptOut\n    via', 1), context: { includeDeclaration: true } })) as Location[];
    expect(schema).toHaveLength(2);
  });

  it('rename: a transformation ID everywhere it is written; a name that needs escaping is refused', async () => {
    const position = at(text, 'via TagDepartment', 6);
    const prepared = await session.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position });
    expect(prepared).toMatchObject({ placeholder: 'TagDepartment' });
    const edit = (await session.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position, newName: 'TagDept' })) as WorkspaceEdit;
    const renamed = apply(text, editsOf(edit, uri));
    expect(renamed.match(/TagDept\b/g)).toHaveLength(2);
    expect(renamed).not.toContain('TagDepartment');
    await expect(session.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position, newName: 'a"b' })).rejects.toThrow(/not a plain name/);
  });

  it('format: the fmt formatter as one edit', async () => {
    const messy = 'policy {\n      claim   a = user.mail\n}\n';
    const formatUri = uriOf('session/messy.claims');
    await session.open(formatUri, messy);
    const edits = (await session.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: formatUri }, options: { tabSize: 2, insertSpaces: true } })) as TextEdit[];
    expect(apply(messy, edits)).toBe(formatClaims(messy).text);
    expect(apply(messy, edits)).not.toBe(messy);
  });
});

const graphBody = (schema: unknown[], transformations: unknown[] = []): string =>
  JSON.stringify({ displayName: 'p', definition: [JSON.stringify({ ClaimsMappingPolicy: { Version: 1, ClaimsSchema: schema, ClaimsTransformation: transformations } })] }, null, 2);

describe('JSON policies: positions inside the embedded definition string', () => {
  it('quick fixes write the envelope\'s escaping: misspelt ID, missing TransformationId, restricted name', async () => {
    const join = { ID: 'JoinIt', TransformationMethod: 'Join', InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'string1' }], InputParameters: [{ ID: 'string2', Value: 'x' }], OutputClaims: [{ ClaimTypeReferenceId: 'joined', TransformationClaimType: 'outputClaim' }] };
    let text = graphBody([{ Source: 'user', ID: 'mail' }, { Source: 'user', ID: 'objected', JwtClaimType: 'oid2' }, { Source: 'transformation', ID: 'joined', JwtClaimType: 'upn' }], [join]);
    const uri = uriOf('graph/body.json');
    let diagnostics = await session.open(uri, text);
    // CM3023 and CM3017 follow from the missing TransformationId and go with it.
    expect(codes(diagnostics)).toEqual(['CM3003', 'CM3010', 'CM4101', 'CM3023', 'CM3017']);
    expect(diagnostics[0]?.range.start).toEqual(at(text, '\\"objected'));
    for (let round = 0; round < 3; round++) {
      const first = diagnostics[0]!;
      const actions = (await session.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: first.range, context: { diagnostics: [first] } })) as CodeAction[];
      expect(actions).toHaveLength(1);
      const edits = editsOf(actions[0]?.edit ?? null, uri);
      text = apply(text, edits);
      diagnostics = await session.change(uri, [{ text }]);
    }
    expect(codes(diagnostics)).toEqual([]);
    expect(text).toContain('\\"ID\\":\\"objectid\\"');
    expect(text).toContain('\\"Source\\":\\"transformation\\", \\"TransformationId\\": \\"JoinIt\\"');
    expect(text).toContain('\\"JwtClaimType\\":\\"upn_custom\\"');
  });

  it('completion inside the definition string: IDs for the entry\'s Source, methods, claim types', async () => {
    const text = graphBody([{ Source: 'company', ID: 'tenant' }], [{ ID: 'T', TransformationMethod: 'Jo' }]);
    const uri = uriOf('graph/complete.json');
    await session.open(uri, text);
    const items = async (needle: string, delta: number): Promise<string[]> =>
      ((await session.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: at(text, needle, delta) })) as CompletionItem[]).map((i) => i.label);
    expect(await items('tenant\\"', 'tenant'.length)).toEqual(['tenantcountry']);
    expect(await items('\\"Jo\\"', 4)).toContain('Join');
    expect(await items('\\"Source\\":\\"company', '\\"Source\\":\\"'.length)).toEqual(['user', 'application', 'resource', 'audience', 'company', 'transformation']);
  });
});

describe('snapshot settings', () => {
  it('extension attributes complete from the snapshot; the application\'s group claims enter the size bound', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claimc-lsp-'));
    const snapshot = {
      organization: { id: 't' },
      users: [{ id: 'u', extension_0123456789abcdef0123456789abcdef_badge: 'B-1' }],
      applications: [{ appId: '22222222-0000-4000-8000-000000000001', displayName: 'Client', groupMembershipClaims: 'SecurityGroup' }],
    };
    writeFileSync(join(dir, 'snapshot.json'), JSON.stringify(snapshot));
    const text = 'policy {\n  claim emp = user.employeeid\n}\n';
    const uri = uriOf('snapshot/p.claims');
    expect(await session.open(uri, text)).toEqual([]);
    await session.configure({ target: 'lenient', snapshot: join(dir, 'snapshot.json'), application: 'Client' }, [uri]);
    const items = (await session.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: at(text, 'employeeid') })) as CompletionItem[];
    expect(items.map((i) => i.label)).toContain('extension_0123456789abcdef0123456789abcdef_badge');
    const diagnostics = await session.change(uri, [{ text: text + '\n' }]);
    expect(codes(diagnostics)).toEqual(['CM4501', 'CM4501', 'CM4501']);
    expect(diagnostics[0]?.message).toMatch(/largest: groups/);
    await session.configure({ target: 'lenient' }, [uri]);
  });
});
