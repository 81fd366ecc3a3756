// XML signature verification with xmlsec1 (Debian xmlsec1; installed by tools/ensure-system-deps.mjs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The ID attributes of the signed SAML elements, as `--id-attr:<attr> <namespace>:<element>` pairs. */
export const samlIdAttributes: readonly string[] = [
  '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:assertion:Assertion',
  '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:protocol:Response',
  '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor',
  '--id-attr:AssertionID', 'urn:oasis:names:tc:SAML:1.0:assertion:Assertion',
];

/**
 * Verifies the first XML signature of a document with `xmlsec1 --verify`, trusting only the key of `certificatePem`.
 *
 * @example
 * expect(verifyWithXmlsec(responseXml, certificate.pem).ok).toBe(true);
 */
export function verifyWithXmlsec(xml: string, certificatePem: string): { readonly ok: boolean; readonly output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'claimc-xmlsec-'));
  try {
    writeFileSync(join(dir, 'cert.pem'), certificatePem);
    writeFileSync(join(dir, 'document.xml'), xml);
    const result = spawnSync('xmlsec1', ['--verify', '--pubkey-cert-pem', join(dir, 'cert.pem'), ...samlIdAttributes, join(dir, 'document.xml')], { encoding: 'utf8' });
    if (result.error !== undefined) throw new Error(`xmlsec1 is not installed (Debian xmlsec1; tools/ensure-system-deps.mjs installs it): ${result.error.message}`);
    const output = `${result.stdout}${result.stderr}`;
    return { ok: result.status === 0 && /^OK$/m.test(output), output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
