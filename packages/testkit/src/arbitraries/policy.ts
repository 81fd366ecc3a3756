import fc from 'fast-check';
import {
  attributesOf,
  canonicalKeyOrder,
  methodSignatures,
  propertyAliases,
  samlNameFormatValues,
  samlNameIdFormats,
  groupFilterMatchOn,
  groupFilterTypes,
  type ClaimsMappingPolicy,
  type ClaimsSchemaEntry,
  type ClaimsTransformation,
  type InputClaim,
  type InputParameter,
  type MethodInput,
  type OutputClaim,
} from '@claimc/model';

/** Sources with directory attributes (everything but `transformation`). */
const dataSources = ['user', 'application', 'resource', 'audience', 'company'] as const;

/** Claim names: unrestricted, ASCII, with a small pool so duplicates (D9) happen often. */
const claimNameArb = fc.oneof(
  fc.constantFrom('employee_id', 'dept', 'region', 'upn_copy', 'http://contoso.com/claims/role'),
  fc.stringMatching(/^c_[a-z][a-z0-9_]{0,10}$/),
);
const samlTypeArb = fc.oneof(fc.constantFrom('http://schemas.contoso.com/claims/dept', 'urn:contoso:role'), fc.stringMatching(/^http:\/\/contoso\.com\/[a-z]{1,8}$/));
/** Values: any Unicode text, including quotes, backslashes, control characters and astral code points. */
const valueArb = fc.string({
  unit: fc.oneof(fc.constantFrom('"', "'", '\\', '\n', '\t', '{', '}', '@', '$', '`', 'é', '😀', '\u202e'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
  maxLength: 16,
});
const hex32Arb = fc.stringMatching(/^[0-9a-f]{32}$/);

interface EntryPlan {
  readonly kind: 'sourced' | 'extension' | 'static';
  readonly source: (typeof dataSources)[number];
  readonly attribute: number;
  readonly hex: string;
  readonly extensionName: string;
  readonly value: string;
  readonly jwt: string | null;
  readonly saml: string | null;
  readonly nameFormat: number | null;
  readonly nameIdFormat: boolean;
}

const entryPlanArb: fc.Arbitrary<EntryPlan> = fc.record({
  kind: fc.constantFrom('sourced', 'sourced', 'extension', 'static'),
  source: fc.constantFrom(...dataSources),
  attribute: fc.nat(),
  hex: hex32Arb,
  extensionName: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,10}$/),
  value: valueArb,
  jwt: fc.option(claimNameArb),
  saml: fc.option(samlTypeArb),
  nameFormat: fc.option(fc.nat()),
  nameIdFormat: fc.boolean(),
});

interface TransformationPlan {
  readonly method: number;
  /** Coin flips and picks consumed in order while building the transformation. */
  readonly choices: readonly number[];
  readonly values: readonly string[];
  readonly outputJwt: string | null;
}

const transformationPlanArb: fc.Arbitrary<TransformationPlan> = fc.record({
  method: fc.nat(),
  choices: fc.array(fc.nat(), { minLength: 24, maxLength: 24 }),
  values: fc.array(valueArb, { minLength: 8, maxLength: 8 }),
  outputJwt: fc.option(claimNameArb),
});

