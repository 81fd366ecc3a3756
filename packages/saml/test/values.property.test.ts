// Any text XML 1.0 can carry survives escaping, exclusive canonicalization and signing: node-saml (the SP) reads back
// exactly the attribute values and NameID that were signed, and matches the InResponseTo it sent (quotes and angle
// brackets in it cannot break out of the attribute). Clock frozen; fast-check prints its seed on failure.
import fc from 'fast-check';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { prepareDirectory } from '@claimc/compiler';
import { assembleToken, type AssembledSaml } from '@claimc/runtime/internal';
import { defaultIds, defaultSnapshot, defaultUserIds, demoSigningJwk } from '../../cli/src/demo/tenant.js';
import { importNodeSigningKey, type NodeSigningKey } from '@claimc/runtime/node';
import { buildSignedSamlResponse, certifyKey, signingCertificateOf, type SigningCertificate } from '../src/index.js';

const now = Date.UTC(2026, 0, 1) / 1000;
const acs = 'https://expenses.contoso.com/saml/acs';
const audience = 'https://expenses.contoso.com/saml';
const probe = 'http://contoso.com/claims/probe';

// XML 1.0 characters: tab, LF, CR excluded from the ends (SPs trim), any BMP character outside the surrogates and U+FFFE/U+FFFF, and astral ones
const xmlChar = fc.oneof(
  fc.constantFrom('&', '<', '>', '"', "'", ']]>', '\t', '\n', '\r', '&amp;', '\u00e9', '\u200f', '\ud83d\ude00'),
  fc.integer({ min: 0x20, max: 0xd7ff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0xe000, max: 0xfffd }).map((c) => String.fromCharCode(c)),
);
const xmlText = fc.array(xmlChar, { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')).filter((text) => text.trim() === text && text.length > 0);

let assertion: AssembledSaml;
let key: NodeSigningKey;
let certificate: SigningCertificate;

beforeAll(() => {
  const directory = prepareDirectory(defaultSnapshot).directory!;
  assertion = assembleToken(directory, { token: 'saml', client: defaultIds.samlApp, user: defaultUserIds.adele, now }) as AssembledSaml;
  key = certifyKey(importNodeSigningKey({ ...demoSigningJwk }), { notBefore: Date.UTC(2020, 0, 1) / 1000, notAfter: Date.UTC(2049, 11, 31) / 1000 });
  certificate = signingCertificateOf(key);
  vi.useFakeTimers({ now: (now + 60) * 1000, toFake: ['Date'] });
});

afterAll(() => {
  vi.useRealTimers();
});

describe('signed values round-trip through a service provider', () => {
  it('attribute values and NameID come back exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(xmlText, { minLength: 1, maxLength: 3 }), xmlText, xmlText, fc.constantFrom('SignAssertion', 'SignResponse', 'SignResponseAndAssertion' as const), async (values, nameId, inResponseTo, signingOption) => {
        const probed: AssembledSaml = { ...assertion, nameId: { ...assertion.nameId, value: nameId }, attributes: [...assertion.attributes, { name: probe, values }] };
        const xml = buildSignedSamlResponse({ assertion: probed, destination: acs, inResponseTo, signingOption, key, certificate });
        const sp = new SAML({
          idpCert: certificate.base64,
          issuer: audience,
          audience,
          callbackUrl: acs,
          wantAssertionsSigned: signingOption !== 'SignResponse',
          wantAuthnResponseSigned: signingOption !== 'SignAssertion',
          validateInResponseTo: ValidateInResponseTo.always,
          acceptedClockSkewMs: 0,
        });
        await sp.cacheProvider.saveAsync(inResponseTo, new Date().toISOString());
        const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: Buffer.from(xml, 'utf8').toString('base64') });
        expect(profile?.nameID).toBe(nameId);
        const got = profile?.[probe];
        expect(Array.isArray(got) ? got : [got]).toEqual(values);
      }),
      { numRuns: 40, verbose: true },
    );
  });
});
