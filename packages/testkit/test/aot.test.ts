import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { evaluateJwt, evaluateJwtClaims, evaluateSaml } from '@claimc/runtime/internal';
import type { EvaluationContext } from '@claimc/runtime/internal';
import { compileModel, emitModule, interpretJwt } from '@claimc/compiler';
import { compiledOrThrow, evaluationContext, evaluationPolicy, importGraph, joinTheData, loadAotModule, writeAotModule } from '../src/index.js';

const packagesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Keeps failure messages readable: long generated strings are shown by their head and length. */
const short = (_key: string, value: unknown): unknown => (typeof value === 'string' && value.length > 60 ? `${value.slice(0, 20)}…(${value.length} chars)` : value);

function same(actual: unknown, expected: unknown): void {
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
  expect(actual).toStrictEqual(expected);
}

const seedPolicy = {
  Version: 1,
  IncludeBasicClaimSet: true,
  ClaimsSchema: [
    { Source: 'user', ID: 'extensionattribute1' },
    { Source: 'user', ID: 'mail', JwtClaimType: 'mail2', SamlClaimType: 'http://example.com/claims/mail' },
    { Source: 'transformation', ID: 'DataJoin', TransformationId: 'JoinTheData', JwtClaimType: 'JoinedData' },
    { Source: 'transformation', ID: 'Domain', TransformationId: 'Rx', JwtClaimType: 'domain' },
  ],
  ClaimsTransformation: [
    joinTheData,
    {
      ID: 'Rx',
      TransformationMethod: 'RegexReplace',
      InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'sourceClaim' }],
      InputParameters: [
        { ID: 'regex', Value: '^[^@]*@(?<d>.+)$' },
        { ID: 'replacement', Value: '{d}' },
      ],
      OutputClaims: [{ ClaimTypeReferenceId: 'Domain', TransformationClaimType: 'outputClaim' }],
    },
  ],
};

