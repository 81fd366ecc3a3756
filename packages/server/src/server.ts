import { randomBytes, randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createTokenIssuer, jwks, openidConfiguration, validCustomKey, type IndexedDirectory } from '@claimc/runtime/internal';
import type { NodeSigningKey } from '@claimc/runtime/node';
import { certifiedKeyRing } from '@claimc/saml';
import { authorize, logout } from './authorize.js';
import { corsHeaders, type EndpointContext, type Exchange, type Serving } from './context.js';
import { EntraError, errorBody, internalError } from './errors.js';
import { federationMetadata, saml2, wsfed } from './federation.js';
import { formParams, readBody, sendJson, sendXml } from './http.js';
import { createSealer, memoryConsumeOnce, type ConsumeOnce } from './seal.js';
import { token } from './token.js';

/** One line of the request log. */
export interface RequestLogEntry {
  readonly time: string;
  readonly method: string;
  /** The path only: queries carry codes and tokens. */
  readonly path: string;
  readonly status: number;
  readonly ms: number;
  readonly client?: string;
  readonly grant?: string;
  readonly error?: string;
  readonly correlationId: string;
}

/** What the server serves: the directory and the signing key; replaced whole on hot reload. */
export interface ServingContent {
  readonly directory: IndexedDirectory;
  /**
   * Signs every token (the tenant key and, under their key ids, apps' custom keys). An RSA key without a certificate
   * gets the generated one `claimc metadata` shows, and each custom key its own; SAML needs an RSA key.
   */
  readonly key: NodeSigningKey;
}

