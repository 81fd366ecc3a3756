import type { NameRestriction } from '@claimc/model';
import { jwtNameRestriction, jwtRestrictedPrefixes, restrictedClaimOfUri, samlNameFormats, samlNameFormatValues, samlNameIdentifierClaim, samlNameRestriction, suggestClaimName } from '@claimc/model';
import type { CheckContext } from './context.js';
import { didYouMean, ptr, relatedAt } from './locate.js';

type Format = 'JWT' | 'SAML';

/** Claim names (D6, threats N1–N3), duplicates (D9) and case-only variants (threats N6), SAML NameFormat and NameID (§1.3, §3.5). */
export function checkNames(ctx: CheckContext): void {
  const hasKey = ctx.options.hasCustomSigningKey === true;
  const seen: Record<Format, { exact: Map<string, number>; folded: Map<string, { index: number; name: string }> }> = {
    JWT: { exact: new Map(), folded: new Map() },
    SAML: { exact: new Map(), folded: new Map() },
  };
  for (const { index, entry } of ctx.bound.entries) {
    const claims: [Format, string, string | undefined][] = [
      ['JWT', 'JwtClaimType', entry.JwtClaimType],
      ['SAML', 'SamlClaimType', entry.SamlClaimType],
    ];
    for (const [format, field, name] of claims) {
      if (name === undefined) continue;
      const location = (): ReturnType<CheckContext['at']> => ctx.at(ptr('ClaimsSchema', index, field), ptr('ClaimsSchema', index));
      const restriction = format === 'JWT' ? jwtNameRestriction(name) : samlNameRestriction(name, hasKey);
      if (restriction !== undefined) reportRestriction(ctx, format, name, restriction, location());
      const known = seen[format];
      const earlier = known.exact.get(name);
      if (earlier !== undefined) {
        ctx.report('CM4106', { format, name, other: earlier }, location(), {
          related: relatedAt(ctx.at(ptr('ClaimsSchema', earlier, field), ptr('ClaimsSchema', earlier)), 'first set here'),
        });
      } else {
        known.exact.set(name, index);
        const folded = known.folded.get(name.toLowerCase());
        if (folded !== undefined) {
          ctx.report('CM4107', { format, name, other: folded.name }, location(), {
            related: relatedAt(ctx.at(ptr('ClaimsSchema', folded.index, field), ptr('ClaimsSchema', folded.index)), 'the other spelling'),
          });
        } else known.folded.set(name.toLowerCase(), { index, name });
      }
    }
    if (entry.SAMLNameForm !== undefined && !samlNameFormatValues.some((v) => v.toLowerCase() === entry.SAMLNameForm?.toLowerCase())) {
      const short = Object.entries(samlNameFormats).find(([word]) => entry.SAMLNameForm?.toLowerCase().endsWith(word.toLowerCase()));
      const at = ctx.at(ptr('ClaimsSchema', index, 'SAMLNameForm'), ptr('ClaimsSchema', index));
      ctx.report('CM4401', { value: entry.SAMLNameForm }, at, didYouMean(at, entry.SAMLNameForm, short?.[1]));
    }
  }
  checkNameId(ctx);
}

function reportRestriction(ctx: CheckContext, format: Format, name: string, restriction: NameRestriction | undefined, location: ReturnType<CheckContext['at']>): void {
  const renamed = restriction === 'restricted' || restriction === 'restricted-prefix' || restriction === 'malformed' ? suggestClaimName(name, format === 'JWT' ? 'jwt' : 'saml', ctx.options.hasCustomSigningKey === true) : undefined;
  const rename = renamed === undefined || location === undefined ? {} : { fix: { kind: 'replace' as const, title: `Rename to "${renamed}"`, span: location.span, from: name, to: renamed } };
  switch (restriction) {
    case undefined:
      return;
    case 'prototype-key':
      ctx.report('CM4103', { format, name }, location);
      return;
    case 'malformed':
      ctx.report('CM4104', { format, name }, location, rename);
      return;
    case 'restricted':
      ctx.report('CM4101', { format, name }, location, rename);
      return;
    case 'restricted-prefix': {
      const prefix = jwtRestrictedPrefixes.find((p) => name.toLowerCase().startsWith(p)) ?? '';
      ctx.report('CM4102', { name, prefix }, location, rename);
      return;
    }
    case 'restricted-uri':
      ctx.report('CM4020', { name, claim: restrictedClaimOfUri(name) ?? '' }, location);
      return;
    case 'needs-custom-key':
      ctx.report('CM4105', { name }, location);
      return;
  }
}

const nameIdMethods: ReadonlySet<string> = new Set(['ExtractMailPrefix', 'Join']);

/** §3.5: the NameID comes from an allowed user attribute, a directory extension, or ExtractMailPrefix/Join. */
function checkNameId(ctx: CheckContext): void {
  const nameIdLower = samlNameIdentifierClaim.toLowerCase();
  const domains = ctx.options.verifiedDomains?.map((d) => d.toLowerCase());
  for (const { index, entry, value } of ctx.bound.entries) {
    if (entry.SamlClaimType?.toLowerCase() !== nameIdLower) continue;
    if (value.kind === 'attribute' && !(value.source === 'user' && value.attribute.nameIdSource === true)) {
      ctx.report('CM4402', { source: value.source, id: value.attribute.id }, ctx.at(ptr('ClaimsSchema', index, 'ID'), ptr('ClaimsSchema', index)));
    }
    if (value.kind !== 'transformation') continue;
    const t = ctx.bound.transformations[value.transformation];
    if (t?.method === undefined) continue;
    const methodLocation = ctx.at(ptr('ClaimsTransformation', t.index, 'TransformationMethod'), ptr('ClaimsTransformation', t.index));
    if (!nameIdMethods.has(t.method.name)) {
      ctx.report('CM4403', { method: t.method.name }, ctx.at(ptr('ClaimsSchema', index, 'TransformationId'), ptr('ClaimsSchema', index)), {
        related: relatedAt(methodLocation, 'the transformation'),
      });
      continue;
    }
    if (t.method.name !== 'Join' || domains === undefined) continue;
    const parameters = ctx.bound.policy.ClaimsTransformation?.[t.index]?.InputParameters ?? [];
    const k = parameters.findIndex((p) => p.ID.toLowerCase() === 'string2');
    const suffix = parameters[k]?.Value;
    if (suffix === undefined) continue;
    const domain = suffix.replace(/^[@.]/, '').toLowerCase();
    if (!domains.includes(domain)) {
      ctx.report('CM4404', { value: suffix, domains: (ctx.options.verifiedDomains ?? []).join(', ') || '(none)' }, ctx.at(ptr('ClaimsTransformation', t.index, 'InputParameters', k, 'Value'), ptr('ClaimsTransformation', t.index)), {
        related: relatedAt(ctx.at(ptr('ClaimsSchema', index, 'SamlClaimType')), 'the NameID entry'),
      });
    }
  }
}
