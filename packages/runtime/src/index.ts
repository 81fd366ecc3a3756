// @claimc/runtime: what an issuer uses — link a compiled plan, evaluate it, index a directory snapshot, assemble
// and sign tokens, publish the keys. Engine internals shared with the compiler live in `@claimc/runtime/internal`;
// the node:crypto fast path in `@claimc/runtime/node`. A test snapshots this list: a new export is a decision.

// Plans: link once, evaluate per token.
export type { PlanDocument } from './plan/schema.js';
export { planVersion } from './plan/schema.js';
export type { Absence, LinkedPlan } from './link.js';
export { linkPlan } from './link.js';
export type { ClaimValue, ClaimMap, SamlAttribute, JwtEvaluation, SamlEvaluation, EvaluateOptions } from './evaluate.js';
export { evaluateJwt, evaluateSaml } from './evaluate.js';
export type { JwtClaims } from './evaluate-claims.js';
export { evaluateJwtClaims } from './evaluate-claims.js';
export type { AbsenceReason } from './lib/values.js';
export type { GraphUser, GraphOrganization, GraphServicePrincipal, EvaluationContext } from './context.js';

// Tokens: index a snapshot once, assemble per request.
export type { DirectorySnapshot } from './directory/schema.js';
export type { IndexedDirectory } from './directory/indexed.js';
export { indexDirectory } from './directory/index-directory.js';
export type { IssuerOptions, TokenRequest } from './token/request.js';
export type { JwtPayload, PayloadEncoding, AssembledJwt } from './token/jwt.js';
export type { AssembledSaml } from './token/saml-assertion.js';
export type { AssembledToken, TokenIssuer } from './token/assemble.js';
export { assembleToken, createTokenIssuer } from './token/assemble.js';
export { clockRange } from './token/claim-sets.js';
export type { SamlConfirmation } from './token/saml-xml.js';
export { samlAssertionXml, samlClaimsView } from './token/saml-xml.js';

// Signing and publishing keys (portable: jose on WebCrypto).
export type { SigningAlgorithm, SigningKey, KeyRing, KeyCertificate } from './sign/keys.js';
export { importSigningKey } from './sign/keys.js';
export type { SignOptions, PreparedJwt, TokenSizeNote } from './sign/prepare.js';
export { prepareJwt } from './sign/prepare.js';
export { signJwt } from './sign/jwt.js';
export type { OpenIdConfigurationOptions } from './sign/metadata.js';
export { jwks, openidConfiguration } from './sign/metadata.js';

// Errors: every refusal is typed.
export type { ClaimcRuntimeErrorCode, EntraErrorCode } from './errors.js';
export { ClaimcRuntimeError, TokenRefusedError } from './errors.js';
