import type { DiagnosticDefinition } from '../diagnostic.js';

// CM2xxx: mapping JSON onto the policy model — properties, spellings, types (docs/semantics.md#case-and-spelling, docs/semantics.md#booleans, docs/semantics.md#unknown-properties). Owner: JSON front end.
export const structureCodes = [
  {
    code: 'CM2001',
    severity: 'warning',
    entraSeverity: 'error',
    message: 'Unknown property {name} in {context}; it is ignored.',
    hint: 'Known properties: {known}.',
    why: 'An unknown property is usually a typo that silently does nothing (docs/semantics.md#unknown-properties); Entra rejects it.',
  },
  {
    code: 'CM2002',
    severity: 'info',
    message: 'Property {name} is seen in exported policies but not modelled by claimc; it is {action}.',
    why: 'Documented-but-unmodelled fields from real exports are accepted without effect on evaluation (docs/semantics.md#unknown-properties).',
  },
  {
    code: 'CM2003',
    severity: 'error',
    message: '{name} must be {expected}, found {found}.',
    why: 'A value of the wrong JSON type is rejected by Entra; claimc drops it and names it here.',
  },
  {
    code: 'CM2004',
    severity: 'error',
    message: 'Both {first} and {second} are given; they are two spellings of {name}.',
    hint: 'Keep one of them. The first one is read.',
    why: 'Both spellings are accepted (docs/semantics.md#case-and-spelling), but giving both leaves it unclear which one counts.',
  },
  {
    code: 'CM2005',
    severity: 'error',
    message: '{name} must be true or false, found {found}.',
    hint: 'Write true, false, "true" or "false".',
    why: 'Booleans are JSON booleans or the strings "true"/"false" in any case (docs/semantics.md#booleans); anything else is rejected.',
  },
  {
    code: 'CM2006',
    severity: 'error',
    message: '{context} is missing the required property {name}; it is ignored.',
    why: 'An object without its required properties cannot be evaluated; it is dropped so the rest of the policy can be checked.',
  },
  {
    code: 'CM2007',
    severity: 'warning',
    entraSeverity: 'error',
    message: 'Version is the string {found}; it should be the number {value}.',
    hint: 'Write "Version": {value}.',
    why: 'Version is an integer; claimc reads a numeric string as a leniency.',
  },

  // CM2050–CM2059: hostile property names.
  {
    code: 'CM2050',
    severity: 'error',
    message: 'Property name {name} is a prototype key; it is refused.',
    hint: 'Remove it: names such as __proto__, constructor and prototype never belong in a policy.',
    why: 'Another tool reading the same file with a plain JSON parser could let such a key reach an object prototype; it is an error in every mode, never an ignored property.',
  },
] as const satisfies readonly DiagnosticDefinition[];
