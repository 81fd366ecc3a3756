// The playground's weight: builds packages/playground with Vite (as `pnpm build` does), then reports every
// file the page loads with its raw, gzip (level 6, a web server's default) and brotli size, and the total
// against the goal (≤ 400 KB gzipped for the whole page). Sizes, not times: one build is the measurement.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const playground = fileURLToPath(new URL('../packages/playground/', import.meta.url));
const dist = join(playground, 'dist');
const goalKb = 400;

const started = process.hrtime.bigint();
const build = spawnSync(process.execPath, [join(playground, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: playground, stdio: 'inherit' });
if (build.status !== 0) throw new Error(`vite build failed (exit ${build.status ?? build.signal})`);
const buildSeconds = Number(process.hrtime.bigint() - started) / 1e9;

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
};
walk(dist);

// correctness first: the page references exactly the assets that were built
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const referenced = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]).sort();
const built = files.map((f) => relative(dist, f)).filter((f) => f !== 'index.html').sort();
if (JSON.stringify(referenced) !== JSON.stringify(built)) throw new Error(`index.html references ${referenced.join(', ')} but the build holds ${built.join(', ')}`);
if (files.some((f) => /\.map$/.test(f))) throw new Error('source maps in the page folder');

const kb = (bytes) => (bytes / 1024).toFixed(1);
let raw = 0;
let gzip = 0;
let brotli = 0;
console.log(`vite build: ${buildSeconds.toFixed(1)} s`);
console.log('file                              raw KB   gzip KB  brotli KB');
for (const file of files.sort()) {
  const bytes = readFileSync(file);
  const g = gzipSync(bytes, { level: 6 }).length;
  const b = brotliCompressSync(bytes).length;
  raw += bytes.length;
  gzip += g;
  brotli += b;
  console.log(`${relative(dist, file).padEnd(32)} ${kb(bytes.length).padStart(8)} ${kb(g).padStart(9)} ${kb(b).padStart(10)}`);
}
console.log(`${'whole page'.padEnd(32)} ${kb(raw).padStart(8)} ${kb(gzip).padStart(9)} ${kb(brotli).padStart(10)}`);
console.log(`goal: ≤ ${goalKb} KB gzipped → ${gzip / 1024 <= goalKb ? 'met' : 'missed'} (${kb(gzip)} KB)`);
