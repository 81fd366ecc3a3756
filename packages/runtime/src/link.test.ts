import { describe, expect, test } from 'vitest';
import { ClaimcRuntimeError } from './errors.js';
import { evaluateJwt, evaluateSaml } from './evaluate.js';
import { linkPlan } from './link.js';
import { samlUris } from './token/claim-sets.js';
import type { LinkedPlan } from './link.js';
import type { PlanDocument } from './plan/schema.js';

const base: PlanDocument = {
  format: 'claimc-plan',
  version: 1,
  settings: { includeBasicClaimSet: false, issuerWithApplicationId: false },
  allowKeyUnlockedSamlNames: false,
  regexes: [],
  jwt: { nodes: [{ op: 'read', source: 'user', path: ['employeeId'] }], basic: [], emits: [{ entry: 0, name: 'employeeid', node: 0 }] },
  saml: { nodes: [{ op: 'read', source: 'user', path: ['employeeId'] }], basic: [], emits: [{ entry: 0, name: 'http://example.com/claims/employeeid', node: 0 }] },
};

function failure(document: unknown): { code: string; pointer: string | undefined } {
  try {
    linkPlan(document as PlanDocument);
  } catch (error) {
    if (error instanceof ClaimcRuntimeError) return { code: error.code, pointer: error.pointer };
    throw error;
  }
  throw new Error('linkPlan accepted the document');
}

describe('linkPlan fails closed on invalid or forged documents (threats N4)', () => {
  test('a wrong version or shape is ERR_PLAN_INVALID with a pointer', () => {
    expect(failure({ ...base, version: 2 })).toEqual({ code: 'ERR_PLAN_INVALID', pointer: '/version' });
    expect(failure({ ...base, jwt: { ...base.jwt, nodes: [{ op: 'eval', code: '1' }] } })).toEqual({ code: 'ERR_PLAN_INVALID', pointer: '/jwt/nodes/0/op' });
  });
  test.each([
    'iss',
    'ISS',
    'xms_cc',
    'extn.badge',
    '__proto__',
    'constructor',
    'cnf.jwk',
    'iss:x',
    'iss/x',
    'iss#x',
    'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
    'http://schemas.microsoft.com/identity/claims/TenantId',
    'http://schemas.microsoft.com/identity/claims/displayname',
  ])('a restricted or prototype JWT name %s is ERR_PLAN_FORGED', (name) => {
    expect(failure({ ...base, jwt: { ...base.jwt, emits: [{ entry: 0, name, node: 0 }] } })).toEqual({ code: 'ERR_PLAN_FORGED', pointer: '/jwt/emits/0/name' });
  });
  test('every claim-type URI the issuer writes into SAML itself is refused as a JWT name', () => {
    const issued = Object.entries(samlUris).filter(([key]) => key !== 'passwordMethod');
    expect(issued.length).toBeGreaterThanOrEqual(9);
    for (const [key, uri] of issued) {
      const name = key === 'extensionPrefix' ? uri + 'skypeId' : uri;
      expect(failure({ ...base, jwt: { ...base.jwt, emits: [{ entry: 0, name, node: 0 }] } }), name).toEqual({ code: 'ERR_PLAN_FORGED', pointer: '/jwt/emits/0/name' });
    }
  });
  test('a key-unlocked SAML name needs allowKeyUnlockedSamlNames (D6)', () => {
    const role = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';
    const document = { ...base, saml: { ...base.saml, emits: [{ entry: 0, name: role, node: 0 }] } };
    expect(failure(document).code).toBe('ERR_PLAN_FORGED');
    expect(() => linkPlan({ ...document, allowKeyUnlockedSamlNames: true })).not.toThrow();
  });
  test('a restricted name as a static absence is harmless and links', () => {
    expect(() => linkPlan({ ...base, jwt: { ...base.jwt, emits: [{ entry: 0, name: 'iss', absent: 'restricted' }] } })).not.toThrow();
  });
  test('forward references, prototype read paths, missing arguments and unknown template groups are ERR_PLAN_FORGED', () => {
    expect(failure({ ...base, jwt: { ...base.jwt, nodes: [{ op: 'first', of: 0 }] } }).code).toBe('ERR_PLAN_FORGED');
    expect(failure({ ...base, jwt: { ...base.jwt, nodes: [{ op: 'read', source: 'user', path: ['__proto__'] }] } }).code).toBe('ERR_PLAN_FORGED');
    expect(failure({ ...base, jwt: { ...base.jwt, nodes: [...base.jwt.nodes, { op: 'call', method: 'Join', args: [{ name: 'string1', node: 0 }] }] } }).code).toBe('ERR_PLAN_FORGED');
    expect(
      failure({ ...base, regexes: ['(?P<a>x)'], jwt: { ...base.jwt, nodes: [...base.jwt.nodes, { op: 'regex', of: 0, multi: false, regex: 0, template: [{ kind: 'group', group: 'b' }], extras: [] }] } }).code,
    ).toBe('ERR_PLAN_FORGED');
    expect(
      failure({ ...base, regexes: ['(?P<a>x)'], jwt: { ...base.jwt, nodes: [...base.jwt.nodes, { op: 'regex', of: 0, multi: false, regex: 0, template: [{ kind: 'input', input: 0 }], extras: [] }] } }).code,
    ).toBe('ERR_PLAN_FORGED');
  });
  test('a pattern re2js rejects or that exceeds the caps is ERR_PLAN_REGEX', () => {
    expect(failure({ ...base, regexes: ['(a'] })).toEqual({ code: 'ERR_PLAN_REGEX', pointer: '/regexes/0' });
    expect(failure({ ...base, regexes: ['a'.repeat(600)] }).code).toBe('ERR_PLAN_REGEX');
    expect(failure({ ...base, regexes: ['(\\w+\\s?){200}'] }).code).toBe('ERR_PLAN_REGEX');
  });
  test('evaluate refuses something that is not a linked plan', () => {
    expect(() => evaluateJwt({ settings: base.settings } as unknown as LinkedPlan, {})).toThrow(expect.objectContaining({ code: 'ERR_PLAN_NOT_LINKED' }));
  });
});

