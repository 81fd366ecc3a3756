// Barrel: the stdio language server over @claimc/language-service.
export type { ClaimcEditorSettings, ServerHost } from './server.js';
export { startLanguageServer, fileNameOf } from './server.js';
export { runStdioServer } from './node.js';
