import { DOMParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleToken, assertSamlUri, clockRange, samlAssertionXml, tokenLifetimes, type AssembledSaml } from '@claimc/runtime/internal';
import { validateWithXsd } from '../src/xml-schema.js';
import { CLIENT, NOW, USER, directoryOf, policy, tenant } from '../src/index.js';

// SAML text: hostile values reach every XML parser unchanged (character references), values XML cannot carry are
// refused, and every assertion validates against the OASIS SAML 2.0 schema with xmllint. Clock frozen at NOW.

const nameIdentifier = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier';
const departmentUri = 'http://contoso.com/dept';

/** A SAML assertion whose NameID (from employeeId) and one attribute (department) carry the same text. */
function assertionWith(department: string, now = NOW): AssembledSaml {
  const schema = [
    { Source: 'user', ID: 'department', SamlClaimType: departmentUri },
    { Source: 'user', ID: 'employeeid', SamlClaimType: nameIdentifier },
  ];
  const d = directoryOf(tenant({ user: { department, employeeId: department }, client: { api: { acceptMappedClaims: true } }, clientSp: { claimsMappingPolicies: [{ id: 'p' }] }, policies: [{ id: 'p', definition: policy(schema) }] }));
  const token = assembleToken(d, { token: 'saml', client: CLIENT, user: USER, now });
  if (token.format !== 'saml') throw new Error('saml expected');
  return token;
}

const parse = (xml: string): Document => {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) }).parseFromString(xml, 'text/xml') as unknown as Document;
  expect(errors).toEqual([]);
  return doc;
};

/** What a real parser reads back: NameID text, and per attribute its Name, NameFormat and values. */
function readBack(xml: string): { nameId: string | null | undefined; attributes: { name: string | null; nameFormat: string | null; values: (string | null)[] }[] } {
  const doc = parse(xml);
  return {
    nameId: doc.getElementsByTagName('NameID')[0]?.textContent,
    attributes: Array.from(doc.getElementsByTagName('Attribute')).map((a) => ({
      name: a.getAttribute('Name'),
      nameFormat: a.getAttribute('NameFormat'),
      values: Array.from(a.getElementsByTagName('AttributeValue')).map((v) => v.textContent),
    })),
  };
}

const expectSchemaValid = (xml: string): void => {
  const { valid, errors } = validateWithXsd(xml, 'assertion');
  expect(errors).toEqual([]);
  expect(valid).toBe(true);
};

const hostile: readonly (readonly [string, string])[] = [
  ['U+0085 (NEL)', 'a\u0085b'],
  ['U+2028 (LINE SEPARATOR)', 'a\u2028b'],
  ['U+2029 (PARAGRAPH SEPARATOR)', 'a\u2029b'],
  ['C1 controls and DEL', '\u007f\u0080\u009f'],
  ['CR and CRLF', 'a\rb\r\nc'],
  ['TAB and LF', 'a\tb\nc'],
  ['markup', '<x a="1">&amp;</x> ]]> <!-- --> <?pi?>'],
  ['quotes', `"'"`],
  ['noncharacters', 'a\ufdd0b\u{1fffe}c\u{10ffff}'],
  ['astral and combining', '😀e\u0301'],
];

