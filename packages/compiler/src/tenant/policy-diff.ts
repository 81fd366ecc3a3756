import type { ClaimsMappingPolicy, ClaimsSchemaEntry } from '@claimc/model';

/** What changed between two policies, claim by claim. */
export type StaticChangeKind = 'basic-set' | 'setting' | 'added' | 'removed' | 'renamed' | 'source-changed' | 'transformation-changed';

/** One static difference; entry indexes point into each policy's ClaimsSchema (for file:line). */
export interface StaticChange {
  readonly kind: StaticChangeKind;
  /** The claim (the new name for a rename), or the setting's name. */
  readonly claim: string;
  readonly before?: string;
  readonly after?: string;
  readonly oldEntry?: number;
  readonly newEntry?: number;
}

/** The claim name an entry emits (JWT first, else SAML), or undefined for an input-only entry. */
function claimName(entry: ClaimsSchemaEntry): string | undefined {
  return entry.JwtClaimType ?? entry.SamlClaimType;
}

/**
 * Where an entry's value comes from, as one readable line: `user.employeeid`, `"constant"`,
 * `Join(user.givenname, user.surname, separator: ".")`. Transformations are described through their inputs,
 * so a change anywhere in the chain changes the description.
 */
export function describeSource(policy: ClaimsMappingPolicy, entry: ClaimsSchemaEntry, depth = 0): string {
  if (entry.Value !== undefined) return JSON.stringify(entry.Value);
  if (entry.TransformationId !== undefined) {
    const transformation = (policy.ClaimsTransformation ?? []).find((t) => t.ID === entry.TransformationId);
    if (transformation === undefined) return `${entry.TransformationId}(?)`;
    if (depth > 8) return `${transformation.TransformationMethod}(…)`;
    const inputs = (transformation.InputClaims ?? []).map((input) => {
      const source = (policy.ClaimsSchema ?? []).find((e) => e.ID === input.ClaimTypeReferenceId && e !== entry);
      return source === undefined ? input.ClaimTypeReferenceId : describeSource(policy, source, depth + 1);
    });
    const parameters = (transformation.InputParameters ?? []).map((p) => `${p.ID}: ${JSON.stringify(p.Value)}`);
    return `${transformation.TransformationMethod}(${[...inputs, ...parameters].join(', ')})`;
  }
  const source = entry.Source ?? '?';
  return `${source}.${entry.ExtensionID ?? entry.ID ?? '?'}`;
}

/**
 * The static difference of two policies: the basic set toggled, other settings changed, and per claim —
 * added, removed, renamed (same source, new name), source changed, transformation changed. Claims are matched
 * by name first, then unmatched ones by identical source.
 *
 * @example
 * diffPolicies({ Version: 1, ClaimsSchema: [{ Source: 'user', ID: 'mail', JwtClaimType: 'email' }] },
 *              { Version: 1, ClaimsSchema: [{ Source: 'user', ID: 'mail', JwtClaimType: 'mail' }] })
 * // [{ kind: 'renamed', claim: 'mail', before: 'email', after: 'mail', oldEntry: 0, newEntry: 0 }]
 */
export function diffPolicies(before: ClaimsMappingPolicy, after: ClaimsMappingPolicy): StaticChange[] {
  const changes: StaticChange[] = [];
  const basic = (p: ClaimsMappingPolicy): string => (p.IncludeBasicClaimSet === true ? 'included' : 'omitted');
  if (basic(before) !== basic(after)) changes.push({ kind: 'basic-set', claim: 'IncludeBasicClaimSet', before: basic(before), after: basic(after) });
  const settings = ['issuerWithApplicationId', 'audienceOverride', 'GroupFilter'] as const;
  for (const name of settings) {
    const a = JSON.stringify(before[name] ?? null);
    const b = JSON.stringify(after[name] ?? null);
    if (a !== b) changes.push({ kind: 'setting', claim: name, before: a, after: b });
  }
  const emitting = (p: ClaimsMappingPolicy) =>
    (p.ClaimsSchema ?? []).flatMap((entry, index) => {
      const name = claimName(entry);
      return name === undefined ? [] : [{ name, index, source: describeSource(p, entry), transformed: entry.TransformationId !== undefined }];
    });
  const olds = emitting(before);
  const news = emitting(after);
  const matchedNew = new Set<number>();
  const unmatchedOld: typeof olds = [];
  for (const old of olds) {
    const same = news.find((n) => n.name === old.name && !matchedNew.has(n.index));
    if (same === undefined) {
      unmatchedOld.push(old);
      continue;
    }
    matchedNew.add(same.index);
    if (same.source !== old.source) {
      changes.push({ kind: old.transformed || same.transformed ? 'transformation-changed' : 'source-changed', claim: old.name, before: old.source, after: same.source, oldEntry: old.index, newEntry: same.index });
    }
  }
  for (const old of unmatchedOld) {
    const renamed = news.find((n) => !matchedNew.has(n.index) && n.source === old.source && !olds.some((o) => o.name === n.name));
    if (renamed !== undefined) {
      matchedNew.add(renamed.index);
      changes.push({ kind: 'renamed', claim: renamed.name, before: old.name, after: renamed.name, oldEntry: old.index, newEntry: renamed.index });
    } else {
      changes.push({ kind: 'removed', claim: old.name, before: old.source, oldEntry: old.index });
    }
  }
  for (const n of news) if (!matchedNew.has(n.index)) changes.push({ kind: 'added', claim: n.name, after: n.source, newEntry: n.index });
  return changes;
}

