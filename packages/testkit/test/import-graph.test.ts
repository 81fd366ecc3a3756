import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forbiddenImports, importGraph, sourceFiles } from '../src/index.js';

const forbidden = ['@claimc/compiler', 'chevrotain'];

describe('importGraph and forbiddenImports', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'claimc-deps-')));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('model/package.json', JSON.stringify({ exports: { '.': { '@claimc/source': './src/index.ts' } } }));
  write('model/src/index.ts', "export { x } from './x.js';\n");
  write('model/src/x.ts', "export const x = await import('chevrotain');\n");
  write('runtime/src/index.ts', "import { y } from './lib/y.js';\nexport { y };\n");
  write('runtime/src/lib/y.ts', "// import '@claimc/compiler' in a comment does not count\nexport * from '@claimc/model';\nexport const y = 1;\n");

  it('follows relative paths, re-exports, workspace packages and dynamic imports', () => {
    const violations = forbiddenImports(sourceFiles(join(root, 'runtime/src')), root, forbidden);
    expect(violations).toHaveLength(1);
    expect(violations[0]!.specifier).toBe('chevrotain');
    const chain = violations[0]!.chain.map((f) => f.slice(root.length + 1));
    expect(chain[0]).toMatch(/^runtime\/src\//);
    expect(chain.slice(-3)).toEqual(['runtime/src/lib/y.ts', 'model/src/index.ts', 'model/src/x.ts']);
  });

  it('follows npm packages through node_modules only when asked, and never into a stopped package', () => {
    write('node_modules/chevrotain/package.json', JSON.stringify({ exports: { '.': { import: './lib/api.js', require: './lib/api.cjs' } } }));
    write('node_modules/chevrotain/lib/api.js', "export * from './lexer.js';\n");
    write('node_modules/chevrotain/lib/lexer.js', 'export const lex = 1;\n');
    const entry = [join(root, 'runtime/src/index.ts')];
    const local = (files: readonly string[]) => files.map((f) => f.slice(root.length + 1));
    expect(local(importGraph(entry, { workspaceRoot: root }).files)).toEqual(['runtime/src/index.ts', 'runtime/src/lib/y.ts', 'model/src/index.ts', 'model/src/x.ts']);
    expect(local(importGraph(entry, { workspaceRoot: root, followPackages: true }).files).slice(-2)).toEqual(['node_modules/chevrotain/lib/api.js', 'node_modules/chevrotain/lib/lexer.js']);
    expect(local(importGraph(entry, { workspaceRoot: root, followPackages: true, stopAt: ['chevrotain'] }).files)).toHaveLength(4);
  });
});