function buildEntry(plan: EntryPlan): ClaimsSchemaEntry {
  let entry: ClaimsSchemaEntry;
  if (plan.kind === 'sourced') {
    const attributes = attributesOf(plan.source) ?? [];
    entry = { Source: plan.source, ID: attributes[plan.attribute % attributes.length]?.id ?? 'objectid' };
  } else if (plan.kind === 'extension') entry = { Source: 'user', ExtensionID: `extension_${plan.hex}_${plan.extensionName}` };
  else entry = { Value: plan.value };
  if (plan.jwt !== null) entry = { ...entry, JwtClaimType: plan.jwt };
  if (plan.saml !== null) {
    entry = { ...entry, SamlClaimType: plan.saml };
    if (plan.nameFormat !== null) entry = { ...entry, SAMLNameForm: samlNameFormatValues[plan.nameFormat % samlNameFormatValues.length] ?? 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri' };
    if (plan.nameIdFormat) entry = { ...entry, samlNameIdFormat: samlNameIdFormats.emailAddress };
  }
  return entry;
}

function parameterValue(input: MethodInput, value: string, pick: number): string {
  if (input.values !== undefined) return input.values[pick % input.values.length] ?? '';
  if (input.integer === true) return String(pick % 40);
  if (input.name === 'regex') return ['^(?<user>[^@]+)@.*$', '(.*)', '[0-9]+', '^abc$', 'contoso'][pick % 5] ?? '(.*)';
  return value;
}

/** Builds one transformation from a plan: inputs and parameters from its method's signature (D11), claims referencing `sourceIds`. */
function buildTransformation(plan: TransformationPlan, id: string, sourceIds: readonly string[], outputEntryId: string): ClaimsTransformation {
  const method = methodSignatures[plan.method % methodSignatures.length] ?? methodSignatures[0];
  if (method === undefined) throw new Error('methodSignatures is empty');
  let cursor = 0;
  const next = (): number => plan.choices[cursor++ % plan.choices.length] ?? 0;
  const reference = (): string => sourceIds[next() % sourceIds.length] ?? 'missing';
  const claims: InputClaim[] = [];
  const params: InputParameter[] = [];
  let valueIndex = 0;
  for (const input of method.inputs) {
    if (!input.required && next() % 2 === 0) continue;
    const asClaim = input.kind === 'claim' || (input.kind === 'either' && next() % 2 === 0);
    if (asClaim) claims.push({ ClaimTypeReferenceId: reference(), TransformationClaimType: input.name });
    else {
      const param: InputParameter = { ID: input.name, Value: parameterValue(input, plan.values[valueIndex++ % plan.values.length] ?? '', next()) };
      params.push(next() % 5 === 0 ? { ...param, DataType: 'string' } : param);
    }
  }
  if (method.singleInputAnyName === true) claims.push({ ClaimTypeReferenceId: reference(), TransformationClaimType: ['inputClaim', 'value', 'src'][next() % 3] ?? 'src' });
  if (method.extraInputClaims === true) {
    const extras = next() % 3;
    for (let i = 0; i < extras; i++) claims.push({ ClaimTypeReferenceId: reference(), TransformationClaimType: ['dept', 'region', 'code'][i] ?? 'code' });
  }
  // at most one TreatAsMultiValue (D12); sometimes an explicit false elsewhere
  const multi = next() % (claims.length + 2);
  claims.forEach((claim, i) => {
    if (i === multi) claims[i] = { ...claim, TreatAsMultiValue: true };
    else if (next() % 4 === 0) claims[i] = { ...claim, TreatAsMultiValue: false };
    if (next() % 7 === 0) claims[i] = { ...(claims[i] ?? claim), claimTypeReferenceSource: 'user' };
  });
  const outputs: OutputClaim[] = method.outputs.map((name) => ({ ClaimTypeReferenceId: outputEntryId, TransformationClaimType: name }));
  let transformation: ClaimsTransformation = { ID: id, TransformationMethod: method.name };
  if (claims.length > 0) transformation = { ...transformation, InputClaims: claims };
  if (params.length > 0) transformation = { ...transformation, InputParameters: params };
  if (outputs.length > 0) transformation = { ...transformation, OutputClaims: outputs };
  return transformation;
}

export interface PolicyArbitraryOptions {
  readonly maxEntries?: number;
  readonly maxTransformations?: number;
}

/**
 * Valid claims-mapping policies in canonical form: every field, every method with its inputs and
 * parameters from `methodSignatures`, TreatAsMultiValue flags, ExtensionIDs, duplicate claim types,
 * Unicode values; references resolve (each transformation reads existing entries and feeds its own
 * `transformation` entry).
 *
 * @example
 * fc.assert(fc.property(arbitraryPolicy(), (policy) => ClaimsMappingPolicySchema.safeParse(policy).success));
 */
export function arbitraryPolicy(options: PolicyArbitraryOptions = {}): fc.Arbitrary<ClaimsMappingPolicy> {
  return fc
    .record({
      version: fc.boolean(),
      basic: fc.option(fc.boolean()),
      sourced: fc.array(fc.record({ source: fc.constantFrom(...dataSources), attribute: fc.nat() }), { minLength: 1, maxLength: 3 }),
      entries: fc.array(entryPlanArb, { maxLength: options.maxEntries ?? 6 }),
      transformations: fc.array(transformationPlanArb, { maxLength: options.maxTransformations ?? 4 }),
      idSuffix: fc.stringMatching(/^[A-Za-z0-9]{0,4}$/),
      groupFilter: fc.option(fc.record({ matchOn: fc.constantFrom(...groupFilterMatchOn), type: fc.constantFrom(...groupFilterTypes), value: valueArb })),
      issuer: fc.option(fc.boolean()),
      audience: fc.option(fc.webUrl()),
      withSchema: fc.boolean(),
    })
    .map((plan) => {
      const sourcedEntries: ClaimsSchemaEntry[] = plan.sourced.map((s) => {
        const attributes = attributesOf(s.source) ?? [];
        return { Source: s.source, ID: attributes[s.attribute % attributes.length]?.id ?? 'objectid' };
      });
      const sourceIds = [...new Set(sourcedEntries.map((e) => e.ID ?? ''))];
      const schema: ClaimsSchemaEntry[] = [...sourcedEntries, ...plan.entries.map(buildEntry)];
      const transformations: ClaimsTransformation[] = plan.transformations.map((t, i) => {
        const id = `T${i}${plan.idSuffix}`;
        const outputId = `Out${i}${plan.idSuffix}`;
        const transformation = buildTransformation(t, id, sourceIds, outputId);
        const output: ClaimsSchemaEntry = { Source: 'transformation', ID: outputId, TransformationId: id };
        schema.push(t.outputJwt === null ? output : { ...output, JwtClaimType: t.outputJwt });
        return transformation;
      });
      let policy: ClaimsMappingPolicy = plan.version ? { Version: 1 } : {};
      if (plan.basic !== null) policy = { ...policy, IncludeBasicClaimSet: plan.basic };
      if (plan.withSchema || schema.length > sourcedEntries.length) policy = { ...policy, ClaimsSchema: schema };
      if (transformations.length > 0) policy = { ...policy, ClaimsTransformation: transformations };
      if (plan.groupFilter !== null) policy = { ...policy, GroupFilter: { MatchOn: plan.groupFilter.matchOn, Type: plan.groupFilter.type, Value: plan.groupFilter.value } };
      if (plan.issuer !== null) policy = { ...policy, issuerWithApplicationId: plan.issuer };
      if (plan.audience !== null) policy = { ...policy, audienceOverride: plan.audience };
      return policy;
    });
}

/** The three envelopes of D4. */
export type EnvelopeKind = 'raw' | 'graph' | 'powershell';

type Kind = keyof typeof canonicalKeyOrder;

/** Small deterministic PRNG so one integer seed decides every spelling choice (fast-check shrinks and replays the seed). */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % Math.max(1, n)) | 0;
  };
}