describe('evaluation hygiene (issue 3 item 6)', () => {
  const plan = linkPlan(base);
  test('output maps are fresh null-prototype objects; the plan is frozen', () => {
    const a = evaluateJwt(plan, { user: { id: 'u', employeeId: 'E1' } });
    const b = evaluateJwt(plan, { user: { id: 'u', employeeId: 'E1' } });
    expect(Object.getPrototypeOf(a.claims)).toBeNull();
    expect(Object.getPrototypeOf(a.policy)).toBeNull();
    expect(Object.getPrototypeOf(a.basic)).toBeNull();
    expect(a.claims).not.toBe(b.claims);
    expect(Object.isFrozen(plan)).toBe(true);
  });
  test('only own properties are read: a polluted Object.prototype never leaks into a claim (threats N3)', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto['employeeId'] = 'polluted';
    try {
      expect(evaluateJwt(plan, { user: { id: 'u' } }).claims).toEqual({});
      expect(evaluateSaml(plan, { user: { id: 'u' } }).attributes).toEqual([]);
    } finally {
      delete proto['employeeId'];
    }
  });
  test('the caller\'s arrays are never aliased into the output', () => {
    const roles = ['a', 'b'];
    const rolesPlan = linkPlan({ ...base, jwt: { nodes: [{ op: 'derive', derivation: 'assignedroles' }], basic: [], emits: [{ entry: 0, name: 'r', node: 0 }] } });
    const claims = evaluateJwt(rolesPlan, { assignedRoles: roles }).claims;
    expect(claims['r']).toEqual(['a', 'b']);
    expect(claims['r']).not.toBe(roles);
  });
});
