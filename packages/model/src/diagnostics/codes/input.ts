import type { DiagnosticDefinition } from '../diagnostic.js';

// CM1xxx: reading files, envelopes (D4), JSON syntax (D3), size and depth guards. Owner: JSON front end.
export const inputCodes = [
] as const satisfies readonly DiagnosticDefinition[];
