// `claimc issue --token saml --format saml` and `claimc metadata --saml` checked by verifiers no one here wrote
// (node-saml as the service provider, xmlsec1, xmllint with the OASIS schemas). Seed 001: the SAML token type covers
// SAML 1.1 and 2.0; seed 004: v1 tokens carry x5t, the thumbprint of the signing certificate. Clock frozen with --now.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, generateKeyPairSync, X509Certificate, verify } from 'node:crypto';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultIds, defaultSnapshot } from '../src/demo/tenant.js';
import { importNodeSigningKey } from '@claimc/runtime/node';
import { createSigningCertificate } from '@claimc/saml';
import { validateWithXsd, verifyWithXmlsec } from '../../testkit/src/index.js';
import type { CliIO } from '../src/command.js';
import { issueCommand } from '../src/commands/issue.js';
import { metadataCommand } from '../src/commands/metadata.js';

const now = 1767225600; // 2026-01-01T00:00:00Z
const acs = 'https://expenses.contoso.com/saml/acs';
const entityId = 'https://expenses.contoso.com/saml';
const saml = ['--user', 'adelev@contoso.com', '--client', entityId, '--token', 'saml', '--format', 'saml', '--now', String(now)];

async function run(command: typeof issueCommand, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (err += c) }, env: {}, cwd: process.cwd() };
  return { code: await command.run(args, io), out, err };
}

