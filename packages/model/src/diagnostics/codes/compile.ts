import type { DiagnosticDefinition } from '../diagnostic.js';

// CM5xxx: lowering and optimizing (a construct the optimizer cannot preserve is an error here). Owner: compiler.
export const compileCodes = [
] as const satisfies readonly DiagnosticDefinition[];
