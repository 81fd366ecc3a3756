// Engine internals shared by @claimc/compiler, the CLI and the test kit: the primitives the reference interpreter
// and the AOT emitter reuse, the plan and directory schemas, token building blocks. Not a stable API: issuers use
// the main entry. Every export named explicitly.
export type { GraphUser, GraphOrganization, GraphServicePrincipal, EvaluationContext, GraphResourceKind } from './context.js';
export { GraphUserSchema, GraphOrganizationSchema, GraphServicePrincipalSchema, EvaluationContextSchema, OnPremisesExtensionAttributesSchema, graphResourceKinds, wrongGraphKind } from './context.js';
export type { ClaimcRuntimeErrorCode } from './errors.js';
export { ClaimcRuntimeError } from './errors.js';
export type { PlanDocument, PlanNode, PlanArg, PlanTemplatePart, PlanSettings, PlanJwtEmit, PlanSamlEmit, PlanJwtProgram, PlanSamlProgram, PlanReadSource, PlanMethod } from './plan/schema.js';
export { PlanDocumentSchema, PlanNodeSchema, PlanSettingsSchema, planVersion, planMethods } from './plan/schema.js';
export type { Absence, LinkedPlan, NodeFn } from './link.js';
export { linkPlan, linkPlanDocument, evaluateDetached } from './link.js';
export type { ClaimValue, ClaimMap, SamlAttribute, JwtEvaluation, SamlEvaluation, EvaluateOptions } from './evaluate.js';
export { evaluateJwt, evaluateSaml } from './evaluate.js';
export type { JwtClaims } from './evaluate-claims.js';
export { evaluateJwtClaims } from './evaluate-claims.js';
export type { Computed, AbsenceReason } from './lib/values.js';
export { absenceReasons, Reason, reasonName, reasonCode, scalarText, fromDirectory, readPath, netbiosFromDomain, tooLong, firstValue } from './lib/values.js';
export type { TextTest, ExtractType, Affix, TrimType } from './lib/strings.js';
export { join, mailPrefix, toLowercase, toUppercase, conditional, extract, extractAlpha, extractNumeric, ifEmpty, ifNotEmpty, substring, trim } from './lib/strings.js';
export type { ResolvedTemplatePart, CompiledRegex, RegexCompileFailure } from './lib/regex.js';
export { compileRegex, groupNumber, regexReplace, resolvePlanTemplate } from './lib/regex.js';
export type { MethodShape } from './plan/methods.js';
export { methodShapes, methodShape, prepareMethod } from './plan/methods.js';
export { nodeRefs } from './plan/refs.js';
export type { ReferringNode } from './plan/refs.js';
export type { EntraErrorCode } from './errors.js';
export { TokenRefusedError } from './errors.js';
export type {
  DirectorySnapshot,
  ParsedDirectorySnapshot,
  DirectoryMember,
  DirectoryUser,
  DirectoryGroup,
  DirectoryRole,
  OptionalClaim,
  AppRole,
  DirectoryApplication,
  KeyCredential,
  PasswordCredential,
  RedirectSettings,
  ApplicationKeyCredential,
  AppRoleAssignment,
  DirectoryServicePrincipal,
  DirectoryClaimsMappingPolicy,
  ExtensionProperty,
  SamlSigningOption,
} from './directory/schema.js';
export {
  DirectorySnapshotSchema,
  DirectoryMemberSchema,
  DirectoryUserSchema,
  DirectoryGroupSchema,
  DirectoryRoleSchema,
  OptionalClaimSchema,
  AppRoleSchema,
  DirectoryApplicationSchema,
  KeyCredentialSchema,
  PasswordCredentialSchema,
  RedirectSettingsSchema,
  ApplicationKeyCredentialSchema,
  AppRoleAssignmentSchema,
  DirectoryServicePrincipalSchema,
  DirectoryClaimsMappingPolicySchema,
  ExtensionPropertySchema,
  SamlSigningOptionSchema,
} from './directory/schema.js';
export type { DirectoryOrganization, IndexedGroup, IndexedUser, IndexedApp, IndexedDirectory } from './directory/indexed.js';
export type { SnapshotParts, SnapshotUserRecord, SnapshotLinesProblem } from './directory/snapshot-lines.js';
export { snapshotLines, snapshotLinesFormat, isSnapshotLines, parseSnapshotLines, indexSnapshotParts } from './directory/snapshot-lines.js';
export { buildDirectory, withAppPolicy } from './directory/indexed.js';
export { indexDirectory, policyPort, unavailablePolicyPort } from './directory/index-directory.js';
export type { PolicyPort, PolicySettingsPort, PolicyJwtResult, PolicySamlResult, PolicyClaimValue } from './token/policy-port.js';
export type { IssuerOptions, TokenRequest } from './token/request.js';
export type { JwtPayload, PayloadEncoding, AssembledJwt } from './token/jwt.js';
export type { AssembledSaml } from './token/saml-assertion.js';
export type { AssembledToken, TokenIssuer } from './token/assemble.js';
export { assembleToken, createTokenIssuer } from './token/assemble.js';
export { evaluationContextsFor } from './token/request.js';
export { pairwiseSubject, tokenIssuer } from './token/issued-claims.js';
export type { JwtKind, Principal, IssuedClaimRow, OptionalClaimRow } from './token/claim-sets.js';
export { issuedJwtClaims, optionalClaimRows, samlUris, tokenLifetimes, clockRange, tokenSizeThresholds } from './token/claim-sets.js';
export { tenantRegionByCountry, tenantRegionScope } from '@claimc/model';
export type { SigningKeyChoice, SigningKeyWindow } from './token/gating.js';
export { decideSigningKey, decideTenantKey, tenantKeyAllowed, tenantSigningKey, signingKeyWindows, validWindow, validCustomKey, keyRingFor, signingCredentials, customKeyGaps, isAcceptableMappedAudience, checkAssignment } from './token/gating.js';
export type { GroupFormat, GroupClaimConfig, GroupClaim } from './token/groups.js';
export { groupClaimConfig, resolveGroups, resolveWids, assignedRoleValues, isAssigned } from './token/groups.js';
export type { JsonValue, OptionalClaimInputs } from './token/optional.js';
export { optionalClaimValues, homeUpn, upnValue, guestIdp, emailValue, sessionId } from './token/optional.js';
export type { SamlConfirmation } from './token/saml-xml.js';
export { samlAssertionXml, samlClaimsView, assertSamlText, assertSamlUri } from './token/saml-xml.js';
export type { Sha256Prefix } from './token/sha256.js';
export { Sha256, sha256, sha256Prefix, sha256WithPrefix, base64url, bytesToGuid } from './token/sha256.js';
export type { SigningAlgorithm, KeyDescription, SigningKey, KeyRing, EncodedJwtHeaders, KeyCertificate } from './sign/keys.js';
export { encodedJwtHeaders, importSigningKey, withKid, withCertificate, keyThumbprint, publicPart, describeJwk, parseKeyMaterial, pkcs8Algorithm, checkKid } from './sign/keys.js';
export type { SignOptions, PreparedJwt, TokenSizeNote } from './sign/prepare.js';
export { prepareJwt, selectKey, jwtHeader, tokenSizeNotes } from './sign/prepare.js';
export { signJwt } from './sign/jwt.js';
export type { OpenIdConfigurationOptions } from './sign/metadata.js';
export { jwks, openidConfiguration } from './sign/metadata.js';
