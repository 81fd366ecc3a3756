import { generateKeyPairSync } from 'node:crypto';
import type { JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { LineMap, userValueLimits } from '@claimc/model';
import { readPolicy } from '@claimc/syntax';
import { createTokenIssuer, samlAssertionXml } from '@claimc/runtime';
import { importNodeSigningKey, signJwtSync } from '@claimc/runtime/node';
import { bindPolicy } from '../src/bind.js';
import { checkPolicy } from '../src/check/index.js';
import { shortestMatch, tokenSizeBounds } from '../src/check/token-size.js';
import type { TokenSizeApplication } from '../src/check/token-size.js';
import { CLIENT, NOW, USER, directoryOf, groupId, customKey, policy, tenant } from '../../testkit/src/index.js';

// The static token-size bound: real tokens issued for a user whose every attribute has its documented maximum
// length never exceed it, and the checker warns (CM4501/CM4502) naming the dominant claims.

const boundsOf = (text: string, application?: TokenSizeApplication) => {
  const read = readPolicy(text, { fileName: 'policy.json' });
  const { bound } = bindPolicy(read.policy!, read.locations);
  return tokenSizeBounds(bound, application);
};

const checkText = (text: string, application?: TokenSizeApplication) => {
  const read = readPolicy(text, { fileName: 'policy.json' });
  const { bound } = bindPolicy(read.policy!, read.locations);
  return checkPolicy(bound, application !== undefined ? { application } : {}).filter((d) => d.code.startsWith('CM45'));
};

const maxed = (id: string, char: string): string => char.repeat(userValueLimits[id]?.chars ?? 0);
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as JWK;

const schema = [
  { Source: 'user', ID: 'displayname', JwtClaimType: 'dn', SamlClaimType: 'http://contoso.com/dn' },
  { Source: 'user', ID: 'department', JwtClaimType: 'dept', SamlClaimType: 'http://contoso.com/dept' },
  { Source: 'user', ID: 'streetaddress', JwtClaimType: 'street' },
  { Source: 'user', ID: 'extensionattribute1', JwtClaimType: 'ea1' },
  { Source: 'user', ID: 'jobtitle' },
  { Source: 'user', ID: 'city' },
  { Source: 'transformation', ID: 'joined', TransformationId: 'J', JwtClaimType: 'joined' },
  { Source: 'transformation', ID: 'routed', TransformationId: 'R', JwtClaimType: 'routed' },
];
const transformations = [
  {
    ID: 'J',
    TransformationMethod: 'Join',
    InputClaims: [{ ClaimTypeReferenceId: 'jobtitle', TransformationClaimType: 'string1' }, { ClaimTypeReferenceId: 'city', TransformationClaimType: 'string2' }],
    InputParameters: [{ ID: 'separator', Value: ' @ ' }],
    OutputClaims: [{ ClaimTypeReferenceId: 'joined', TransformationClaimType: 'outputClaim' }],
  },
  {
    ID: 'R',
    TransformationMethod: 'RegexReplace',
    InputClaims: [{ ClaimTypeReferenceId: 'city', TransformationClaimType: 'sourceClaim' }],
    InputParameters: [{ ID: 'regex', Value: '(?<c>.)' }, { ID: 'replacement', Value: '[{c}]' }],
    OutputClaims: [{ ClaimTypeReferenceId: 'routed', TransformationClaimType: 'outputClaim' }],
  },
];
const definition = policy(schema, { ClaimsTransformation: transformations });

describe('token-size bound', () => {
  it('holds for real tokens: every attribute at its documented maximum, 200 groups, ASCII and non-ASCII text', () => {
    const groups = Array.from({ length: 200 }, (_, i) => ({ id: groupId(i + 1), displayName: `G${i}`, securityEnabled: true, members: [USER] }));
    const application = { groupMembershipClaims: 'SecurityGroup' };
    for (const char of ['x', '漢']) {
      const user = {
        displayName: maxed('displayname', char),
        department: maxed('department', char),
        streetAddress: maxed('streetaddress', char),
        jobTitle: maxed('jobtitle', char),
        city: maxed('city', char),
        givenName: maxed('givenname', char),
        surname: maxed('surname', char),
        onPremisesExtensionAttributes: { extensionAttribute1: maxed('extensionattribute1', char) },
      };
      const directory = directoryOf(
        tenant({
          user,
          groups,
          client: application,
          clientSp: { claimsMappingPolicies: [{ id: 'p1' }], ...customKey('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z') },
          policies: [{ id: 'p1', definition }],
        }),
      );
      const issuer = createTokenIssuer(directory);
      const bounds = boundsOf(definition, application);
      const token = issuer.assemble({ token: 'id', client: CLIENT, user: USER, now: NOW });
      if (token.format !== 'jwt') throw new Error('jwt expected');
      const key = importNodeSigningKey(rsa);
      const jwt = signJwtSync(token, { tenant: key, applications: new Map([[CLIENT, key]]) }, { byteBudget: 1_000_000 });
      const idBound = bounds.find((b) => b.token === 'ID token')!;
      // The claims the policy adds really reach the token at full length.
      const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, string>;
      expect(payload.ea1).toHaveLength(1024);
      expect(payload.routed).toHaveLength(3 * 128);
      expect(Buffer.byteLength(jwt)).toBeLessThanOrEqual(char === 'x' ? idBound.bytes : idBound.worstBytes);
      expect(idBound.bytes).toBeLessThanOrEqual(idBound.worstBytes);
      // The SAML assertion (150 groups listed, the policy's SAML attributes at full length) stays within its bound too.
      const saml = issuer.assemble({ token: 'saml', client: CLIENT, user: USER, now: NOW });
      if (saml.format !== 'saml') throw new Error('saml expected');
      const samlBound = bounds.find((b) => b.token === 'SAML assertion')!;
      const xml = samlAssertionXml(saml);
      expect(xml).toContain(maxed('department', char));
      expect(Buffer.byteLength(xml)).toBeLessThanOrEqual(char === 'x' ? samlBound.bytes : samlBound.worstBytes);
    }
  });

  it('warns over 8 KB and over 16 KB, naming the dominant claims, at the largest policy claim', () => {
    const few = policy([1, 2, 3, 4].map((n) => ({ Source: 'user', ID: `extensionattribute${n}`, JwtClaimType: `ea${n}` })));
    const many = policy(Array.from({ length: 12 }, (_, n) => ({ Source: 'user', ID: `extensionattribute${n + 1}`, JwtClaimType: `ea${n + 1}` })));
    const small = policy([{ Source: 'user', ID: 'employeeid', JwtClaimType: 'emp' }]);
    expect(checkText(small)).toEqual([]);
    const eight = checkText(few);
    expect(eight.map((d) => d.code)).toEqual(['CM4501', 'CM4501']);
    expect(eight[0]?.message).toMatch(/^The ID token can reach \d+ bytes \(\d+ with non-ASCII text\), over nginx's default header line \(8 KB\); largest: ea\d \(1\d{3} bytes\)/);
    const at = new LineMap(few).position(eight[0]!.span!.start);
    expect(few.slice(eight[0]!.span!.start, eight[0]!.span!.end)).toMatch(/^"ea\d"$/);
    expect(at.line).toBe(1);
    expect(checkText(many).map((d) => d.code)).toEqual(['CM4502', 'CM4502']);
  });

  it('counts groups and app roles only when the application asks for them', () => {
    const small = policy([{ Source: 'user', ID: 'employeeid', JwtClaimType: 'emp' }]);
    expect(checkText(small, { groupMembershipClaims: 'None' })).toEqual([]);
    const withGroups = checkText(small, { groupMembershipClaims: 'SecurityGroup' });
    expect(withGroups.map((d) => d.code)).toEqual(['CM4501', 'CM4501', 'CM4501']);
    expect(withGroups[0]?.message).toMatch(/largest: (groups|wids) \(\d+ bytes\)/);
    const bounds = boundsOf(small, { groupMembershipClaims: 'All', optionalClaims: { saml2Token: [{ name: 'groups' }] } });
    expect(bounds.find((b) => b.token === 'SAML assertion')!.shares[0]?.claim).toBe('groups');
  });

  it('reads a RegexReplace template as the runtime does: braces that name nothing are literal text, `$$` one character', () => {
    // found in review: a scan for braces took `{a b}` for a reference, so the bound missed 5 characters per match
    const withTemplate = (template: string) =>
      boundsOf(policy([{ Source: 'user', ID: 'city' }, { Source: 'transformation', ID: 'out', TransformationId: 'R', JwtClaimType: 'out' }], {
        ClaimsTransformation: [{ ...transformations[1], InputParameters: [{ ID: 'regex', Value: '.' }, { ID: 'replacement', Value: template }], OutputClaims: [{ ClaimTypeReferenceId: 'out', TransformationClaimType: 'outputClaim' }] }],
      }));
    const bytes = (template: string) => withTemplate(template).map((b) => [b.token, b.bytes, b.worstBytes]);
    expect(bytes('{a b}')).toEqual(bytes('xxxxx'));
    expect(bytes('$$')).toEqual(bytes('x'));
    expect(bytes('{0}')).not.toEqual(bytes('xxx'));
  });

  it('shortestMatch is a lower bound of every match length', () => {
    const cases: [string, number][] = [
      ['@(?<domain>.+)', 2],
      ["(?'domain'^.*?)(?i)(\\@fabrikam\\.com)$", 13],
      ['a|bc', 1],
      ['(ab)+x{3,}', 5],
      ['[a-z]*', 0],
      ['(?=a)b', 1],
      ['\\p{L}+x', 2],
      ['\\u0041b', 2],
      ['(a)\\1', 1],
      ['a(b|cd)?e', 2],
    ];
    for (const [pattern, expected] of cases) expect([pattern, shortestMatch(pattern)]).toEqual([pattern, expected]);
  });
});