const elements = (xml: string, name: string): Element[] => Array.from(new DOMParser().parseFromString(xml, 'text/xml').getElementsByTagNameNS('*', name));
const pem = (base64: string): string => `-----BEGIN CERTIFICATE-----\n${base64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

/** The SAML app's signing certificate, read from `claimc metadata --saml --appid` as an administrator would. */
async function metadataCertificate(extra: string[] = []): Promise<string> {
  const metadata = await run(metadataCommand, ['--saml', '--appid', defaultIds.samlApp, '--now', String(now), ...extra]);
  expect(metadata.code).toBe(0);
  expect(validateWithXsd(metadata.out, 'metadata')).toEqual({ valid: true, errors: [] });
  return elements(metadata.out, 'X509Certificate').at(-1)!.textContent!;
}

function snapshotWith(servicePrincipal: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'claimc-saml-'));
  const snapshot = structuredClone(defaultSnapshot) as unknown as { servicePrincipals: Record<string, unknown>[] };
  snapshot.servicePrincipals = snapshot.servicePrincipals.map((sp) => (sp['appId'] === defaultIds.samlApp ? { ...sp, ...servicePrincipal } : sp));
  const path = join(dir, 'snapshot.json');
  writeFileSync(path, JSON.stringify(snapshot));
  return path;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('claimc issue --token saml --format saml', () => {
  it('prints a Response node-saml accepts with the certificate of claimc metadata --saml; InResponseTo and Destination as asked', async () => {
    const issued = await run(issueCommand, [...saml, '--in-response-to', '_req-42']);
    expect(issued.code).toBe(0);
    const response = elements(issued.out, 'Response')[0]!;
    expect(response.getAttribute('Destination')).toBe(acs);
    expect(response.getAttribute('InResponseTo')).toBe('_req-42');
    expect(elements(issued.out, 'SubjectConfirmationData')[0]!.getAttribute('Recipient')).toBe(acs);
    expect(validateWithXsd(issued.out, 'protocol')).toEqual({ valid: true, errors: [] });
    const cert = await metadataCertificate();
    expect(verifyWithXmlsec(issued.out, pem(cert))).toMatchObject({ ok: true });

    vi.useFakeTimers({ now: (now + 30) * 1000, toFake: ['Date'] });
    const sp = new SAML({ idpCert: cert, issuer: entityId, audience: entityId, callbackUrl: acs, wantAuthnResponseSigned: false, acceptedClockSkewMs: 0, validateInResponseTo: ValidateInResponseTo.always });
    await sp.cacheProvider.saveAsync('_req-42', new Date().toISOString());
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: Buffer.from(issued.out.trim()).toString('base64') });
    expect(profile?.['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname']).toBe('Adele');
  });

  it.each([
    ['SignAssertion', ['Assertion']],
    ['SignResponse', ['Response']],
    ['SignResponseAndAssertion', ['Response', 'Assertion']],
  ] as const)('samlSigningOption %s on the service principal signs %j', async (option, signed) => {
    const issued = await run(issueCommand, [...saml, '--directory', snapshotWith({ samlSigningOption: option })]);
    expect(issued.code).toBe(0);
    expect(elements(issued.out, 'Signature').map((s) => (s.parentNode as Element).localName)).toEqual(signed);
    expect(verifyWithXmlsec(issued.out, pem(await metadataCertificate()))).toMatchObject({ ok: true });
  });

  it('a bad samlSigningOption is a snapshot error', async () => {
    const issued = await run(issueCommand, [...saml, '--directory', snapshotWith({ samlSigningOption: 'SignEverything' })]);
    expect(issued.code).toBe(1);
    expect(issued.err).toContain('CM7001');
  });

  it('refuses a destination that is not a reply URL (CM7200, exit 1) and needs one when the app has none (CM7201, exit 2)', async () => {
    const elsewhere = await run(issueCommand, [...saml, '--destination', 'https://evil.example/acs']);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.err).toContain('CM7200');
    const none = await run(issueCommand, [...saml, '--directory', snapshotWith({ replyUrls: [] })]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('CM7201');
    const given = await run(issueCommand, [...saml, '--directory', snapshotWith({ replyUrls: [] }), '--destination', 'https://sp.example/acs']);
    expect(given.code).toBe(0);
    await expect(run(issueCommand, [...saml, '--in-response-to', '"><x/>'])).rejects.toThrow(/--in-response-to must be/);
  });

  it('--protocol saml11 and wsfed: signed SAML 1.1 that xmlsec1 and the SAML 1.1 schema accept', async () => {
    const saml11 = await run(issueCommand, [...saml, '--protocol', 'saml11']);
    expect(saml11.code).toBe(0);
    expect(validateWithXsd(saml11.out, 'saml11-assertion')).toEqual({ valid: true, errors: [] });
    const cert = pem(await metadataCertificate());
    expect(verifyWithXmlsec(saml11.out, cert)).toMatchObject({ ok: true });
    const wsfed = await run(issueCommand, [...saml, '--protocol', 'wsfed']);
    expect(wsfed.code).toBe(0);
    expect(elements(wsfed.out, 'RequestSecurityTokenResponse')).toHaveLength(1);
    expect(verifyWithXmlsec(wsfed.out, cert)).toMatchObject({ ok: true });
  });

  it('--format assertion keeps the unsigned assertion; SAML flags need --format saml', async () => {
    const assertion = await run(issueCommand, [...saml.slice(0, -4), '--format', 'assertion', '--now', String(now)]);
    expect(assertion.out).toMatch(/^<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"/);
    expect(assertion.out).not.toContain('Signature');
    await expect(run(issueCommand, [...saml.slice(0, -4), '--format', 'claims', '--protocol', 'wsfed', '--now', String(now)])).rejects.toThrow(/--protocol/);
  });
});

describe('--cert', () => {
  it('signs with the given certificate in KeyInfo; a certificate of another key is refused (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claimc-cert-'));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyPath = join(dir, 'key.pem');
    writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const certificate = createSigningCertificate(importNodeSigningKey(readFileSync(keyPath, 'utf8')), { commonName: 'sso.contoso.com', notBefore: now - 86_400, notAfter: now + 86_400 * 365 });
    const certPath = join(dir, 'cert.pem');
    writeFileSync(certPath, certificate.pem);
    const issued = await run(issueCommand, [...saml, '--key', keyPath, '--cert', certPath]);
    expect(issued.code).toBe(0);
    expect(elements(issued.out, 'X509Certificate')[0]!.textContent).toBe(certificate.base64);
    expect(verifyWithXmlsec(issued.out, certificate.pem)).toMatchObject({ ok: true });
    const mismatch = await run(issueCommand, [...saml, '--cert', certPath]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.err).toContain('does not belong to the signing key');
  });
});

describe('certificates in JWT headers and JWKS', () => {
  it('the v1 x5t header is the base64url SHA-1 thumbprint of the signing certificate, which JWKS publishes as x5c', async () => {
    const issued = await run(issueCommand, ['--user', 'adelev@contoso.com', '--client', defaultIds.webApp, '--token', 'id', '--token-version', '1', '--format', 'jwt', '--now', String(now)]);
    expect(issued.code).toBe(0);
    const [h, p, s] = issued.out.trim().split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { x5t: string; kid: string };
    expect(header.x5t).not.toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/i);
    const metadata = await run(metadataCommand, ['--appid', defaultIds.webApp, '--now', String(now)]);
    const key = (JSON.parse(metadata.out) as { jwks: { keys: { kid: string; x5t: string; x5c: string[] }[] } }).jwks.keys.find((k) => k.kid === header.kid)!;
    const certificate = new X509Certificate(Buffer.from(key.x5c[0]!, 'base64'));
    expect(createHash('sha1').update(certificate.raw).digest('base64url')).toBe(header.x5t);
    expect(key.x5t).toBe(header.x5t);
    expect(verify('sha256', Buffer.from(`${h}.${p}`), certificate.publicKey, Buffer.from(s, 'base64url'))).toBe(true);
  });

  it('the tenant key has its own certificate, the same on every run', async () => {
    const first = JSON.parse((await run(metadataCommand, ['--now', String(now)])).out) as { jwks: { keys: { x5t: string; x5c: string[] }[] } };
    const second = JSON.parse((await run(metadataCommand, ['--now', String(now + 86_400)])).out) as typeof first;
    expect(second.jwks.keys[0]!.x5c).toEqual(first.jwks.keys[0]!.x5c);
    expect(new X509Certificate(Buffer.from(first.jwks.keys[0]!.x5c[0]!, 'base64')).subject).toBe('CN=accounts.accesscontrol.windows.net');
  });
});
