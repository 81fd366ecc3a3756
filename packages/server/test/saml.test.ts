// An SP-initiated SAML sign-in with @node-saml/node-saml: AuthnRequest by HTTP-Redirect and by HTTP-POST, the
// sign-in page, and the Response delivered by an auto-submitting form; WS-Federation delivers the same assertion.
// The served assertion is unsigned until signing lands in the issuer, and node-saml accepts no unsigned response
// whatever its options, so the test plays the missing part: it signs the served assertion with xml-crypto (the
// library node-saml itself verifies with) and a throwaway certificate. Everything else — AuthnRequest parsing,
// InResponseTo, Recipient, Audience, Issuer, times, attributes — is checked by node-saml as served.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAML } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import { defaultIds, defaultUserIds } from '../../cli/src/demo/tenant.js';
import { createServer, type ClaimcServer } from '../src/index.js';
import { demoDirectory, demoKey } from './helpers.js';

const tid = defaultIds.tenant;
const entityId = 'https://expenses.contoso.com/saml';
const acs = 'http://127.0.0.1:4300/saml/acs';
let server: ClaimcServer;
let base: string;
let certPem: string;
let keyPem: string;

// xml-crypto as node-saml resolves it (a dependency of node-saml, not of this workspace)
const fromNodeSaml = createRequire(createRequire(import.meta.url).resolve('@node-saml/node-saml'));
const { SignedXml } = fromNodeSaml('xml-crypto') as typeof import('xml-crypto');

/** Signs the assertion inside a served SAMLResponse (what the signing issuer will do itself). */
function signServedResponse(fields: Record<string, string>): { SAMLResponse: string } {
  const xml = Buffer.from(fields['SAMLResponse']!, 'base64').toString('utf8');
  const signer = new SignedXml({ privateKey: keyPem, publicCert: certPem });
  signer.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  signer.canonicalizationAlgorithm = 'http://www.w3.org/2001/10/xml-exc-c14n#';
  signer.signatureAlgorithm = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
  signer.computeSignature(xml, { location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
  return { SAMLResponse: Buffer.from(signer.getSignedXml()).toString('base64') };
}

beforeAll(async () => {
  const folder = mkdtempSync(join(tmpdir(), 'claimc-saml-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=claimc-test-idp', '-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem')], { stdio: 'ignore' });
  certPem = readFileSync(join(folder, 'cert.pem'), 'utf8');
  keyPem = readFileSync(join(folder, 'key.pem'), 'utf8');
  server = createServer({ directory: demoDirectory(), key: demoKey });
  base = await server.listen(0);
});
afterAll(async () => {
  await server.close();
});

function serviceProvider(binding: 'HTTP-Redirect' | 'HTTP-POST'): SAML {
  return new SAML({
    entryPoint: `${base}/${tid}/saml2`,
    issuer: entityId,
    callbackUrl: acs,
    audience: entityId,
    idpIssuer: `${base}/${tid}/`,
    idpCert: certPem,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: 'always',
    authnRequestBinding: binding,
  });
}

/** The hidden fields of the first form of a page, and its action. */
function formOf(html: string): { action: string; fields: Record<string, string> } {
  const document = new DOMParser().parseFromString(html, 'text/html');
  const form = document.getElementsByTagName('form')[0]!;
  const fields: Record<string, string> = {};
  const inputs = form.getElementsByTagName('input');
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    if (input.getAttribute('type') === 'hidden') fields[input.getAttribute('name')!] = input.getAttribute('value') ?? '';
  }
  return { action: form.getAttribute('action')!, fields };
}

async function pickUser(page: Response, userId: string): Promise<{ action: string; fields: Record<string, string> }> {
  expect(page.status).toBe(200);
  const signIn = formOf(await page.text());
  const answer = await fetch(new URL(signIn.action, base), { method: 'POST', body: new URLSearchParams({ ...signIn.fields, claimc_user: userId }) });
  expect(answer.status).toBe(200);
  return formOf(await answer.text());
}

describe('SAML 2.0 SP-initiated sign-in with node-saml', () => {
  it('HTTP-Redirect AuthnRequest → sign-in page → POSTed Response the SP accepts', async () => {
    const sp = serviceProvider('HTTP-Redirect');
    const authorizeUrl = await sp.getAuthorizeUrlAsync('relay-1', undefined, {});
    const delivered = await pickUser(await fetch(authorizeUrl), defaultUserIds.adele);
    expect(delivered.action).toBe(acs);
    expect(delivered.fields['RelayState']).toBe('relay-1');
    const { profile, loggedOut } = await sp.validatePostResponseAsync(signServedResponse(delivered.fields));
    expect(loggedOut).toBe(false);
    expect(profile?.nameID).toBe('E1001');
    expect(profile?.['http://schemas.microsoft.com/identity/claims/objectidentifier']).toBe(defaultUserIds.adele);
    expect(profile?.['http://schemas.microsoft.com/ws/2008/06/identity/claims/groups']).toBeDefined();
    // the same response cannot be replayed: its InResponseTo was consumed
    await expect(sp.validatePostResponseAsync(signServedResponse(delivered.fields))).rejects.toThrow(/InResponseTo/);
  });

  it('HTTP-POST AuthnRequest is accepted too', async () => {
    const sp = serviceProvider('HTTP-POST');
    const form = formOf(await sp.getAuthorizeFormAsync('relay-2', undefined, {}));
    const delivered = await pickUser(await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields) }), defaultUserIds.alex);
    const { profile } = await sp.validatePostResponseAsync(signServedResponse(delivered.fields));
    expect(profile?.['http://schemas.microsoft.com/identity/claims/objectidentifier']).toBe(defaultUserIds.alex);
  });

  it('an unknown SP or an unregistered ACS URL is refused on the page', async () => {
    const stranger = new SAML({ entryPoint: `${base}/${tid}/saml2`, issuer: 'https://unknown.example/sp', callbackUrl: acs, idpCert: 'x', wantAssertionsSigned: false, wantAuthnResponseSigned: false });
    const refused = await fetch(await stranger.getAuthorizeUrlAsync('', undefined, {}));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('AADSTS700016');
    const elsewhere = new SAML({ entryPoint: `${base}/${tid}/saml2`, issuer: entityId, callbackUrl: 'http://evil.example/acs', idpCert: 'x', wantAssertionsSigned: false, wantAuthnResponseSigned: false });
    const refusedAcs = await fetch(await elsewhere.getAuthorizeUrlAsync('', undefined, {}));
    expect(await refusedAcs.text()).toContain('AADSTS50011');
  });

  it('WS-Federation sign-in posts wresult with the assertion for the realm', async () => {
    const url = `${base}/${tid}/wsfed?${new URLSearchParams({ wa: 'wsignin1.0', wtrealm: entityId, wreply: acs, wctx: 'ctx-1' })}`;
    const delivered = await pickUser(await fetch(url), defaultUserIds.adele);
    expect(delivered.action).toBe(acs);
    expect(delivered.fields['wa']).toBe('wsignin1.0');
    expect(delivered.fields['wctx']).toBe('ctx-1');
    const result = new DOMParser().parseFromString(delivered.fields['wresult']!, 'text/xml');
    expect(result.getElementsByTagNameNS('http://www.w3.org/2005/08/addressing', 'Address')[0]?.textContent).toBe(entityId);
    expect(result.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Audience')[0]?.textContent).toBe(entityId);
  });
});
