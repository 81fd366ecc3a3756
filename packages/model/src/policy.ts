import { z } from 'zod';

/**
 * The canonical claims-mapping policy model: the object inside `{"ClaimsMappingPolicy": …}`, with the
 * canonical spellings (entra-semantics.md §1) and normalized values (D1, D2). Front ends (lenient JSON,
 * `.claims`) produce it together with a {@link LocationIndex}; serializing it gives Entra-ready JSON.
 *
 * Normalizations done by front ends: property names to these spellings; `Source` lower-case; source `ID`
 * and `TransformationMethod` and known `TransformationClaimType`/`InputParameters.ID` names to their
 * knowledge-base spelling when known (unknown ones kept as written, so the checker can name them);
 * booleans as JSON booleans. Claim names, `ClaimTypeReferenceId`, transformation `ID`s and values keep
 * their case exactly.
 */
export const InputClaimSchema = z.strictObject({
  ClaimTypeReferenceId: z.string(),
  TransformationClaimType: z.string(),
  TreatAsMultiValue: z.boolean().optional(),
  /** Seen in exports, not modelled (D5). */
  claimTypeReferenceSource: z.string().optional(),
});
export type InputClaim = z.infer<typeof InputClaimSchema>;

/** One constant input of a transformation (`InputParameters[]`). @example InputParameterSchema.parse({ ID: 'separator', Value: '.' }) */
export const InputParameterSchema = z.strictObject({
  ID: z.string(),
  Value: z.string(),
  /** Seen in the Graph CreateStringClaim sample, not modelled (D5). */
  DataType: z.string().optional(),
});
export type InputParameter = z.infer<typeof InputParameterSchema>;

/** Ties a method's output to the ClaimsSchema entry whose ID it names. @example OutputClaimSchema.parse({ ClaimTypeReferenceId: 'JoinedData', TransformationClaimType: 'outputClaim' }) */
export const OutputClaimSchema = z.strictObject({
  ClaimTypeReferenceId: z.string(),
  TransformationClaimType: z.string(),
});
export type OutputClaim = z.infer<typeof OutputClaimSchema>;

/** One `ClaimsTransformation` entry (canonical spelling; `ClaimsTransformations` is read too, D1). @example ClaimsTransformationSchema.parse({ ID: 'T', TransformationMethod: 'Join' }) */
export const ClaimsTransformationSchema = z.strictObject({
  ID: z.string(),
  TransformationMethod: z.string(),
  InputClaims: z.array(InputClaimSchema).optional(),
  InputParameters: z.array(InputParameterSchema).optional(),
  OutputClaims: z.array(OutputClaimSchema).optional(),
});
export type ClaimsTransformation = z.infer<typeof ClaimsTransformationSchema>;

/** One `ClaimsSchema` entry. @example ClaimsSchemaEntrySchema.parse({ Source: 'user', ID: 'mail', JwtClaimType: 'email2' }) */
export const ClaimsSchemaEntrySchema = z.strictObject({
  Source: z.string().optional(),
  ID: z.string().optional(),
  ExtensionID: z.string().optional(),
  Value: z.string().optional(),
  TransformationId: z.string().optional(),
  JwtClaimType: z.string().optional(),
  SamlClaimType: z.string().optional(),
  /** SAML attribute NameFormat, spelled as Entra documents it; `SamlNameFormat` is accepted on input (D1). */
  SAMLNameForm: z.string().optional(),
  /** NameID format seen in exports on the NameID entry (D5); used by SAML issuance. */
  samlNameIdFormat: z.string().optional(),
});
export type ClaimsSchemaEntry = z.infer<typeof ClaimsSchemaEntrySchema>;

/** `GroupFilter` (§6.4; D18 decides the order it applies in). @example GroupFilterSchema.parse({ MatchOn: 'displayname', Type: 'prefix', Value: 'App-' }) */
export const GroupFilterSchema = z.strictObject({
  MatchOn: z.string(),
  Type: z.string(),
  Value: z.string(),
});
export type GroupFilter = z.infer<typeof GroupFilterSchema>;

/** The whole policy object in canonical form; strict, so an unknown property fails. @example ClaimsMappingPolicySchema.parse({ Version: 1 }) */
export const ClaimsMappingPolicySchema = z.strictObject({
  Version: z.number().optional(),
  IncludeBasicClaimSet: z.boolean().optional(),
  ClaimsSchema: z.array(ClaimsSchemaEntrySchema).optional(),
  ClaimsTransformation: z.array(ClaimsTransformationSchema).optional(),
  GroupFilter: GroupFilterSchema.optional(),
  issuerWithApplicationId: z.boolean().optional(),
  audienceOverride: z.string().optional(),
});
/**
 * A claims-mapping policy in canonical form.
 *
 * @example
 * const policy: ClaimsMappingPolicy = {
 *   Version: 1,
 *   IncludeBasicClaimSet: true,
 *   ClaimsSchema: [{ Source: 'user', ID: 'employeeid', JwtClaimType: 'employeeid' }],
 * };
 */
