#!/usr/bin/env node
// Installs the Debian packages the test command needs, only those whose command is missing, and only as root
// (the README's test command runs this first, so a fresh machine needs no other set-up step).
import { spawnSync } from 'node:child_process';

/** Debian package → the command that shows it is installed. Add a line per package; nothing else changes. */
export const systemDeps = [
  { package: 'libxml2-utils', command: 'xmllint' },
];

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

const missing = systemDeps.filter((dep) => !has(dep.command));
if (missing.length > 0) {
  const names = missing.map((dep) => dep.package);
  if (process.getuid?.() !== 0 || !has('apt-get')) {
    console.error(`ensure-system-deps: missing ${missing.map((d) => d.command).join(', ')}; install the Debian packages: sudo apt-get install -y ${names.join(' ')}`);
    process.exit(1);
  }
  console.log(`ensure-system-deps: apt-get install -y ${names.join(' ')}`);
  // wait for a dpkg lock another installer holds instead of failing at once
  const run = (args) => spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!run(['install', '-y', '--no-install-recommends', ...names]) && !(run(['update']) && run(['install', '-y', '--no-install-recommends', ...names]))) {
    console.error(`ensure-system-deps: apt-get could not install ${names.join(' ')}`);
    process.exit(1);
  }
}
