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

  test('results are fresh: mutating one does not reach the next', () => {
    const first = evaluateJwtClaims(plan, { user: { id: 'u', displayName: 'Ann' } }) as Record<string, unknown>;
    first['name'] = 'changed';
    first['extra'] = 'x';
    expect(evaluateJwtClaims(plan, { user: { id: 'u' } })).toStrictEqual({ name: undefined, dept: undefined });
  });
});
