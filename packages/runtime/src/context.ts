import { z } from 'zod';

/**
 * The evaluation context: what a policy reads, in Microsoft Graph's own resource shapes so that the
 * output of `GET /users/{id}`, `GET /organization` and `GET /servicePrincipals/{id}` can be pasted in.
 * Extra properties are tolerated (and ignored unless a directory extension names them).
 */
const stringOrNull = z.string().nullable().optional();
const stringList = z.array(z.string()).nullable().optional();

export const OnPremisesExtensionAttributesSchema = z.looseObject(
  Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, stringOrNull])) as Record<string, typeof stringOrNull>,
);

/** Graph `user` (the properties claims can read; `extension_<appid>_<name>` properties ride along). */
export const GraphUserSchema = z.looseObject({
  id: z.string(),
  userPrincipalName: stringOrNull,
  displayName: stringOrNull,
  givenName: stringOrNull,
  surname: stringOrNull,
  mail: stringOrNull,
  mailNickname: stringOrNull,
  otherMails: stringList,
  proxyAddresses: stringList,
  businessPhones: stringList,
  mobilePhone: stringOrNull,
  faxNumber: stringOrNull,
  department: stringOrNull,
  jobTitle: stringOrNull,
  companyName: stringOrNull,
  employeeId: stringOrNull,
  officeLocation: stringOrNull,
  streetAddress: stringOrNull,
  postalCode: stringOrNull,
  city: stringOrNull,
  state: stringOrNull,
  country: stringOrNull,
  preferredLanguage: stringOrNull,
  preferredDataLocation: stringOrNull,
  userType: stringOrNull,
  accountEnabled: z.boolean().nullable().optional(),
  consentProvidedForMinor: stringOrNull,
  createdDateTime: stringOrNull,
  creationType: stringOrNull,
  lastPasswordChangeDateTime: stringOrNull,
  onPremisesSamAccountName: stringOrNull,
  onPremisesSecurityIdentifier: stringOrNull,
  onPremisesUserPrincipalName: stringOrNull,
  onPremisesDomainName: stringOrNull,
  onPremisesImmutableId: stringOrNull,
  onPremisesSyncEnabled: z.boolean().nullable().optional(),
  onPremisesExtensionAttributes: OnPremisesExtensionAttributesSchema.nullable().optional(),
});
export type GraphUser = z.infer<typeof GraphUserSchema>;

/** Graph `organization` (the tenant). */
export const GraphOrganizationSchema = z.looseObject({
  id: z.string(),
  displayName: stringOrNull,
  countryLetterCode: stringOrNull,
  verifiedDomains: z
    .array(z.looseObject({ name: z.string(), isDefault: z.boolean().optional(), isInitial: z.boolean().optional() }))
    .nullable()
    .optional(),
});
export type GraphOrganization = z.infer<typeof GraphOrganizationSchema>;

/** Graph `servicePrincipal` (client, resource or audience). */
export const GraphServicePrincipalSchema = z.looseObject({
  id: z.string(),
  appId: z.string(),
  displayName: stringOrNull,
  tags: stringList,
});
export type GraphServicePrincipal = z.infer<typeof GraphServicePrincipalSchema>;

/**
 * Everything one evaluation reads. `audience` defaults to `resource` when present, otherwise `client`
 * (D16: access tokens are audienced to the resource; ID tokens and SAML to the client).
 *
 * @example
 * const ctx: EvaluationContext = {
 *   user: { id: '00000000-0000-0000-0000-000000000001', employeeId: 'E42' },
 *   tenant: { id: 'contoso-tenant-id', countryLetterCode: 'US' },
 * };
 */
export const EvaluationContextSchema = z.looseObject({
  user: GraphUserSchema.optional(),
  tenant: GraphOrganizationSchema.optional(),
  client: GraphServicePrincipalSchema.optional(),
  resource: GraphServicePrincipalSchema.optional(),
  audience: GraphServicePrincipalSchema.optional(),
  /** Values of the app roles assigned to the user on the audience app (feeds `user.assignedroles`). */
  assignedRoles: z.array(z.string()).optional(),
  /** Object IDs of the user's groups (feeds the undocumented `user.groups` source). */
  groups: z.array(z.string()).optional(),
});
export type EvaluationContext = z.infer<typeof EvaluationContextSchema>;
