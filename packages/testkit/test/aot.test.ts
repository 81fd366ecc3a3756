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