/** Options of {@link createServer}. */
export interface ServerOptions extends ServingContent {
  /** The clock in Unix seconds (default: the wall clock); codes, tokens and credentials' validity use it. */
  readonly now?: () => number;
  /** 32 bytes sealing codes, refresh tokens and the session cookie; workers of one cluster share it (default: random). */
  readonly secret?: Uint8Array;
  /** Single use of authorization codes (default: in memory). */
  readonly consumeOnce?: ConsumeOnce;
  /** Called once per request after the answer is written. */
  readonly log?: (entry: RequestLogEntry) => void;
  /** Largest request body in bytes (default 64 KiB). */
  readonly maxBodyBytes?: number;
  /** Largest request head in bytes (default 16 KiB). */
  readonly maxHeaderBytes?: number;
  /** Serve HTTPS with this PEM key and certificate (default: HTTP). */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** The base URL tokens and metadata name (default: the listening address, e.g. http://127.0.0.1:8080). */
  readonly authority?: string;
}

/** A running (or ready) local sign-in endpoint. */
export interface ClaimcServer {
  /** Binds and returns the base URL; port 0 picks a free port. Host defaults to 127.0.0.1. */
  listen(port?: number, host?: string): Promise<string>;
  /** The base URL once listening. */
  readonly url: string;
  /** Swaps the directory and key (hot reload): requests already running finish on the old content. */
  update(content: ServingContent): void;
  /** Stops accepting connections and resolves when the open ones are done. */
  close(): Promise<void>;
  /** The request handler, for embedding in another node:http server. */
  readonly handle: (request: IncomingMessage, response: ServerResponse) => void;
}



const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A local Entra sign-in endpoint over a directory snapshot: OpenID discovery and keys (v1 and v2, `?appid=`),
 * authorize with a server-rendered sign-in page, the token endpoint (authorization code with PKCE, client
 * credentials, refresh token, on-behalf-of), signed SAML 2.0 and WS-Federation sign-in with federation metadata;
 * refusals carry Entra's AADSTS codes.
 *
 * @example
 * const server = createServer({ directory, key: importNodeSigningKey(demoSigningJwk) });
 * const url = await server.listen(0); // 'http://127.0.0.1:54321'
 * // authority for apps: `${url}/${directory.organization.id}/v2.0`
 * await server.close();
 */
export function createServer(options: ServerOptions): ClaimcServer {
  const now = options.now ?? ((): number => Math.floor(Date.now() / 1000));
  const sealer = createSealer(options.secret ?? randomBytes(32));
  const consumeOnce = options.consumeOnce ?? memoryConsumeOnce();
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  let authority = options.authority ?? '';
  let content: ServingContent = { directory: options.directory, key: options.key };
  let serving: Serving | undefined;
  const ctx: EndpointContext = {
    sealer,
    consumeOnce,
    get authority() {
      return authority;
    },
  };

  const current = (): Serving => {
    const at = now();
    if (serving === undefined) {
      const issuer = createTokenIssuer(content.directory, authority === '' ? {} : { authority });
      serving = { directory: content.directory, key: content.key, issuer, ring: certifiedKeyRing(content.directory, content.key, at), ringAt: at };
    } else if (Math.abs(at - serving.ringAt) > 3600) {
      // apps' custom keys come and go with their validity windows
      serving.ring = certifiedKeyRing(serving.directory, serving.key, at);
      serving.ringAt = at;
    }
    return serving;
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const started = process.hrtime.bigint();
    const clientRequestId = request.headers['client-request-id'];
    const exchange: Exchange = {
      ids: { traceId: randomUUID(), correlationId: typeof clientRequestId === 'string' && guidPattern.test(clientRequestId) ? clientRequestId : randomUUID(), now: now() },
    };
    const log = options.log;
    if (log !== undefined) response.on('finish', () => {
      const path = (request.url ?? '/').split('?')[0]!;
      log({
        time: new Date(exchange.ids.now * 1000).toISOString(),
        method: request.method ?? 'GET',
        path,
        status: response.statusCode,
        ms: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
        ...(exchange.client !== undefined ? { client: exchange.client } : {}),
        ...(exchange.grant !== undefined ? { grant: exchange.grant } : {}),
        ...(exchange.error !== undefined ? { error: exchange.error } : {}),
        correlationId: exchange.ids.correlationId,
      });
    });
    route(request, response, exchange).catch((error: unknown) => {
      const refusal = error instanceof EntraError ? error : internalError();
      exchange.error = refusal.aadsts;
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendJson(response, refusal.status, errorBody(refusal, exchange.ids, authority), corsHeaders(request));
    });
  };

  async function route(request: IncomingMessage, response: ServerResponse, exchange: Exchange): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const state = current();
    const tid = state.directory.organization.id;
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...corsHeaders(request), 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': 'content-type, client-request-id, x-client-sku, x-client-ver, x-client-os, x-client-cpu, x-ms-lib-capability', 'access-control-max-age': '600' });
      response.end();
      return;
    }
    if (segments.length === 0) return sendJson(response, 200, { tenant: tid, authority: `${authority}/${tid}/v2.0`, discovery: `${authority}/${tid}/v2.0/.well-known/openid-configuration` });
    const tenantSegment = segments[0]!;
    const rest = segments.slice(1).join('/');
    if (rest === 'discovery/instance' && (tenantSegment === 'common' || tenantSegment === tid)) return sendJson(response, 200, instanceDiscovery(tid), corsHeaders(request));
    if (!isThisTenant(state.directory, tenantSegment)) {
      throw new EntraError('invalid_tenant', 'AADSTS90002', `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    const params = request.method === 'POST' ? formParams(await readBody(request, maxBodyBytes)) : formParams(url.search.slice(1));
    const appId = url.searchParams.get('appid') ?? undefined;
    // Entra spells it FederationMetadata/2007-06/FederationMetadata.xml in its docs and answers any case
    if (rest.toLowerCase() === 'federationmetadata/2007-06/federationmetadata.xml') return sendXml(response, federationMetadata(state, authority, appId, exchange.ids.now), corsHeaders(request));
    switch (rest) {
      case 'v2.0/.well-known/openid-configuration':
      case '.well-known/openid-configuration':
        return sendJson(response, 200, discovery(state, rest.startsWith('v2.0') ? 2 : 1, appId), corsHeaders(request));
      case 'discovery/v2.0/keys':
      case 'discovery/keys':
        return sendJson(response, 200, publishedKeys(state, appId), corsHeaders(request));
      case 'oauth2/v2.0/authorize':
      case 'oauth2/authorize':
        return authorize(ctx, request, response, exchange, state, params, rest.includes('v2.0') ? 2 : 1, url.pathname);
      case 'oauth2/v2.0/token':
      case 'oauth2/token':
        if (request.method !== 'POST') throw new EntraError('invalid_request', 'AADSTS900561', `The endpoint only accepts POST, OPTIONS requests. Received a ${request.method ?? 'GET'} request.`);
        return token(ctx, request, response, exchange, state, params, rest.includes('v2.0') ? 2 : 1);
      case 'oauth2/v2.0/logout':
      case 'oauth2/logout':
        return logout(response, state, params);
      case 'saml2':
        return saml2(ctx, request, response, exchange, state, params, url.pathname);
      case 'wsfed':
        return wsfed(ctx, request, response, exchange, state, params, url.pathname);
      default:
        return sendJson(response, 404, errorBody(new EntraError('invalid_request', 'AADSTS90100', `The path '${url.pathname}' is not an endpoint of this tenant.`), exchange.ids, authority));
    }
  }

  function discovery(state: Serving, version: 1 | 2, appId: string | undefined): Record<string, unknown> {
    const document = openidConfiguration(state.directory.organization.id, { version, algorithms: [state.key.alg], authority, ...(appId !== undefined ? { appId } : {}) });
    return { ...document, token_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256'], code_challenge_methods_supported: ['S256', 'plain'], grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer'], frontchannel_logout_supported: true, http_logout_supported: true, request_uri_parameter_supported: false };
  }

  function publishedKeys(state: Serving, appId: string | undefined): Record<string, unknown> {
    const app = appId === undefined ? undefined : state.directory.appsByAppId.get(appId);
    const appKey = app !== undefined && validCustomKey(app, now()) !== undefined ? state.ring.applications?.get(app.appId) : undefined;
    return jwks([appKey ?? state.ring.tenant]);
  }

  function instanceDiscovery(tid: string): Record<string, unknown> {
    const host = new URL(authority).host;
    return { tenant_discovery_endpoint: `${authority}/${tid}/v2.0/.well-known/openid-configuration`, 'api-version': '1.1', metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }] };
  }

  // ---------------------------------------------------------------- lifecycle

  const server: Server = options.tls !== undefined
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert, maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024, requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, handle)
    : createHttpServer({ maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024, requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, handle);
  // a malformed or oversized request head: a bare status, never an error page with internals
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });

  return {
    async listen(port = 0, host = '127.0.0.1') {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      if (options.authority === undefined) {
        const address = server.address() as AddressInfo;
        const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        authority = `${options.tls !== undefined ? 'https' : 'http'}://${host === 'localhost' ? 'localhost' : shownHost}:${address.port}`;
        serving = undefined;
      }
      return authority;
    },
    get url() {
      return authority;
    },
    update(next) {
      content = next;
      serving = undefined;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
    handle,
  };
}

function isThisTenant(directory: IndexedDirectory, segment: string): boolean {
  const lower = segment.toLowerCase();
  if (lower === directory.organization.id.toLowerCase() || lower === 'organizations' || lower === 'common') return true;
  return (directory.organization.verifiedDomains ?? []).some((d) => d.name?.toLowerCase() === lower);
}




