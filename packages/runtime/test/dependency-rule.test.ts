import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { forbiddenImports, importGraph, sourceFiles } from '../../testkit/src/index.js';

// The runtime must never reach the front ends or the compiler (issue 2 item 1, models.md habit 13).
// @claimc/saml and its XML-signature libraries are Node-only: the runtime (portable, and its /node subpath) never reaches them either.
// The rule binds what the runtime ships (src/, its package.json); its tests may use @claimc/testkit (and through it the
// compiler), reached by relative path so that no workspace dependency cycle appears.
const forbidden = ['@claimc/syntax', '@claimc/compiler', '@claimc/cli', '@claimc/testkit', 'chevrotain', '@claimc/saml', 'xml-crypto', 'node-forge'];
const packagesDir = realpathSync(resolve(dirname(fileURLToPath(import.meta.url)), '../..'));
const runtimeSources = (): string[] => sourceFiles(join(packagesDir, 'runtime/src'));

describe('dependency rule: the runtime never imports syntax, compiler, cli or chevrotain', () => {
  it('no import chain from packages/runtime/src reaches a forbidden module', () => {
    const violations = forbiddenImports(runtimeSources(), packagesDir, forbidden);
    expect(violations.map((v) => `${v.chain.map((f) => f.slice(packagesDir.length + 1)).join(' → ')} → ${v.specifier}`)).toEqual([]);
  });

  it('no file the runtime ships reaches a test or a test helper', () => {
    const reached = importGraph(runtimeSources(), { workspaceRoot: packagesDir }).files;
    expect(reached.filter((f) => f.endsWith('.test.ts') || f.includes(`${sep}test${sep}`) || f.includes(`${sep}testkit${sep}`))).toEqual([]);
  });

  it("runtime's package.json declares none of them, and no workspace package but @claimc/model, not even as a devDependency", () => {
    const manifest = JSON.parse(readFileSync(join(packagesDir, 'runtime/package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((k) => Object.keys(manifest[k] ?? {}));
    expect(declared.filter((d) => forbidden.includes(d))).toEqual([]);
    expect(declared.filter((d) => d.startsWith('@claimc/'))).toEqual(['@claimc/model']);
  });
});
