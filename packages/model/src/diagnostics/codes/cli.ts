import type { DiagnosticDefinition } from '../diagnostic.js';

// CM0xxx: whole-file problems found by the CLI (unreadable file, unknown file type).
export const cliCodes = [
  {
    code: 'CM0001',
    severity: 'error',
    message: 'cannot read this file: {reason}',
    hint: 'check the path and that the file is UTF-8 text',
    why: 'An unreadable file is reported with the others instead of stopping the run; `claimc check` then exits 2.',
  },
] as const satisfies readonly DiagnosticDefinition[];
