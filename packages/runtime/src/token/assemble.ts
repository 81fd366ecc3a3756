import type { IndexedDirectory } from '../directory/indexed.js';
import { assembleJwtOnce, finishJwt, jwtTemplate, type AssembledJwt, type JwtTemplate } from './jwt.js';
import { jwtRequestShape, jwtUserClaims, type JwtRequestShape } from './jwt-claims.js';
import { PayloadLayouts } from './payload-writer.js';
import { TokenScratch } from './scratch.js';
import { assembleSamlToken, type AssembledSaml } from './saml-assertion.js';
import { checkNow, type IssuerOptions, type TokenRequest } from './request.js';

// The two ways in: `assembleToken` for one token, `createTokenIssuer` for many (it keeps each request shape's
// prepared template in a cache private to the issuer).

/**
 * A token before signing: a JWT payload or a SAML assertion.
 *
 * @example
 * const token: AssembledToken = assembleToken(directory, request);
 * if (token.format === 'saml') console.log(token.nameId.value);
 */
export type AssembledToken = AssembledJwt | AssembledSaml;

/**
 * Assembles a token as Entra would issue it: basic < optional < policy claims (D14), then the Entra-issued and
 * core claims, which are written last and never replaced. Throws {@link TokenRefusedError} for the gating rules
 * (D19, AADSTS50105) and a `ClaimcRuntimeError` for an impossible request. Pure: no clock, no shared state.
 * Issuers minting many tokens use {@link createTokenIssuer}, which prepares each request shape once and keeps
 * templates for returning users.
 *
 * @example
 * const directory = indexDirectory(defaultSnapshot, plans);
 * const token = assembleToken(directory, { token: 'id', client: webAppId, user: 'adelev@contoso.com', now: 1_700_000_000 });
 * if (token.format === 'jwt') console.log(token.payload.sub);
 */
export function assembleToken(directory: IndexedDirectory, request: TokenRequest, options: IssuerOptions = {}): AssembledToken {
  checkNow(request);
  if (request.token === 'saml') return assembleSamlToken(directory, request, options);
  return assembleJwtOnce(jwtRequestShape(directory, request, options), request);
}

/** Assembles tokens for one indexed directory, preparing each request shape once (see {@link createTokenIssuer}). */
export interface TokenIssuer {
  readonly directory: IndexedDirectory;
  /** Same result as `assembleToken(directory, request)`. */
  assemble(request: TokenRequest): AssembledToken;
}

/** A request shape's cache entry: the shape, and per user the template (from a user's second token on) or a first sighting. */
interface ShapeEntry {
  readonly shape: JwtRequestShape;
  readonly templates: Map<string | undefined, JwtTemplate>;
  /** The payload layouts of first tokens (users of one shape mostly share a few). */
  readonly layouts: PayloadLayouts;
  /** Users with one token of this shape so far, valid while `generation` is the issuer's current one. */
  seen: Set<string | undefined>;
  generation: number;
}

/**
 * An issuer over an indexed directory for the hot path. What a JWT needs from the request's shape alone — apps,
 * version, keys, audiences, issuers, which issued claims apply — is prepared once per shape and shared by every
 * user. A user's first token of a shape is written straight from their claims (nothing compiled, nothing kept but
 * a note that the user was seen); from the second on, the user's claims, groups, roles, pairwise `sub` and the JSON
 * text around the per-token values live in a frozen template, and each token only fills in `iat`/`nbf`/`exp`, the
 * digest claims and the nonce. The caches are private to this issuer (never module-global), hold only values that
 * are pure functions of their key, and are filled synchronously inside `assemble` (JavaScript never interleaves two
 * calls), so first, second and later tokens are identical and concurrent issuances cannot observe each other
 * (threats §3.8; proven by the concurrency differential test). Memory is bounded: at `maxTemplates` shapes and
 * templates the cache starts over, and at `maxTemplates` first sightings those are forgotten. The issuer also owns
 * its hash and JSON scratch space, used within one synchronous call: nothing mutable is shared between issuers or
 * kept at module level. SAML assertions are assembled directly.
 *
 * @example
 * const issuer = createTokenIssuer(directory);
 * const token = issuer.assemble({ token: 'access', client: webAppId, resource: apiAppId, user: 'adelev@contoso.com', now: 1_700_000_000 });
 */
