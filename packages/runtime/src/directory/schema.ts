import { z } from 'zod';
import { GraphOrganizationSchema, GraphUserSchema } from '../context.js';

// Snapshot shapes follow Microsoft Graph v1.0 resources so `GET` output can be pasted in; unknown properties are kept (looseObject).

const str = z.string();
const optStr = z.string().nullable().optional();
const strList = z.array(z.string()).nullable().optional();
const optBool = z.boolean().nullable().optional();

/** A member as Graph lists it: an `$expand=members` object (`{"@odata.type":"#microsoft.graph.user","id":…}`) or a plain object id. */
export const DirectoryMemberSchema = z.union([str, z.looseObject({ id: str, '@odata.type': z.string().optional() })]);
export type DirectoryMember = z.infer<typeof DirectoryMemberSchema>;

/** Graph `user`, plus `identities` (guests' home identity provider). */
export const DirectoryUserSchema = GraphUserSchema.extend({
  identities: z
    .array(z.looseObject({ signInType: optStr, issuer: optStr, issuerAssignedId: optStr }))
    .nullable()
    .optional(),
  usageLocation: optStr,
  /** claimc extension: a guest's home Entra tenant (Graph lists such a guest's identity issuer only as `ExternalAzureAD`). */
  homeTenantId: optStr,
  /** claimc extension: a personal Microsoft account signing in through the consumer tenant, not a member of this tenant. */
  personalMicrosoftAccount: optBool,
});
export type DirectoryUser = z.infer<typeof DirectoryUserSchema>;

/** Graph `group`; `members` may nest groups (transitive membership). */
export const DirectoryGroupSchema = z.looseObject({
  id: str,
  displayName: optStr,
  securityEnabled: optBool,
  mailEnabled: optBool,
  groupTypes: strList,
  onPremisesSamAccountName: optStr,
  onPremisesSecurityIdentifier: optStr,
  onPremisesDomainName: optStr,
  onPremisesNetBiosName: optStr,
  members: z.array(DirectoryMemberSchema).nullable().optional(),
});
export type DirectoryGroup = z.infer<typeof DirectoryGroupSchema>;

/** Graph `directoryRole` (an activated role; `roleTemplateId` feeds `wids`). */
export const DirectoryRoleSchema = z.looseObject({
  id: str,
  displayName: optStr,
  roleTemplateId: str,
  members: z.array(DirectoryMemberSchema).nullable().optional(),
});
export type DirectoryRole = z.infer<typeof DirectoryRoleSchema>;

/** Graph `optionalClaim`. */
export const OptionalClaimSchema = z.looseObject({
  name: str,
  source: optStr,
  essential: optBool,
  additionalProperties: strList,
});
export type OptionalClaim = z.infer<typeof OptionalClaimSchema>;

/** Graph `appRole`. */
export const AppRoleSchema = z.looseObject({
  id: str,
  value: optStr,
  displayName: optStr,
  allowedMemberTypes: strList,
  isEnabled: optBool,
});
export type AppRole = z.infer<typeof AppRoleSchema>;

/** Graph `keyCredential`; only validity and usage matter offline (the private half never leaves Entra). */
export const KeyCredentialSchema = z.looseObject({
  keyId: str,
  usage: optStr,
  type: optStr,
  displayName: optStr,
  customKeyIdentifier: optStr,
  startDateTime: optStr,
  endDateTime: optStr,
});
export type KeyCredential = z.infer<typeof KeyCredentialSchema>;

/** Graph's `web`, `spa` and `publicClient` settings of an application: where sign-in responses may be sent. */
export const RedirectSettingsSchema = z.looseObject({ redirectUris: strList });
export type RedirectSettings = z.infer<typeof RedirectSettingsSchema>;

/**
 * Graph `passwordCredential`: a client secret, or the half of a custom signing key that holds the PFX password (it
 * pairs with the Sign keyCredential of the same `keyId`). Graph returns `secretText` only when the secret is created;
 * a snapshot for a local sign-in endpoint keeps it so the token endpoint can check `client_secret`.
 */
export const PasswordCredentialSchema = z.looseObject({
  keyId: optStr,
  customKeyIdentifier: optStr,
  displayName: optStr,
  hint: optStr,
  secretText: optStr,
  startDateTime: optStr,
  endDateTime: optStr,
});
export type PasswordCredential = z.infer<typeof PasswordCredentialSchema>;

/**
 * Graph `keyCredential` of an application (a client certificate for `private_key_jwt`): `key` is the base64 DER of
 * the X.509 certificate (or of a SubjectPublicKeyInfo), `customKeyIdentifier` its SHA-1 thumbprint in hex.
 */
export const ApplicationKeyCredentialSchema = KeyCredentialSchema.extend({ keyId: optStr, key: optStr });
export type ApplicationKeyCredential = z.infer<typeof ApplicationKeyCredentialSchema>;

