import type { DiagnosticDefinition } from '../diagnostic.js';

// CM2xxx: mapping JSON onto the policy model — properties, spellings, types (D1, D2, D5). Owner: JSON front end.
export const structureCodes = [
] as const satisfies readonly DiagnosticDefinition[];