/** Per claim name, the sources of every entry emitting it, in order (JWT and SAML names alike). */
function signatures(policy: ClaimsMappingPolicy): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of policy.ClaimsSchema ?? []) {
    for (const name of [entry.JwtClaimType, entry.SamlClaimType]) {
      if (name === undefined) continue;
      const source = describeSource(policy, entry) + `|${entry.SAMLNameForm ?? ''}`;
      out.set(name, out.has(name) ? `${out.get(name)!}\u0000${source}` : source);
    }
  }
  return out;
}

/**
 * Both policies cut down to the claims whose entries differ, for comparing many users: a claim whose entries are
 * the same in both yields the same value for every user, so only the others need evaluating. Entries that emit
 * nothing (transformation inputs) and every transformation stay. Undefined when the cut is not safe: the basic set
 * or a setting changes, or a policy is past the 50-entry limit (where positions decide what is emitted).
 *
 * @example
 * const reduced = reduceForDiff(before, after); // { before, after, claims: ['dept', 'department'] }
 */
export function reduceForDiff(before: ClaimsMappingPolicy, after: ClaimsMappingPolicy): { before: ClaimsMappingPolicy; after: ClaimsMappingPolicy; claims: string[] } | undefined {
  const changes = diffPolicies(before, after);
  if (changes.some((c) => c.kind === 'basic-set' || c.kind === 'setting')) return undefined;
  if ((before.ClaimsSchema ?? []).length > 50 || (after.ClaimsSchema ?? []).length > 50) return undefined;
  const a = signatures(before);
  const b = signatures(after);
  const changed = new Set<string>();
  for (const [name, source] of a) if (b.get(name) !== source) changed.add(name);
  for (const [name, source] of b) if (a.get(name) !== source) changed.add(name);
  // an entry kept for one changed name also emits its other names: those are compared too, on both sides
  const namesOf = (entry: ClaimsSchemaEntry): string[] => [entry.JwtClaimType, entry.SamlClaimType].filter((n): n is string => n !== undefined);
  const all = [...(before.ClaimsSchema ?? []), ...(after.ClaimsSchema ?? [])].map(namesOf);
  for (let grew = true; grew; ) {
    grew = false;
    for (const names of all) {
      if (!names.some((n) => changed.has(n))) continue;
      for (const n of names) if (!changed.has(n)) grew = changed.add(n) !== undefined;
    }
  }
  const cut = (policy: ClaimsMappingPolicy): ClaimsMappingPolicy => {
    const entries = (policy.ClaimsSchema ?? []).filter((entry) => {
      const names = namesOf(entry);
      return names.length === 0 || names.some((n) => changed.has(n));
    });
    const kept = new Set(entries.map((e) => e.ID));
    // a transformation stays while one of its outputs is a kept entry
    const transformations = (policy.ClaimsTransformation ?? []).filter((t) => (t.OutputClaims ?? []).some((o) => kept.has(o.ClaimTypeReferenceId)));
    return { ...policy, ClaimsSchema: entries, ...(policy.ClaimsTransformation !== undefined ? { ClaimsTransformation: transformations } : {}) };
  };
  return { before: cut(before), after: cut(after), claims: [...changed].sort() };
}
