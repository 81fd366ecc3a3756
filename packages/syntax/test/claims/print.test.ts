import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderPolicy, serializePolicy, type ClaimsMappingPolicy } from '@claimc/model';
import { arbitraryPolicy, joinTheData } from '../../../testkit/src/index.js';
import { formatClaims } from '../../src/claims/format.js';
import { printPolicyClaims } from '../../src/claims/print.js';
import { readPolicyClaims } from '../../src/claims/read-claims.js';
import { wildPolicy } from './wild-policy.js';

function readBack(text: string): { policy: ClaimsMappingPolicy | undefined; errors: string[]; displayName: string | undefined } {
  const read = readPolicyClaims(text);
  return { policy: read.policy, errors: read.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.code} ${d.message}`), displayName: read.displayName };
}

describe('parse(print(M)) ≡ M', () => {
  it('holds for any canonical model, however odd (1,000 runs)', () => {
    fc.assert(
      fc.property(wildPolicy, ({ policy, displayName }) => {
        const text = printPolicyClaims(policy, displayName === undefined ? {} : { displayName });
        const back = readBack(text);
        expect(back.errors).toEqual([]);
        expect(back.policy).toEqual(orderPolicy(policy));
        expect(serializePolicy(back.policy as ClaimsMappingPolicy)).toBe(serializePolicy(policy));
        expect(back.displayName).toBe(displayName);
      }),
      { numRuns: 1000 },
    );
  });

  it('holds for valid generated policies, and the printed text is already formatted (1,000 runs)', () => {
    fc.assert(
      fc.property(arbitraryPolicy(), (policy) => {
        const text = printPolicyClaims(policy);
        expect(readBack(text).policy).toEqual(orderPolicy(policy));
        expect(formatClaims(text).text).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the decompiler writes readable sugar', () => {
  const seed: ClaimsMappingPolicy = {
    Version: 1,
    IncludeBasicClaimSet: true,
    ClaimsSchema: [
      { Source: 'user', ID: 'extensionattribute1' },
      { Source: 'transformation', ID: 'DataJoin', TransformationId: 'JoinTheData', JwtClaimType: 'JoinedData' },
    ],
    ClaimsTransformation: [joinTheData],
  };

  it('inlines a transformation used by one claim, keeping the JSON IDs with `as` and `id`', () => {
    expect(printPolicyClaims(seed, { displayName: 'TransformClaimsExample' })).toBe(
      [
        'policy "TransformClaimsExample" {',
        '  basic claims: include',
        '',
        '  claim JoinedData = join(user.extensionattribute1, "sandbox", separator: ".") as JoinTheData',
        '    id DataJoin',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('leaves out `as` and `id` when the IDs are the ones the reader generates', () => {
    const built = readPolicyClaims('policy { claim JoinedData = join(user.extensionattribute1, "sandbox", separator: ".") }').policy as ClaimsMappingPolicy;
    expect(printPolicyClaims(built)).toBe('policy {\n  claim JoinedData = join(user.extensionattribute1, "sandbox", separator: ".")\n}\n');
  });

  it('inlines chains (nested calls) and absorbs the input entries the reader regenerates', () => {
    const source = 'policy {\n  claim upn = toLowercase(extractMailPrefix(user.userprincipalname))\n  claim mail = user.mail\n}\n';
    const built = readPolicyClaims(source).policy as ClaimsMappingPolicy;
    expect(built.ClaimsSchema?.length).toBe(4);
    expect(printPolicyClaims(built)).toBe(source);
  });

  it('falls back to the explicit form for what sugar cannot say (DataType, claimTypeReferenceSource, shared outputs)', () => {
    const policy: ClaimsMappingPolicy = {
      Version: 1,
      ClaimsSchema: [{ Source: 'transformation', ID: 'env', TransformationId: 'Env', JwtClaimType: 'environment' }],
      ClaimsTransformation: [{ ID: 'Env', TransformationMethod: 'CreateStringClaim', InputParameters: [{ ID: 'value', Value: 'prod', DataType: 'string' }], OutputClaims: [{ ClaimTypeReferenceId: 'env', TransformationClaimType: 'createdClaim' }] }],
    };
    const text = printPolicyClaims(policy);
    expect(text).toContain('transform Env = CreateStringClaim {');
    expect(text).toContain('param "value" = "prod" datatype "string"');
    expect(readPolicyClaims(text).policy).toEqual(policy);
  });

  it('writes version: none for a policy without Version, and quotes keywords used as names', () => {
    const policy: ClaimsMappingPolicy = { ClaimsSchema: [{ Source: 'user', ID: 'mail', JwtClaimType: 'input' }] };
    const text = printPolicyClaims(policy);
    expect(text).toBe('policy {\n  version: none\n\n  claim "input" = user.mail\n}\n');
    expect(readPolicyClaims(text).policy).toEqual(policy);
  });
});
