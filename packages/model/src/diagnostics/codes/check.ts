import type { DiagnosticDefinition } from '../diagnostic.js';

// CM3xxx references (D8) and CM4xxx semantic rules (D6, D7, D9, D11, §3.5, §8). Owner: checker.
export const checkCodes = [
] as const satisfies readonly DiagnosticDefinition[];
