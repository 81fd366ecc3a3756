import { defaultSnapshot } from '@claimc/cli';

// The well-formed inputs the campaign starts from, one or more per front end; every hostile input is one of
// these with mutations applied. Kept inline so the generator needs no file system.

/** Raw policy JSON (Microsoft's samples plus a RegexReplace and a SAML-heavy policy). */
export const rawPolicyBases: readonly string[] = [
  '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true","ClaimsSchema":[{"Source":"user","ID":"employeeid","SamlClaimType":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/employeeid","JwtClaimType":"employeeid"},{"Source":"company","ID":"tenantcountry","SamlClaimType":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/country","JwtClaimType":"country"}]}}',
  '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true","ClaimsSchema":[{"Source":"user","ID":"extensionattribute1"},{"Source":"transformation","ID":"DataJoin","TransformationId":"JoinTheData","JwtClaimType":"JoinedData"}],"ClaimsTransformations":[{"ID":"JoinTheData","TransformationMethod":"Join","InputClaims":[{"ClaimTypeReferenceId":"extensionattribute1","TransformationClaimType":"string1"}],"InputParameters":[{"ID":"string2","Value":"sandbox"},{"ID":"separator","Value":"."}],"OutputClaims":[{"ClaimTypeReferenceId":"DataJoin","TransformationClaimType":"outputClaim"}]}]}}',
  '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"false","ClaimsSchema":[{"Source":"user","ID":"mail"},{"Source":"user","ID":"department","JwtClaimType":"dept","SamlClaimType":"http://schemas.contoso.com/claims/department"},{"Source":"transformation","ID":"mailPrefix","TransformationId":"Prefix","JwtClaimType":"nick","SamlClaimType":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier","SamlNameIdFormat":"urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"},{"Value":"contoso-erp","JwtClaimType":"realm","SamlClaimType":"http://schemas.contoso.com/claims/realm"}],"ClaimsTransformations":[{"ID":"Prefix","TransformationMethod":"ExtractMailPrefix","InputClaims":[{"ClaimTypeReferenceId":"mail","TransformationClaimType":"mail"}],"OutputClaims":[{"ClaimTypeReferenceId":"mailPrefix","TransformationClaimType":"outputClaim"}]}]}}',
  regexPolicy('(?\'user\'^.*?)(?i)(@contoso\\\\.com)$', '{user}@eu.contoso.com'),
];

/** A policy with one RegexReplace over `user.department` (the pattern is JSON-escaped already). */
export function regexPolicy(pattern: string, replacement: string): string {
  return (
    '{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true","ClaimsSchema":[{"Source":"user","ID":"department"},' +
    '{"Source":"transformation","ID":"rewritten","TransformationId":"Rewrite","JwtClaimType":"rewritten","SamlClaimType":"http://schemas.contoso.com/claims/rewritten"}],' +
    '"ClaimsTransformations":[{"ID":"Rewrite","TransformationMethod":"RegexReplace","InputClaims":[{"ClaimTypeReferenceId":"department","TransformationClaimType":"sourceClaim"}],' +
    `"InputParameters":[{"ID":"regex","Value":"${pattern}"},{"ID":"replacement","Value":"${replacement}"}],` +
    '"OutputClaims":[{"ClaimTypeReferenceId":"rewritten","TransformationClaimType":"outputClaim"}]}]}}'
  );
}

/** `.claims` sources: Microsoft's samples in claimc's language, plus a regex and a SAML NameID policy. */
export const claimsPolicyBases: readonly string[] = [
  'policy "TransformClaimsExample" {\n  basic claims: include\n\n  claim JoinedData = join(user.extensionattribute1, "sandbox", separator: ".") as JoinTheData\n    id DataJoin\n}\n',
  'policy "ExtraClaimsExample" {\n  basic claims: include\n\n  claim employeeid = user.employeeid\n    saml "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/employeeid"\n  claim country = company.tenantcountry\n    saml "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/country"\n}\n',
  'policy "erp" {\n  basic claims: include\n  // comment\n  claim login_name = toLowercase(user.userprincipalname) as LowerUpn\n    id loginName\n  claim regional_mail = regexReplace(user.mail, regex: "(?\'user\'^.*?)(?i)(@contoso\\\\.com)$", replacement: "{user}@{region}.contoso.com", region: user.extensionattribute3) as RegionalAddress\n    id regionalMail\n  claim mail_nickname = extractMailPrefix(user.mail) as ExtractPrefix\n    saml "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier"\n    id mailPrefix\n  claim erp_realm = "contoso-erp"\n    saml "http://schemas.contoso.com/claims/realm"\n}\n',
];

/** A Graph user as `GET /users/{id}` returns it (the evaluation context front end). */
export const contextUserBase = JSON.stringify({
  id: '6f1c2a9e-4b7d-4e2a-9c1f-0d3e5b7a9c11',
  userPrincipalName: 'Adele.Vance@contoso.com',
  displayName: 'Adele Vance',
  givenName: 'Adele',
  surname: 'Vance',
  mail: 'Adele.Vance@contoso.com',
  otherMails: ['adele@fabrikam.com'],
  department: 'Retail',
  jobTitle: 'Retail Manager',
  employeeId: 'E-2041',
  city: 'Bellevue',
  userType: 'Member',
  accountEnabled: true,
  onPremisesExtensionAttributes: { extensionAttribute1: 'ext-one', extensionAttribute3: 'emea' },
});

/** The embedded demo tenant (Graph shapes), as a snapshot file would hold it. */
export const snapshotBase = JSON.stringify(defaultSnapshot);

/** Catastrophic patterns on a backtracking (.NET) engine, plus constructs RE2 refuses. JSON-escaped. */
export const hostilePatterns: readonly string[] = [
  '^(a+)+$',
  '(a|a?)+$',
  '(.*a){12}',
  '(\\\\w+\\\\s?)*$',
  '^(([a-z])+.)+[A-Z]([a-z])+$',
  '(a|aa)+$',
  '^(a?){25}a{25}$',
  '(x+x+)+y',
  '((a*)*)*b',
  '(?=a)a',
  '(a)\\\\1',
  '(?<n>a+)+\\\\k<n>',
  '(?i)(\\\\d+|\\\\w+)*@',
  'a{1001}',
  '('.repeat(600) + 'a' + ')'.repeat(600),
];

/** 64 KiB texts that make the patterns above backtrack on a backtracking engine. */
export const hostileSubjects: readonly string[] = ['a'.repeat(65_535) + '!', 'x'.repeat(65_536), 'a b '.repeat(16_384) + '!', '1'.repeat(65_535) + '@'];
