// Barrel: every export named explicitly.
export type { ClaimcServer, ServerOptions, ServingContent, RequestLogEntry } from './server.js';
export { createServer } from './server.js';
export { EntraError, errorBody, entraTimestamp } from './errors.js';
export type { ConsumeOnce, Sealer, SealKind } from './seal.js';
export { createSealer, memoryConsumeOnce, secretMatches } from './seal.js';
export { parseAuthnRequest } from './saml.js';
export type { AuthnRequest } from './saml.js';
export { matchRedirectUri, redirectUris } from './apps.js';
export { resolveScopes, oidcScopes } from './scopes.js';
