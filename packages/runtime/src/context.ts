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

/** The Graph resource kinds an evaluation context is made of, as `--user`, `--tenant`, `--client` files hold them. */
export type GraphResourceKind = 'user' | 'tenant' | 'servicePrincipal';

/**
 * How each kind is told apart from the others: its OData type and entity set (when the file is a Graph
 * response that carries `@odata.type` / `@odata.context`), and properties only another kind of file has.
 */
export const graphResourceKinds: Readonly<Record<GraphResourceKind, { readonly odataType: string; readonly entitySet: string; readonly foreign: readonly string[] }>> = {
  user: { odataType: '#microsoft.graph.user', entitySet: 'users', foreign: ['appId', 'verifiedDomains', 'servicePrincipalType', 'ClaimsMappingPolicy', 'definition', 'users', 'servicePrincipals'] },
  tenant: { odataType: '#microsoft.graph.organization', entitySet: 'organization', foreign: ['appId', 'userPrincipalName', 'servicePrincipalType', 'ClaimsMappingPolicy', 'definition', 'users', 'servicePrincipals'] },
  servicePrincipal: { odataType: '#microsoft.graph.servicePrincipal', entitySet: 'servicePrincipals', foreign: ['userPrincipalName', 'verifiedDomains', 'ClaimsMappingPolicy', 'definition', 'users', 'servicePrincipals'] },
};

/**
 * Why a JSON value is not a Graph resource of the given kind (a policy, a snapshot or another kind of object
 * passed by mistake), or undefined when nothing says so. Compares case-insensitively, as the readers do.
 *
 * @example
 * wrongGraphKind({ ClaimsMappingPolicy: {} }, 'user') // 'it has "ClaimsMappingPolicy", which a user does not have'
 */
export function wrongGraphKind(value: unknown, kind: GraphResourceKind): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const expected = graphResourceKinds[kind];
  const record = value as Record<string, unknown>;
  const odataType = record['@odata.type'];
  if (typeof odataType === 'string' && odataType.toLowerCase() !== expected.odataType.toLowerCase()) return `its @odata.type is ${odataType}, not ${expected.odataType}`;
  const context = record['@odata.context'];
  if (typeof context === 'string') {
    const set = /\$metadata#([A-Za-z]+)/.exec(context)?.[1];
    if (set !== undefined && set.toLowerCase() !== expected.entitySet.toLowerCase()) return `its @odata.context names ${set}, not ${expected.entitySet}`;
  }
  const keys = new Map(Object.keys(record).map((k) => [k.toLowerCase(), k]));
  const found = expected.foreign.map((name) => keys.get(name.toLowerCase())).find((k) => k !== undefined);
  return found === undefined ? undefined : `it has "${found}", which a ${kind === 'servicePrincipal' ? 'service principal' : kind} does not have`;
}

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
