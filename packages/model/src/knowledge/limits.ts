/** Limits (entra-semantics.md §9, threats X2/V11). One table so docs, checker and runtime agree. */
export const limits = {
  /** ClaimsSchema entries that take effect (D7). */
  claimsSchemaEntries: 50,
  /** ClaimsTransformation entries that take effect (D7). */
  transformations: 50,
  /** Transformations chained per claim in the admin center. */
  chainedTransformations: 2,
  /** Extra RegexReplace inputs the admin center allows. */
  regexExtraInputs: 5,
  /** Extension attributes emitted as optional claims (D7). */
  extensionOptionalClaims: 10,
  /** Groups in a JWT before overage (D18). */
  jwtGroups: 200,
  /** Groups in a SAML assertion before overage (D18). */
  samlGroups: 150,
  /** Implicit flow: more than this many groups gives `hasgroups` (D18). */
  implicitGroups: 5,
  /** GroupFilter works only up to this many groups (direct + transitive). */
  groupFilterMaxGroups: 1000,
  /** RegexReplace pattern length cap (threats X2). */
  regexPatternLength: 512,
  /** re2js programSize cap (threats X2). */
  regexProgramSize: 1000,
  /** Longest value a transformation or a claim carries; longer is an explicit error, never truncation (threats V11, X6). */
  valueLength: 4096,
  /** Policy file size cap, checked before lexing (threats P1). */
  policyBytes: 1024 * 1024,
  /** Directory snapshot and other JSON data file cap; the CLI checks a file's size before reading it (threats P1). */
  snapshotBytes: 128 * 1024 * 1024,
  /** Nesting depth cap for JSON and `.claims`, checked before parsing (threats P2). */
  nestingDepth: 32,
} as const;
