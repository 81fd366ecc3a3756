#!/usr/bin/env node
// Installs the Debian packages the tests need (verifiers no one here wrote) when they are absent; `pnpm test` runs it first.
// One list: add a package here and every machine that runs the tests gets it.
import { spawnSync } from 'node:child_process';

/** Debian packages the test suite needs, with the reason. */
export const systemPackages = [
  ['xmlsec1', 'xmlsec1 --verify checks the XML signatures of SAML Responses, SAML 1.1 assertions and metadata'],
  ['libxml2-utils', 'xmllint --schema validates SAML documents against the OASIS schemas'],
  ['opensaml-schemas', 'the OASIS SAML 1.1 and 2.0 schemas (protocol, assertion, metadata) for xmllint'],
  ['xmltooling-schemas', 'the W3C XML-DSig, XML-Enc and xml.xsd schemas the SAML schemas import'],
  ['chromium', 'a real browser drives the sign-in page of claimc serve (through playwright-core, no browser download)'],
  ['openssl', 'test certificates and keys (TLS for MSAL, RSASSA-PSS keys)'],
];

const installed = (name) => spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout?.includes('install ok installed') === true;

const missing = systemPackages.map(([name]) => name).filter((name) => !installed(name));
if (missing.length === 0) process.exit(0);
if (spawnSync('apt-get', ['--version']).status !== 0) {
  console.error(`ensure-system-deps: missing Debian packages ${missing.join(', ')} and no apt-get; install them to run the SAML verifier tests`);
  process.exit(1);
}
console.log(`ensure-system-deps: apt-get install -y ${missing.join(' ')}`);
const sudo = typeof process.getuid === 'function' && process.getuid() !== 0 ? ['sudo'] : [];
const run = (args) => spawnSync(sudo[0] ?? args[0], sudo.length > 0 ? args : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
if (run(['apt-get', 'install', '-y', '--no-install-recommends', ...missing]).status !== 0) {
  // package lists may be missing or stale on a fresh machine
  if (run(['apt-get', 'update']).status !== 0 || run(['apt-get', 'install', '-y', '--no-install-recommends', ...missing]).status !== 0) {
    console.error(`ensure-system-deps: could not install ${missing.join(', ')}`);
    process.exit(1);
  }
}
