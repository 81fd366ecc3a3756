import { describe, expect, test } from 'vitest';
import { evaluateJwt } from './evaluate.js';
import { evaluateJwtClaims } from './evaluate-claims.js';
import { linkPlan } from './link.js';
import type { PlanDocument } from './plan/schema.js';

// Basic `name` for both versions, `given_name` for v1 only; two entries emit `dept` (the later one with a value wins); an entry past the limit.
const document: PlanDocument = {
  format: 'claimc-plan',
  version: 1,
  settings: { includeBasicClaimSet: true, issuerWithApplicationId: false },
  allowKeyUnlockedSamlNames: false,
  regexes: [],
  jwt: {
    nodes: [
      { op: 'read', source: 'user', path: ['displayName'] },
      { op: 'read', source: 'user', path: ['givenName'] },
      { op: 'read', source: 'user', path: ['department'] },
      { op: 'read', source: 'user', path: ['jobTitle'] },
    ],
    basic: [
      { name: 'name', versions: [1, 2], node: 0 },
      { name: 'given_name', versions: [1], node: 1 },
    ],
    emits: [
      { entry: 0, name: 'dept', node: 2 },
      { entry: 1, name: 'dept', node: 3 },
      { entry: 50, name: 'late', absent: 'beyond-limit' },
    ],
  },
  saml: { nodes: [], basic: [], emits: [] },
};
const plan = linkPlan(document);

