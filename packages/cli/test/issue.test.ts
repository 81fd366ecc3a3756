import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultIds } from '../src/demo/tenant.js';
import type { CliIO } from '../src/command.js';
import { issueCommand } from '../src/commands/issue.js';
import { metadataCommand } from '../src/commands/metadata.js';

// `claimc issue` / `claimc metadata` through their Command objects, clock frozen with --now.

/** Verifies an RS256 JWT against a JWKS with node:crypto (kid must match); returns the payload. */
function verifyRs256(jwt: string, jwks: { keys: (JsonWebKey & { kid?: string })[] }): Record<string, unknown> {
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg: string; kid: string };
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (header.alg !== 'RS256' || jwk === undefined) throw new Error(`no RS256 key for kid ${header.kid}`);
  if (!verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url'))) throw new Error('bad signature');
  return JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
}

const NOW = '1750000000';

async function run(command: typeof issueCommand, args: string[], cwd = process.cwd()): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (err += c) }, env: {}, cwd };
  const code = await command.run(args, io);
  return { code, out, err };
}

describe('claimc issue', () => {
  it('prints claims by default and a verifiable JWT with --format jwt; metadata prints the matching JWKS', async () => {
    const base = ['--user', 'adelev@contoso.com', '--client', defaultIds.webApp, '--resource', defaultIds.api, '--token', 'access', '--now', NOW];
    const claims = await run(issueCommand, base);
    expect(claims.code).toBe(0);
    const payload = JSON.parse(claims.out) as Record<string, unknown>;
    expect(payload).toMatchObject({ aud: defaultIds.api, JoinedData: 'retail.sandbox', iat: Number(NOW) });
    const jwt = await run(issueCommand, [...base, '--format', 'jwt']);
    const metadata = JSON.parse((await run(metadataCommand, ['--now', NOW])).out) as { jwks: { keys: JsonWebKey[] }; 'openid-configuration': { issuer: string } };
    const verified = verifyRs256(jwt.out.trim(), metadata.jwks);
    expect(verified).toEqual(payload);
    expect(verified.iss).toBe(metadata['openid-configuration'].issuer);
  });
  it('the ?appid= metadata verifies tokens signed with an app\'s custom key', async () => {
    const jwt = (await run(issueCommand, ['--user', 'alexw@contoso.com', '--client', defaultIds.webApp, '--token', 'id', '--now', NOW, '--format', 'jwt'])).out.trim();
    const metadata = JSON.parse((await run(metadataCommand, ['--now', NOW, '--appid', defaultIds.webApp])).out) as { jwks: { keys: JsonWebKey[] }; 'openid-configuration': { jwks_uri: string } };
    expect(metadata['openid-configuration'].jwks_uri).toContain(`?appid=${defaultIds.webApp}`);
    expect(verifyRs256(jwt, metadata.jwks).aud).toBe(defaultIds.webApp);
    const tenantOnly = JSON.parse((await run(metadataCommand, ['--now', NOW])).out) as { jwks: { keys: JsonWebKey[] } };
    expect(() => verifyRs256(jwt, tenantOnly.jwks)).toThrow(/no RS256 key/);
  });
  it('prints SAML claims and XML', async () => {
    const args = ['--user', 'adelev@contoso.com', '--client', defaultIds.samlApp, '--token', 'saml', '--now', NOW];
    const view = JSON.parse((await run(issueCommand, args)).out) as { nameId: { value: string }; attributes: { name: string }[] };
    expect(view.nameId.value).toBe('E1001');
    expect((await run(issueCommand, [...args, '--format', 'assertion'])).out).toMatch(/^<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"/);
  });
  it('gating failures exit 1 with the AADSTS code; unknown user exits 2 with CM7005; bad flags exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claimc-issue-'));
    const snapshot = {
      organization: { id: 't', verifiedDomains: [{ name: 'contoso.com' }] },
      users: [{ id: 'u1', userPrincipalName: 'u@contoso.com' }],
      applications: [{ appId: 'app', identifierUris: ['https://app.fabrikam.net'] }],
      servicePrincipals: [{ id: 'sp', appId: 'app', claimsMappingPolicies: [{ id: 'p' }] }],
      claimsMappingPolicies: [{ id: 'p', definition: ['{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"false"}}'] }],
    };
    writeFileSync(join(dir, 'snapshot.json'), JSON.stringify(snapshot));
    const refused = await run(issueCommand, ['--directory', 'snapshot.json', '--user', 'u1', '--client', 'app', '--token', 'id', '--now', NOW], dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('AADSTS50146');
    const unknown = await run(issueCommand, ['--user', 'nobody', '--client', defaultIds.webApp, '--token', 'id', '--now', NOW]);
    expect([unknown.code, unknown.err.includes('CM7005')]).toEqual([2, true]);
    await expect(run(issueCommand, ['--client', defaultIds.webApp, '--token', 'jwt'])).rejects.toThrow(/--token must be one of/);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ organization: { id: 1 } }));
    const bad = await run(issueCommand, ['--directory', 'bad.json', '--user', 'u1', '--client', 'app', '--token', 'id'], dir);
    expect([bad.code, bad.err.includes('CM7001')]).toEqual([1, true]);
  });
});