/** Graph `application` (the app registration: manifest settings). */
export const DirectoryApplicationSchema = z.looseObject({
  id: optStr,
  appId: str,
  displayName: optStr,
  identifierUris: strList,
  signInAudience: optStr,
  groupMembershipClaims: optStr,
  optionalClaims: z
    .looseObject({
      idToken: z.array(OptionalClaimSchema).nullable().optional(),
      accessToken: z.array(OptionalClaimSchema).nullable().optional(),
      saml2Token: z.array(OptionalClaimSchema).nullable().optional(),
    })
    .nullable()
    .optional(),
  appRoles: z.array(AppRoleSchema).nullable().optional(),
  web: RedirectSettingsSchema.nullable().optional(),
  spa: RedirectSettingsSchema.nullable().optional(),
  publicClient: RedirectSettingsSchema.nullable().optional(),
  passwordCredentials: z.array(PasswordCredentialSchema).nullable().optional(),
  keyCredentials: z.array(ApplicationKeyCredentialSchema).nullable().optional(),
  api: z
    .looseObject({
      acceptMappedClaims: optBool,
      requestedAccessTokenVersion: z.union([z.literal(1), z.literal(2)]).nullable().optional(),
      oauth2PermissionScopes: z.array(z.looseObject({ id: optStr, value: optStr, isEnabled: optBool })).nullable().optional(),
    })
    .nullable()
    .optional(),
});
export type DirectoryApplication = z.infer<typeof DirectoryApplicationSchema>;

/** Graph `appRoleAssignment` as listed under a resource's `appRoleAssignedTo`. */
export const AppRoleAssignmentSchema = z.looseObject({
  principalId: str,
  principalType: z.enum(['User', 'Group', 'ServicePrincipal']),
  appRoleId: str,
  id: optStr,
  resourceId: optStr,
});
export type AppRoleAssignment = z.infer<typeof AppRoleAssignmentSchema>;

/** What Entra signs in a SAML Response: the assertion (default), the response, or both. */
export const SamlSigningOptionSchema = z.enum(['SignAssertion', 'SignResponse', 'SignResponseAndAssertion']);
export type SamlSigningOption = z.infer<typeof SamlSigningOptionSchema>;

/** Graph `servicePrincipal`, with `claimsMappingPolicies` and `appRoleAssignedTo` expanded. */
export const DirectoryServicePrincipalSchema = z.looseObject({
  id: str,
  appId: str,
  displayName: optStr,
  tags: strList,
  appRoleAssignmentRequired: optBool,
  keyCredentials: z.array(KeyCredentialSchema).nullable().optional(),
  passwordCredentials: z.array(PasswordCredentialSchema).nullable().optional(),
  claimsMappingPolicies: z.array(z.looseObject({ id: str })).nullable().optional(),
  appRoleAssignedTo: z.array(AppRoleAssignmentSchema).nullable().optional(),
  /** Graph: where Entra may post tokens (a SAML Response's Destination must be one of them). */
  replyUrls: strList,
  /** The SAML certificate's "Signing Option" (portal setting, not in Graph): what carries the XML signature. */
  samlSigningOption: SamlSigningOptionSchema.nullable().optional(),
});
export type DirectoryServicePrincipal = z.infer<typeof DirectoryServicePrincipalSchema>;

/** Graph `claimsMappingPolicy`: `definition` holds exactly one policy JSON string. */
export const DirectoryClaimsMappingPolicySchema = z.looseObject({
  id: str,
  displayName: optStr,
  definition: z.array(str).min(1),
  isOrganizationDefault: optBool,
});
export type DirectoryClaimsMappingPolicy = z.infer<typeof DirectoryClaimsMappingPolicySchema>;

/** Graph `extensionProperty`: a directory extension registered on an application. */
export const ExtensionPropertySchema = z.looseObject({
  id: optStr,
  name: str,
  dataType: optStr,
  targetObjects: strList,
  appDisplayName: optStr,
});
export type ExtensionProperty = z.infer<typeof ExtensionPropertySchema>;

/**
 * A directory snapshot: one tenant in Graph's resource shapes. `organization` is the object or
 * Graph's one-element `GET /organization` array.
 *
 * @example
 * const snapshot = DirectorySnapshotSchema.parse({ organization: { id: 't' }, users: [] });
 */
export const DirectorySnapshotSchema = z.looseObject({
  organization: z.union([GraphOrganizationSchema.extend({ preferredLanguage: optStr }), z.array(GraphOrganizationSchema.extend({ preferredLanguage: optStr })).length(1)]),
  users: z.array(DirectoryUserSchema).optional(),
  groups: z.array(DirectoryGroupSchema).optional(),
  directoryRoles: z.array(DirectoryRoleSchema).optional(),
  applications: z.array(DirectoryApplicationSchema).optional(),
  servicePrincipals: z.array(DirectoryServicePrincipalSchema).optional(),
  claimsMappingPolicies: z.array(DirectoryClaimsMappingPolicySchema).optional(),
  /** Graph `extensionProperty` definitions (directory extensions registered on applications). */
  extensionProperties: z.array(ExtensionPropertySchema).optional(),
  /**
   * Written by `claimc snapshot` from a Graph export: per resource, the properties the export selected.
   * A property outside its list was not exported, which is not the same as a null value.
   */
  exported: z.record(z.string(), z.array(z.string())).optional(),
});
export type DirectorySnapshot = z.input<typeof DirectorySnapshotSchema>;
export type ParsedDirectorySnapshot = z.output<typeof DirectorySnapshotSchema>;
