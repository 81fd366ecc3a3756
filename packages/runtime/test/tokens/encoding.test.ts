import { createHmac, generateKeyPairSync, randomBytes, sign as cryptoSign } from 'node:crypto';
import fc from 'fast-check';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { assembleToken, createTokenIssuer, importSigningKey, jwks, signJwt, type AssembledJwt, type TokenRequest } from '@claimc/runtime/internal';
import { importNodeSigningKey, signJwtSync } from '@claimc/runtime/node';
import { API, CLIENT, NOW, USER, directoryOf, groupId, policy, tenant } from '../../../testkit/src/index.js';

// Pre-encoded payload heads (issue 4 bench decision): the per-token claims come after the fixed ones, the fixed JSON
// is base64url-encoded once per template on a 3-byte boundary of its UTF-8, and only the tail is encoded per token.
// Whatever the split, the JWT must be byte-identical to a straightforward encoding of JSON.stringify(payload). Clock
// frozen: `now` is generated and injected.

const perToken = new Set(['aio', 'rh', 'uti', 'nonce', 'auth_time', 'sid', 'iat', 'nbf', 'exp']);
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

const edPair = generateKeyPairSync('ed25519');
const edJwk = edPair.privateKey.export({ format: 'jwk' }) as JWK;
const hsJwk: JWK = { kty: 'oct', k: randomBytes(32).toString('base64url'), alg: 'HS256' };
const nodeKeys = { EdDSA: importNodeSigningKey(edJwk), HS256: importNodeSigningKey(hsJwk) };
const portableKeys = { EdDSA: await importSigningKey(edJwk), HS256: await importSigningKey(hsJwk) };

