import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClaimcRuntimeError, TokenRefusedError, type IndexedDirectory, type IndexedUser, type KeyRing, type TokenIssuer, type TokenRequest } from '@claimc/runtime/internal';
import { signJwtSync, type NodeSigningKey } from '@claimc/runtime/node';
import { EntraError, entraTimestamp, internalError, type ErrorIds } from './errors.js';
import { sendHtml } from './http.js';
import { errorPage } from './page.js';
import type { ConsumeOnce, Sealer } from './seal.js';

// What the endpoint modules share: the content being served, the per-request ids, and the server's sealing,
// single-use store and base URL.

/** The content being served, prepared: the issuer's template memo and the key ring live as long as the content. */
export interface Serving {
  readonly directory: IndexedDirectory;
  readonly key: NodeSigningKey;
  readonly issuer: TokenIssuer;
  ring: KeyRing<NodeSigningKey>;
  ringAt: number;
}

/** Per request: the ids an error carries and what the log line reports. */
export interface Exchange {
  readonly ids: ErrorIds;
  client?: string;
  grant?: string;
  error?: string;
}

/** The server-wide parts an endpoint uses. */
export interface EndpointContext {
  readonly sealer: Sealer;
  readonly consumeOnce: ConsumeOnce;
  /** The base URL (known once the server listens). */
  readonly authority: string;
}

/** The cookie that remembers who signed in (sealed user id and time). */
export const sessionCookie = 'claimc_session';

/** Issues one JWT, turning the runtime's refusals into Entra errors. */
export function issue(state: Serving, request: TokenRequest): { readonly jwt: string; readonly payload: Readonly<Record<string, unknown>> } {
  try {
    const assembled = state.issuer.assemble(request);
    if (assembled.format !== 'jwt') throw internalError();
    return { jwt: signJwtSync(assembled, state.ring), payload: assembled.payload };
  } catch (error) {
    throw entraRefusal(error);
  }
}

export function signedInUser(state: Serving, userKey: string): IndexedUser {
  const user = state.directory.usersById.get(userKey) ?? state.directory.usersByUpn.get(userKey.toLowerCase());
  if (user === undefined) throw new EntraError('invalid_grant', 'AADSTS50034', `The user account ${userKey} does not exist in the ${state.directory.organization.id} directory.`);
  if (user.user.accountEnabled === false) throw new EntraError('invalid_grant', 'AADSTS50057', 'The user account is disabled.');
  return user;
}

/** The runtime's refusals as Entra errors (anything unexpected becomes the generic AADSTS50000). */
export function entraRefusal(error: unknown): EntraError {
  if (error instanceof EntraError) return error;
  if (error instanceof TokenRefusedError) {
    return new EntraError(error.aadsts === 'AADSTS50105' ? 'invalid_grant' : 'invalid_request', error.aadsts, error.message.replace(/^AADSTS\d+: /, ''));
  }
  if (error instanceof ClaimcRuntimeError) {
    if (error.code === 'ERR_REQUEST_INVALID') return new EntraError('invalid_request', 'AADSTS9002313', `Invalid request. ${error.message}`);
    return new EntraError('server_error', 'AADSTS50000', `There was an error issuing a token: ${error.message}`, 500);
  }
  return internalError();
}

/** CORS for a browser caller (SPA token redemption, discovery from a page). */
export function corsHeaders(request: IncomingMessage): Record<string, string> {
  const origin = request.headers.origin;
  return origin === undefined ? {} : { 'access-control-allow-origin': origin, vary: 'Origin' };
}

/** A refusal that cannot go back to the app (unknown app, unregistered redirect or reply URL): shown on a page. */
export function refusalPage(response: ServerResponse, exchange: Exchange, refusal: EntraError): void {
  const ids = exchange.ids;
  exchange.error = refusal.aadsts;
  sendHtml(response, 400, errorPage(refusal.aadsts, refusal.description, ids.traceId, ids.correlationId, entraTimestamp(ids.now)));
}
