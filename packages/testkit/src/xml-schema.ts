// Schema validation with xmllint (Debian libxml2-utils) against the OASIS SAML schemas Debian ships (opensaml-schemas,
// xmltooling-schemas; installed by tools/ensure-system-deps.mjs). The schemas import the W3C ones by their web
// addresses; an XML catalog maps those to the local copies so validation never touches the network.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const opensaml = '/usr/share/xml/opensaml';
const xmltooling = '/usr/share/xml/xmltooling';

/** The schemas a document can be validated against. */
export type XsdName = 'assertion' | 'protocol' | 'metadata' | 'saml11-assertion';

const schemaFiles: Readonly<Record<XsdName, string>> = {
  assertion: `${opensaml}/saml-schema-assertion-2.0.xsd`,
  protocol: `${opensaml}/saml-schema-protocol-2.0.xsd`,
  metadata: `${opensaml}/saml-schema-metadata-2.0.xsd`,
  'saml11-assertion': `${opensaml}/cs-sstc-schema-assertion-1.1.xsd`,
};

const remoteSchemas: readonly (readonly [string, string])[] = [
  ['http://www.w3.org/TR/2002/REC-xmldsig-core-20020212/xmldsig-core-schema.xsd', `${xmltooling}/xmldsig-core-schema.xsd`],
  ['http://www.w3.org/TR/xmldsig-core/xmldsig-core-schema.xsd', `${xmltooling}/xmldsig-core-schema.xsd`],
  ['http://www.w3.org/TR/2002/REC-xmlenc-core-20021210/xenc-schema.xsd', `${xmltooling}/xenc-schema.xsd`],
  ['http://www.w3.org/2001/xml.xsd', `${xmltooling}/xml.xsd`],
];

let workDir: string | undefined;
function catalogDir(): string {
  if (workDir !== undefined) return workDir;
  workDir = mkdtempSync(join(tmpdir(), 'claimc-xsd-'));
  const entries = remoteSchemas.map(([remote, local]) => `<system systemId="${remote}" uri="file://${local}"/><uri name="${remote}" uri="file://${local}"/>`).join('\n  ');
  writeFileSync(join(workDir, 'catalog.xml'), `<?xml version="1.0"?>\n<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n  ${entries}\n</catalog>\n`);
  return workDir;
}

/** xmllint's verdict: `valid`, and its messages (the schema-compiler notes about duplicate imports are left out). */
export interface XsdResult {
  readonly valid: boolean;
  readonly errors: readonly string[];
}

/**
 * Validates an XML document against an OASIS SAML schema with `xmllint --schema` (offline, through a catalog).
 * `assertion` and `protocol` are SAML 2.0 (protocol also accepts a bare assertion); `saml11-assertion` is SAML 1.1.
 *
 * @example
 * expect(validateWithXsd(responseXml, 'protocol')).toEqual({ valid: true, errors: [] });
 */
export function validateWithXsd(xml: string, schema: XsdName): XsdResult {
  const dir = catalogDir();
  const file = join(dir, `document-${process.pid}-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  const result = spawnSync('xmllint', ['--nonet', '--noout', '--schema', schemaFiles[schema], file], {
    encoding: 'utf8',
    env: { ...process.env, XML_CATALOG_FILES: join(dir, 'catalog.xml') },
  });
  if (result.error !== undefined) throw new Error(`xmllint is not installed (Debian libxml2-utils; tools/ensure-system-deps.mjs installs it): ${result.error.message}`);
  const errors = result.stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('Skipping import of schema') && !line.endsWith(' validates'));
  return { valid: result.status === 0, errors };
}
