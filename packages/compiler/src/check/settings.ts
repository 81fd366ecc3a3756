import { groupFilterMatchOn, groupFilterTypes, limits, suggest } from '@claimc/model';
import type { CheckContext } from './context.js';
import { didYouMean, ptr } from './locate.js';

const absoluteUri = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;

/** Version, audienceOverride, issuerWithApplicationId, GroupFilter (§1.2, §6.4, §8) and the D7 limits. */
export function checkSettings(ctx: CheckContext): void {
  const { policy } = ctx.bound;
  if (policy.Version === undefined) ctx.report('CM4001', {}, ctx.at(''));
  else if (policy.Version !== 1) ctx.report('CM4002', { version: policy.Version }, ctx.at('/Version', ''));

  if (policy.audienceOverride !== undefined && !absoluteUri.test(policy.audienceOverride)) {
    ctx.report('CM4003', { value: policy.audienceOverride }, ctx.at('/audienceOverride', ''));
  }
  if (ctx.options.hasCustomSigningKey !== true) {
    if (policy.issuerWithApplicationId === true) ctx.report('CM4004', { setting: 'issuerWithApplicationId' }, ctx.at('/issuerWithApplicationId', ''));
    if (policy.audienceOverride !== undefined) ctx.report('CM4004', { setting: 'audienceOverride' }, ctx.at('/audienceOverride', ''));
  }

  const filter = policy.GroupFilter;
  if (filter !== undefined) {
    if (!groupFilterMatchOn.includes(filter.MatchOn.toLowerCase())) {
      const at = ctx.at('/GroupFilter/MatchOn', '/GroupFilter');
      ctx.report('CM4005', { value: filter.MatchOn }, at, didYouMean(at, filter.MatchOn, suggest(filter.MatchOn, groupFilterMatchOn)));
    }
    if (!groupFilterTypes.includes(filter.Type.toLowerCase())) {
      const at = ctx.at('/GroupFilter/Type', '/GroupFilter');
      ctx.report('CM4006', { value: filter.Type }, at, didYouMean(at, filter.Type, suggest(filter.Type, groupFilterTypes)));
    }
  }

  // D7: one diagnostic per ignored item, naming it.
  for (const entry of ctx.bound.entries) {
    if (!entry.effective) ctx.report('CM4007', { index: entry.index, limit: limits.claimsSchemaEntries }, ctx.at(ptr('ClaimsSchema', entry.index)));
  }
  for (const t of ctx.bound.transformations) {
    if (!t.effective) ctx.report('CM4008', { id: t.id, limit: limits.transformations }, ctx.at(ptr('ClaimsTransformation', t.index)));
  }
}
