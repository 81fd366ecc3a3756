import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { selectKey, validCustomKey, type AssembledSaml, type IndexedApp } from '@claimc/runtime/internal';
import type { NodeSigningKey } from '@claimc/runtime/node';
import { buildSignedSamlResponse, buildWsFedResult, federationMetadataXml } from '@claimc/saml';
import { findClient, matchRedirectUri } from './apps.js';
import { logout } from './authorize.js';
import { entraRefusal, refusalPage, sessionCookie, signedInUser, type EndpointContext, type Exchange, type Serving } from './context.js';
import { EntraError, internalError, missingParameter } from './errors.js';
import { cookies, sendHtml } from './http.js';
import { autoPostPage, signInPage } from './page.js';
import { parseAuthnRequest } from './saml.js';

// SAML 2.0 (`/{tenant}/saml2`) and WS-Federation (`/{tenant}/wsfed`) sign-in: the same sign-in page, then the
// signed assertion goes back by an auto-posting form; federation metadata publishes the certificate it is signed with.

/** `/{tenant}/saml2`: an AuthnRequest by HTTP-Redirect or HTTP-POST. */
export async function saml2(ctx: EndpointContext, request: IncomingMessage, response: ServerResponse, exchange: Exchange, state: Serving, params: Map<string, string>, action: string): Promise<void> {
  const encoded = params.get('SAMLRequest');
  let app: IndexedApp;
  let acs: string;
  let requestId: string;
  try {
    if (encoded === undefined) throw new EntraError('invalid_request', 'AADSTS750054', 'SAMLRequest or SAMLResponse must be present as query string parameters in HTTP request for SAML Redirect binding, or as form parameters for SAML POST binding.');
    const authn = parseAuthnRequest(encoded);
    requestId = authn.id;
    exchange.client = authn.issuer;
    app = findClient(state.directory, authn.issuer);
    acs = matchRedirectUri(app, authn.assertionConsumerServiceUrl).uri;
  } catch (error) {
    return refusalPage(response, exchange, error instanceof EntraError ? error : internalError());
  }
  const signingOption = app.servicePrincipal.samlSigningOption ?? 'SignAssertion';
  return samlSignIn(ctx, request, response, exchange, state, params, action, app, (assertion, key) => {
    const signed = buildSignedSamlResponse({ assertion, destination: acs, inResponseTo: requestId, signingOption, key });
    const fields = new Map([['SAMLResponse', Buffer.from(signed).toString('base64')]]);
    const relayState = params.get('RelayState');
    if (relayState !== undefined) fields.set('RelayState', relayState);
    return { action: acs, fields };
  });
}

export async function wsfed(ctx: EndpointContext, request: IncomingMessage, response: ServerResponse, exchange: Exchange, state: Serving, params: Map<string, string>, action: string): Promise<void> {
  const wa = params.get('wa');
  if (wa === 'wsignout1.0' || wa === 'wsignoutcleanup1.0') return logout(response, state, new Map());
  let app: IndexedApp;
  let reply: string;
  const realm = params.get('wtrealm') ?? '';
  try {
    if (wa !== 'wsignin1.0') throw new EntraError('invalid_request', 'AADSTS50049', `Unknown or invalid wa parameter '${wa ?? ''}': use wsignin1.0 or wsignout1.0.`);
    if (realm === '') throw missingParameter('wtrealm');
    exchange.client = realm;
    app = findClient(state.directory, realm);
    reply = matchRedirectUri(app, params.get('wreply')).uri;
  } catch (error) {
    return refusalPage(response, exchange, error instanceof EntraError ? error : internalError());
  }
  return samlSignIn(ctx, request, response, exchange, state, params, action, app, (assertion, key) => {
    const fields = new Map([
      ['wa', 'wsignin1.0'],
      // a signed SAML 1.1 token, what Entra gives WS-Federation apps (and `claimc issue --protocol wsfed` prints)
      ['wresult', buildWsFedResult({ assertion, key, tokenType: 'saml11' })],
    ]);
    const context = params.get('wctx');
    if (context !== undefined) fields.set('wctx', context);
    return { action: reply, fields };
  });
}

/** The user picks an account (or the session or login hint names one); the assertion goes back by an auto-posting form. */
function samlSignIn(
  ctx: EndpointContext,
  request: IncomingMessage,
  response: ServerResponse,
  exchange: Exchange,
  state: Serving,
  params: Map<string, string>,
  action: string,
  app: IndexedApp,
  deliverTo: (assertion: AssembledSaml, key: NodeSigningKey) => { action: string; fields: Map<string, string> },
): void {
  const ids = exchange.ids;
  const chosen = params.get('claimc_user');
  const session = ctx.sealer.open('session', cookies(request).get(sessionCookie) ?? '');
  const userKey = chosen ?? (typeof session?.['u'] === 'string' ? session['u'] : undefined);
  const appName = app.application?.displayName ?? app.appId;
  if (userKey === undefined) return sendHtml(response, 200, signInPage(state.directory, { action, params, appName }));
  try {
    const user = signedInUser(state, userKey);
    const assembled = state.issuer.assemble({ token: 'saml', client: app.appId, user: user.user.id, now: ids.now });
    if (assembled.format !== 'saml') throw internalError();
    // the app's custom key (with its own certificate) when it has one, else the tenant key
    const out = deliverTo(assembled, selectKey(assembled, state.ring));
    const nonce = randomBytes(16).toString('base64');
    exchange.grant = 'saml';
    response.setHeader('set-cookie', `${sessionCookie}=${ctx.sealer.seal('session', { u: user.user.id, t: ids.now })}; Path=/; HttpOnly; SameSite=Lax`);
    return sendHtml(response, 200, autoPostPage(out.action, out.fields, nonce), nonce);
  } catch (error) {
    return refusalPage(response, exchange, entraRefusal(error));
  }
}

/**
 * `/{tenant}/federationmetadata/2007-06/federationmetadata.xml`: the signed SAML 2.0 metadata of the tenant as
 * identity provider, naming this server's endpoints and the issuer its assertions carry; with `?appid=` of an app
 * with a custom signing key, that key's certificate (what the app's SAML is signed with), else the tenant key's.
 */
export function federationMetadata(state: Serving, authority: string, appId: string | undefined, now: number): string {
  const app = appId === undefined ? undefined : state.directory.appsByAppId.get(appId);
  const key = (app !== undefined && validCustomKey(app, now) !== undefined ? state.ring.applications?.get(app.appId) : undefined) ?? state.ring.tenant;
  if (key.certificate === undefined) {
    throw new EntraError('invalid_request', 'AADSTS50000', `SAML is signed with RSA keys only and this server signs with ${key.alg}: start it with an RSA signing key to serve SAML metadata.`, 404);
  }
  const tid = state.directory.organization.id;
  return federationMetadataXml({ tenantId: tid, key, authority, entityId: `${authority}/${tid}/` });
}
