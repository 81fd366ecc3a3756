// Barrel: the editor-independent language services (no Node APIs: the playground runs them in a browser).
export type { SnapshotKnowledge, ServiceSettings, PolicyAnalysis, LocatedValue } from './analysis.js';
export { analyzePolicy, defaultSettings, isClaimsFile, looksLikePolicy, valuesAt, locatedValues, PolicyDocuments } from './analysis.js';
export type { DiagnosticData } from './diagnostics.js';
export { toLspDiagnostics, quickFixes, fixEdit, positionAt, offsetAt, rangeOf } from './diagnostics.js';
export { completeAt } from './completion.js';
export { hoverAt, sourceMarkdown, attributeMarkdown, methodMarkdown } from './hover.js';
export type { PolicySymbol } from './symbols.js';
export { policySymbols, symbolAt, definitionAt, referencesAt, prepareRenameAt, renameAt, formatDocument } from './symbols.js';
export { snapshotKnowledge } from './knowledge.js';