describe('SAML text reaches a real parser unchanged', () => {
  it.each(hostile)('%s in NameID and an attribute value round-trips through xmldom and validates against the SAML 2.0 XSD', (_, value) => {
    const xml = samlAssertionXml(assertionWith(value));
    const back = readBack(xml);
    expect(back.nameId).toBe(value);
    expect(back.attributes.find((a) => a.name === departmentUri)?.values).toEqual([value]);
    expectSchemaValid(xml);
  });

  it.each(hostile)('%s in attribute Name and NameFormat (double-quoted attributes) round-trips', (_, value) => {
    const token = assertionWith('R&D');
    const forged: AssembledSaml = { ...token, attributes: [{ name: `n${value}`, nameFormat: `urn:${value}`, values: ['v'] }], nameId: { value: 'x', format: `urn:${value}` } };
    const back = readBack(samlAssertionXml(forged));
    expect(back.attributes).toEqual([{ name: `n${value}`, nameFormat: `urn:${value}`, values: ['v'] }]);
    // Name is an xs:string and validates with any text; NameFormat and Format are xs:anyURI, which a policy can set
    // only to the known SAML URIs (checked at compile time), so the schema check keeps them valid
    const uri = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';
    expectSchemaValid(samlAssertionXml({ ...token, attributes: [{ name: `n${value}`, nameFormat: uri, values: [value] }] }));
  });

  it('an attribute Name with < or " is escaped, never markup: the document stays well-formed and the name exact', () => {
    const token = assertionWith('R&D');
    for (const name of ['a<b', 'a"b', 'a" injected="1', '"/><Attribute Name="x']) {
      const xml = samlAssertionXml({ ...token, attributes: [{ name, values: ['v'] }] });
      const attributes = parse(xml).getElementsByTagName('Attribute');
      expect(attributes.length).toBe(1);
      expect(attributes[0]!.getAttribute('Name')).toBe(name);
      expect(attributes[0]!.hasAttribute('injected')).toBe(false);
      expectSchemaValid(xml);
    }
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['a C0 control', 'a\u0001b'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', 'a\udc00b'],
    ['U+FFFE', 'a\ufffe'],
    ['U+FFFF', 'a\uffff'],
  ])('%s is refused with ERR_SAML_VALUE, at assembly and at serialization', (_, value) => {
    expect(() => assertionWith(value)).toThrow(expect.objectContaining({ code: 'ERR_SAML_VALUE' }));
    const token = assertionWith('ok');
    expect(() => samlAssertionXml({ ...token, attributes: [{ name: 'n', values: [value] }] })).toThrow(expect.objectContaining({ code: 'ERR_SAML_VALUE' }));
    expect(() => samlAssertionXml({ ...token, attributes: [{ name: value, values: ['v'] }] })).toThrow(expect.objectContaining({ code: 'ERR_SAML_VALUE' }));
  });
});

describe('SAML assertions validate against the SAML 2.0 XSD', () => {
  it('at the earliest and latest clocks and around the year boundaries', () => {
    for (const now of [0, 1, NOW, 946_684_799, 4_102_444_800, clockRange.latest - tokenLifetimes.saml]) {
      expectSchemaValid(samlAssertionXml(assertionWith('R&D', now)));
    }
  });

  it('for generated values of any XML character (property, 60 runs; seed printed on failure)', () => {
    const xmlChar = fc.oneof(
      fc.constantFrom('\t', '\n', '\r', '\u0085', '\u2028', '\u2029', '\u007f', '\u009f', '<', '>', '&', '"', "'", '\ufdd0', '\u{1fffe}'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }),
    );
    const value = fc.array(xmlChar, { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: clockRange.latest - tokenLifetimes.saml }), (department, now) => {
        const xml = samlAssertionXml(assertionWith(department, now));
        const back = readBack(xml);
        expect(back.attributes.find((a) => a.name === departmentUri)?.values).toEqual([department]);
        // an empty nameidentifier yields the pairwise NameID; any other value is the NameID itself
        if (department !== '') expect(back.nameId).toBe(department);
        expectSchemaValid(xml);
      }),
      { numRuns: 60, verbose: true },
    );
  });
});

describe('SAML URIs (Audience, NameID Format, NameFormat) are xs:anyURI', () => {
  it.each(['https://[contoso', 'ht tp://contoso', 'https://contoso/%zz', '::', '//contoso:'])('an identifier URI %j is ERR_SAML_VALUE, never an assertion the schema refuses', (uri) => {
    const d = directoryOf(tenant({ client: { identifierUris: [uri] } }));
    expect(() => assembleToken(d, { token: 'saml', client: CLIENT, user: USER, now: NOW })).toThrow(expect.objectContaining({ code: 'ERR_SAML_VALUE' }));
  });

  it('identifier URIs the check accepts validate (spaces and non-ASCII are escapable in xs:anyURI)', () => {
    for (const uri of ['https://contoso.com/app', 'api://11111111-1111-1111-1111-111111111111', 'urn:contoso:app', 'https://contoso.com/a b', 'https://contoso.com/é', 'http://[::1]:8080/x?q=1#f']) {
      const d = directoryOf(tenant({ client: { identifierUris: [uri] } }));
      const token = assembleToken(d, { token: 'saml', client: CLIENT, user: USER, now: NOW });
      if (token.format !== 'saml') throw new Error('saml expected');
      expectSchemaValid(samlAssertionXml(token));
    }
  });

  it('whatever assertSamlUri accepts, xmllint accepts as xs:anyURI (2,000 generated strings, one xmllint run)', () => {
    const seed = Number(process.env.SAML_URI_SEED ?? Date.now() % 2 ** 31);
    const piece = fc.constantFrom(...'aZ09:/?#[]@!$&\'()*+,;=-._~% <>"{}|\\^`é\t'.split(''), '%2F', 'http://', 'urn:', '//', '[::1]', 'v1.x');
    const candidates = fc.sample(fc.array(piece, { maxLength: 10 }).map((parts) => parts.join('')), { numRuns: 2000, seed });
    const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\t/g, '&#9;');
    // one Audience per line, so xmllint's line numbers name the candidates it refuses
    const xml =
      '<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" IssueInstant="2025-01-01T00:00:00Z" Version="2.0"><Issuer>i</Issuer><Conditions><AudienceRestriction>\n' +
      candidates.map((c) => `<Audience>${escape(c)}</Audience>`).join('\n') +
      '\n</AudienceRestriction></Conditions></Assertion>';
    const report = validateWithXsd(xml, 'assertion').errors.join('\n');
    const refused = new Set([...report.matchAll(/:(\d+): element Audience/g)].map((m) => candidates[Number(m[1]) - 2]));
    expect(refused.size, `seed ${seed}`).toBeGreaterThan(100);
    const accepted = (text: string): boolean => {
      try {
        assertSamlUri('Audience', text);
        return true;
      } catch {
        return false;
      }
    };
    expect(candidates.filter((c) => accepted(c) && refused.has(c)), `seed ${seed}`).toEqual([]);
  });
});
