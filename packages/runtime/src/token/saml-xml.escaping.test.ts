import { DOMParser } from '@xmldom/xmldom';
import { beforeEach, describe, expect, it } from 'vitest';
import { ClaimcRuntimeError } from '../errors.js';
import type { AssembledSaml } from './saml-assertion.js';
import { assertSamlText, samlAssertionXml, samlClaimsView } from './saml-xml.js';
import { tenantSigningKey } from './gating.js';

// Escaping of every text and attribute position of the assertion: exact output, and a round trip through a
// real XML parser (markup characters, two of each so a non-global replace fails, and the whitespace an
// attribute-value normaliser would rewrite).
const hostile = 'a<b<c"d"e&f&g>h>i\'j\nk\tl\rm';

function assertion(overrides: Partial<AssembledSaml> = {}): AssembledSaml {
  return {
    format: 'saml',
    id: '_id"1<',
    issuer: 'https://sts.windows.net/t/<&>',
    audience: 'urn:app:<&>"',
    issueInstant: '2023-11-14T22:13:20.000Z',
    notBefore: '2023-11-14T22:08:20.000Z',
    notOnOrAfter: '2023-11-14T23:23:20.000Z',
    nameId: { value: hostile, format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:"x"&<y>' },
    attributes: [
      { name: hostile, nameFormat: hostile, values: [hostile, 'plain'] },
      { name: 'http://schemas.contoso.com/claims/dept', values: ['R&D'] },
    ],
    signingKey: tenantSigningKey,
    absent: [],
    ...overrides,
  };
}

const attributeEscaped = 'a&lt;b&lt;c&quot;d&quot;e&amp;f&amp;g&gt;h&gt;i\'j&#xA;k&#x9;l&#xD;m';
const textEscaped = 'a&lt;b&lt;c"d"e&amp;f&amp;g&gt;h&gt;i\'j\nk\tl&#xD;m';

describe('samlAssertionXml escaping', () => {
  // serialized inside each test (not at collection), so mutation testing sees which test covers which line
  let xml = '';
  beforeEach(() => {
    xml = samlAssertionXml(assertion());
  });

  it('escapes < > & " and line breaks and tabs in every attribute (Name, NameFormat, NameID Format, ID)', () => {
    expect(xml).toContain(`<Attribute Name="${attributeEscaped}" NameFormat="${attributeEscaped}">`);
    expect(xml).toContain('Format="urn:oasis:names:tc:SAML:1.1:nameid-format:&quot;x&quot;&amp;&lt;y&gt;"');
    expect(xml).toContain('ID="_id&quot;1&lt;"');
    expect(xml).toContain('SessionIndex="_id&quot;1&lt;"');
  });

  it('escapes < > & and CR in text (NameID, AttributeValue, Issuer, Audience)', () => {
    expect(xml).toContain(`>${textEscaped}</NameID>`);
    expect(xml).toContain(`<AttributeValue>${textEscaped}</AttributeValue><AttributeValue>plain</AttributeValue>`);
    expect(xml).toContain('<Issuer>https://sts.windows.net/t/&lt;&amp;&gt;</Issuer>');
    expect(xml).toContain('<Audience>urn:app:&lt;&amp;&gt;"</Audience>');
    expect(xml).toContain('<AttributeValue>R&amp;D</AttributeValue>');
  });

  it('omits NameFormat when the attribute has none', () => {
    expect(xml).toContain('</AttributeValue></Attribute><Attribute Name="http://schemas.contoso.com/claims/dept"><AttributeValue>R&amp;D</AttributeValue></Attribute></AttributeStatement>');
  });

  it('round-trips every hostile value through a real XML parser', () => {
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) }).parseFromString(xml, 'text/xml');
    expect(errors).toEqual([]);
    const first = doc.getElementsByTagName('Attribute')[0]!;
    expect(first.getAttribute('Name')).toBe(hostile);
    expect(first.getAttribute('NameFormat')).toBe(hostile);
    expect(first.getElementsByTagName('AttributeValue')[0]!.textContent).toBe(hostile);
    expect(doc.getElementsByTagName('NameID')[0]!.textContent).toBe(hostile);
    expect(doc.getElementsByTagName('Assertion')[0]!.getAttribute('ID')).toBe('_id"1<');
  });

  it('writes the times, the bearer confirmation and the AuthnStatement as given', () => {
    expect(xml.startsWith('<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="_id&quot;1&lt;" IssueInstant="2023-11-14T22:13:20.000Z" Version="2.0"><Issuer>')).toBe(true);
    expect(xml).toContain('<SubjectConfirmationData NotOnOrAfter="2023-11-14T23:23:20.000Z"/>');
    expect(xml).toContain('<Conditions NotBefore="2023-11-14T22:08:20.000Z" NotOnOrAfter="2023-11-14T23:23:20.000Z">');
    expect(xml).toContain('<AuthnStatement AuthnInstant="2023-11-14T22:13:20.000Z" SessionIndex=');
    expect(xml.endsWith('</AuthnStatement></Assertion>')).toBe(true);
  });
});

describe('assertSamlText', () => {
  it.each(['\t', '\n', '\r', ' ', '\uD7FF', '\uE000', '\uFFFD', '😀', '\u{10FFFF}', 'plain text'])('accepts %j', (text) => {
    expect(() => assertSamlText('value', text)).not.toThrow();
  });

  it.each([
    ['\u0000', '0000', 0],
    ['ab\u001F', '001F', 2],
    ['x\u0008', '0008', 1],
    ['\uFFFE', 'FFFE', 0],
    ['\uFFFF', 'FFFF', 0],
    ['a\uD800b', 'D800', 1],
    ['a\uDC00', 'DC00', 1],
  ])('refuses %j with the code point and index', (text, code, index) => {
    let caught: unknown;
    try {
      assertSamlText('NameID', text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ClaimcRuntimeError);
    expect((caught as ClaimcRuntimeError).code).toBe('ERR_SAML_VALUE');
    expect((caught as Error).message).toBe(`SAML NameID: U+${code} at index ${index} cannot be carried by XML 1.0`);
  });
});

describe('samlClaimsView', () => {
  it('copies the header fields and attributes, with nameFormat only when set', () => {
    const token = assertion();
    const view = samlClaimsView(token);
    expect(view).toEqual({
      issuer: token.issuer,
      audience: token.audience,
      issueInstant: token.issueInstant,
      notBefore: token.notBefore,
      notOnOrAfter: token.notOnOrAfter,
      nameId: { value: hostile, format: token.nameId.format },
      attributes: [
        { name: hostile, nameFormat: hostile, values: [hostile, 'plain'] },
        { name: 'http://schemas.contoso.com/claims/dept', values: ['R&D'] },
      ],
    });
    expect(Object.keys(view.attributes[1]!)).toEqual(['name', 'values']);
    expect(view.attributes[0]!.values).not.toBe(token.attributes[0]!.values);
  });
});
