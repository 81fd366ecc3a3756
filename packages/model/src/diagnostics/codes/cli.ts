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
  {
    code: 'CM0050',
    severity: 'error',
    message: 'The file is {size} bytes; claimc reads at most {limit} bytes of {kind}.',
    hint: 'Check that this is the right file.',
    why: 'The size is taken from the file system before anything is read, so a huge file is refused at once without being loaded into memory; the command exits 2.',
  },
  {
    code: 'CM0051',
    severity: 'error',
    message: 'The standard input is longer than {limit} bytes, the most claimc reads of {kind}.',
    hint: 'Pass the file by name, or check what is piped in.',
    why: 'Standard input has no size to ask for, so it is read in chunks and reading stops at the limit; the command exits 2.',
  },
] as const satisfies readonly DiagnosticDefinition[];
