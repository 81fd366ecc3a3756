// Inputs the per-token claims benches share (evaluate.bench.mjs, plan-ab.mjs): the generated policies, 64 distinct
// users, and the hand-written baselines an issuer author would write (plain object literals from direct reads).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileRegex, regexReplace } from '@claimc/runtime/internal';

const repo = fileURLToPath(new URL('..', import.meta.url));
const readJson = (name) => JSON.parse(readFileSync(join(repo, 'docs/examples/contexts', name), 'utf8'));

/** 50 entries / 49 transformations: user.mail feeding a chain of five methods, every output a JWT claim. */
export function fiftyFifty() {
  const methods = ['ExtractMailPrefix', 'Join', 'ToLowercase', 'RegexReplace', 'ToUppercase'];
  const schema = [{ Source: 'user', ID: 'mail', JwtClaimType: 'mail_copy' }];
  const transformations = [];
  for (let i = 0; i < 49; i++) {
    const input = i === 0 ? 'mail' : `out${i - 1}`;
    const method = methods[i % 5];
    const t = { ID: `T${i}`, TransformationMethod: method, OutputClaims: [{ ClaimTypeReferenceId: `out${i}`, TransformationClaimType: 'outputClaim' }] };
    if (method === 'Join') Object.assign(t, { InputClaims: [{ ClaimTypeReferenceId: input, TransformationClaimType: 'string1' }], InputParameters: [{ ID: 'string2', Value: 'sandbox' }, { ID: 'separator', Value: '.' }] });
    else if (method === 'RegexReplace') Object.assign(t, { InputClaims: [{ ClaimTypeReferenceId: input, TransformationClaimType: 'sourceClaim' }], InputParameters: [{ ID: 'regex', Value: '\\.sandbox$' }, { ID: 'replacement', Value: `-r${i}` }] });
    else Object.assign(t, { InputClaims: [{ ClaimTypeReferenceId: input, TransformationClaimType: method === 'ExtractMailPrefix' ? 'mail' : 'inputClaim' }] });
    transformations.push(t);
    schema.push({ Source: 'transformation', ID: `out${i}`, TransformationId: `T${i}`, JwtClaimType: `claim${i}` });
  }
  return JSON.stringify({ ClaimsMappingPolicy: { Version: 1, IncludeBasicClaimSet: 'true', ClaimsSchema: schema, ClaimsTransformation: transformations } });
}

/** A policy of `count` user-attribute entries (only the first 50 take effect; the rest are absences resolved at link time). */
export function manyEntries(count) {
  const ids = ['employeeid', 'department', 'jobtitle', 'city', 'officelocation', 'preferredlanguage', 'companyname', 'mail', 'userprincipalname', 'givenname'];
  return JSON.stringify({ ClaimsMappingPolicy: { Version: 1, IncludeBasicClaimSet: 'true', ClaimsSchema: Array.from({ length: count }, (_, i) => ({ Source: 'user', ID: ids[i % ids.length], JwtClaimType: `c${i}` })) } });
}

export const own = (o, k) => (o != null && Object.hasOwn(o, k) ? o[k] : undefined);
export const str = (v) => (typeof v === 'string' && v !== '' ? v : undefined);
export const regional = compileRegex('(?P<user>^.*?)(?i)(@contoso\\.com)$').regex;
export const regionalTemplate = [{ kind: 'group', group: 1 }, { kind: 'text', text: '@' }, { kind: 'input', input: 0 }, { kind: 'text', text: '.contoso.com' }];
export const sandboxSuffix = compileRegex('\\.sandbox$').regex;
export const suffixTemplates = Array.from({ length: 49 }, (_, i) => [{ kind: 'text', text: `-r${i}` }]);
export const none = Object.freeze([]);
export const prefix = (mail) => { const at = mail.lastIndexOf('@'); return at < 0 ? mail : mail.slice(0, at); };

export function handContoso(c) {
  const u = c.user;
  const ext = u.onPremisesExtensionAttributes;
  const mail = u.mail, region = ext?.extensionAttribute3, dept = u.department;
  return {
    name: u.displayName, employee_id: u.employeeId, department: dept, job_title: u.jobTitle, company: u.companyName, city: u.city,
    office: u.officeLocation, locale: u.preferredLanguage, cost_center: ext?.extensionAttribute7, badge: u.extension_ab12cd34ef5678901234567890abcdef_badgeNumber,
    tenant_country: c.tenant.countryLetterCode, client_app: c.client.displayName, erp_realm: 'contoso-erp',
    mail_nickname: mail === undefined ? undefined : prefix(mail), login_name: u.userPrincipalName?.toLowerCase(),
    regional_mail: mail === undefined || region === undefined ? undefined : regexReplace(regional, mail, regionalTemplate, [region]),
    department_tag: dept === undefined ? undefined : dept + '-EU', environment: 'production',
  };
}

