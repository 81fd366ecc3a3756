import type { DiagnosticDefinition } from '../diagnostic.js';

// CM6xxx: the .claims language — lexing, parsing, and its own semantic rules. Owner: syntax/claims.
export const languageCodes = [
] as const satisfies readonly DiagnosticDefinition[];
