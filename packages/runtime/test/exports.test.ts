import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as runtime from '../src/index.js';
import * as node from '../src/node/index.js';

// The public surface is a decision: a new export has to be added here on purpose, with TSDoc and an example.
// Engine primitives shared with the compiler belong in `@claimc/runtime/internal`.
const values = [
  'ClaimcRuntimeError', 'TokenRefusedError', 'assembleToken', 'clockRange', 'createTokenIssuer', 'evaluateJwt', 'evaluateJwtClaims', 'evaluateSaml', 'importSigningKey',
  'indexDirectory', 'jwks', 'linkPlan', 'openidConfiguration', 'planVersion', 'prepareJwt', 'samlAssertionXml', 'samlClaimsView', 'signJwt',
];
const types = [
  'Absence', 'AbsenceReason', 'AssembledJwt', 'AssembledSaml', 'AssembledToken', 'ClaimMap', 'ClaimValue', 'ClaimcRuntimeErrorCode',
  'DirectorySnapshot', 'EntraErrorCode', 'EvaluateOptions', 'EvaluationContext', 'GraphOrganization', 'GraphServicePrincipal', 'GraphUser',
  'IndexedDirectory', 'JwtClaims', 'JwtEvaluation', 'JwtPayload', 'KeyCertificate', 'KeyRing', 'LinkedPlan', 'OpenIdConfigurationOptions', 'PayloadEncoding', 'PlanDocument',
  'PreparedJwt', 'SamlAttribute', 'SamlConfirmation', 'SamlEvaluation', 'SignOptions', 'SigningAlgorithm', 'SigningKey', 'TokenIssuer', 'IssuerOptions', 'TokenRequest', 'TokenSizeNote',
];

function typeExports(file: string): string[] {
  const source = readFileSync(new URL(file, import.meta.url), 'utf8');
  return [...source.matchAll(/export type \{([^}]+)\}/g)].flatMap((m) => (m[1] ?? '').split(',').map((n) => n.trim()).filter(Boolean));
}

describe('@claimc/runtime public surface', () => {
  it('exports exactly the issuer-facing values', () => {
    expect(Object.keys(runtime).sort()).toEqual([...values].sort());
  });

  it('exports exactly the issuer-facing types', () => {
    expect(typeExports('../src/index.ts').sort()).toEqual([...types].sort());
  });

  it('the node entry adds only the node:crypto fast path', () => {
    expect(Object.keys(node).sort()).toEqual(['createSigningPool', 'importNodeSigningKey', 'signJwtAsync', 'signJwtSync']);
  });

  it('no demo tenant and no private key in the main entry', () => {
    const text = JSON.stringify(Object.keys(runtime));
    expect(text).not.toMatch(/default|demo/i);
  });
});
