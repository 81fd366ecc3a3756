/**
 * Typed runtime errors. One base class with a discriminant `code`, so callers can `switch` on it.
 * Runtime errors are for programming or deployment faults (a forged plan, a plan used before linking);
 * user mistakes in a policy are diagnostics at compile time and never reach here.
 */

/** Every code a {@link ClaimcRuntimeError} may carry. The token helper appends its codes here. */
export type ClaimcRuntimeErrorCode =
  /** The plan document does not match the plan schema (wrong shape, wrong version). */
  | 'ERR_PLAN_INVALID'
  /** The plan document is well-formed but unsafe: a restricted or prototype claim name, a bad reference (threats N4). */
  | 'ERR_PLAN_FORGED'
  /** A regular expression in the plan does not compile on re2js or exceeds the caps. */
  | 'ERR_PLAN_REGEX'
  /** Something that is not a linked plan was passed to evaluate. */
  | 'ERR_PLAN_NOT_LINKED'
  /** A directory snapshot does not match the snapshot schema, or references a policy with no plan. */
  | 'ERR_SNAPSHOT_INVALID'
  /** A token request names a user or application the snapshot does not hold, is incomplete, or has a clock outside `clockRange`. */
  | 'ERR_REQUEST_INVALID'
  /** AADSTS50146: the app needs a valid custom signing key (D19). */
  | 'ERR_MISSING_CUSTOM_SIGNING_KEY'
  /** AADSTS501461: acceptMappedClaims with an audience that is neither the app GUID nor in a verified domain (D19). */
  | 'ERR_ACCEPT_MAPPED_CLAIMS_AUDIENCE'
  /** AADSTS50105: the app requires assignment and the user is not assigned, directly or through a group. */
  | 'ERR_NOT_ASSIGNED'
  /** AADSTS50020: a personal Microsoft account signs in to an app that accepts only work or school accounts. */
  | 'ERR_ACCOUNT_NOT_ALLOWED'
  /** A policy evaluation carried a restricted or prototype claim name; issuance fails closed (threats N4). */
  | 'ERR_RESTRICTED_CLAIM'
  /** A SAML value contains characters XML 1.0 cannot carry (control characters, lone surrogates), or a SAML URI (Audience, Format, NameFormat) is not a URI reference. */
  | 'ERR_SAML_VALUE'
  /** The claims-mapping policy assigned to the token's app could not be compiled; only that app's tokens are refused. */
  | 'ERR_POLICY_UNAVAILABLE'
  /** The compact token exceeds the byte budget even with groups in overage form (threats G2). */
  | 'ERR_TOKEN_TOO_LARGE'
  /**
   * Signing key material is unusable: unsupported type, weak HMAC secret, expired custom key, missing key, a kid outside
   * the allowed characters, or a key record whose `alg` is not the algorithm of its key material (threats K1–K4).
   */
  | 'ERR_KEY_INVALID'
  /** A signing pool was used after `close()`, or one of its worker threads failed. */
  | 'ERR_SIGNING_POOL';

/**
 * The one base class of every error the runtime throws.
 *
 * @example
 * try { linkPlan(document) } catch (error) {
 *   if (error instanceof ClaimcRuntimeError && error.code === 'ERR_PLAN_FORGED') console.error(error.message);
 * }
 */
export class ClaimcRuntimeError extends Error {
  override readonly name: string = 'ClaimcRuntimeError';
  readonly code: ClaimcRuntimeErrorCode;
  /** JSON Pointer into the plan document, when the fault has a place. */
  readonly pointer: string | undefined;

  constructor(code: ClaimcRuntimeErrorCode, message: string, options: { readonly cause?: unknown; readonly pointer?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.pointer = options.pointer;
  }
}

/** Entra's sign-in error codes for the gating rules (D19) and assignment (ROLES). */
export type EntraErrorCode = 'AADSTS50146' | 'AADSTS501461' | 'AADSTS50105' | 'AADSTS50020';

/**
 * A token Entra would refuse to issue. `aadsts` is Entra's error code; the message carries Entra's explanation.
 *
 * @example
 * try { assembleToken(directory, request) } catch (error) {
 *   if (error instanceof TokenRefusedError) console.error(error.aadsts); // 'AADSTS50146'
 * }
 */
export class TokenRefusedError extends ClaimcRuntimeError {
  override readonly name: string = 'TokenRefusedError';
  readonly aadsts: EntraErrorCode;

  constructor(code: 'ERR_MISSING_CUSTOM_SIGNING_KEY' | 'ERR_ACCEPT_MAPPED_CLAIMS_AUDIENCE' | 'ERR_NOT_ASSIGNED' | 'ERR_ACCOUNT_NOT_ALLOWED', aadsts: EntraErrorCode, message: string) {
    super(code, `${aadsts}: ${message}`);
    this.aadsts = aadsts;
  }
}