describe('AOT modules (issue 3 item 4)', () => {
  test('the emitted module imports only @claimc/runtime: no compiler, no syntax, no chevrotain in its import graph', () => {
    const { plan } = compiledOrThrow(compileModel(seedPolicy, new Map()));
    const file = writeAotModule(emitModule(plan, { language: 'js' }));
    const graph = importGraph([file], { workspaceRoot: packagesDir, followPackages: true }).files;
    expect(graph.some((f) => f.includes(join('packages', 'runtime', 'src')))).toBe(true);
    expect(graph.some((f) => f.includes('re2js'))).toBe(true);
    expect(graph.filter((f) => /chevrotain|packages[\\/](compiler|syntax)[\\/]/.test(f))).toEqual([]);
    expect(readFileSync(file, 'utf8')).not.toMatch(/\bnew Function\b|\beval\(/);
  });

  test('TS and JS modules give the same claims as the in-memory plan for the seed policy', async () => {
    const { plan, linked } = compiledOrThrow(compileModel(seedPolicy, new Map()));
    const context: EvaluationContext = { user: { id: 'u1', mail: 'joe@contoso.com', displayName: 'Joe', onPremisesExtensionAttributes: { extensionAttribute1: 'foo@bar.com' } } };
    for (const language of ['js', 'ts'] as const) {
      const module = await loadAotModule(emitModule(plan, { language }), language);
      same(module.evaluateJwt(context), evaluateJwt(linked, context));
      same(module.evaluateJwt(context, { jwtVersion: 1 }), evaluateJwt(linked, context, { jwtVersion: 1 }));
      same(module.evaluateSaml(context), evaluateSaml(linked, context));
      expect(module.evaluateJwt(context).claims).toEqual({ name: 'Joe', mail2: 'joe@contoso.com', JoinedData: 'foo@bar.com.sandbox', domain: 'contoso.com' });
      for (const jwtVersion of [1, 2] as const) same(module.evaluateJwtClaims(context, { jwtVersion }), evaluateJwtClaims(linked, context, { jwtVersion }));
    }
  });

  // The module reads a plain object's properties directly when Object.prototype lacks the key; every other object goes through Object.hasOwn.
  test('only own properties are read, whatever the prototype: custom, null, a polluted Object.prototype, arrays, primitives', async () => {
    const { plan, linked, bound } = compiledOrThrow(compileModel(seedPolicy, new Map()));
    const module = await loadAotModule(emitModule(plan, { language: 'js' }));
    const inherited = Object.create({ displayName: 'inherited', mail: 'in@herited.com', onPremisesExtensionAttributes: { extensionAttribute1: 'x' } }) as Record<string, unknown>;
    inherited['id'] = 'u';
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { id: 'u', displayName: 'Bare', onPremisesExtensionAttributes: Object.assign(Object.create(null) as object, { extensionAttribute1: 'b@bare.com' }) });
    const nested = { id: 'u', displayName: 'Nested', onPremisesExtensionAttributes: Object.create({ extensionAttribute1: 'inherited' }) as object };
    const withProtoKey = JSON.parse('{"id":"u","__proto__":{"displayName":"proto"},"onPremisesExtensionAttributes":["a"]}') as Record<string, unknown>;
    const contexts = [inherited, bare, nested, withProtoKey, ['x'], 'user', 42, null].map((user) => ({ user }) as unknown as EvaluationContext);
    const check = (): void => {
      for (const context of contexts)
        for (const jwtVersion of [1, 2] as const) {
          same(module.evaluateJwt(context, { jwtVersion }), interpretJwt(bound, context, { jwtVersion }));
          same(module.evaluateJwtClaims(context, { jwtVersion }), evaluateJwtClaims(linked, context, { jwtVersion }));
        }
    };
    // warm the module on plain users first, so a later change of Object.prototype meets optimized code
    for (let i = 0; i < 2000; i++) module.evaluateJwtClaims({ user: { id: `u${i}`, displayName: `U${i}`, mail: `u${i}@contoso.com` } });
    check();
    const proto = Object.prototype as Record<string, unknown>;
    proto['displayName'] = 'polluted';
    proto['extensionAttribute1'] = 'polluted';
    try {
      check();
      expect(module.evaluateJwtClaims({ user: { id: 'u' } })['name']).toBeUndefined();
      expect(module.evaluateJwt({ user: { id: 'u', onPremisesExtensionAttributes: {} } }).claims).toEqual({});
    } finally {
      delete proto['displayName'];
      delete proto['extensionAttribute1'];
    }
    expect(module.evaluateJwtClaims({ user: { id: 'u', displayName: 'Back' } })['name']).toBe('Back');
  });

  // evaluateJwtClaims computes strings, lists and undefined instead of absence codes, folds constant Join operands and calls the
  // one-input primitives directly; each such path, the 4,096-character cap after every step, and every options shape against the runtime.
  test('evaluateJwtClaims equals the runtime for chains, caps, lists, non-strings and every options shape', async () => {
    const step = (id: string, method: string, input: string, output: string, parameters: { ID: string; Value: string }[] = [], inputType = 'inputClaim') => ({
      ID: id,
      TransformationMethod: method,
      InputClaims: [{ ClaimTypeReferenceId: input, TransformationClaimType: inputType }],
      ...(parameters.length > 0 ? { InputParameters: parameters } : {}),
      OutputClaims: [{ ClaimTypeReferenceId: output, TransformationClaimType: 'outputClaim' }],
    });
    const policy = {
      Version: 1,
      IncludeBasicClaimSet: true,
      ClaimsSchema: [
        { Source: 'user', ID: 'mail', JwtClaimType: 'mail' },
        { Source: 'user', ID: 'department' },
        { Source: 'transformation', ID: 'prefix', TransformationId: 'P', JwtClaimType: 'prefix' },
        { Source: 'transformation', ID: 'joined', TransformationId: 'J', JwtClaimType: 'joined' },
        { Source: 'transformation', ID: 'upper', TransformationId: 'U', JwtClaimType: 'upper' },
        { Source: 'transformation', ID: 'lower', TransformationId: 'L', JwtClaimType: 'lower' },
        { Source: 'transformation', ID: 'both', TransformationId: 'B', JwtClaimType: 'both' },
        { Source: 'transformation', ID: 'lower', TransformationId: 'L', JwtClaimType: 'upper' },
      ],
      ClaimsTransformation: [
        step('P', 'ExtractMailPrefix', 'mail', 'prefix', [], 'mail'),
        step('J', 'Join', 'prefix', 'joined', [{ ID: 'separator', Value: '.' }, { ID: 'string2', Value: 'sandbox' }], 'string1'),
        step('U', 'ToUppercase', 'joined', 'upper'),
        step('L', 'ToLowercase', 'upper', 'lower'),
        {
          ID: 'B',
          TransformationMethod: 'Join',
          InputClaims: [{ ClaimTypeReferenceId: 'lower', TransformationClaimType: 'string1' }, { ClaimTypeReferenceId: 'department', TransformationClaimType: 'string2' }],
          InputParameters: [{ ID: 'separator', Value: '-' }],
          OutputClaims: [{ ClaimTypeReferenceId: 'both', TransformationClaimType: 'outputClaim' }],
        },
      ],
    };
    const compiled = compiledOrThrow(compileModel(policy, new Map()));
    const module = await loadAotModule(emitModule(compiled.plan, { language: 'js' }));
    const users: unknown[] = [
      { id: 'u', displayName: 'Joe', givenName: 'Joe', surname: 'Smith', mail: 'joe.smith@contoso.com', department: 'Sales' },
      { id: 'u', mail: 'joe@contoso.com' },
      { id: 'u', mail: `${'a'.repeat(4089)}@x.com`, department: 'D' },
      { id: 'u', mail: `${'a'.repeat(4080)}@x.com`, department: 'D' },
      { id: 'u', mail: 'ß'.repeat(2100), department: 'D' },
      { id: 'u', mail: ['first@contoso.com', 'second@contoso.com'], department: ['D1', 'D2'] },
      { id: 'u', mail: 42, department: true, displayName: null },
      { id: 'u', mail: '', department: '' },
      { id: 'u', mail: 'x'.repeat(4097) },
    ];
    for (const user of users)
      for (const options of [undefined, {}, { jwtVersion: undefined }, { jwtVersion: 1 }, { jwtVersion: 2 }, { jwtVersion: 3 }] as const) {
        const context = { user } as unknown as EvaluationContext;
        const claims = module.evaluateJwtClaims(context, options as { jwtVersion?: 1 | 2 });
        const expected = evaluateJwtClaims(compiled.linked, context, options as { jwtVersion?: 1 | 2 });
        same(claims, expected);
        expect(Object.keys(claims)).toEqual(Object.keys(expected));
      }
  });

  // 250 generated policies × 4 generated contexts = 1,000 cases; one module per policy keeps the import cost bounded.
  test('property: the AOT module deep-equals the linked plan and the interpreter (1,000 policy × context cases)', async () => {
    const cases = fc.sample(fc.tuple(evaluationPolicy, fc.array(evaluationContext, { minLength: 4, maxLength: 4 }), fc.constantFrom<1 | 2>(1, 2)), { numRuns: 250, seed: Number(process.env['CLAIMC_SEED'] ?? 20261122) });
    for (const [policy, contexts, jwtVersion] of cases) {
      const { plan, bound, linked } = compiledOrThrow(compileModel(policy, new Map()));
      const module = await loadAotModule(emitModule(plan, { language: 'js' }));
      for (const context of contexts) {
        try {
          same(module.evaluateJwt(context, { jwtVersion }), evaluateJwt(linked, context, { jwtVersion }));
          same(module.evaluateJwt(context, { jwtVersion }), interpretJwt(bound, context, { jwtVersion }));
          same(module.evaluateSaml(context), evaluateSaml(linked, context));
          same(module.evaluateJwtClaims(context, { jwtVersion }), evaluateJwtClaims(linked, context, { jwtVersion }));
          expect(Object.keys(module.evaluateJwtClaims(context, { jwtVersion }))).toEqual(Object.keys(evaluateJwtClaims(linked, context, { jwtVersion })));
        } catch (error) {
          throw new Error(`AOT mismatch (seed ${process.env['CLAIMC_SEED'] ?? 20261122}) for policy ${JSON.stringify(policy, short)} and context ${JSON.stringify(context, short)}`, { cause: error });
        }
      }
    }
  });
});
