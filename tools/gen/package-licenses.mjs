// packages/<name>/LICENSE: each published package carries the repository's licence text in its tarball.
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export async function generate() {
  const licence = await readFile(`${root}LICENSE`, 'utf8');
  const published = [];
  for (const name of (await readdir(`${root}packages`)).sort()) {
    const manifest = JSON.parse(await readFile(`${root}packages/${name}/package.json`, 'utf8').catch(() => '{"private":true}'));
    if (manifest.private !== true) published.push({ path: `packages/${name}/LICENSE`, content: licence });
  }
  return published;
}
