import type { IncomingMessage, ServerResponse } from 'node:http';
import { EntraError } from './errors.js';

/** Headers on every answer: nothing is cached, nothing sniffed, no page framed. */
const baseHeaders = {
  'cache-control': 'no-store, no-cache',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * Reads a request body up to `limit` bytes; a larger body is refused (`AADSTS90015`-like, HTTP 413) before it is
 * buffered whole.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

const tooLarge = (limit: number): EntraError => new EntraError('invalid_request', 'AADSTS90015', `The request body is larger than ${limit} bytes.`, 413);

/** A form body (`application/x-www-form-urlencoded`) or the query string, as single-valued parameters (a repeated name keeps the first). */
export function formParams(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) if (!out.has(name)) out.set(name, value);
  return out;
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Writes a JSON answer. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...baseHeaders, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** Writes an XML document (federation metadata). */
export function sendXml(response: ServerResponse, xml: string, headers: Record<string, string> = {}): void {
  response.writeHead(200, { ...baseHeaders, 'content-type': 'application/xml; charset=utf-8', 'content-length': Buffer.byteLength(xml), ...headers });
  response.end(xml);
}

/** Writes an HTML page; scripts run only with the page's nonce. */
export function sendHtml(response: ServerResponse, status: number, html: string, scriptNonce?: string, headers: Record<string, string> = {}): void {
  const script = scriptNonce === undefined ? "script-src 'none'" : `script-src 'nonce-${scriptNonce}'`;
  response.writeHead(status, {
    ...baseHeaders,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src data:; ${script}; frame-ancestors 'none'; base-uri 'none'`,
    'x-frame-options': 'DENY',
    ...headers,
  });
  response.end(html);
}

/** Writes a 302 redirect. */
export function sendRedirect(response: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  response.writeHead(302, { ...baseHeaders, location, 'content-length': 0, ...headers });
  response.end();
}

/** The cookies of a request by name. */
export function cookies(request: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return out;
}