/** Rewrites some letters of a JSON string literal as \uXXXX, leaving existing escapes intact. */
function escapeLetters(literal: string, oneIn: number, pick: (n: number) => number): string {
  let out = '';
  for (let i = 0; i < literal.length; i++) {
    const c = literal.charAt(i);
    if (c === '\\') {
      const length = literal.charAt(i + 1) === 'u' ? 6 : 2;
      out += literal.slice(i, i + length);
      i += length - 1;
    } else if (/[A-Za-z:]/.test(c) && i > 0 && i < literal.length - 1 && pick(oneIn) === 0) out += '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
    else out += c;
  }
  return out;
}

function randomCase(word: string, pick: (n: number) => number): string {
  switch (pick(4)) {
    case 0:
      return word;
    case 1:
      return word.toUpperCase();
    case 2:
      return word.toLowerCase();
    default:
      return [...word].map((c) => (pick(2) === 0 ? c.toUpperCase() : c.toLowerCase())).join('');
  }
}

/** Every accepted spelling of a canonical property (D1): the alias words, with the canonical case for the canonical word. */
function spellings(kind: Kind, canonical: string): string[] {
  const words = Object.entries(propertyAliases[kind])
    .filter(([, target]) => target === canonical)
    .map(([word]) => (word === canonical.toLowerCase() ? canonical : word));
  if (canonical === 'JwtClaimType') words.push('JWTClaimType');
  if (canonical === 'TransformationId') words.push('TransformationID');
  if (canonical === 'SAMLNameForm') words.push('SamlNameFormat');
  return words;
}

/** Fields whose values the reader normalizes case-insensitively, so the writer may vary their case. */
const caseFreeValues: Readonly<Partial<Record<Kind, readonly string[]>>> = {
  entry: ['Source'],
  transformation: ['TransformationMethod'],
};

/**
 * Serializes a canonical policy the way people and tools write it: random key case and spelling
 * variants (D1), booleans as strings in any case (D2), random whitespace and key order, random
 * case for values the reader normalizes, in one of the three envelopes (D4). Reading it back must
 * give the same model.
 *
 * @example
 * const text = writePolicyVariant({ Version: 1, IncludeBasicClaimSet: true }, 42, 'graph');
 */
