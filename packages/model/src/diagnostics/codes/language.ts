import type { DiagnosticDefinition } from '../diagnostic.js';

// CM6xxx: the .claims language — lexing, parsing, and its own semantic rules. Owner: syntax/claims.
export const languageCodes = [
  // CM60xx: characters and tokens
  {
    code: 'CM6001',
    severity: 'error',
    message: 'unexpected character {char} in a .claims file',
    hint: 'names are ASCII letters, digits, `_` and `-`; text goes in "double quotes"',
    why: 'The lexer accepts only the language’s tokens; anything else would be silently reinterpreted.',
  },
  {
    code: 'CM6002',
    severity: 'error',
    message: 'string is not closed before the end of the line',
    hint: 'add the closing `"`; a newline inside a string is written `\\n`',
    why: 'Strings end on the same line so one missing quote cannot swallow the rest of the file.',
  },
  {
    code: 'CM6003',
    severity: 'error',
    message: 'invalid escape {escape} in a string',
    hint: 'use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX, as in JSON',
    why: 'String escapes are JSON’s, so a value reads the same in .claims and in the JSON it builds to.',
  },
  {
    code: 'CM6004',
    severity: 'error',
    message: 'block comment is not closed',
    hint: 'end the comment with */',
    why: 'An unclosed comment would hide the rest of the policy from the reader and from the compiler.',
  },
  {
    code: 'CM6005',
    severity: 'error',
    message: 'the file is {size} bytes; the limit is {limit} bytes',
    why: 'Size is checked before lexing so a huge file cannot exhaust memory or time.',
  },
  {
    code: 'CM6006',
    severity: 'error',
    message: 'nesting is deeper than {limit} levels',
    hint: 'split the expression: give an inner transformation its own claim or transform block',
    why: 'Nesting is counted before parsing so deep input cannot overflow the parser’s stack.',
  },
  {
    code: 'CM6007',
    severity: 'warning',
    message: 'string contains an invisible or direction-changing character {char}',
    hint: 'write it as a \\uXXXX escape so reviewers can see it',
    why: 'Bidi and zero-width characters make a policy read differently from what it does ("Trojan Source").',
  },
  // CM601x: syntax
  {
    code: 'CM6010',
    severity: 'error',
    message: 'expected {expected}, found {found}',
    why: 'A syntax error; the parser recovers and goes on so one run reports every error it can; nothing is built from a policy with errors.',
  },
  {
    code: 'CM6011',
    severity: 'error',
    message: 'expected {expected}, found {found}',
    why: 'None of the constructs allowed here starts with this token.',
  },
  {
    code: 'CM6012',
    severity: 'error',
    message: 'unexpected {found} after the end of the policy',
    hint: 'a file holds one `policy { … }` block; everything goes inside it',
    why: 'Text after the policy block would be ignored, so it is an error.',
  },
  {
    code: 'CM6013',
    severity: 'error',
    message: 'expected {expected}, found {found}',
    why: 'A list that needs at least one item is empty.',
  },
  // CM602x: settings and claim statements
  {
    code: 'CM6020',
    severity: 'error',
    message: 'unknown setting `{name}`',
    hint: 'settings are: {known}',
    why: 'Every setting maps to one property of the policy; an unknown one would be lost.',
  },
  {
    code: 'CM6021',
    severity: 'error',
    message: 'setting `{name}` takes {expected}',
    why: 'Each setting has one shape; anything else cannot be compiled to the policy JSON.',
  },
  {
    code: 'CM6022',
    severity: 'error',
    message: '`{name}` is given more than once',
    why: 'A property can hold one value; the JSON it builds to could not keep both.',
  },
  {
    code: 'CM6023',
    severity: 'error',
    message: '`{name}: none` cannot be combined with {what} in the same block',
    why: '`none` writes an empty list; a list with items is written by the items themselves.',
  },
  {
    code: 'CM6024',
    severity: 'error',
    message: 'unknown function `{name}`',
    hint: 'functions are the transformation methods: {known}',
    why: 'An inline expression compiles to a ClaimsTransformation; its method must be known to name its inputs and output.',
  },
  {
    code: 'CM6025',
    severity: 'error',
    message: '`{name}` takes at most {count} positional arguments; name the others (`name: value`)',
    why: 'Positional arguments follow the method’s documented inputs; extra ones have no name to compile to.',
  },
  {
    code: 'CM6026',
    severity: 'error',
    message: 'a positional argument cannot follow a named one',
    why: 'Positions are matched to the method’s inputs in order; after a named argument the position is ambiguous.',
  },
  {
    code: 'CM6027',
    severity: 'error',
    message: 'argument `{name}` is given more than once',
    why: 'Each transformation input or parameter has one value.',
  },
  {
    code: 'CM6028',
    severity: 'error',
    message: '`{modifier}` applies only to a claim argument of a function',
    hint: '`each` sets TreatAsMultiValue on a transformation input; it has no meaning elsewhere',
    why: 'TreatAsMultiValue is a property of a transformation input claim (docs/semantics.md#multi-valued-values).',
  },
  {
    code: 'CM6029',
    severity: 'error',
    message: '`{source}.{id}` cannot be read here: the ID `{id}` already belongs to a {other} entry',
    hint: 'transformation inputs find claims by ID alone; give the other entry a different `id`',
    why: 'InputClaims join to ClaimsSchema entries by ID (case-insensitive), so two sources cannot share one ID.',
  },
  {
    code: 'CM6030',
    severity: 'error',
    message: '`as` names a transformation; it only follows a function call',
    why: 'Only a function call compiles to a transformation whose ID can be chosen.',
  },
  {
    code: 'CM6031',
    severity: 'error',
    message: 'a literal cannot be passed with `each` or `first`',
    why: 'A literal compiles to an InputParameter, which has no TreatAsMultiValue.',
  },
] as const satisfies readonly DiagnosticDefinition[];
