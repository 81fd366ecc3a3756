import { describe, expect, it } from 'vitest';
import { assembleToken, clockRange, createTokenIssuer, samlAssertionXml, tokenLifetimes, type TokenRequest } from '@claimc/runtime/internal';
import { CLIENT, USER, directoryOf, tenant } from '../../../testkit/src/index.js';

// The clock range: every time in a token (now + lifetime) lies in 1970-01-01T00:00:00Z … 9999-12-31T23:59:59Z.

const directory = directoryOf(tenant());
const issuer = createTokenIssuer(directory);
const request = (token: 'id' | 'saml', now: number, lifetimeSeconds?: number): TokenRequest => ({ token, client: CLIENT, user: USER, now, ...(lifetimeSeconds !== undefined ? { lifetimeSeconds } : {}) });
const refused = expect.objectContaining({ name: 'ClaimcRuntimeError', code: 'ERR_REQUEST_INVALID' });

describe('clock range', () => {
  it('the latest clock issues a JWT whose exp is the last second of 9999, a safe integer', () => {
    const latest = clockRange.latest - tokenLifetimes.jwt;
    for (const assemble of [(r: TokenRequest) => assembleToken(directory, r), (r: TokenRequest) => issuer.assemble(r)]) {
      const token = assemble(request('id', latest));
      if (token.format !== 'jwt') throw new Error('jwt expected');
      expect(token.payload.exp).toBe(253_402_300_799);
      expect(Number.isSafeInteger(token.payload.exp)).toBe(true);
      expect(() => assemble(request('id', latest + 1))).toThrow(refused);
    }
  });
  it('the latest clock issues a SAML assertion whose NotOnOrAfter is a four-digit-year xs:dateTime', () => {
    const latest = clockRange.latest - tokenLifetimes.saml;
    const token = assembleToken(directory, request('saml', latest));
    if (token.format !== 'saml') throw new Error('saml expected');
    expect(token.notOnOrAfter).toBe('9999-12-31T23:59:59.000Z');
    expect(samlAssertionXml(token)).not.toMatch(/\+0\d{5}-/);
    expect(() => assembleToken(directory, request('saml', latest + 1))).toThrow(refused);
  });
  it.each([
    ['year 10000', 253_402_300_800],
    ['past the Date range (8.64e12 s)', 8.64e12],
    ['past Number.MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER + 2],
    ['negative', -1],
    ['fractional', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('a clock %s is ERR_REQUEST_INVALID for every token type, never a RangeError', (_, now) => {
    for (const token of ['id', 'saml'] as const) {
      expect(() => assembleToken(directory, request(token, now))).toThrow(refused);
      if (token === 'id') expect(() => issuer.assemble(request(token, now))).toThrow(refused);
    }
  });
  it('a lifetime that carries expiry past the range is refused; the earliest clock is fine', () => {
    expect(() => assembleToken(directory, request('id', 1_750_000_000, clockRange.latest))).toThrow(refused);
    expect(() => assembleToken(directory, request('saml', 0, clockRange.latest + 1))).toThrow(refused);
    const token = assembleToken(directory, request('saml', 0, clockRange.latest));
    expect(token.format === 'saml' && [token.issueInstant, token.notOnOrAfter]).toEqual(['1970-01-01T00:00:00.000Z', '9999-12-31T23:59:59.000Z']);
  });
});
