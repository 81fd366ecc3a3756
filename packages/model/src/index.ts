export type { Span, Location, LocationIndex } from './span.js';
export { narrowLocation } from './span.js';
export { toPointer, LineMap } from './span.js';
export type { Severity, Target, DiagnosticDefinition, DiagnosticFix, RelatedLocation, Diagnostic } from './diagnostics/diagnostic.js';
export { hasErrors, sortDiagnostics, uniqueDiagnostics } from './diagnostics/diagnostic.js';
export type { DiagnosticArgs, DiagnosticCode, DiagnosticPlace } from './diagnostics/catalog.js';
export { diagnosticCatalog, createDiagnostic, diagnosticAt, escapeForDisplay, shortenForDisplay, maxDisplayedArgumentLength } from './diagnostics/catalog.js';
export type {
  ClaimsMappingPolicy,
  ClaimsMappingPolicyDocument,
  ClaimsSchemaEntry,
  ClaimsTransformation,
  InputClaim,
  InputParameter,
  OutputClaim,
  GroupFilter,
} from './policy.js';
export {
  ClaimsMappingPolicySchema,
  ClaimsMappingPolicyDocumentSchema,
  ClaimsSchemaEntrySchema,
  ClaimsTransformationSchema,
  InputClaimSchema,
  InputParameterSchema,
  OutputClaimSchema,
  GroupFilterSchema,
  canonicalKeyOrder,
  propertyAliases,
  knownUnmodelledProperties,
  serializePolicy,
  orderPolicy,
} from './policy.js';
export type { SourceName, AttributeRead, SourceAttribute } from './knowledge/sources.js';
export {
  sourceNames,
  userAttributes,
  servicePrincipalAttributes,
  companyAttributes,
  historicalMisspellings,
  attributesOf,
  findAttribute,
  canonicalAttributeId,
  extensionIdPattern,
} from './knowledge/sources.js';
export type { NameRestriction } from './knowledge/restricted.js';
export {
  restrictedSetVersion,
  jwtRestrictedClaims,
  jwtRuntimeOwnedClaims,
  jwtRestrictedPrefixes,
  jwtRestrictedSamlUris,
  jwtRestrictedUriPrefixes,
  claimTypeUris,
  restrictedClaimOfUri,
  samlRestrictedClaims,
  samlUnrestrictedWithCustomKey,
  prototypeKeys,
  jwtClaimNamePattern,
  samlClaimNamePattern,
  jwtNameRestriction,
  samlNameRestriction,
  isPrototypeKey,
  suggestClaimName,
} from './knowledge/restricted.js';
export type { InputKind, MethodInput, MethodSignature, MethodName, CallMethodName } from './knowledge/methods.js';
export { methodSignatures, methodNames, callMethodNames, assertNever, findMethod, findMethodInput, canonicalInputName, canonicalOutputName } from './knowledge/methods.js';
export { limits } from './knowledge/limits.js';
export { tenantRegionByCountry, tenantRegionScope } from './knowledge/regions.js';
export type { TenantRegion } from './knowledge/regions.js';
export { samlNameFormats, samlNameFormatValues, samlNameIdFormats, samlNameIdentifierClaim, groupFilterMatchOn, groupFilterTypes } from './knowledge/saml.js';
export type { BasicClaim } from './knowledge/claim-sets.js';
export { basicClaims } from './knowledge/claim-sets.js';
export { suggest } from './suggest.js';
export type { EnvelopeKind } from './envelope.js';
export { writeEnvelope, writeRawEnvelope, writeGraphEnvelope, writePowerShellEnvelope } from './envelope.js';
export type { ValueLimit } from './knowledge/value-limits.js';
export { valueLimitOf, userValueLimits, servicePrincipalValueLimits, companyValueLimits, defaultValueLimit, guidLength, directoryExtensionLength } from './knowledge/value-limits.js';
