import type { DiagnosticDefinition } from '../diagnostic.js';

// CM0xxx: whole-file problems found by the CLI (unreadable file, unknown file type).
export const cliCodes = [
] as const satisfies readonly DiagnosticDefinition[];