/** The straightforward encoding: base64url(header JSON) . base64url(JSON.stringify(payload)), signed with node:crypto. */
function referenceJwt(alg: 'EdDSA' | 'HS256', token: AssembledJwt): string {
  const key = nodeKeys[alg];
  const header = token.x5t ? { typ: 'JWT', alg, x5t: key.kid, kid: key.kid } : { typ: 'JWT', alg, kid: key.kid };
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(token.payload))}`;
  const signature = alg === 'HS256' ? createHmac('sha256', key.secret!).update(input).digest() : cryptoSign(null, Buffer.from(input), key.keyObject!);
  return `${input}.${signature.toString('base64url')}`;
}

// text that moves the fixed prefix's UTF-8 length through every residue mod 3: 1-, 2-, 3- and 4-byte characters,
// characters JSON escapes, and lone surrogates (JSON.stringify escapes them; UTF-8 would replace them)
const text = fc.string({ unit: fc.constantFrom('a', 'Z', '7', 'é', 'ß', '€', '中', '😀', '"', '\\', '\n', '\u0001', '\ud800', '\udfff', ' '), maxLength: 14 });

describe('pre-encoded payload head', () => {
  it('the fast and jose paths equal base64url(header).base64url(JSON.stringify(payload)) signed, and verify (300 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ displayName: text, department: text, city: text, jobTitle: text }),
        fc.constantFrom<'id' | 'access'>('id', 'access'),
        fc.constantFrom<1 | 2>(1, 2),
        fc.subarray(['auth_time', 'sid', 'tenant_ctry', 'acct']),
        fc.option(text, { nil: undefined }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }),
        fc.constantFrom<'EdDSA' | 'HS256'>('EdDSA', 'HS256'),
        async (user, tokenType, version, optional, nonce, groupCount, now, alg) => {
          const optionalClaims = optional.map((name) => ({ name }));
          const d = directoryOf(
            tenant({
              user,
              groups: Array.from({ length: groupCount }, (_, i) => ({ id: groupId(i + 1), displayName: `G${i}`, securityEnabled: true, members: [USER] })),
              // acceptMappedClaims with GUID audiences: the policy applies and the tenant key signs (D19)
              client: { groupMembershipClaims: 'SecurityGroup', api: { acceptMappedClaims: true }, optionalClaims: { idToken: optionalClaims } },
              api: { api: { requestedAccessTokenVersion: version === 2 ? 2 : null, acceptMappedClaims: true }, groupMembershipClaims: 'All', optionalClaims: { accessToken: optionalClaims } },
              apiSp: { claimsMappingPolicies: [{ id: 'p' }] },
              clientSp: { claimsMappingPolicies: [{ id: 'p' }] },
              policies: [{ id: 'p', definition: policy([{ Source: 'user', ID: 'department', JwtClaimType: 'dept' }, { Source: 'user', ID: 'city', JwtClaimType: 'x_city' }]) }],
            }),
          );
          const request: TokenRequest = {
            token: tokenType, client: CLIENT, user: USER, now, ...(tokenType === 'access' ? { resource: API } : { version }), ...(nonce === undefined ? {} : { nonce }),
          };
          // a user's first token is written without a template (no pre-encoded head); the second comes from the template
          const issuer = createTokenIssuer(d);
          const first = issuer.assemble(request) as AssembledJwt;
          const token = issuer.assemble(request) as AssembledJwt;
          expect(first.payloadEncoding).toBeUndefined();
          expect(first.payloadJson).toBe(token.payloadJson);
          // the first token's payload is built on read, yet serializes like a returning user's token
          expect(first.payload).toEqual(token.payload);
          expect(JSON.parse(JSON.stringify(first)).payload).toEqual(JSON.parse(JSON.stringify(token)).payload);
          expect(token.payload.dept).toBe(user.department); // D10: the empty string is a present value
          const plain = assembleToken(d, request) as AssembledJwt;
          expect(token.payloadJson).toBe(JSON.stringify(token.payload));
          expect(plain.payloadJson).toBe(token.payloadJson);
          // the split: a head encoded once, a tail that ends the JSON text
          const split = token.payloadEncoding!;
          expect(token.payloadJson!.endsWith(split.tail)).toBe(true);
          expect(split.encodedHead + b64(split.tail)).toBe(b64(token.payloadJson!));
          expect(Buffer.byteLength(token.payloadJson!.slice(0, token.payloadJson!.length - split.tail.length)) % 3).toBe(0);
          // claim order: every per-token claim after every fixed one, iat/nbf/exp last (D14: nothing written after the core claims)
          const names = Object.keys(token.payload);
          const firstPerToken = names.findIndex((n) => perToken.has(n));
          expect(names.slice(firstPerToken).every((n) => perToken.has(n))).toBe(true);
          expect(names.slice(-3)).toEqual(['iat', 'nbf', 'exp']);

          const reference = referenceJwt(alg, token);
          const fast = signJwtSync(token, { tenant: nodeKeys[alg] });
          const portable = await signJwt(token, { tenant: portableKeys[alg] });
          expect(fast).toBe(reference);
          expect(portable).toBe(reference);
          expect(signJwtSync(first, { tenant: nodeKeys[alg] })).toBe(reference);
          const verifyKey = alg === 'HS256' ? portableKeys.HS256.key : createLocalJWKSet(jwks([portableKeys.EdDSA]));
          const { payload } = await jwtVerify(fast, verifyKey as Parameters<typeof jwtVerify>[1], {
            algorithms: [alg], issuer: token.payload.iss as string, audience: token.payload.aud as string, currentDate: new Date(now * 1000),
          });
          expect(payload).toEqual({ ...token.payload });
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);

  it('a fixed prefix of every UTF-8 length mod 3 splits correctly (display names of 1–4-byte characters)', () => {
    const seen = new Set<number>();
    for (const name of ['A', 'AB', 'ABC', 'é', 'éé', '€', '😀', 'A😀', 'AB😀', '中文字', 'a"b', 'x\ud800']) {
      const d = directoryOf(tenant({ user: { displayName: name } }));
      const issuer = createTokenIssuer(d); // the second token of a user comes from the template, head pre-encoded
      issuer.assemble({ token: 'id', client: CLIENT, user: USER, now: NOW });
      const token = issuer.assemble({ token: 'id', client: CLIENT, user: USER, now: NOW }) as AssembledJwt;
      const split = token.payloadEncoding!;
      const head = token.payloadJson!.slice(0, token.payloadJson!.length - split.tail.length);
      seen.add(Buffer.byteLength(token.payloadJson!.slice(0, token.payloadJson!.indexOf('"aio":'))) % 3);
      expect(split.encodedHead).toBe(b64(head));
      expect(split.encodedHead + b64(split.tail)).toBe(b64(JSON.stringify(token.payload)));
      expect(signJwtSync(token, { tenant: nodeKeys.HS256 })).toBe(referenceJwt('HS256', token));
    }
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });
});
