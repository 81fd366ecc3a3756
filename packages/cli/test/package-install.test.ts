import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultIds, defaultSnapshot } from '../src/demo/tenant.js';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What a user outside the repository gets: the packed tarballs, installed with plain npm into a fresh project,
// and the documentation's snippets run from that project exactly as written (extracted from the Markdown).
const root = fileURLToPath(new URL('../../..', import.meta.url));
const pnpmVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { packageManager: string }).packageManager.replace(/^pnpm@/, '');
const published = ['model', 'syntax', 'runtime', 'saml', 'server', 'compiler', 'language-service', 'language-server', 'cli'];
const snippetSources = ['README.md', 'docs/tokens.md', 'packages/runtime/README.md'];
const typescriptBin = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

let work = '';
let project = '';
const tarballs = new Map<string, string>();

function run(command: string, args: readonly string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });
}

/** Every ```js block of a Markdown file. */
function jsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}

/** The same snippet for CommonJS: `import { a } from 'x'` becomes `const { a } = require('x')`, the rest runs in an async function. */
function asCommonJs(snippet: string): string {
  const requires: string[] = [];
  const body = snippet.replace(/^import \{([^}]+)\} from '([^']+)';.*$/gm, (_line, names: string, from: string) => {
    requires.push(`const {${names}} = require('${from}');`);
    return '';
  });
  return `${requires.join('\n')}\n(async () => {\n${body}\n})().catch((error) => { console.error(error); process.exitCode = 1; });\n`;
}

