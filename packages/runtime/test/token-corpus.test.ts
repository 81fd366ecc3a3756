import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleToken, createTokenIssuer, indexDirectory, type AssembledToken, type TokenRequest } from '../src/internal.js';
import { outcomeDigest, outcomeText } from './fixtures/token-corpus/outcome.mjs';

// The token corpus (tools/gen/token-corpus.mjs, `pnpm gen`): the demo tenant plus users whose claims differ within one
// request shape, 444 requests, and the digest of each outcome as the issuer produced it when the corpus was captured.
// Every way of issuing must reproduce it: a fresh issuer (every request a first sight), the same issuer again
// (warm caches), and plain assembleToken. The clock is frozen per request (each request carries its `now`).

const folder = new URL('./fixtures/token-corpus/', import.meta.url);
const input = JSON.parse(readFileSync(new URL('input.json', folder), 'utf8')) as { snapshot: unknown; plans: Record<string, unknown>; requests: TokenRequest[] };
const expected = readFileSync(new URL('expected.txt', folder), 'utf8')
  .trimEnd()
  .split('\n')
  .map((line) => line.split('\t'));
const directory = indexDirectory(input.snapshot, new Map(Object.entries(input.plans)));
const digest = (run: () => AssembledToken): string => outcomeDigest(outcomeText(run));

/** The requests whose outcome differs from the captured one, as `index label`. */
function mismatches(run: (request: TokenRequest) => AssembledToken): string[] {
  return input.requests.flatMap((request, i) => (digest(() => run(request)) === expected[i]![2] ? [] : [`${i} ${expected[i]![1]}`]));
}

/** The payload's JSON text and its pre-encoded split agree with the payload (when the issuer provides them). */
function encodingHolds(token: AssembledToken): boolean {
  if (token.format !== 'jwt') return true;
  if (Object.getPrototypeOf(token.payload) !== null || !Object.isFrozen(token.payload)) return false;
  if (token.payloadJson === undefined) return token.payloadEncoding === undefined;
  if (token.payloadJson !== JSON.stringify(token.payload)) return false;
  const encoding = token.payloadEncoding;
  if (encoding === undefined) return true;
  return token.payloadJson.endsWith(encoding.tail) && encoding.encodedHead + Buffer.from(encoding.tail).toString('base64url') === Buffer.from(token.payloadJson).toString('base64url');
}

describe('token corpus: every issuance path reproduces the captured outcomes', () => {
  it('has one expected line per request', () => {
    expect(expected.length).toBe(input.requests.length);
    expect(expected.every(([index], i) => index === String(i))).toBe(true);
  });

  it('a fresh issuer (every user seen for the first time), then the same issuer again (warm)', () => {
    const issuer = createTokenIssuer(directory);
    expect(mismatches((r) => issuer.assemble(r))).toEqual([]);
    expect(mismatches((r) => issuer.assemble(r))).toEqual([]);
  });

  it('each request three times in a row on one issuer (first sight, then repeats)', () => {
    const issuer = createTokenIssuer(directory);
    expect(mismatches((r) => (issuer.assemble(r), issuer.assemble(r), issuer.assemble(r)))).toEqual([]);
  });

  it('assembleToken', () => {
    expect(mismatches((r) => assembleToken(directory, r))).toEqual([]);
  });

  it('payloadJson is JSON.stringify(payload) and the pre-encoded head + tail is its base64url, on first sight and on repeats', () => {
    const issuer = createTokenIssuer(directory);
    const broken: number[] = [];
    input.requests.forEach((request, i) => {
      for (let pass = 0; pass < 3; pass++) {
        try {
          if (!encodingHolds(issuer.assemble(request))) broken.push(i);
        } catch {
          // refusals are compared by the digest tests
        }
      }
    });
    expect(broken).toEqual([]);
  });
});