// 50/50: straight-line code, as a developer would write the chain out (generated here so the baseline is not a loop).
function fiftySource(safe) {
  const lines = [safe ? 'const mail = str(own(c.user, "mail"));' : 'const mail = c.user.mail;', 'if (mail === undefined) return { name: ' + (safe ? 'str(own(c.user, "displayName"))' : 'c.user.displayName') + ', mail_copy: undefined' + Array.from({ length: 49 }, (_, i) => `, claim${i}: undefined`).join('') + ' };', 'const v_1 = mail;'];
  for (let i = 0; i < 49; i++) {
    const v = `v${i - 1 < 0 ? '_1' : i - 1}`;
    const step = [`prefix(${v})`, `${v} + '.sandbox'`, `${v}.toLowerCase()`, `regexReplace(sandboxSuffix, ${v}, suffixTemplates[${i}], none)`, `${v}.toUpperCase()`][i % 5];
    lines.push(`const v${i} = ${step};`);
  }
  lines.push(`return { name: ${safe ? 'str(own(c.user, "displayName"))' : 'c.user.displayName'}, mail_copy: mail${Array.from({ length: 49 }, (_, i) => `, claim${i}: v${i}`).join('')} };`);
  return lines.join('\n');
}
/** The 50/50 hand function (plain, or through own/str when `safe`), written to a module in `dir` and imported. */
export async function makeHandFifty(dir, safe) {
  const file = join(dir, `hand-fifty-${safe ? 'safe' : 'plain'}.mjs`);
  writeFileSync(file, `export default (prefix, regexReplace, sandboxSuffix, suffixTemplates, none, own, str) => function handFifty(c) {\n${fiftySource(safe)}\n};\n`);
  return (await import(pathToFileURL(file).href)).default(prefix, regexReplace, sandboxSuffix, suffixTemplates, none, own, str);
}

// 64 distinct users (one per iteration, cycling): names, mails, ids, departments, 5–40 groups and 1–3 roles vary;
// every 8th user has no department or job title and every 16th no region, so absent claims are on the path too.
const baseUser = readJson('user.json');
const departments = ['Retail', 'Finance', 'Legal', 'Sales', 'Research', 'Support', 'Operations'];
export const contexts = Array.from({ length: 64 }, (_, i) => {
  const first = `User${i}`, last = ['Vance', 'Bowen', 'Wilber', 'Lee', 'Smith'][i % 5];
  const user = {
    ...baseUser,
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    userPrincipalName: `${first}.${last}@contoso.com`, mail: `${first}.${last}@contoso.com`, displayName: `${first} ${last}`, givenName: first, surname: last,
    employeeId: `E-${1000 + i}`, department: departments[i % departments.length], jobTitle: `Title ${i % 11}`, city: ['Bellevue', 'Paris', 'Oslo'][i % 3],
    officeLocation: `${i}/${2000 + i}`, preferredLanguage: ['en-US', 'fr-FR', 'nb-NO'][i % 3],
    onPremisesExtensionAttributes: { extensionAttribute1: `ext${i}@bar.com`, extensionAttribute3: ['eu', 'us', 'apac'][i % 3], extensionAttribute7: `CC-${4400 + i}` },
    extension_ab12cd34ef5678901234567890abcdef_badgeNumber: `B-${77000 + i}`,
  };
  if (i % 8 === 7) { delete user.department; delete user.jobTitle; }
  if (i % 16 === 15) delete user.onPremisesExtensionAttributes.extensionAttribute3;
  const groups = Array.from({ length: 5 + (i * 7) % 36 }, (_, g) => `a0b1c2d3-0000-4000-8000-${String(g * 64 + i).padStart(12, '0')}`);
  const assignedRoles = ['Reader', 'Writer', 'Admin'].slice(0, 1 + (i % 3));
  // The user as a directory read gives it (JSON.parse of the Graph response): the `delete`s above would otherwise leave
  // dictionary-mode objects, which no directory read produces and which slow every engine's property reads.
  return { user: JSON.parse(JSON.stringify(user)), tenant: readJson('tenant.json'), client: readJson('client.json'), resource: readJson('resource.json'), groups, assignedRoles };
});
