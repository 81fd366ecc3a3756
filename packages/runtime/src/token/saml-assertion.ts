import { samlNameIdentifierClaim, samlNameIdFormats, samlNameRestriction } from '@claimc/model';
import { ClaimcRuntimeError } from '../errors.js';
import type { SamlAttribute } from '../evaluate.js';
import type { IndexedDirectory } from '../directory/indexed.js';
import { samlUris, tokenLifetimes } from './claim-sets.js';
import { checkAssignment, decideSigningKey, type SigningKeyChoice } from './gating.js';
import { groupClaimConfig, resolveGroups, resolveWids } from './groups.js';
import { defaultSamlBasic, pairwiseSubject, tokenIssuer } from './issued-claims.js';
import { guestIdp, optionalClaimValues } from './optional.js';
import { noAbsences } from './policy-port.js';
import { digestInput, gatherFacts, optionalClaimsOf, type Facts, type IssuerOptions, type TokenRequest } from './request.js';
import { assertSamlText, assertSamlUri } from './saml-xml.js';
import { bytesToGuid, sha256 } from './sha256.js';

// A SAML 2.0 assertion, assembled directly per request (unsigned; @claimc/saml signs it): basic < optional < policy
// attributes by name, then the attributes Entra issues.

/** A SAML 2.0 assertion before serialization (always unsigned here). */
export interface AssembledSaml {
  readonly format: 'saml';
  readonly id: string;
  readonly issuer: string;
  readonly audience: string;
  readonly issueInstant: string;
  readonly notBefore: string;
  readonly notOnOrAfter: string;
  readonly nameId: { readonly value: string; readonly format: string };
  readonly attributes: readonly SamlAttribute[];
  readonly signingKey: SigningKeyChoice;
  readonly absent: readonly { readonly name: string; readonly reason: string }[];
}

/** Assembles the SAML assertion of a request whose clock `checkNow` accepted. */
export function assembleSamlToken(directory: IndexedDirectory, request: TokenRequest, options: IssuerOptions): AssembledSaml {
  const facts = gatherFacts(directory, request, options);
  if (facts.user !== undefined) checkAssignment(facts.target, facts.user);
  return assembleSaml(facts);
}

/** Adds an attribute, or replaces the one of the same name in its place (a later source wins, the first position stays). */
function mergeAttribute(list: SamlAttribute[], attribute: SamlAttribute): void {
  const at = list.findIndex((a) => a.name === attribute.name);
  if (at === -1) list.push(attribute);
  else list[at] = attribute;
}

