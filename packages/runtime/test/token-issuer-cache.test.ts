import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleToken, createTokenIssuer, indexDirectory, withAppPolicy, type AssembledToken, type PolicyPort, type TokenRequest } from '../src/internal.js';

// The issuer's caches, observed from outside: a policy port that counts its evaluations tells a template hit (no
// evaluation) from a first token or a template build (one each). Tokens are compared with assembleToken, which keeps
// nothing. Clock frozen: every request carries its `now`.

const input = JSON.parse(readFileSync(new URL('./fixtures/token-corpus/input.json', import.meta.url), 'utf8')) as { snapshot: unknown; plans: Record<string, unknown> };
const base = indexDirectory(input.snapshot, new Map(Object.entries(input.plans)));
const WEB = '3f4e5d6c-7b8a-4912-8a3b-1c2d3e4f5a6b';
const API = '8d7c6b5a-4e3f-4a21-9b0c-d1e2f3a4b5c6';
const NOW = 1_750_000_000;

/** The directory with the API's policy behind a port that counts JWT evaluations. */
function countingDirectory(): { directory: typeof base; evaluations: () => number } {
  const api = base.appsByAppId.get(API)!;
  const inner = api.policy!.port;
  let count = 0;
  const port: PolicyPort = { settings: inner.settings, evaluateJwt: (context, version) => (count++, inner.evaluateJwt(context, version)), evaluateSaml: (context) => inner.evaluateSaml(context) };
  return { directory: withAppPolicy(base, [API], { id: api.policy!.id, port }), evaluations: () => count };
}

const request = (user: string, now = NOW): TokenRequest => ({ token: 'access', client: WEB, resource: API, user, now });
const text = (token: AssembledToken): string => (token.format === 'jwt' ? token.payloadJson ?? JSON.stringify(token.payload) : JSON.stringify(token));

/** Evaluations per call of `run` for each request in turn. */
function evaluationsPerCall(evaluations: () => number, run: (r: TokenRequest) => AssembledToken, requests: readonly TokenRequest[]): number[] {
  return requests.map((r) => {
    const before = evaluations();
    run(r);
    return evaluations() - before;
  });
}

/** `count` spellings of the corpus users' UPNs that differ only in case: distinct cache keys for real users. */
function spellings(count: number): string[] {
  const out: string[] = [];
  for (let user = 0; out.length < count; user++) {
    const upn = `corpus${user % 24}@contoso.com`;
    const letters = [...upn].map((c, i) => (/[a-z]/.test(c) ? i : -1)).filter((i) => i >= 0);
    for (let mask = Math.floor(user / 24) * 4096; mask < (Math.floor(user / 24) + 1) * 4096 && out.length < count; mask++) {
      out.push([...upn].map((c, i) => (letters.indexOf(i) >= 0 && (mask >> letters.indexOf(i)) & 1 ? c.toUpperCase() : c)).join(''));
    }
  }
  return out;
}

describe('token issuer caches', () => {
  it("a user's first token is written directly, the second builds their template, later ones reuse it; all equal assembleToken", () => {
    const { directory, evaluations } = countingDirectory();
    const issuer = createTokenIssuer(directory);
    const calls = [request('adelev@contoso.com', NOW), request('adelev@contoso.com', NOW + 1), request('adelev@contoso.com', NOW + 2), request('adelev@contoso.com', NOW + 3)];
    expect(evaluationsPerCall(evaluations, (r) => issuer.assemble(r), calls)).toEqual([1, 1, 0, 0]);
    const again = createTokenIssuer(directory);
    for (const r of calls) expect(text(again.assemble(r))).toBe(text(assembleToken(directory, r)));
  });

  it('at maxTemplates the templates start over: a returning user is evaluated again, with the same tokens', () => {
    const { directory, evaluations } = countingDirectory();
    const issuer = createTokenIssuer(directory, { maxTemplates: 4 });
    const users = ['corpus1@contoso.com', 'corpus2@contoso.com', 'corpus3@contoso.com', 'corpus4@contoso.com', 'corpus5@contoso.com'];
    // each user twice (a template each); the shape entry and four templates reach the bound
    for (const user of users) for (let i = 0; i < 2; i++) issuer.assemble(request(user, NOW + i));
    const first = users[0]!;
    const counts = evaluationsPerCall(evaluations, (r) => issuer.assemble(r), [request(first, NOW + 10), request(first, NOW + 11), request(first, NOW + 12)]);
    expect(counts).toEqual([1, 1, 0]);
    expect(text(issuer.assemble(request(first, NOW + 12)))).toBe(text(assembleToken(directory, request(first, NOW + 12))));
  });

  it('first sightings are bounded too: after maxTemplates other users, a second token is a first token again', () => {
    const { directory, evaluations } = countingDirectory();
    const issuer = createTokenIssuer(directory, { maxTemplates: 4 });
    const a = 'corpus7@contoso.com';
    issuer.assemble(request(a));
    for (const other of spellings(10)) issuer.assemble(request(other));
    // without the bound the next two would be a template build (1) and a hit (0)
    expect(evaluationsPerCall(evaluations, (r) => issuer.assemble(r), [request(a, NOW + 1), request(a, NOW + 2), request(a, NOW + 3), request(a, NOW + 4)])).toEqual([1, 1, 0, 0]);
  });
});
