// Signed SAML from the server, checked by parts no one here wrote: @node-saml/node-saml completes SP-initiated
// sign-ins (AuthnRequest by HTTP-Redirect and by HTTP-POST, the Response delivered by an auto-submitting form) and
// verifies the signature with the certificate it reads from the server's federation metadata — nothing is signed in
// the test. xmlsec1 verifies the metadata's own signature and the SAML 1.1 token of a WS-Federation sign-in (which
// node-saml does not speak).
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { DOMParser, XMLSerializer, type Document } from '@xmldom/xmldom';
import { importNodeSigningKey } from '@claimc/runtime/node';
import { createSigningCertificate, tenantCertificateWindow } from '@claimc/saml';
import { verifyWithXmlsec } from '../../testkit/src/index.js';
import { defaultIds, defaultSnapshot, defaultUserIds } from '../../cli/src/demo/tenant.js';
import { createServer, type ClaimcServer } from '../src/index.js';
import { demoDirectory, demoKey } from './helpers.js';

const tid = defaultIds.tenant;
const entityId = 'https://expenses.contoso.com/saml';
const acs = 'http://127.0.0.1:4300/saml/acs';
// the clock, frozen for the server; node-saml checks the assertion's window against its own wall clock, seconds later
const now = Math.floor(Date.now() / 1000);
const servers: ClaimcServer[] = [];

async function start(snapshot: unknown = defaultSnapshot): Promise<string> {
  const server = createServer({ directory: demoDirectory(snapshot), key: demoKey, now: () => now });
  servers.push(server);
  return server.listen(0);
}

let base: string;
let appCertificate: string;
let tenantCertificate: string;
/** The certificate of some other key: what a response from another IdP would verify with. */
const strangerCertificate = createSigningCertificate(
  importNodeSigningKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
  tenantCertificateWindow,
).pem;

