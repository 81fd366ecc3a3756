#!/usr/bin/env node
// Builds the VS Code extension into build/claimc-<version>.vsix: bundles the client and the language server
// (esbuild, from the workspace sources) into a staging folder with the manifest, grammar and language
// configuration, then packages it with @vscode/vsce. The .vsix is self-contained: no node_modules.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const stage = join(here, 'build', 'extension');
const workspacePackage = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const version = workspacePackage.version;

rmSync(join(here, 'build'), { recursive: true, force: true });
mkdirSync(join(stage, 'out'), { recursive: true });
mkdirSync(join(stage, 'syntaxes'), { recursive: true });

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', conditions: ['@claimc/source'], logLevel: 'warning', legalComments: 'none', minify: true, sourcemap: false };
await build({ ...common, entryPoints: [join(here, 'src', 'extension.ts')], outfile: join(stage, 'out', 'extension.js'), external: ['vscode'] });
await build({ ...common, entryPoints: [join(root, 'packages', 'language-server', 'src', 'bin.ts')], outfile: join(stage, 'out', 'server.js') });

const manifest = {
  name: 'claimc',
  displayName: 'claimc: Entra claims-mapping policies',
  description: 'Diagnostics, completion, hover, rename, formatting and quick fixes for .claims files and Microsoft Entra claims-mapping policy JSON.',
  version,
  publisher: 'claimc',
  license: 'MIT',
  engines: { vscode: '^1.82.0' },
  categories: ['Programming Languages', 'Linters', 'Formatters'],
  main: './out/extension.js',
  files: ['out', 'syntaxes', 'language-configuration.json', 'README.md', 'LICENSE'],
  activationEvents: ['onLanguage:claims', 'onLanguage:json', 'onLanguage:jsonc', 'onLanguage:powershell'],
  contributes: {
    languages: [{ id: 'claims', aliases: ['Claims policy', 'claims'], extensions: ['.claims'], configuration: './language-configuration.json' }],
    grammars: [{ language: 'claims', scopeName: 'source.claims', path: './syntaxes/claims.tmLanguage.json' }],
    configuration: {
      title: 'claimc',
      properties: {
        'claimc.target': { type: 'string', enum: ['lenient', 'entra'], default: 'lenient', description: 'entra: extensions and leniencies become errors (claimc check --target).' },
        'claimc.customSigningKey': { type: 'boolean', default: false, description: 'The application has a custom signing key (unlocks some SAML claim names).' },
        'claimc.verifiedDomains': { type: 'array', items: { type: 'string' }, default: [], description: 'Verified domains of the tenant, for Join NameID suffixes.' },
        'claimc.snapshot': { type: 'string', default: '', description: 'Directory snapshot (Graph shapes) for extension-attribute completion; relative to the workspace folder.' },
        'claimc.application': { type: 'string', default: '', description: 'appId or display name of the application in the snapshot whose optional claims and group claims size the tokens.' },
      },
    },
  },
};
writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
copyFileSync(join(here, 'syntaxes', 'claims.tmLanguage.json'), join(stage, 'syntaxes', 'claims.tmLanguage.json'));
copyFileSync(join(here, 'language-configuration.json'), join(stage, 'language-configuration.json'));
copyFileSync(join(here, 'README.md'), join(stage, 'README.md'));
copyFileSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));

const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
const vsix = join(here, 'build', `claimc-${version}.vsix`);
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], { cwd: stage, stdio: ['ignore', 'pipe', 'inherit'] });
process.stdout.write(`built ${vsix}\n`);
