import type { DiagnosticDefinition } from '../diagnostic.js';

// CM7xxx: directory snapshots and token issuance inputs. Owner: runtime/token.
export const snapshotCodes = [
] as const satisfies readonly DiagnosticDefinition[];
