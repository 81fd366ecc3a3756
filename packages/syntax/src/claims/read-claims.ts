import { EOF as EndOfFile, type IRecognitionException } from 'chevrotain';
import { createDiagnostic, narrowLocation, sortDiagnostics, type Diagnostic, type DiagnosticCode, type Location, type LocationIndex } from '@claimc/model';
import { decodeString } from './strings.js';
import type { PolicyReadResult, ReadOptions } from '../read.js';
import type { PolicyNode } from './ast.js';
import { lexClaims, type LexResult } from './lexer.js';
import { lowerPolicy } from './lower.js';
import { claimsParser } from './parser.js';
import { toAst, tokenSpan } from './to-ast.js';

/** Syntax-error codes by chevrotain exception name. */
const syntaxCodes: Readonly<Record<string, DiagnosticCode>> = {
  MismatchedTokenException: 'CM6010',
  NoViableAltException: 'CM6011',
  NotAllInputParsedException: 'CM6012',
  EarlyExitException: 'CM6013',
};

function found(error: IRecognitionException): string {
  const token = error.token;
  if (token.tokenType === EndOfFile) return 'the end of the file';
  if (token.tokenType.name === 'ClosedString' || token.tokenType.name === 'UnclosedString') return 'a string';
  if (token.tokenType.name === 'NumberLiteral') return `the number ${token.image}`;
  return '`' + (token.image.length > 40 ? token.image.slice(0, 40) + '…' : token.image) + '`';
}

/** Lexes and parses; the AST only when there is no lexical or syntax error (threats P3). `lexed` is returned for the formatter. */
export function parseClaims(text: string): { ast: PolicyNode | undefined; diagnostics: Diagnostic[]; lexed: LexResult } {
  const lexed = lexClaims(text);
  const diagnostics: Diagnostic[] = [...lexed.diagnostics];
  if (lexed.diagnostics.some((d) => d.code === 'CM6005' || d.code === 'CM6006')) return { ast: undefined, diagnostics, lexed };
  claimsParser.input = lexed.tokens;
  let cst;
  try {
    cst = claimsParser.policyFile();
  } catch (error) {
    // second line of defence (threats P2): the nesting pre-pass should make this unreachable
    if (error instanceof RangeError) return { ast: undefined, diagnostics: [...diagnostics, createDiagnostic('CM6006', { limit: 'the supported number of' })], lexed };
    throw error;
  }
  for (const error of claimsParser.errors) {
    const code = syntaxCodes[error.name] ?? 'CM6011';
    const token = error.token.tokenType === EndOfFile ? (error as IRecognitionException & { previousToken?: typeof error.token }).previousToken ?? error.token : error.token;
    const atEnd = error.token.tokenType === EndOfFile;
    const base = Number.isFinite(token.startOffset) ? tokenSpan(token) : { start: text.length, end: text.length };
    const span = atEnd ? { start: Math.max(0, text.length), end: text.length } : base;
    if (!atEnd && token.tokenType.name === 'As') {
      // `as` after anything but a function call; what the parser recovers into after it is only a cascade.
      diagnostics.push(createDiagnostic('CM6030', {}, { span }));
      break;
    }
    const args = code === 'CM6012' ? { found: found(error) } : { expected: error.message, found: found(error) };
    diagnostics.push(createDiagnostic(code, args, { span }));
  }
  if (diagnostics.some((d) => d.severity === 'error') || claimsParser.errors.length > 0) return { ast: undefined, diagnostics, lexed };
  const built = toAst(cst);
  return { ast: built.ast, diagnostics: [...diagnostics, ...built.diagnostics], lexed };
}

/**
 * Reads a `.claims` file into the canonical model. Never throws on user input. `locations` maps
 * canonical pointers (`/ClaimsSchema/2/JwtClaimType`) to spans in the `.claims` text; the pointer of
 * each location is the same canonical pointer. A file with a lexical or syntax error gives no policy.
 *
 * @example
 * const { policy } = readPolicyClaims('policy { claim employeeid = user.employeeid }');
 * // policy.ClaimsSchema → [{ Source: 'user', ID: 'employeeid', JwtClaimType: 'employeeid' }]
 */
export function readPolicyClaims(text: string, options: ReadOptions = {}): PolicyReadResult {
  void options;
  const parsed = parseClaims(text);
  if (parsed.ast === undefined) return { policy: undefined, locations: new Map(), diagnostics: sortDiagnostics(parsed.diagnostics), envelope: 'claims' };
  const lowered = lowerPolicy(parsed.ast);
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...lowered.diagnostics]);
  return {
    policy: lowered.policy,
    locations: withStringPositions(lowered.locations, text),
    diagnostics,
    envelope: 'claims',
    ...(lowered.displayName !== undefined ? { displayName: lowered.displayName } : {}),
  };
}

/** The lowerer's locations, answering positions inside a string literal through its escapes. */
function withStringPositions(locations: Map<string, Location>, text: string): LocationIndex {
  const locateWithin = (pointer: string, offset: number, length: number): Location | undefined => {
    const location = locations.get(pointer);
    if (location === undefined) return undefined;
    const image = text.slice(location.span.start, location.span.end);
    if (!image.startsWith('"')) return location;
    const starts = decodeString(image).starts.map((start) => location.span.start + start);
    return narrowLocation(location, starts, offset, length);
  };
  return Object.assign(locations, { locateWithin });
}
