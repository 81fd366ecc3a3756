import fc from 'fast-check';
import { limits } from '@claimc/model';
import type { EvaluationContext } from '@claimc/runtime/internal';

/** The application ID of the directory extensions the generated policies and contexts use. */
export const extensionAppId = 'b7d8e648520f41d3b9c0fdeb91768a0a';
/** Directory extension names (EXT form) shared by the policy and context generators. */
export const extensionNames: readonly string[] = [`extension_${extensionAppId}_costCenter`, `extension_${extensionAppId}_skills`, `extension_${extensionAppId}_level`];

/** Strings the methods care about: documented examples, separators, case-mapping traps, control characters, lone surrogates. */
const interesting = [
  '',
  'foo@bar.com',
  'joe_smith@contoso.com',
  'a@b@c',
  'no-at-sign',
  'Finance_BSimon_US',
  'BSimon_123',
  '123_BSimon',
  'PleaseExtractThisNow',
  '  padded  ',
  '000420',
  'İstanbul',
  'straße',
  'ÅNGSTRÖM',
  'x\u0000y',
  '\u001f\u007f',
  '\ud800',
  'a\udc00b',
  '😀@mail',
  'contoso.com',
  'corp.contoso.com',
  'US',
];

/**
 * Claim-ish text: documented examples, short strings over a small alphabet rich in separators, full
 * UTF-16 (lone surrogates included), and now and then a value just past `limits.valueLength`.
 *
 * @example
 * fc.sample(claimText, 3)
 */
export const claimText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...interesting) },
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom('a', 'B', 'x', 'X', '@', '_', '.', '-', '1', '9', ' ', 'é', 'İ', 'ß', '\u0000', '\ud800', '😀'), maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(limits.valueLength + 1)) },
  { weight: 1, arbitrary: fc.constant('y'.repeat(limits.valueLength)) },
);

/** A directory value that may be missing: absent (key left out by the record), null, or text. */
const maybeText = fc.option(claimText, { nil: null, freq: 5 });
const textList = fc.option(fc.array(fc.option(claimText, { nil: null, freq: 8 }), { maxLength: 4 }), { nil: null, freq: 6 });

const extensionValue = fc.oneof(claimText, fc.array(claimText, { maxLength: 3 }), fc.integer({ min: -5, max: 100000 }), fc.boolean(), fc.constant(null));

const onPremisesExtensionAttributes = fc.record(Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, maybeText])), { requiredKeys: [] });

/** A Graph `user` with any subset of the properties claims read, directory extensions (some in another case, EXT) and odd types. */
export const graphUser = fc.record(
  {
    id: fc.constant('00000000-0000-0000-0000-0000000000a1'),
    userPrincipalName: maybeText,
    displayName: maybeText,
    givenName: maybeText,
    surname: maybeText,
    mail: maybeText,
    mailNickname: maybeText,
    otherMails: textList,
    proxyAddresses: textList,
    businessPhones: textList,
    mobilePhone: maybeText,
    faxNumber: maybeText,
    department: maybeText,
    jobTitle: maybeText,
    companyName: maybeText,
    employeeId: maybeText,
    officeLocation: maybeText,
    streetAddress: maybeText,
    postalCode: maybeText,
    city: maybeText,
    state: maybeText,
    country: maybeText,
    preferredLanguage: maybeText,
    preferredDataLocation: maybeText,
    userType: maybeText,
    accountEnabled: fc.option(fc.boolean(), { nil: null }),
    consentProvidedForMinor: maybeText,
    createdDateTime: fc.option(fc.constantFrom('2021-01-01T00:00:00Z', '2024-02-29T12:34:56Z'), { nil: null }),
    creationType: maybeText,
    lastPasswordChangeDateTime: fc.option(fc.constant('2025-06-01T08:00:00Z'), { nil: null }),
    onPremisesSamAccountName: maybeText,
    onPremisesSecurityIdentifier: maybeText,
    onPremisesUserPrincipalName: maybeText,
    onPremisesDomainName: maybeText,
    onPremisesImmutableId: maybeText,
    onPremisesSyncEnabled: fc.option(fc.boolean(), { nil: null }),
    onPremisesExtensionAttributes: fc.option(onPremisesExtensionAttributes, { nil: null, freq: 4 }),
    [extensionNames[0] as string]: extensionValue,
    [extensionNames[1] as string]: extensionValue,
    [extensionNames[2] as string]: extensionValue,
    // EXT: the read is case-sensitive, so this differently-cased key must never be picked up.
    [`extension_${extensionAppId}_CostCenter`]: claimText,
  },
  { requiredKeys: ['id'] },
);

const servicePrincipal = (id: string) =>
  fc.record({ id: fc.constant(id), appId: fc.constant(id.replace('0000', 'a0a0')), displayName: maybeText, tags: textList }, { requiredKeys: ['id', 'appId'] });

/**
 * A whole evaluation context: user, tenant, client/resource/audience service principals, assigned
 * roles and groups, each possibly missing.
 *
 * @example
 * fc.assert(fc.property(evaluationContext, (ctx) => typeof ctx === 'object'));
 */
export const evaluationContext: fc.Arbitrary<EvaluationContext> = fc.record(
  {
    user: graphUser,
    tenant: fc.record({ id: fc.constant('tenant-1'), countryLetterCode: maybeText, displayName: maybeText }, { requiredKeys: ['id'] }),
    client: servicePrincipal('00000000-0000-0000-0000-00000000c11e'),
    resource: servicePrincipal('00000000-0000-0000-0000-0000000000r5'),
    audience: servicePrincipal('00000000-0000-0000-0000-0000000000ad'),
    assignedRoles: fc.array(claimText, { maxLength: 3 }),
    groups: fc.array(fc.constantFrom('g1', 'g2', 'Finance-Admins', 'sales_eu'), { maxLength: 4 }),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<EvaluationContext>;