describe('evaluateJwtClaims', () => {
  test('an ordinary object with every possible claim as a key, absent ones undefined, later entries winning', () => {
    const claims = evaluateJwtClaims(plan, { user: { id: 'u', displayName: 'Ann', department: 'HR' } });
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype);
    expect(Object.keys(claims)).toEqual(['name', 'dept']);
    expect(claims).toStrictEqual({ name: 'Ann', dept: 'HR' });
    expect(evaluateJwtClaims(plan, { user: { id: 'u', department: 'HR', jobTitle: 'Nurse' } })).toStrictEqual({ name: undefined, dept: 'Nurse' });
    expect(JSON.stringify(evaluateJwtClaims(plan, { user: { id: 'u' } }))).toBe('{}');
  });

  test('the token version decides the basic claims, as in evaluateJwt', () => {
    const context = { user: { id: 'u', displayName: 'Ann', givenName: 'A' } };
    expect(evaluateJwtClaims(plan, context, { jwtVersion: 1 })).toStrictEqual({ name: 'Ann', given_name: 'A', dept: undefined });
    expect(JSON.parse(JSON.stringify(evaluateJwtClaims(plan, context, { jwtVersion: 1 })))).toEqual({ ...evaluateJwt(plan, context, { jwtVersion: 1 }).claims });
  });

  test('entries that can never emit are resolved at link time: no key, no per-token work', () => {
    expect(Object.keys(evaluateJwtClaims(plan, { user: { id: 'u' } }))).not.toContain('late');
    expect(evaluateJwt(plan, { user: { id: 'u' } }).absent.map((a) => a.name)).toContain('late');
  });

  test('static absences are frozen link-time records, merged into a token\'s absences in entry order', () => {
    const mixed = linkPlan({
      ...document,
      jwt: {
        ...document.jwt,
        basic: [],
        emits: [
          { entry: 0, name: 'dept', node: 2 },
          { entry: 1, name: 'samlOnly', absent: 'not-this-format' },
          { entry: 2, name: 'title', node: 3 },
          { entry: 3, name: 'dept', node: 3 },
          ...Array.from({ length: 100 }, (_, i) => ({ entry: 4 + i, name: `late${i}`, absent: 'beyond-limit' as const })),
        ],
      },
    });
    const late = Array.from({ length: 100 }, (_, i) => ({ name: `late${i}`, entry: 4 + i, reason: 'beyond-limit' }));
    const samlOnly = { name: 'samlOnly', entry: 1, reason: 'not-this-format' };
    // No absence of the token's own: the shared frozen list.
    const none = evaluateJwt(mixed, { user: { id: 'u', department: 'HR', jobTitle: 'Nurse' } }).absent;
    expect(none).toEqual([{ name: 'dept', entry: 0, reason: 'overridden' }, samlOnly, ...late]);
    const all = evaluateJwt(mixed, { user: { id: 'u' } }).absent;
    expect(all).toEqual([{ name: 'dept', entry: 0, reason: 'source-empty' }, samlOnly, { name: 'title', entry: 2, reason: 'source-empty' }, { name: 'dept', entry: 3, reason: 'source-empty' }, ...late]);
    expect(Object.isFrozen(all[1])).toBe(true);
    expect(evaluateJwt(mixed, { user: { id: 'u' } }).absent[1]).toBe(all[1]);
    // Every static absence after every computing entry: the token's absences go in front of one copy of the static list.
    const tail = linkPlan({ ...document, jwt: { ...document.jwt, basic: [], emits: [{ entry: 0, name: 'dept', node: 2 }, { entry: 1, name: 'title', node: 3 }, ...Array.from({ length: 100 }, (_, i) => ({ entry: 2 + i, name: `late${i}`, absent: 'beyond-limit' as const }))] } });
    const shifted = late.map((a) => ({ ...a, entry: a.entry - 2 }));
    expect(evaluateJwt(tail, { user: { id: 'u', department: 'HR' } }).absent).toEqual([{ name: 'title', entry: 1, reason: 'source-empty' }, ...shifted]);
    expect(evaluateJwt(tail, { user: { id: 'u' } }).absent).toEqual([{ name: 'dept', entry: 0, reason: 'source-empty' }, { name: 'title', entry: 1, reason: 'source-empty' }, ...shifted]);
    const shared = evaluateJwt(tail, { user: { id: 'u', department: 'HR', jobTitle: 'Nurse' } }).absent;
    expect(shared).toEqual(shifted);
    expect(Object.isFrozen(shared)).toBe(true);
    expect(evaluateJwt(tail, { user: { id: 'u', department: 'HR', jobTitle: 'Nurse' } }).absent).toBe(shared);
  });

  test('results are fresh: mutating one does not reach the next', () => {
    const first = evaluateJwtClaims(plan, { user: { id: 'u', displayName: 'Ann' } }) as Record<string, unknown>;
    first['name'] = 'changed';
    first['extra'] = 'x';
    expect(evaluateJwtClaims(plan, { user: { id: 'u' } })).toStrictEqual({ name: undefined, dept: undefined });
  });

  // The claims loop and one-input calls do reads, slots and constants inline instead of calling the node's closure.
  const inlined = linkPlan({
    ...document,
    jwt: {
      nodes: [
        { op: 'read', source: 'user', path: ['employeeId'] },
        { op: 'read', source: 'user', path: ['onPremisesExtensionAttributes', 'extensionAttribute1'] },
        { op: 'read', source: 'tenant', path: ['countryLetterCode'] },
        { op: 'call', method: 'ToLowercase', args: [{ name: 'inputClaim', node: 2 }] },
        { op: 'read', source: 'user', path: ['mail'] },
        { op: 'call', method: 'ExtractMailPrefix', args: [{ name: 'mail', node: 4 }] },
        { op: 'call', method: 'Join', args: [{ name: 'string1', node: 4 }, { name: 'separator', value: '.' }, { name: 'string2', value: 'x' }] },
        { op: 'const', value: 'fixed' },
        { op: 'absent', reason: 'no-match' },
      ],
      basic: [],
      emits: [
        { entry: 0, name: 'id', node: 0 },
        { entry: 1, name: 'ext', node: 1 },
        { entry: 2, name: 'country', node: 3 },
        { entry: 3, name: 'nick', node: 5 },
        { entry: 4, name: 'joined', node: 6 },
        { entry: 5, name: 'mail', node: 4 },
        { entry: 6, name: 'fixed', node: 7 },
        { entry: 7, name: 'never', node: 8 },
      ],
    },
  });

  test('inlined reads, shared nodes and constants give what evaluateJwt gives', () => {
    const contexts = [
      { user: { id: 'u', employeeId: 'E1', mail: 'Ann@x.com', onPremisesExtensionAttributes: { extensionAttribute1: 'e' } }, tenant: { id: 't', countryLetterCode: 'US' } },
      { user: { id: 'u', employeeId: 42, onPremisesExtensionAttributes: null } as never, tenant: { id: 't' } },
      { user: { id: 'u', employeeId: ['a', 'b'], onPremisesExtensionAttributes: ['x'] } as never },
      {},
    ];
    for (const context of contexts) {
      const claims = evaluateJwtClaims(inlined, context);
      expect(Object.keys(claims)).toEqual(['id', 'ext', 'country', 'nick', 'joined', 'mail', 'fixed', 'never']);
      expect(JSON.parse(JSON.stringify(claims))).toEqual({ ...evaluateJwt(inlined, context).claims });
    }
    expect(evaluateJwtClaims(inlined, contexts[0] as (typeof contexts)[0])).toStrictEqual({
      id: 'E1', ext: 'e', country: 'us', nick: 'Ann', joined: 'Ann@x.com.x', mail: 'Ann@x.com', fixed: 'fixed', never: undefined,
    });
  });

  test('inlined reads take own properties only: a polluted Object.prototype never reaches a claim', () => {
    const proto = Object.prototype as Record<string, unknown>;
    const polluted = ['employeeId', 'extensionAttribute1', 'onPremisesExtensionAttributes', 'countryLetterCode', 'mail'];
    // Warmed first, so the optimized code (not only the first run) meets the polluted prototype.
    const warm = { user: { id: 'u', employeeId: 'E1', mail: 'a@x.com', onPremisesExtensionAttributes: { extensionAttribute1: 'e' } }, tenant: { id: 't', countryLetterCode: 'US' } };
    for (let i = 0; i < 20_000; i++) {
      evaluateJwtClaims(inlined, warm);
      evaluateJwt(inlined, warm);
    }
    for (const key of polluted) proto[key] = key === 'onPremisesExtensionAttributes' ? { extensionAttribute1: 'polluted' } : 'polluted';
    try {
      const claims = evaluateJwtClaims(inlined, { user: { id: 'u', onPremisesExtensionAttributes: {} }, tenant: { id: 't' } });
      expect(Object.values(claims).filter((v) => v !== undefined)).toEqual(['fixed']);
      expect(evaluateJwtClaims(inlined, { user: { id: 'u' }, tenant: { id: 't' } })['ext']).toBeUndefined();
      expect(Object.values(evaluateJwt(inlined, { user: { id: 'u', onPremisesExtensionAttributes: {} }, tenant: { id: 't' } }).claims)).toEqual(['fixed']);
    } finally {
      for (const key of polluted) delete proto[key];
    }
  });

  test('a policy with many claims: same keys in order, fresh ordinary objects, as evaluateJwt', () => {
    const names = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const many = linkPlan({
      ...document,
      jwt: { nodes: [{ op: 'read', source: 'user', path: ['mail'] }, { op: 'const', value: 'k' }], basic: [], emits: names.map((name, i) => ({ entry: i, name, node: i % 2 })) },
    });
    const first = evaluateJwtClaims(many, { user: { id: 'u', mail: 'a@b' } }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    expect(Object.keys(first)).toEqual(names);
    expect(first).toStrictEqual(Object.fromEntries(names.map((name, i) => [name, i % 2 === 0 ? 'a@b' : 'k'])));
    first['c0'] = 'changed';
    delete first['c1'];
    const second = evaluateJwtClaims(many, { user: { id: 'u' } });
    expect(Object.keys(second)).toEqual(names);
    expect(JSON.parse(JSON.stringify(second))).toEqual({ ...evaluateJwt(many, { user: { id: 'u' } }).claims });
    expect(second['c0']).toBeUndefined();
  });
});
