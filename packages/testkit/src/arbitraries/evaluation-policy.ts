import fc from 'fast-check';
import { assertNever, companyAttributes, methodNames, samlNameFormats, samlNameIdentifierClaim, servicePrincipalAttributes, userAttributes } from '@claimc/model';
import type { ClaimsMappingPolicy, ClaimsSchemaEntry, ClaimsTransformation, MethodName } from '@claimc/model';
import { claimText, extensionNames } from './context.js';

/**
 * Valid claims-mapping policies for the evaluation equivalence tests (issue 3): every Source/ID, directory
 * extensions, Values, every transformation method (admin-center extensions included), chained
 * transformations, TreatAsMultiValue, duplicate claim types (D9, D14), basic-claim overrides (D15), the
 * NameID entry (§3.5) and, now and then, more than 50 entries or transformations (D7).
 * "Valid" means no error under the lenient target; warnings and infos are expected.
 */

const jwtNames = ['c1', 'c2', 'c3', 'employeeid', 'Dept', 'name', 'given_name', 'family_name'];
const samlNames = ['http://example.com/claims/a', 'http://example.com/claims/b', 'http://example.com/claims/c', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname'];
const nameFormats = [samlNameFormats.uri, samlNameFormats.basic, samlNameFormats.unspecified];

const claimTypes = fc.record(
  { JwtClaimType: fc.constantFrom(...jwtNames), SamlClaimType: fc.constantFrom(...samlNames), SAMLNameForm: fc.constantFrom(...nameFormats) },
  { requiredKeys: [] },
).map((t): Partial<ClaimsSchemaEntry> => (t.SamlClaimType === undefined ? { ...(t.JwtClaimType !== undefined ? { JwtClaimType: t.JwtClaimType } : {}) } : t));

const attributeSource = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...userAttributes).map((a) => ({ Source: 'user', ID: a.id, nameId: a.nameIdSource === true })) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('application', 'resource', 'audience'), fc.constantFrom(...servicePrincipalAttributes)).map(([s, a]) => ({ Source: s, ID: a.id, nameId: false })) },
  { weight: 1, arbitrary: fc.constantFrom(...companyAttributes).map((a) => ({ Source: 'company', ID: a.id, nameId: false })) },
);

type DataSpec = { kind: 'attribute'; Source: string; ID: string; nameId: boolean } | { kind: 'extension'; name: string } | { kind: 'value'; value: string };

const dataSpec: fc.Arbitrary<DataSpec> = fc.oneof(
  { weight: 6, arbitrary: attributeSource.map((a) => ({ kind: 'attribute' as const, ...a })) },
  { weight: 2, arbitrary: fc.constantFrom(...extensionNames).map((name) => ({ kind: 'extension' as const, name })) },
  { weight: 2, arbitrary: claimText.map((value) => ({ kind: 'value' as const, value })) },
);

const dataEntry = fc.record({ spec: dataSpec, types: claimTypes, asNameId: fc.boolean() });

/** A transformation described by picks that are resolved against the IDs available when it is placed. */
interface TransformSpec {
  readonly method: MethodName;
  readonly picks: readonly number[];
  readonly choices: readonly number[];
  readonly texts: readonly string[];
  readonly multi: boolean;
  readonly types: Partial<ClaimsSchemaEntry>;
}


const shortText = fc.oneof(fc.constantFrom('', '.', '@', '_', 'sandbox', 'Finance_', '_US', 'x', '0', ' '), fc.string({ unit: fc.constantFrom('a', 'x', '@', '_', '.', '0'), maxLength: 3 }));

const transformSpec: fc.Arbitrary<TransformSpec> = fc.record({
  method: fc.constantFrom(...methodNames),
  picks: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
  choices: fc.array(fc.nat({ max: 9 }), { minLength: 4, maxLength: 4 }),
  texts: fc.array(shortText, { minLength: 3, maxLength: 3 }),
  multi: fc.boolean(),
  types: claimTypes,
});