export function writePolicyVariant(policy: ClaimsMappingPolicy, seed: number, envelope: EnvelopeKind): string {
  const pick = prng(seed);
  const space = (): string => [' ', '', '\n  ', '\t', '\r\n'][pick(5)] ?? '';
  // sometimes spell ASCII letters as \u escapes, which the reader must decode (and map)
  const str = (s: string): string => (pick(4) === 0 ? escapeLetters(JSON.stringify(s), 3, pick) : JSON.stringify(s));
  const bool = (b: boolean): string => (pick(2) === 0 ? String(b) : str(randomCase(String(b), pick)));
  const knownAttributeIds = (source: string | undefined): boolean => source !== undefined && attributesOf(source) !== undefined;
  const method = (t: ClaimsTransformation) => methodSignatures.find((m) => m.name === t.TransformationMethod);

  const writeObject = (kind: Kind, obj: Readonly<Record<string, unknown>>, context: { normalizedNames?: readonly string[] } = {}): string => {
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = pick(i + 1);
      [keys[i], keys[j]] = [keys[j] ?? '', keys[i] ?? ''];
    }
    const members = keys.map((key) => {
      const options = spellings(kind, key);
      const spelled = randomCase(options[pick(options.length)] ?? key, pick);
      return `${space()}${str(spelled)}${space()}:${space()}${writeValue(kind, key, obj[key], obj, context)}`;
    });
    return `{${members.join(',')}${space()}}`;
  };

  const writeValue = (kind: Kind, key: string, value: unknown, owner: Readonly<Record<string, unknown>>, context: { normalizedNames?: readonly string[] }): string => {
    if (typeof value === 'boolean') return bool(value);
    if (typeof value === 'number') return String(value);
    if (typeof value === 'string') {
      const free =
        caseFreeValues[kind]?.includes(key) === true ||
        (kind === 'entry' && key === 'ID' && knownAttributeIds(owner['Source'] as string | undefined)) ||
        ((kind === 'inputClaim' || kind === 'outputClaim') && key === 'TransformationClaimType' && context.normalizedNames?.includes(value) === true) ||
        (kind === 'inputParameter' && key === 'ID' && context.normalizedNames?.includes(value) === true);
      return str(free ? randomCase(value, pick) : value);
    }
    if (Array.isArray(value)) {
      const itemKind: Kind =
        key === 'ClaimsSchema' ? 'entry' : key === 'ClaimsTransformation' ? 'transformation' : key === 'InputClaims' ? 'inputClaim' : key === 'InputParameters' ? 'inputParameter' : 'outputClaim';
      let itemContext = context;
      if (kind === 'transformation') {
        const signature = method(owner as ClaimsTransformation);
        const names = key === 'OutputClaims' ? (signature?.outputs ?? []) : (signature?.inputs.map((i) => i.name) ?? []);
        itemContext = { normalizedNames: names };
      }
      return `[${value.map((item) => space() + writeObject(itemKind, item as Record<string, unknown>, itemContext)).join(',')}${space()}]`;
    }
    return writeObject(kind === 'policy' && key === 'GroupFilter' ? 'groupFilter' : kind, value as Record<string, unknown>, context);
  };

  const document = `{${space()}${str(randomCase('ClaimsMappingPolicy', pick))}:${space()}${writeObject('policy', policy)}${space()}}`;
  if (envelope === 'raw') return document;
  if (envelope === 'graph') {
    const escaped = escapeLetters(JSON.stringify(document), 8, pick);
    const members = [`"definition":${space()}[${space()}${escaped}${space()}]`, `"displayName":${space()}"Generated policy"`, `"isOrganizationDefault": false`];
    return `{${space()}${pick(2) === 0 ? members.join(',') : [members[1], members[0], members[2]].join(',')}${space()}}`;
  }
  const quoted = `'${document.replace(/'/g, "''")}'`;
  switch (pick(3)) {
    case 0:
      return `New-MgPolicyClaimMappingPolicy -Definition @(${quoted}) -DisplayName "Generated policy"\n`;
    case 1:
      return `$definition = ${quoted}\nNew-AzureADPolicy -Definition @($definition) \`\n  -DisplayName 'Generated policy' -Type "ClaimsMappingPolicy"`;
    default:
      return document.includes("\n'@") ? `New-MgPolicyClaimMappingPolicy -DisplayName x -Definition ${quoted}` : `$p = @'\n${document}\n'@\nNew-MgPolicyClaimMappingPolicy -DisplayName x -Definition $p`;
  }
}
