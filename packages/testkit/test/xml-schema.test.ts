import { describe, expect, it } from 'vitest';
import { validateWithXsd } from '../src/xml-schema.js';

// The xmllint helper itself: it accepts valid SAML and rejects what the SAML 2.0 schema forbids.

const assertion = (notOnOrAfter: string, body = '<Issuer>https://sts.windows.net/t/</Issuer>'): string =>
  `<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" IssueInstant="2025-01-01T00:00:00Z" Version="2.0">${body}` +
  `<Conditions NotBefore="2025-01-01T00:00:00Z" NotOnOrAfter="${notOnOrAfter}"/></Assertion>`;

describe('validateWithXsd', () => {
  it('accepts a minimal assertion and a samlp:Response carrying it', () => {
    expect(validateWithXsd(assertion('2025-01-01T01:10:00Z'), 'assertion')).toEqual({ valid: true, errors: [] });
    const response =
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0" IssueInstant="2025-01-01T00:00:00Z">' +
      '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>' +
      assertion('2025-01-01T01:10:00Z') +
      '</samlp:Response>';
    expect(validateWithXsd(response, 'protocol')).toEqual({ valid: true, errors: [] });
  });
  it.each([
    ['a five-digit year', assertion('+010000-01-01T00:00:00Z')],
    ['a missing Issuer', assertion('2025-01-01T01:10:00Z', '')],
    ['an unknown element', assertion('2025-01-01T01:10:00Z', '<Issuer>x</Issuer><Nope/>')],
    ['a document that is not well-formed', '<Assertion'],
  ])('rejects %s with xmllint\'s report', (_, xml) => {
    const result = validateWithXsd(xml, 'assertion');
    expect(result.valid).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
  });
});
