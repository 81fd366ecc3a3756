#!/usr/bin/env node
// Generates a synthetic tenant as an indexed snapshot (the JSON Lines `claimc snapshot` writes), streamed, so a
// million users never sit in memory as one string. Not committed: run it to get a file for the tenant bench or
// for trying `claimc users` / `claimc diff` at scale.
//   node bench/tenant-gen.mjs <users> <out.snapshot>      e.g. node bench/tenant-gen.mjs 1000000 /tmp/1m.snapshot
// Each user is in 15–20 of users/100 groups (at least 1,000); four directory roles hold every 10th, 7th, 97th and
// 1,009th user (100,000 and 142,858 members at a million). One app carries the 20-claim docs/examples/contoso-erp.json.
import { createWriteStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const appId = '6c2e4f1a-3b5d-4e7f-9a1c-2d4e6f8a0b1c';
const policyJson = readFileSync(fileURLToPath(new URL('../docs/examples/contoso-erp.json', import.meta.url)), 'utf8');
export const policyId = '0c6b0000-0000-4000-8000-000000000001';

const hex = (n, width) => n.toString(16).padStart(width, '0');
const guid = (kind, n) => `${kind}-0000-4000-8000-${hex(n, 12)}`;
const departments = ['Retail', 'Sales', 'Finance', 'IT', 'Marketing', 'Legal', 'Operations', 'Research'];
const cities = ['Seattle', 'Redmond', 'Dublin', 'Munich', 'Tokyo', 'Sydney'];
export const roleEvery = [10, 7, 97, 1009];

/** A small deterministic PRNG (mulberry32), so every run writes the same tenant. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The lines of a tenant with `users` users, in snapshot order. */
export function* tenantLines(users) {
  const groupCount = Math.max(1000, Math.floor(users / 100));
  const roles = roleEvery.map((_, i) => ({ id: guid('9a4b0000', i + 1), displayName: `Role ${i + 1}`, roleTemplateId: guid('62e90394', i + 1) }));
  yield JSON.stringify({
    format: 'claimc-snapshot',
    version: 1,
    counts: { groups: groupCount, roles: roles.length, users },
    organization: { id: '3d9f0b1e-8c2a-4f5b-a6d7-e8f9a0b1c2d3', displayName: 'Contoso', countryLetterCode: 'US', verifiedDomains: [{ name: 'contoso.com', isDefault: true }] },
  });
  for (let g = 0; g < groupCount; g++) yield JSON.stringify({ group: { id: guid('5b2c0000', g), displayName: `Group ${g}`, securityEnabled: g % 5 !== 0, mailEnabled: g % 5 === 0, groupTypes: [] } });
  for (const role of roles) yield JSON.stringify({ role });
  yield JSON.stringify({ application: { id: guid('2e4f0000', 1), appId, displayName: 'Contoso ERP', identifierUris: ['api://erp.contoso.com'], groupMembershipClaims: 'SecurityGroup', api: { acceptMappedClaims: true, requestedAccessTokenVersion: 2 } } });
  yield JSON.stringify({ servicePrincipal: { id: guid('1d5a0000', 1), appId, displayName: 'Contoso ERP', tags: [], appRoleAssignmentRequired: false, claimsMappingPolicies: [{ id: policyId }] } });
  yield JSON.stringify({ policy: { id: policyId, displayName: 'Contoso ERP', definition: [policyJson], isOrganizationDefault: false } });
  const next = random(7);
  for (let u = 0; u < users; u++) {
    const count = 15 + Math.floor(next() * 6);
    const groups = new Set();
    while (groups.size < count) groups.add(Math.floor(next() * groupCount));
    const r = [];
    roleEvery.forEach((every, i) => {
      if (u % every === 0) r.push(i);
    });
    const name = `user${u}`;
    yield JSON.stringify({
      user: {
        id: guid('7e1a0000', u),
        userPrincipalName: `${name}@contoso.com`,
        displayName: `User ${u}`,
        givenName: 'User',
        surname: String(u),
        mail: `${name}@contoso.com`,
        userType: u % 50 === 0 ? 'Guest' : 'Member',
        accountEnabled: true,
        employeeId: u % 9 === 0 ? null : `E${u}`,
        department: departments[u % departments.length],
        jobTitle: `Title ${u % 40}`,
        companyName: 'Contoso',
        city: cities[u % cities.length],
        officeLocation: `Building ${u % 30}`,
        preferredLanguage: 'en-US',
        country: 'US',
        onPremisesExtensionAttributes: { extensionAttribute3: `ea3-${u % 100}`, extensionAttribute7: u % 3 === 0 ? null : `cc-${u % 1000}` },
      },
      g: [...groups].sort((a, b) => a - b),
      r,
    });
  }
  yield JSON.stringify({ end: { users } });
}

/** Writes a tenant to a file, waiting for the stream to drain; resolves with the byte count. */
export async function writeTenant(users, path) {
  const stream = createWriteStream(path);
  let bytes = 0;
  let chunk = '';
  for (const line of tenantLines(users)) {
    chunk += line + '\n';
    if (chunk.length < 1 << 20) continue;
    bytes += Buffer.byteLength(chunk);
    if (!stream.write(chunk)) await new Promise((done) => stream.once('drain', done));
    chunk = '';
  }
  bytes += Buffer.byteLength(chunk);
  await new Promise((done) => stream.end(chunk, done));
  return bytes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [usersArg, out] = process.argv.slice(2);
  const users = Number(usersArg);
  if (!Number.isSafeInteger(users) || users < 1 || out === undefined) {
    console.error('usage: node bench/tenant-gen.mjs <users> <out.snapshot>');
    process.exit(2);
  }
  const started = Date.now();
  const bytes = await writeTenant(users, out);
  console.log(`${out}: ${users} users, ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