const parse = (xml: string): Document => new DOMParser().parseFromString(xml, 'text/xml');
const byLocalName = (document: Document, name: string) => Array.from(document.getElementsByTagNameNS('*', name));
const pem = (base64: string): string => `-----BEGIN CERTIFICATE-----\n${base64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

/** The IdP signing certificate, as an SP administrator reads it from the federation metadata URL. */
async function metadataCertificate(server: string, appId?: string): Promise<string> {
  const url = `${server}/${tid}/federationmetadata/2007-06/federationmetadata.xml${appId !== undefined ? `?appid=${appId}` : ''}`;
  const answer = await fetch(url);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^application\/xml/);
  const document = parse(await answer.text());
  const x509 = byLocalName(document, 'X509Certificate').find((node) => node.parentNode?.parentNode?.parentNode?.localName === 'KeyDescriptor');
  return pem(x509!.textContent!);
}

beforeAll(async () => {
  base = await start();
  appCertificate = await metadataCertificate(base, defaultIds.samlApp);
  tenantCertificate = await metadataCertificate(base);
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

function serviceProvider(binding: 'HTTP-Redirect' | 'HTTP-POST', options: { server?: string; idpCert?: string; responseSigned?: boolean } = {}): SAML {
  const server = options.server ?? base;
  return new SAML({
    entryPoint: `${server}/${tid}/saml2`,
    issuer: entityId,
    callbackUrl: acs,
    audience: entityId,
    idpIssuer: `${server}/${tid}/`,
    idpCert: options.idpCert ?? appCertificate,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: options.responseSigned ?? false,
    validateInResponseTo: ValidateInResponseTo.always,
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

async function pickUser(page: Response, userId: string, server = base): Promise<{ action: string; fields: Record<string, string> }> {
  expect(page.status).toBe(200);
  const signIn = formOf(await page.text());
  const answer = await fetch(new URL(signIn.action, server), { method: 'POST', body: new URLSearchParams({ ...signIn.fields, claimc_user: userId }) });
  expect(answer.status).toBe(200);
  return formOf(await answer.text());
}

async function redirectSignIn(sp: SAML, userId: string, server = base): Promise<{ action: string; fields: Record<string, string> }> {
  return pickUser(await fetch(await sp.getAuthorizeUrlAsync('relay-1', undefined, {})), userId, server);
}

describe('federation metadata', () => {
  it('names this server as the IdP, is signed, and ?appid= gives the certificate of the app’s own key', async () => {
    const xml = await (await fetch(`${base}/${tid}/FederationMetadata/2007-06/FederationMetadata.xml?appid=${defaultIds.samlApp}`)).text();
    const document = parse(xml);
    expect(document.documentElement!.getAttribute('entityID')).toBe(`${base}/${tid}/`);
    expect(byLocalName(document, 'SingleSignOnService').map((node) => node.getAttribute('Location'))).toEqual([`${base}/${tid}/saml2`, `${base}/${tid}/saml2`]);
    expect(verifyWithXmlsec(xml, appCertificate)).toMatchObject({ ok: true });
    expect(appCertificate).not.toBe(tenantCertificate);
    // the JWKS publishes the same certificates (x5c) as the metadata
    const appKeys = (await (await fetch(`${base}/${tid}/discovery/v2.0/keys?appid=${defaultIds.samlApp}`)).json()) as { keys: { x5c: string[] }[] };
    const tenantKeys = (await (await fetch(`${base}/${tid}/discovery/v2.0/keys`)).json()) as { keys: { x5c: string[] }[] };
    expect(pem(appKeys.keys[0]!.x5c[0]!)).toBe(appCertificate);
    expect(pem(tenantKeys.keys[0]!.x5c[0]!)).toBe(tenantCertificate);
  });
});

describe('SAML 2.0 SP-initiated sign-in with node-saml', () => {
  it('HTTP-Redirect AuthnRequest → sign-in page → signed Response the SP verifies; a replay is refused', async () => {
    const sp = serviceProvider('HTTP-Redirect');
    const delivered = await redirectSignIn(sp, defaultUserIds.adele);
    expect(delivered.action).toBe(acs);
    expect(delivered.fields['RelayState']).toBe('relay-1');
    const { profile, loggedOut } = await sp.validatePostResponseAsync(delivered.fields);
    expect(loggedOut).toBe(false);
    expect(profile?.nameID).toBe('E1001');
    expect(profile?.issuer).toBe(`${base}/${tid}/`);
    expect(profile?.['http://schemas.microsoft.com/identity/claims/objectidentifier']).toBe(defaultUserIds.adele);
    expect(profile?.['http://schemas.microsoft.com/ws/2008/06/identity/claims/groups']).toBeDefined();
    // the same response cannot be replayed: its InResponseTo was consumed
    await expect(sp.validatePostResponseAsync(delivered.fields)).rejects.toThrow(/InResponseTo/);
  });

  it('HTTP-POST AuthnRequest is accepted too', async () => {
    const sp = serviceProvider('HTTP-POST');
    const form = formOf(await sp.getAuthorizeFormAsync('relay-2', undefined, {}));
    const delivered = await pickUser(await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields) }), defaultUserIds.alex);
    const { profile } = await sp.validatePostResponseAsync(delivered.fields);
    expect(profile?.['http://schemas.microsoft.com/identity/claims/objectidentifier']).toBe(defaultUserIds.alex);
  });

  it('a tampered Response is refused, and so is one checked with another key’s certificate', async () => {
    const sp = serviceProvider('HTTP-Redirect');
    const delivered = await redirectSignIn(sp, defaultUserIds.adele);
    const xml = Buffer.from(delivered.fields['SAMLResponse']!, 'base64').toString('utf8');
    const document = parse(xml);
    // signed with the app's own key: its KeyInfo carries the certificate of the ?appid= metadata
    expect(pem(byLocalName(document, 'X509Certificate')[0]!.textContent!)).toBe(appCertificate);
    const nameId = byLocalName(document, 'NameID')[0]!;
    expect(nameId.textContent).toBe('E1001');
    nameId.textContent = 'E1002';
    const tampered = Buffer.from(new XMLSerializer().serializeToString(document)).toString('base64');
    await expect(sp.validatePostResponseAsync({ ...delivered.fields, SAMLResponse: tampered })).rejects.toThrow(/signature/i);

    const wrongCertificate = serviceProvider('HTTP-Redirect', { idpCert: strangerCertificate });
    const again = await redirectSignIn(wrongCertificate, defaultUserIds.adele);
    await expect(wrongCertificate.validatePostResponseAsync(again.fields)).rejects.toThrow(/signature/i);
  });

  it.each(['SignResponse', 'SignResponseAndAssertion'] as const)('the service principal’s samlSigningOption %s signs the Response', async (signingOption) => {
    const snapshot = structuredClone(defaultSnapshot) as unknown as { servicePrincipals: Record<string, unknown>[] };
    for (const principal of snapshot.servicePrincipals) if (principal['appId'] === defaultIds.samlApp) principal['samlSigningOption'] = signingOption;
    const server = await start(snapshot);
    const idpCert = await metadataCertificate(server, defaultIds.samlApp);
    const sp = new SAML({
      entryPoint: `${server}/${tid}/saml2`,
      issuer: entityId,
      callbackUrl: acs,
      audience: entityId,
      idpIssuer: `${server}/${tid}/`,
      idpCert,
      wantAssertionsSigned: signingOption === 'SignResponseAndAssertion',
      wantAuthnResponseSigned: true,
      validateInResponseTo: ValidateInResponseTo.always,
    });
    const delivered = await redirectSignIn(sp, defaultUserIds.adele, server);
    const document = parse(Buffer.from(delivered.fields['SAMLResponse']!, 'base64').toString('utf8'));
    const signedParents = byLocalName(document, 'Signature').map((signature) => (signature.parentNode as { localName?: string } | null)?.localName);
    expect(signedParents.sort()).toEqual(signingOption === 'SignResponse' ? ['Response'] : ['Assertion', 'Response']);
    const { profile } = await sp.validatePostResponseAsync(delivered.fields);
    expect(profile?.nameID).toBe('E1001');
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
});

describe('WS-Federation', () => {
  it('posts wresult with a signed SAML 1.1 token for the realm that xmlsec1 verifies with the metadata certificate', async () => {
    const url = `${base}/${tid}/wsfed?${new URLSearchParams({ wa: 'wsignin1.0', wtrealm: entityId, wreply: acs, wctx: 'ctx-1' })}`;
    const delivered = await pickUser(await fetch(url), defaultUserIds.adele);
    expect(delivered.action).toBe(acs);
    expect(delivered.fields['wa']).toBe('wsignin1.0');
    expect(delivered.fields['wctx']).toBe('ctx-1');
    const wresult = delivered.fields['wresult']!;
    const result = parse(wresult);
    expect(result.getElementsByTagNameNS('http://www.w3.org/2005/08/addressing', 'Address')[0]?.textContent).toBe(entityId);
    const assertion = result.getElementsByTagNameNS('urn:oasis:names:tc:SAML:1.0:assertion', 'Assertion')[0]!;
    expect(assertion.getAttribute('Issuer')).toBe(`${base}/${tid}/`);
    expect(result.getElementsByTagNameNS('urn:oasis:names:tc:SAML:1.0:assertion', 'Audience')[0]?.textContent).toBe(entityId);
    const token = new XMLSerializer().serializeToString(assertion);
    expect(verifyWithXmlsec(token, appCertificate)).toMatchObject({ ok: true });
    expect(verifyWithXmlsec(token, strangerCertificate).ok).toBe(false);
    expect(verifyWithXmlsec(token.replace('>E1001<', '>E1002<'), appCertificate).ok).toBe(false);
  });
});

describe('a server with a non-RSA key', () => {
  it('refuses SAML metadata and SAML sign-in with the reason; its JWKS carries no certificate', async () => {
    const ecKey = importNodeSigningKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const server = createServer({ directory: demoDirectory(), key: ecKey, now: () => now });
    servers.push(server);
    const url = await server.listen(0);
    const metadata = await fetch(`${url}/${tid}/federationmetadata/2007-06/federationmetadata.xml`);
    expect(metadata.status).toBe(404);
    expect(((await metadata.json()) as { error_codes: number[] }).error_codes).toEqual([50000]);
    const sp = serviceProvider('HTTP-Redirect', { server: url });
    const page = await fetch(await sp.getAuthorizeUrlAsync('', undefined, {}));
    const signIn = formOf(await page.text());
    const refused = await fetch(new URL(signIn.action, url), { method: 'POST', body: new URLSearchParams({ ...signIn.fields, claimc_user: defaultUserIds.adele }) });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('RSA');
    const keys = (await (await fetch(`${url}/${tid}/discovery/v2.0/keys`)).json()) as { keys: { kty: string; x5c?: unknown }[] };
    expect(keys.keys[0]).toMatchObject({ kty: 'EC' });
    expect(keys.keys[0]!.x5c).toBeUndefined();
  });
});
