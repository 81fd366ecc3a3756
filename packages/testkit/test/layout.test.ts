import { readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { directImports } from '../src/index.js';

// Where tests live (docs/architecture.md): beside the module when the test needs nothing outside its package's
// src/; in the package's test/ when it needs more (fixtures, testkit, the demo tenant, another package's files).

const packagesDir = realpathSync(resolve(dirname(fileURLToPath(import.meta.url)), '../..'));

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return testFiles(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

const tests = testFiles(packagesDir).map((file) => relative(packagesDir, file).split(sep));

describe('where tests live', () => {
  it('every test file is in a package\'s src/ or test/ (the folders vitest runs)', () => {
    expect(tests.length).toBeGreaterThan(100);
    expect(tests.filter((parts) => parts[1] !== 'src' && parts[1] !== 'test').map((parts) => parts.join('/'))).toEqual([]);
  });

  it('a test beside its module reaches nothing outside its package\'s src/ by path (other packages only through their entries)', () => {
    const outside = tests
      .filter((parts) => parts[1] === 'src')
      .flatMap((parts) => {
        const file = join(packagesDir, ...parts);
        const own = join(packagesDir, parts[0]!, 'src') + sep;
        return directImports(file, { workspaceRoot: packagesDir })
          .filter((edge) => edge.specifier.startsWith('.') && (edge.to === undefined || !edge.to.startsWith(own)))
          .map((edge) => `${parts.join('/')} → ${edge.specifier}`);
      });
    expect(outside).toEqual([]);
  });
});
