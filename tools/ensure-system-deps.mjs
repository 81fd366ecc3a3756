#!/usr/bin/env node
// Installs the Debian packages the test suite drives (a real browser for the sign-in page, openssl for the test
// certificates) when a binary is missing. Runs apt-get only as root; otherwise it says what is missing and goes on.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian package → the binary that shows it is installed. */
const packages = [
  { name: 'chromium', binary: '/usr/bin/chromium' },
  { name: 'openssl', binary: '/usr/bin/openssl' },
];

const missing = packages.filter((p) => !existsSync(p.binary));
if (missing.length === 0) process.exit(0);
const names = missing.map((p) => p.name);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasApt) {
  console.error(`ensure-system-deps: missing ${names.join(', ')}; install them (apt-get install -y ${names.join(' ')}) for the browser and TLS tests`);
  process.exit(0);
}
console.error(`ensure-system-deps: apt-get install -y ${names.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
execFileSync('apt-get', ['install', '-y', '-qq', ...names], { stdio: ['ignore', 'ignore', 'inherit'], env });
