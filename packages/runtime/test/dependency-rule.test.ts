import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

// The runtime must never reach the front ends or the compiler (issue 2 item 1, models.md habit 13).
// @claimc/saml and its XML-signature libraries are Node-only: the runtime (portable, and its /node subpath) never reaches them either
const forbidden = ['@claimc/syntax', '@claimc/compiler', '@claimc/cli', 'chevrotain', '@claimc/saml', 'xml-crypto', 'node-forge'];
const packagesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Violation {
  readonly specifier: string;
  /** The chain of files from the entry point to the importing file. */
  readonly chain: readonly string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Resolves `./x.js` to `./x.ts` (NodeNext style) or a directory index. */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base + '.ts', join(base, 'index.ts'), base];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile() && c.endsWith('.ts'));
}

/** Resolves `@claimc/<pkg>[/sub]` through the package's `@claimc/source` export condition. */
function resolveWorkspace(root: string, specifier: string): string | undefined {
  const name = packageName(specifier);
  const dir = join(root, name.slice('@claimc/'.length));
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: Record<string, Record<string, string> | string> };
  const subpath = '.' + specifier.slice(name.length);
  const entry = manifest.exports?.[subpath];
  const target = typeof entry === 'string' ? entry : entry?.['@claimc/source'];
  return target === undefined ? undefined : join(dir, target);
}

/** Walks static imports, re-exports and literal dynamic imports from every source file under `entryDir`. */
function findForbiddenImports(entryDir: string, workspaceRoot: string, banned: readonly string[]): Violation[] {
  const violations: Violation[] = [];
  const seen = new Set<string>();
  const queue: { file: string; chain: string[] }[] = sourceFiles(entryDir).map((file) => ({ file, chain: [file] }));
  while (queue.length > 0) {
    const { file, chain } = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of info.importedFiles) {
      if (banned.includes(packageName(specifier))) {
        violations.push({ specifier, chain });
        continue;
      }
      const next = specifier.startsWith('.') ? resolveRelative(file, specifier) : specifier.startsWith('@claimc/') ? resolveWorkspace(workspaceRoot, specifier) : undefined;
      if (next !== undefined && !seen.has(next)) queue.push({ file: next, chain: [...chain, next] });
    }
  }
  return violations;
}

describe('dependency rule: the runtime never imports syntax, compiler, cli or chevrotain', () => {
  it('no import chain from packages/runtime/src reaches a forbidden module', () => {
    const violations = findForbiddenImports(join(packagesDir, 'runtime/src'), packagesDir, forbidden);
    expect(violations.map((v) => `${v.chain.map((f) => f.slice(packagesDir.length + 1)).join(' → ')} → ${v.specifier}`)).toEqual([]);
  });

  it("runtime's package.json declares none of them", () => {
    const manifest = JSON.parse(readFileSync(join(packagesDir, 'runtime/package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((k) => Object.keys(manifest[k] ?? {}));
    expect(declared.filter((d) => forbidden.includes(d))).toEqual([]);
  });

  describe('the walker itself', () => {
    const root = mkdtempSync(join(tmpdir(), 'claimc-deps-'));
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
      const violations = findForbiddenImports(join(root, 'runtime/src'), root, forbidden);
      expect(violations).toHaveLength(1);
      expect(violations[0]!.specifier).toBe('chevrotain');
      const chain = violations[0]!.chain.map((f) => f.slice(root.length + 1));
      expect(chain[0]).toMatch(/^runtime\/src\//);
      expect(chain.slice(-3)).toEqual(['runtime/src/lib/y.ts', 'model/src/index.ts', 'model/src/x.ts']);
    });
  });
});
