// XSD validation of SAML documents with libxml2's xmllint (Debian libxml2-utils, installed by the test command via
// tools/ensure-system-deps.mjs) against the OASIS SAML 2.0 schemas shipped in @authenio/samlify-xmllint-wasm.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The SAML 2.0 schemas: `assertion` (saml:Assertion) and `protocol` (samlp:Response and the rest; imports assertion). */
export type SamlSchema = 'assertion' | 'protocol';

/**
 * The folder holding saml-schema-{assertion,protocol}-2.0.xsd, xmldsig-core-schema.xsd and xenc-schema.xsd.
 *
 * @example
 * join(samlSchemaDirectory(), 'xmldsig-core-schema.xsd') // for `xmllint --schema` or xmlsec1 runs of your own
 */
export function samlSchemaDirectory(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@authenio/samlify-xmllint-wasm/package.json')), 'schemas');
}

/**
 * Validates an XML document against a SAML 2.0 schema with `xmllint --schema` (no network: the imported xmldsig and
 * xenc schemas are local files). `errors` is xmllint's report (empty when valid). Throws when xmllint is missing.
 *
 * @example
 * const { ok, errors } = validateWithXsd(samlAssertionXml(token), 'assertion');
 * expect(errors).toBe(''); expect(ok).toBe(true);
 */
export function validateWithXsd(xml: string, schema: SamlSchema): { ok: boolean; errors: string } {
  const xsd = join(samlSchemaDirectory(), `saml-schema-${schema}-2.0.xsd`);
  const result = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsd, '-'], { input: xml, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error !== undefined) {
    throw new Error(`xmllint is not available (${result.error.message}); install Debian libxml2-utils or run node tools/ensure-system-deps.mjs`);
  }
  const ok = result.status === 0;
  // xmllint reports "- validates" on success; only the problems are errors
  const errors = ok ? '' : result.stderr.trim();
  return { ok, errors };
}