const snippets = snippetSources.flatMap((file) => jsBlocks(readFileSync(join(root, file), 'utf8')).map((code, index) => ({ name: `${file.replace(/[/.]/g, '-')}-${index + 1}`, code })));

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'claimc-pack-'));
  const packs = join(work, 'tarballs');
  mkdirSync(packs);
  for (const name of published) {
    const output = run('npx', ['--yes', `pnpm@${pnpmVersion}`, 'pack', '--pack-destination', packs], join(root, 'packages', name));
    const file = output.trim().split('\n').pop() ?? '';
    tarballs.set(name, file.startsWith('/') ? file : join(packs, file));
  }
  project = join(work, 'project');
  mkdirSync(join(project, 'plans'), { recursive: true });
  mkdirSync(join(project, 'policies'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'issuer', private: true, version: '1.0.0' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...published.map((n) => tarballs.get(n) ?? ''), '@types/node@20.19.43'], project);

  // the files the snippets read: a policy compiled by the installed CLI, Graph objects, a snapshot, a key
  const cli = join(project, 'node_modules', '.bin', 'claimc');
  writeFileSync(join(project, 'contoso-erp.json'), readFileSync(join(root, 'docs/examples/contoso-erp.json')));
  run(cli, ['compile', 'contoso-erp.json', '-o', 'contoso-erp.plan.json'], project);
  run(cli, ['compile', 'contoso-erp.json', '-o', 'policy.plan.json'], project);
  writeFileSync(join(project, 'user.json'), readFileSync(join(root, 'docs/examples/contexts/user.json')));
  writeFileSync(join(project, 'tenant.json'), readFileSync(join(root, 'docs/examples/contexts/tenant.json')));
  writeFileSync(join(project, 'directory.json'), JSON.stringify(defaultSnapshot));
  for (const policy of defaultSnapshot.claimsMappingPolicies ?? []) {
    writeFileSync(join(project, 'policies', `${policy.id}.json`), policy.definition[0] ?? '');
    run(cli, ['compile', `policies/${policy.id}.json`, '-o', `plans/${policy.id}.plan.json`], project);
  }
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(join(project, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(project, 'key.pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
}, 300_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('published packages', () => {
  it('each tarball carries its README, LICENSE and metadata, no build cache, and source maps only with their sources', () => {
    for (const [name, tarball] of tarballs) {
      const files = run('tar', ['tzf', tarball], work).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
      expect(files, name).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts']));
      expect(files.filter((f) => f.includes('tsbuildinfo') || /\.test\.(ts|js)$/.test(f)), name).toEqual([]);
      const manifest = JSON.parse(run('tar', ['xzOf', tarball, 'package/package.json'], work)) as Record<string, unknown>;
      for (const field of ['description', 'repository', 'keywords', 'license', 'main', 'types', 'exports', 'engines']) expect(manifest[field], `${name} ${field}`).toBeDefined();
      expect(manifest.sideEffects, name).toBe(false);
      expect(JSON.stringify(manifest), name).not.toMatch(/workspace:|@claimc\/source/);
      const exportsField = manifest.exports as Record<string, { types?: string }>;
      for (const [subpath, target] of Object.entries(exportsField)) expect(target.types, `${name} ${subpath}`).toMatch(/\.d\.ts$/);
      // every source map names a source that is in the tarball
      for (const map of files.filter((f) => f.endsWith('.js.map'))) {
        const { sources } = JSON.parse(run('tar', ['xzOf', tarball, `package/${map}`], work)) as { sources: string[] };
        for (const source of sources) expect(files, `${name} ${map}`).toContain(join(map, '..', source).replace(/^\.\//, ''));
      }
    }
  });

  it('the documentation has snippets to run', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(4);
  });

  it.each(snippets)('$name runs as plain ESM from the installed packages', ({ name, code }) => {
    writeFileSync(join(project, `${name}.mjs`), code);
    const result = spawnSync(process.execPath, [`${name}.mjs`], { cwd: project, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).not.toBe('');
  });

  it.each(snippets)('$name runs from CommonJS require', ({ name, code }) => {
    writeFileSync(join(project, `${name}.cjs`), asCommonJs(code));
    const result = spawnSync(process.execPath, [`${name}.cjs`], { cwd: project, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(['node16', 'bundler'] as const)('every snippet type-checks with moduleResolution %s', (resolution) => {
    const dir = join(project, `ts-${resolution}`);
    mkdirSync(dir, { recursive: true });
    const extension = resolution === 'node16' ? 'mts' : 'ts';
    for (const { name, code } of snippets) writeFileSync(join(dir, `${name}.${extension}`), code);
    const compilerOptions =
      resolution === 'node16'
        ? { module: 'node16', moduleResolution: 'node16', target: 'es2022' }
        : { module: 'esnext', moduleResolution: 'bundler', target: 'es2022' };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, strict: true, noEmit: true, types: ['node'], skipLibCheck: false }, include: [`*.${extension}`] }));
    const result = spawnSync(process.execPath, [typescriptBin, '-p', dir], { cwd: project, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('the README snippet prints the claims the policy gives the example user', () => {
    const readme = snippets.find((s) => s.name.startsWith('README-md'));
    const result = spawnSync(process.execPath, [`${readme?.name ?? ''}.mjs`], { cwd: project, encoding: 'utf8' });
    expect(result.stdout.trim()).toBe('E-2041 Adele.Vance@eu.contoso.com');
  });

  it('the issuing snippets print JWTs that verify with the public key and name the right app and user', async () => {
    const publicKey = await importSPKI(readFileSync(join(project, 'key.pub.pem'), 'utf8'), 'ES256');
    const tokens = snippets
      .filter((s) => s.name.startsWith('docs-tokens-md') && /signJwt/.test(s.code))
      .flatMap(({ name }) => spawnSync(process.execPath, [`${name}.mjs`], { cwd: project, encoding: 'utf8' }).stdout.trim().split('\n'));
    expect(tokens).toHaveLength(5);
    for (const token of tokens) {
      expect(decodeProtectedHeader(token).alg).toBe('ES256');
      const { payload } = await jwtVerify(token, publicKey, { currentDate: new Date(1767225600 * 1000) });
      expect(payload.aud).toBe(defaultIds.api);
    }
  });

  it('the CLI runs from the installed package (as `npx -p @claimc/cli claimc` would)', () => {
    const result = spawnSync(join(project, 'node_modules', '.bin', 'claimc'), ['check', 'contoso-erp.json'], { cwd: project, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(readdirSync(join(project, 'plans')).length).toBe(defaultSnapshot.claimsMappingPolicies?.length ?? -1);
  });
});
