// The generated policies the check and language-server benches share.

/** n entries and t transformations: a chain of methods, each output feeding the next transformation. */
export function generated(entries, transformations, methods = ['Join', 'ExtractMailPrefix', 'ToLowercase', 'RegexReplace', 'ToUppercase']) {
  const schema = [{ Source: 'user', ID: 'mail', JwtClaimType: 'mail_copy' }];
  const ts = [];
  for (let i = 0; i < transformations; i++) {
    const input = i === 0 ? 'mail' : `out${i - 1}`;
    const method = methods[i % methods.length];
    const t = { ID: `T${i}`, TransformationMethod: method, OutputClaims: [{ ClaimTypeReferenceId: `out${i}`, TransformationClaimType: 'outputClaim' }] };
    if (method === 'Join') Object.assign(t, { InputClaims: [{ ClaimTypeReferenceId: input, TransformationClaimType: 'string1' }], InputParameters: [{ ID: 'string2', Value: 'sandbox' }, { ID: 'separator', Value: '.' }] });
    else if (method === 'RegexReplace') Object.assign(t, { InputClaims: [{ ClaimTypeReferenceId: input, TransformationClaimType: 'sourceClaim' }], InputParameters: [{ ID: 'regex', Value: `(?'local'^[^@]+)@(?i)(contoso${i}\\.com)$` }, { ID: 'replacement', Value: '{local}@fabrikam.com' }] });
    else Object.assign(t, { InputClaims: [{ ClaimTypeReferenceId: input, TransformationClaimType: 'mail' }] });
    ts.push(t);
    schema.push({ Source: 'transformation', ID: `out${i}`, TransformationId: `T${i}`, JwtClaimType: `claim${i}` });
  }
  const attributes = ['employeeid', 'department', 'jobtitle', 'city', 'country', 'companyname', 'officelocation', 'displayname'];
  for (let i = schema.length; i < entries; i++) schema.push({ Source: 'user', ID: attributes[i % attributes.length], JwtClaimType: `attr${i}`, SamlClaimType: `http://schemas.contoso.com/claims/attr${i}` });
  return JSON.stringify({ ClaimsMappingPolicy: { Version: 1, IncludeBasicClaimSet: 'true', ClaimsSchema: schema, ClaimsTransformation: ts } });
}