export function createTokenIssuer(directory: IndexedDirectory, options: IssuerOptions & { readonly maxTemplates?: number } = {}): TokenIssuer {
  const issuerOptions: IssuerOptions = options.authority !== undefined ? { authority: options.authority } : {};
  const maxTemplates = options.maxTemplates ?? 10_000;
  // nested Maps keyed by the raw request strings (no key string to build and hash per token); two spellings of one
  // user or app give two equal entries, never a wrong one
  let root = new Map<unknown, unknown>();
  let size = 0;
  let generation = 0;
  let sightings = 0;
  // this issuer's own hash and JSON scratch: filled and read within one synchronous call, never shared
  const scratch = new TokenScratch();
  const entryFor = (request: TokenRequest): ShapeEntry => {
    type Level = Map<unknown, unknown> | undefined;
    // what else changes the payload's shape: which per-token values the request carries, and whether it has a user
    const variant = (request.nonce !== undefined ? 1 : 0) | (request.code !== undefined ? 2 : 0) | (request.accessToken !== undefined ? 4 : 0) | (request.user !== undefined ? 8 : 0);
    // unrolled: no key array per token on the hit path
    const byResource = ((root.get(request.token) as Level)?.get(request.client) as Level)?.get(request.resource) as Level;
    const byScope = ((byResource?.get(request.version) as Level)?.get(request.flow) as Level)?.get(request.scope) as Level;
    const entry = byScope?.get(variant) as ShapeEntry | undefined;
    if (entry !== undefined) return entry;
    // throws for an unknown client or resource before anything is remembered
    const shape = jwtRequestShape(directory, request, issuerOptions);
    if (size >= maxTemplates) {
      root = new Map();
      size = 0;
    }
    const keys = [request.token, request.client, request.resource, request.version, request.flow, request.scope];
    let level = root;
    for (const key of keys) {
      let next = level.get(key) as Map<unknown, unknown> | undefined;
      if (next === undefined) level.set(key, (next = new Map()));
      level = next;
    }
    const created: ShapeEntry = { shape, templates: new Map(), layouts: new PayloadLayouts(4096), seen: new Set(), generation };
    level.set(variant, created);
    size++;
    return created;
  };
  const assemble = (request: TokenRequest): AssembledToken => {
    checkNow(request);
    if (request.token === 'saml') return assembleSamlToken(directory, request, issuerOptions);
    const entry = entryFor(request);
    const user = request.user;
    const template = entry.templates.get(user);
    if (template !== undefined) return finishJwt(template, request, scratch);
    if (entry.generation !== generation) {
      entry.seen = new Set();
      entry.generation = generation;
    }
    if (!entry.seen.has(user)) {
      // a first token: only a request that yields a token is remembered, so failing requests leave no sighting behind
      const token = assembleJwtOnce(entry.shape, request, entry.layouts, scratch);
      if (sightings >= maxTemplates) {
        generation++; // every entry's sightings are forgotten, lazily
        sightings = 0;
        entry.seen = new Set();
        entry.generation = generation;
      }
      entry.seen.add(user);
      sightings++;
      return token;
    }
    // a second token: the user is likely to come back, so the template pays
    const built = jwtTemplate(entry.shape, jwtUserClaims(entry.shape, request, scratch.hash));
    if (size >= maxTemplates) {
      root = new Map(); // this entry stays usable for this call; later calls rebuild their entries
      size = 0;
    } else {
      entry.templates.set(user, built);
      entry.seen.delete(user);
      size++;
    }
    return finishJwt(built, request, scratch);
  };
  return Object.freeze({ directory, assemble });
}
