import { test } from 'vitest';
import { readPolicyClaims } from './read-claims.js';
test('x', () => {
  const r = readPolicyClaims(`// seed
policy "TransformClaimsExample" {
  version: 1
  basic claims: include
  claim JoinedData = join(user.extensionattribute1, "sandbox", separator: ".") as JoinTheData
    id DataJoin
  claim employeeid = user.employeeid
    saml "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/employeeid"
  claim lower = toLowercase(join(user.givenname, user.surname, separator: " "))
  transform T = RegexReplace {
    input sourceClaim = each groups
    param regex = "^x(.*)$"
    output outputClaim = g
  }
  group filter: displayname prefix "Sales-"
}
`);
  console.log(JSON.stringify(r.policy, null, 1), r.diagnostics, [...r.locations.keys()].slice(0, 10));
  const e = readPolicyClaims(`policy {
  claim x = 
  claim y = user.mail saml
  claim z = join(user.a,, )
}`);
  console.log(e.diagnostics);
});
