import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeEnvelope, writeGraphEnvelope, writePowerShellEnvelope, writeRawEnvelope } from '@claimc/model';
import { arbitraryPolicy } from '../../../testkit/src/index.js';
import { readPolicyJson } from '../../src/json/read-json.js';

// The writers live in @claimc/model; they are tested here because reading them back needs the JSON front end.
describe('envelope writers', () => {
  it('write what the JSON front end reads back to the same policy and display name (1,000 runs)', () => {
    fc.assert(
      fc.property(arbitraryPolicy(), fc.constantFrom('raw' as const, 'graph' as const, 'powershell' as const), fc.stringMatching(/^[A-Za-z0-9 '._-]{1,20}$/), (policy, kind, name) => {
        const read = readPolicyJson(writeEnvelope(policy, kind, name));
        expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(read.policy).toEqual(policy);
        expect(read.envelope).toBe(kind);
        if (kind !== 'raw') expect(read.displayName).toBe(name);
      }),
      { numRuns: 1000 },
    );
  });

  it('have the documented shapes', () => {
    const policy = { Version: 1, ClaimsSchema: [{ Value: "it's ‘quoted’", JwtClaimType: 'q' }] };
    expect(writeRawEnvelope({ Version: 1 })).toBe('{\n  "ClaimsMappingPolicy": {\n    "Version": 1\n  }\n}\n');
    expect(JSON.parse(writeGraphEnvelope(policy, 'P'))).toEqual({
      definition: ['{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":[{"Value":"it\'s ‘quoted’","JwtClaimType":"q"}]}}'],
      displayName: 'P',
      isOrganizationDefault: false,
    });
    // PowerShell ends single-quoted strings at typographic quotes too: they are JSON-escaped, ' is doubled
    expect(writePowerShellEnvelope(policy, "Bob's")).toBe(
      `New-MgPolicyClaimMappingPolicy -Definition @('{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":[{"Value":"it''s \\u2018quoted\\u2019","JwtClaimType":"q"}]}}') -DisplayName 'Bob''s'\n`,
    );
    expect(readPolicyJson(writePowerShellEnvelope(policy, "Bob's")).policy).toEqual(policy);
  });
});
