import { describe, expect, it } from 'vitest';
import { attributesOf, extensionIdPattern, findAttribute, userAttributes } from './sources.js';
import { findMethod, methodSignatures } from './methods.js';
import { suggest } from '../suggest.js';

describe('source knowledge base', () => {
  it('maps documented user IDs to Graph properties', () => {
    expect(findAttribute('user', 'extensionattribute7')?.read).toEqual({ kind: 'graph', path: ['onPremisesExtensionAttributes', 'extensionAttribute7'] });
    expect(findAttribute('User', 'EmployeeId')?.read).toEqual({ kind: 'graph', path: ['employeeId'] });
    expect(findAttribute('company', 'tenantcountry')?.read).toEqual({ kind: 'graph', path: ['countryLetterCode'] });
    expect(findAttribute('audience', 'tags')?.multiValued).toBe(true);
  });
  it('has 15 extension attributes and unique IDs per source', () => {
    expect(userAttributes.filter((a) => a.id.startsWith('extensionattribute'))).toHaveLength(15);
    for (const source of ['user', 'application', 'company']) {
      const ids = (attributesOf(source) ?? []).map((a) => a.id.toLowerCase());
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
  it('knows no attributes for transformation or unknown sources', () => {
    expect(attributesOf('transformation')).toBeUndefined();
    expect(findAttribute('nope', 'mail')).toBeUndefined();
  });
  it('recognizes directory extension names', () => {
    expect(extensionIdPattern.test('extension_ab8b6b1a2b8f4a9c9e0d1c2b3a4f5e6d_skypeId')).toBe(true);
    expect(extensionIdPattern.test('extension_ab8b6b1a-2b8f-4a9c-9e0d-1c2b3a4f5e6d_skypeId')).toBe(false);
  });
});

describe('method knowledge base', () => {
  it('finds methods case-insensitively and through UI aliases', () => {
    expect(findMethod('join')?.name).toBe('Join');
    expect(findMethod('TOLOWER')?.name).toBe('ToLowercase');
    expect(findMethod('ExtractNumber')?.name).toBe('ExtractNumeric');
    expect(findMethod('Nope')).toBeUndefined();
  });
  it('marks exactly the admin-center functions as extensions (D11)', () => {
    expect(methodSignatures.filter((m) => !m.extension).map((m) => m.name)).toEqual(['Join', 'ExtractMailPrefix', 'ToLowercase', 'ToUppercase', 'RegexReplace', 'CreateStringClaim']);
  });
});

describe('suggest', () => {
  it('proposes the closest candidate or nothing', () => {
    expect(suggest('employeid', ['employeeid', 'mail'])).toBe('employeeid');
    expect(suggest('zzzzzz', ['employeeid', 'mail'])).toBeUndefined();
  });
});
