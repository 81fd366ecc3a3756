import type { DiagnosticDefinition } from '../diagnostic.js';

// CM5xxx: lowering and optimizing (a construct the optimizer cannot preserve is an error here). Owner: compiler.
export const compileCodes = [
  {
    code: 'CM5001',
    severity: 'warning',
    message: 'The constant value of ClaimsSchema entry {index} is {length} characters long, more than the {limit} a claim may carry; it is never emitted',
    hint: 'Shorten the value; claimc never truncates a value.',
    why: 'Values longer than limits.valueLength are absent with reason value-too-long, never truncated (docs/evaluate.md).',
  },
  {
    code: 'CM5002',
    severity: 'error',
    message: 'Cannot compile {what}: {reason}',
    hint: 'Fix the errors the checker reports for this entry first.',
    why: 'The compiler refuses a construct it cannot translate exactly instead of guessing.',
  },
  {
    code: 'CM5003',
    severity: 'error',
    message: 'The RegexReplace pattern of transformation "{id}" cannot run on the linear-time engine: {construct}',
    hint: 'Rewrite the pattern without backreferences or lookaround.',
    why: 'Policy regexes run only on re2js, compiled once at link time (docs/semantics.md#transformation-methods).',
  },
  {
    code: 'CM5004',
    severity: 'error',
    message: 'The replacement of transformation "{id}" refers to {ref}, which is neither a group of the pattern nor an extra input claim',
    hint: 'Name a group of the pattern, or add an input claim with that TransformationClaimType.',
    why: 'Every template reference must resolve at compile time so the runtime never guesses (docs/semantics.md#transformation-methods).',
  },
  {
    code: 'CM5005',
    severity: 'error',
    message: 'TreatAsMultiValue on the extra RegexReplace input "{name}" of transformation "{id}" cannot be compiled',
    hint: 'Put TreatAsMultiValue on the sourceClaim input, or remove it.',
    why: 'TreatAsMultiValue applies a transformation to every value of one input; for RegexReplace that input is the sourceClaim, so any other placement would change the meaning.',
  },
  {
    code: 'CM5010',
    severity: 'error',
    message: 'The compiled plan failed verification: {message}',
    hint: 'This is a claimc bug; please report it with the policy.',
    why: 'compilePolicy links every plan it emits before returning it, so a plan that would not load is an error, never a silent fallback.',
  },
] as const satisfies readonly DiagnosticDefinition[];