function assembleSaml(facts: Facts): AssembledSaml {
  const { request, user, client, tid, directory } = facts;
  const digest = sha256(`${digestInput(facts)}${request.now}|${request.nonce ?? ''}`);
  const u = user!;
  const settings = facts.settings;
  const identifierUri = client.application?.identifierUris?.[0];
  let audience = identifierUri ?? `spn:${client.appId}`;
  // seed 002: gating covers SAML too — a policy needs a custom signing key, or acceptMappedClaims with a GUID or verified-domain audience
  const signingKey: SigningKeyChoice = decideSigningKey(directory, client, audience, request.now, client.policy !== undefined);
  // decideSigningKey picks the application key exactly when one is valid at `now`
  const hasCustomKey = signingKey.kind === 'application';
  let issuer = tokenIssuer(tid, 1, facts.options);
  if (hasCustomKey && settings !== undefined) {
    if (settings.issuerWithApplicationId) issuer += client.appId;
    if (settings.audienceOverride !== undefined) audience = settings.audienceOverride;
  }
  const evaluation = client.policy?.port.evaluateSaml(facts.context);
  const attributes: SamlAttribute[] = [];
  for (const attribute of evaluation !== undefined ? evaluation.basic : defaultSamlBasic(user)) mergeAttribute(attributes, attribute);
  const optionalClaims = optionalClaimsOf(client, 'saml');
  for (const [name, value] of optionalClaimValues(optionalClaims, { directory, user, format: 'saml', tokenType: 'saml', version: 2, now: request.now, appId: client.appId })) {
    mergeAttribute(attributes, { name, values: Array.isArray(value) ? (value as string[]) : [String(value)] });
  }
  for (const attribute of evaluation?.policy ?? []) {
    if (samlNameRestriction(attribute.name, hasCustomKey) !== undefined) {
      throw new ClaimcRuntimeError('ERR_RESTRICTED_CLAIM', `policy evaluation produced the restricted SAML attribute ${JSON.stringify(attribute.name)}; issuance fails closed (threats N4)`);
    }
    mergeAttribute(attributes, attribute);
  }
  mergeAttribute(attributes, { name: samlUris.tenantId, values: [tid] });
  mergeAttribute(attributes, { name: samlUris.objectId, values: [u.user.id] });
  mergeAttribute(attributes, { name: samlUris.identityProvider, values: [guestIdp(u) ?? tokenIssuer(tid, 1, facts.options)] });
  mergeAttribute(attributes, { name: samlUris.authnMethods, values: [samlUris.passwordMethod] });
  const groupsConfig = groupClaimConfig(client.application?.groupMembershipClaims, optionalClaims.find((c) => c.name === 'groups'));
  const groups = resolveGroups(u, client, groupsConfig, settings?.groupFilter, 150);
  if (groups.kind === 'overage') mergeAttribute(attributes, { name: samlUris.groupsLink, values: [`https://graph.windows.net/${tid}/users/${u.user.id}/getMemberObjects`] });
  else if (groups.kind === 'list' && !groupsConfig.emitAsRoles) mergeAttribute(attributes, { name: samlUris.groups, values: [...groups.values] });
  const roles = groupsConfig.emitAsRoles ? (groups.kind === 'list' ? groups.values : []) : facts.roles;
  if (roles.length > 0) mergeAttribute(attributes, { name: samlUris.role, values: [...roles] });
  const wids = resolveWids(u, groupsConfig);
  if (wids.length > 0) mergeAttribute(attributes, { name: samlUris.wids, values: [...wids] });

  const nameId = samlNameId(facts, evaluation);
  const instant = (seconds: number): string => new Date(seconds * 1000).toISOString();
  const assertion: AssembledSaml = {
    format: 'saml',
    id: '_' + bytesToGuid(digest),
    issuer,
    audience,
    issueInstant: instant(request.now),
    notBefore: instant(request.now),
    notOnOrAfter: instant(request.now + (request.lifetimeSeconds ?? tokenLifetimes.saml)),
    nameId,
    attributes,
    signingKey,
    absent: evaluation?.absent ?? noAbsences,
  };
  assertSamlText('Issuer', assertion.issuer);
  assertSamlUri('Audience', assertion.audience);
  assertSamlText('NameID', nameId.value);
  assertSamlUri('NameID Format', nameId.format);
  for (const attribute of attributes) {
    assertSamlText('attribute name', attribute.name);
    if (attribute.nameFormat !== undefined) assertSamlUri(`NameFormat of ${attribute.name}`, attribute.nameFormat);
    for (const value of attribute.values) assertSamlText(attribute.name, value);
  }
  return assertion;
}


/** NameID (§3.5): the policy's nameidentifier entry; a policy entry that yields nothing → persistent pairwise ID; else UPN as emailAddress. */
function samlNameId(facts: Facts, evaluation: { readonly nameId?: { readonly value: string; readonly format?: string }; readonly absent: readonly { readonly name: string }[] } | undefined): { value: string; format: string } {
  const user = facts.user!;
  if (evaluation?.nameId !== undefined) return { value: evaluation.nameId.value, format: evaluation.nameId.format ?? samlNameIdFormats.unspecified };
  if (evaluation?.absent.some((a) => a.name === samlNameIdentifierClaim) === true) {
    return { value: pairwiseSubject(facts.tid, facts.client.appId, user.user.id), format: samlNameIdFormats.persistent };
  }
  return { value: user.user.userPrincipalName ?? user.user.id, format: samlNameIdFormats.emailAddress };
}
