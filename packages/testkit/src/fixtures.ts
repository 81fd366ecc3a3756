import type { ClaimsTransformation } from '@claimc/model';

/**
 * The documented Join example (entra-semantics §3.1): `extensionattribute1` + "." + "sandbox" into the
 * claim `DataJoin`. Shared by tests that need a small, realistic transformation.
 *
 * @example
 * const policy = { Version: 1, ClaimsSchema: [...], ClaimsTransformation: [joinTheData] };
 */
export const joinTheData: ClaimsTransformation = {
  ID: 'JoinTheData',
  TransformationMethod: 'Join',
  InputClaims: [{ ClaimTypeReferenceId: 'extensionattribute1', TransformationClaimType: 'string1' }],
  InputParameters: [
    { ID: 'string2', Value: 'sandbox' },
    { ID: 'separator', Value: '.' },
  ],
  OutputClaims: [{ ClaimTypeReferenceId: 'DataJoin', TransformationClaimType: 'outputClaim' }],
};
