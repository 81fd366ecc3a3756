import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

// The one import-graph walker of the repository's tests: the runtime's dependency rule and the AOT module's
// import check both walk with it, so "what a module reaches" means the same in both.

/** How {@link importGraph} resolves and how far it follows. */
export interface ImportGraphOptions {
  /** The folder holding the workspace packages: `@claimc/<name>` is `<workspaceRoot>/<name>`, entered through its `@claimc/source` export condition. */
  readonly workspaceRoot: string;
  /** Also follow npm packages, through the nearest `node_modules` (default: only relative paths and workspace packages). */
  readonly followPackages?: boolean;
  /** Packages whose imports are recorded but not followed (a forbidden package is reported, not explored). */
  readonly stopAt?: readonly string[];
}

/** One import as written in a reached file. */
export interface ImportEdge {
  /** The importing file (real path). */
  readonly from: string;
  /** The specifier as written: a static import, a re-export or a literal dynamic import. */
  readonly specifier: string;
  /** The file it resolves to, when the walk followed it. */
  readonly to: string | undefined;
}

/** Every file reached from the entries, and every import seen on the way. */
export interface ImportGraph {
  /** The reached files (real paths), entries first, in the order the walk reached them. */
  readonly files: readonly string[];
  readonly imports: readonly ImportEdge[];
  /** The chain of files from an entry to `file` along which the walk first reached it (ends with `file`). */
  chainTo(file: string): readonly string[];
}

/** An import of a forbidden package and how the walk got there. */
export interface ForbiddenImport {
  readonly specifier: string;
  /** The chain of files from an entry to the importing file. */
  readonly chain: readonly string[];
}

/**
 * The package a bare specifier names (`@scope/name` or `name`).
 *
 * @example
 * packageName('@claimc/runtime/internal'); // '@claimc/runtime'
 */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/**
 * The TypeScript sources under a folder, tests and declarations left out: what a package ships.
 *
 * @example
 * const entries = sourceFiles('packages/runtime/src');
 */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

const isFile = (path: string): boolean => existsSync(path) && statSync(path).isFile();

/** `./x.js` as NodeNext writes it: the `.ts` source first, then the file itself, then a folder's index. */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const found = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, `${base}.js`, join(base, 'index.ts'), join(base, 'index.js')].find(isFile);
  return found === undefined ? undefined : realpathSync(found);
}

/** The first target of an `exports` entry under the conditions a Node ESM import under vitest uses. */
function pickExport(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  for (const condition of ['@claimc/source', 'import', 'module', 'node', 'default']) {
    const found = pickExport(record[condition]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The entry file of a package folder for a specifier's subpath. */
function packageEntry(dir: string, specifier: string): string | undefined {
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: unknown; module?: string; main?: string };
  const subpath = '.' + specifier.slice(packageName(specifier).length);
  const exportsField = manifest.exports;
  const target =
    typeof exportsField === 'object' && exportsField !== null && subpath in exportsField
      ? pickExport((exportsField as Record<string, unknown>)[subpath])
      : subpath === '.'
        ? (pickExport(exportsField) ?? manifest.module ?? manifest.main ?? 'index.js')
        : subpath;
  if (target === undefined) return undefined;
  const file = resolve(dir, target);
  return isFile(file) ? realpathSync(file) : undefined;
}

/** A bare specifier: a workspace package by its folder, any other package through the nearest node_modules. */
function resolvePackage(from: string, specifier: string, options: ImportGraphOptions): string | undefined {
  const name = packageName(specifier);
  if (name.startsWith('@claimc/')) {
    const entry = packageEntry(join(options.workspaceRoot, name.slice('@claimc/'.length)), specifier);
    if (entry !== undefined) return entry;
  }
  if (options.followPackages !== true || specifier.startsWith('node:')) return undefined;
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return packageEntry(candidate, specifier);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * One file's imports (static, re-exports, literal dynamic; comments do not count), each resolved as {@link importGraph} would.
 *
 * @example
 * directImports('packages/model/src/span.test.ts', { workspaceRoot: 'packages' }).map((e) => e.specifier);
 */
export function directImports(file: string, options: ImportGraphOptions): ImportEdge[] {
  const from = realpathSync(file);
  return ts.preProcessFile(readFileSync(from, 'utf8'), true, true).importedFiles.map(({ fileName: specifier }) => {
    const stopped = options.stopAt?.includes(packageName(specifier)) === true;
    const to = stopped ? undefined : specifier.startsWith('.') ? resolveRelative(from, specifier) : resolvePackage(from, specifier, options);
    return { from, specifier, to };
  });
}

/**
 * Walks static imports, re-exports and literal dynamic imports (comments do not count) breadth-first from the
 * entries, through relative paths and workspace packages, and npm packages when asked.
 *
 * @example
 * const graph = importGraph(sourceFiles('packages/runtime/src'), { workspaceRoot: 'packages' });
 * graph.files.some((f) => f.includes('chevrotain')); // false
 */
export function importGraph(entries: readonly string[], options: ImportGraphOptions): ImportGraph {
  const parent = new Map<string, string | undefined>();
  const imports: ImportEdge[] = [];
  const queue = entries.map((entry) => realpathSync(entry));
  for (const entry of queue) if (!parent.has(entry)) parent.set(entry, undefined);
  for (let next = 0; next < queue.length; next++) {
    const file = queue[next]!;
    for (const edge of directImports(file, options)) {
      imports.push(edge);
      if (edge.to !== undefined && !parent.has(edge.to)) {
        parent.set(edge.to, file);
        queue.push(edge.to);
      }
    }
  }
  const files = [...parent.keys()];
  return {
    files,
    imports,
    chainTo(file) {
      const chain: string[] = [];
      for (let at: string | undefined = file; at !== undefined; at = parent.get(at)) chain.unshift(at);
      return chain;
    },
  };
}

/**
 * The imports of forbidden packages reachable from the entries, each with the chain that reaches it; a forbidden
 * package is reported, not followed.
 *
 * @example
 * expect(forbiddenImports(sourceFiles('packages/runtime/src'), 'packages', ['@claimc/compiler'])).toEqual([]);
 */
export function forbiddenImports(entries: readonly string[], workspaceRoot: string, banned: readonly string[]): ForbiddenImport[] {
  const graph = importGraph(entries, { workspaceRoot, stopAt: banned });
  return graph.imports.filter((edge) => banned.includes(packageName(edge.specifier))).map((edge) => ({ specifier: edge.specifier, chain: graph.chainTo(edge.from) }));
}
