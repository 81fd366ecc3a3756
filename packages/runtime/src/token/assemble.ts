import type { IndexedDirectory } from '../directory/indexed.js';
import { finishJwt, prepareJwtTemplate, type AssembledJwt, type JwtTemplate } from './jwt.js';
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
 * Issuers minting many tokens use {@link createTokenIssuer}, which prepares each request shape once.
 *
 * @example
 * const directory = indexDirectory(defaultSnapshot, plans);
 * const token = assembleToken(directory, { token: 'id', client: webAppId, user: 'adelev@contoso.com', now: 1_700_000_000 });
 * if (token.format === 'jwt') console.log(token.payload.sub);
 */
export function assembleToken(directory: IndexedDirectory, request: TokenRequest, options: IssuerOptions = {}): AssembledToken {
  checkNow(request);
  if (request.token === 'saml') return assembleSamlToken(directory, request, options);
  return finishJwt(prepareJwtTemplate(directory, request, options), request);
}

/** Assembles tokens for one indexed directory, preparing each request shape once (see {@link createTokenIssuer}). */
export interface TokenIssuer {
  readonly directory: IndexedDirectory;
  /** Same result as `assembleToken(directory, request)`. */
  assemble(request: TokenRequest): AssembledToken;
}

/**
 * An issuer over an indexed directory for the hot path. Everything a JWT needs except the clock and the nonce —
 * claims, groups, roles, policy evaluation, pairwise `sub`, key windows, the JSON text around the per-token
 * values — depends only on the immutable directory and the request's other fields, so it is computed once per
 * request shape into a frozen template; each token then fills in `iat`/`nbf`/`exp`, the digest claims and the
 * nonce. The template memo is private to this issuer (never module-global), holds only frozen values that are
 * pure functions of their key, and is filled synchronously inside `assemble` (JavaScript never interleaves two
 * calls), so a hit and a miss yield identical tokens and concurrent issuances cannot observe each other
 * (threats §3.8; proven by the concurrency differential test). At `maxTemplates` entries the memo starts over.
 * SAML assertions are assembled directly.
 *
 * @example
 * const issuer = createTokenIssuer(directory);
 * const token = issuer.assemble({ token: 'access', client: webAppId, resource: apiAppId, user: 'adelev@contoso.com', now: 1_700_000_000 });
 */
export function createTokenIssuer(directory: IndexedDirectory, options: IssuerOptions & { readonly maxTemplates?: number } = {}): TokenIssuer {
  const issuerOptions: IssuerOptions = options.authority !== undefined ? { authority: options.authority } : {};
  const maxTemplates = options.maxTemplates ?? 10_000;
  // nested Maps keyed by the raw request strings (no key string to build and hash per token); two spellings of one
  // user or app give two equal templates, never a wrong one
  let root = new Map<unknown, unknown>();
  let size = 0;
  const assemble = (request: TokenRequest): AssembledToken => {
    checkNow(request);
    if (request.token === 'saml') return assembleSamlToken(directory, request, issuerOptions);
    // unrolled: no key array per token on the hit path
    type Level = Map<unknown, unknown> | undefined;
    // which per-token values the request carries: each changes the payload's shape
    const perTokenValues = (request.nonce !== undefined ? 1 : 0) | (request.code !== undefined ? 2 : 0) | (request.accessToken !== undefined ? 4 : 0);
    const byUser = root.get(request.token) as Level;
    const byResource = ((byUser?.get(request.user) as Level)?.get(request.client) as Level)?.get(request.resource) as Level;
    const byScope = ((byResource?.get(request.version) as Level)?.get(request.flow) as Level)?.get(request.scope) as Level;
    let template = byScope?.get(perTokenValues) as JwtTemplate | undefined;
    if (template === undefined) {
      const keys = [request.token, request.user, request.client, request.resource, request.version, request.flow, request.scope, perTokenValues];
      // only a request that yields a template is remembered: failing requests leave no entries behind
      template = prepareJwtTemplate(directory, request, issuerOptions);
      if (size >= maxTemplates) {
        root = new Map();
        size = 0;
      }
      let level = root;
      for (let i = 0; i < keys.length - 1; i++) {
        let next = level.get(keys[i]) as Map<unknown, unknown> | undefined;
        if (next === undefined) level.set(keys[i], (next = new Map()));
        level = next;
      }
      level.set(keys[keys.length - 1], template);
      size++;
    }
    return finishJwt(template, request);
  };
  return Object.freeze({ directory, assemble });
}