/** RegexReplace patterns (.NET syntax) with replacements; `{extra}` names the extra input claim. */
const regexCases: readonly { regex: string; replacement: string; extra: boolean }[] = [
  { regex: "(?'user'[^@]+)@(?<domain>.+)", replacement: '{domain}\\{user}', extra: false },
  { regex: '@.+$', replacement: '@contoso.com', extra: false },
  { regex: "(?'domain'^.*?)(?i)(\\@fabrikam\\.com)$", replacement: '{extra}.{domain}@xyz.com', extra: true },
  { regex: 'a', replacement: 'b', extra: false },
  { regex: '(?i)X', replacement: '', extra: false },
  { regex: 'x*', replacement: '-', extra: false },
  { regex: '^(?<first>.)', replacement: '${first}:{extra}', extra: true },
  { regex: '(\\d+)', replacement: '<$1>', extra: false },
];

function build(data: readonly { spec: DataSpec; types: Partial<ClaimsSchemaEntry>; asNameId: boolean }[], transforms: readonly TransformSpec[], includeBasic: boolean | undefined, entryPadding: number, transformPadding: number): ClaimsMappingPolicy {
  const schema: ClaimsSchemaEntry[] = [];
  const ids: string[] = [];
  for (let k = 0; k < entryPadding; k++) schema.push({ Value: `filler${k}`, JwtClaimType: 'fill' });
  data.forEach((d, k) => {
    const nameId = d.asNameId && d.spec.kind === 'attribute' && d.spec.nameId ? { SamlClaimType: samlNameIdentifierClaim } : {};
    const types = { ...d.types, ...nameId };
    if (d.spec.kind === 'attribute') {
      schema.push({ Source: d.spec.Source, ID: d.spec.ID, ...types });
      ids.push(d.spec.ID);
    } else if (d.spec.kind === 'extension') schema.push({ Source: 'user', ExtensionID: d.spec.name, ...types });
    else {
      schema.push({ ID: `v${k}`, Value: d.spec.value, ...types });
      ids.push(`v${k}`);
    }
  });
  const transformations: ClaimsTransformation[] = [];
  const padOutputs: ClaimsSchemaEntry[] = [];
  for (let k = 0; k < transformPadding; k++) {
    transformations.push({ ID: `pad${k}`, TransformationMethod: 'CreateStringClaim', InputParameters: [{ ID: 'value', Value: `p${k}` }], OutputClaims: [{ ClaimTypeReferenceId: `padout${k}`, TransformationClaimType: 'createdClaim' }] });
    padOutputs.push({ Source: 'transformation', ID: `padout${k}`, TransformationId: `pad${k}`, JwtClaimType: 'pad' });
  }
  transforms.forEach((t, k) => {
    const pick = (n: number): string => ids[(t.picks[n] ?? 0) % Math.max(ids.length, 1)] ?? 'unused';
    const choice = (n: number): number => t.choices[n] ?? 0;
    const text = (n: number): string => t.texts[n] ?? '';
    const claim = (type: string, n: number, multi = false) => ({ ClaimTypeReferenceId: pick(n), TransformationClaimType: type, ...(multi ? { TreatAsMultiValue: true } : {}) });
    const param = (id: string, value: string) => ({ ID: id, Value: value });
    const inputs: ClaimsTransformation['InputClaims'] & object = [];
    const params: ClaimsTransformation['InputParameters'] & object = [];
    const either = (name: string, n: number, textIndex: number): void => {
      if (choice(n) % 2 === 0 && ids.length > 0) inputs.push(claim(name, n, t.multi && inputs.every((i) => i.TreatAsMultiValue !== true) && choice(3) % 3 === 0));
      else params.push(param(name, text(textIndex)));
    };
    let method = t.method;
    if (ids.length === 0 && method !== 'CreateStringClaim') method = 'CreateStringClaim';
    switch (method) {
      case 'Join':
        either('string1', 0, 0);
        either('string2', 1, 1);
        if (choice(2) % 3 !== 0) params.push(param('separator', text(2)));
        break;
      case 'ExtractMailPrefix':
        inputs.push(claim('mail', 0, t.multi));
        break;
      case 'ToLowercase':
      case 'ToUppercase':
        inputs.push(claim('inputClaim', 0, t.multi));
        break;
      case 'RegexReplace': {
        const regex = regexCases[choice(0) % regexCases.length] as (typeof regexCases)[number];
        inputs.push(claim('sourceClaim', 0, t.multi));
        if (regex.extra) inputs.push(claim('extra', 1));
        params.push(param('regex', regex.regex), param('replacement', regex.replacement));
        break;
      }
      case 'CreateStringClaim':
        params.push(param('value', text(0)));
        break;
      case 'Contains':
      case 'StartWith':
      case 'EndWith':
        inputs.push(claim('input', 0, t.multi));
        params.push(param('value', text(0)));
        either('output', 1, 1);
        break;
      case 'Extract': {
        const type = (['after', 'before', 'between'] as const)[choice(0) % 3] as string;
        inputs.push(claim('input', 0, t.multi));
        params.push(param('type', type), param('value', text(0) === '' ? '_' : text(0)));
        if (type === 'between') params.push(param('value2', text(1) === '' ? '_' : text(1)));
        break;
      }
      case 'ExtractAlpha':
      case 'ExtractNumeric':
        inputs.push(claim('input', 0, t.multi));
        params.push(param('type', choice(0) % 2 === 0 ? 'prefix' : 'suffix'));
        break;
      case 'IfEmpty':
      case 'IfNotEmpty':
        inputs.push(claim('input', 0, t.multi));
        either('output', 1, 0);
        break;
      case 'Substring':
        inputs.push(claim('input', 0, t.multi));
        params.push(param('index', String(choice(0) % 8)));
        if (choice(1) % 2 === 0) params.push(param('length', String(choice(2))));
        break;
      case 'Trim':
        inputs.push(claim('input', 0, t.multi));
        params.push(param('type', (['leading', 'trailing', 'leadingAndTrailing'] as const)[choice(0) % 3] as string));
        if (choice(1) % 2 === 0) params.push(param('value', text(0) === '' ? '0' : text(0)));
        break;
      default:
        assertNever(method);
    }
    const output = method === 'CreateStringClaim' ? 'createdClaim' : 'outputClaim';
    transformations.push({
      ID: `t${k}`,
      TransformationMethod: method,
      ...(inputs.length > 0 ? { InputClaims: inputs } : {}),
      ...(params.length > 0 ? { InputParameters: params } : {}),
      OutputClaims: [{ ClaimTypeReferenceId: `out${k}`, TransformationClaimType: output }],
    });
    schema.push({ Source: 'transformation', ID: `out${k}`, TransformationId: `t${k}`, ...t.types });
    ids.push(`out${k}`);
  });
  return {
    Version: 1,
    ...(includeBasic !== undefined ? { IncludeBasicClaimSet: includeBasic } : {}),
    ClaimsSchema: [...schema, ...padOutputs],
    ...(transformations.length > 0 ? { ClaimsTransformation: transformations } : {}),
  };
}

/**
 * Valid policies for the equivalence properties.
 *
 * @example
 * fc.assert(fc.property(evaluationPolicy, evaluationContext, (policy, context) => …), { numRuns: 1000 });
 */
export const evaluationPolicy: fc.Arbitrary<ClaimsMappingPolicy> = fc
  .record({
    data: fc.array(dataEntry, { minLength: 1, maxLength: 7 }),
    transforms: fc.array(transformSpec, { maxLength: 6 }),
    includeBasic: fc.option(fc.boolean(), { nil: undefined }),
    entryPadding: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 46, max: 52 }) }),
    transformPadding: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 47, max: 50 }) }),
  })
  .map((r) => build(r.data, r.transforms, r.includeBasic, r.entryPadding, r.transformPadding));