export type ClaimsMappingPolicy = z.infer<typeof ClaimsMappingPolicySchema>;

/** The file form Entra stores: `{"ClaimsMappingPolicy": {...}}`. */
export const ClaimsMappingPolicyDocumentSchema = z.strictObject({ ClaimsMappingPolicy: ClaimsMappingPolicySchema });
export type ClaimsMappingPolicyDocument = z.infer<typeof ClaimsMappingPolicyDocumentSchema>;

/** The order canonical serialization writes properties in (entries, transformations, policy). */
export const canonicalKeyOrder = {
  policy: ['Version', 'IncludeBasicClaimSet', 'ClaimsSchema', 'ClaimsTransformation', 'GroupFilter', 'issuerWithApplicationId', 'audienceOverride'],
  entry: ['Source', 'ID', 'ExtensionID', 'Value', 'TransformationId', 'JwtClaimType', 'SamlClaimType', 'SAMLNameForm', 'samlNameIdFormat'],
  transformation: ['ID', 'TransformationMethod', 'InputClaims', 'InputParameters', 'OutputClaims'],
  inputClaim: ['ClaimTypeReferenceId', 'TransformationClaimType', 'TreatAsMultiValue', 'claimTypeReferenceSource'],
  inputParameter: ['ID', 'Value', 'DataType'],
  outputClaim: ['ClaimTypeReferenceId', 'TransformationClaimType'],
  groupFilter: ['MatchOn', 'Type', 'Value'],
} as const;

/**
 * Every accepted spelling of every property, lower-cased, mapped to its canonical name (D1).
 * Matching is case-insensitive, so only genuinely different words are listed.
 */
export const propertyAliases = {
  policy: {
    version: 'Version',
    includebasicclaimset: 'IncludeBasicClaimSet',
    claimsschema: 'ClaimsSchema',
    claimstransformation: 'ClaimsTransformation',
    claimstransformations: 'ClaimsTransformation',
    groupfilter: 'GroupFilter',
    issuerwithapplicationid: 'issuerWithApplicationId',
    audienceoverride: 'audienceOverride',
  },
  entry: {
    source: 'Source',
    id: 'ID',
    extensionid: 'ExtensionID',
    value: 'Value',
    transformationid: 'TransformationId',
    jwtclaimtype: 'JwtClaimType',
    samlclaimtype: 'SamlClaimType',
    samlnameformat: 'SAMLNameForm',
    samlnameform: 'SAMLNameForm',
    samlnameidformat: 'samlNameIdFormat',
  },
  transformation: {
    id: 'ID',
    transformationmethod: 'TransformationMethod',
    inputclaims: 'InputClaims',
    inputparameters: 'InputParameters',
    outputclaims: 'OutputClaims',
  },
  inputClaim: {
    claimtypereferenceid: 'ClaimTypeReferenceId',
    transformationclaimtype: 'TransformationClaimType',
    treatasmultivalue: 'TreatAsMultiValue',
    claimtypereferencesource: 'claimTypeReferenceSource',
  },
  inputParameter: { id: 'ID', value: 'Value', datatype: 'DataType' },
  outputClaim: { claimtypereferenceid: 'ClaimTypeReferenceId', transformationclaimtype: 'TransformationClaimType' },
  groupFilter: { matchon: 'MatchOn', type: 'Type', value: 'Value' },
} as const satisfies Record<keyof typeof canonicalKeyOrder, Record<string, string>>;

/** Properties seen in real exports that the model keeps or ignores without modelling (D5): info, not warning. */
export const knownUnmodelledProperties = {
  transformation: ['parameters'],
} as const;

/**
 * Serializes a policy in canonical key order, so equal models give byte-equal JSON.
 *
 * @example
 * serializePolicy({ Version: 1, IncludeBasicClaimSet: false }) // '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":false}}'
 */
export function serializePolicy(policy: ClaimsMappingPolicy, indent?: number): string {
  return JSON.stringify({ ClaimsMappingPolicy: orderPolicy(policy) }, null, indent);
}

function ordered<T extends object>(value: T, keys: readonly string[]): T {
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out as T;
}

/** Returns a copy of the policy with every object's keys in canonical order. */
export function orderPolicy(policy: ClaimsMappingPolicy): ClaimsMappingPolicy {
  const k = canonicalKeyOrder;
  return ordered(
    {
      ...policy,
      ClaimsSchema: policy.ClaimsSchema?.map((e) => ordered(e, k.entry)),
      ClaimsTransformation: policy.ClaimsTransformation?.map((t) =>
        ordered(
          {
            ...t,
            InputClaims: t.InputClaims?.map((c) => ordered(c, k.inputClaim)),
            InputParameters: t.InputParameters?.map((p) => ordered(p, k.inputParameter)),
            OutputClaims: t.OutputClaims?.map((c) => ordered(c, k.outputClaim)),
          },
          k.transformation,
        ),
      ),
      GroupFilter: policy.GroupFilter === undefined ? undefined : ordered(policy.GroupFilter, k.groupFilter),
    },
    k.policy,
  );
}
