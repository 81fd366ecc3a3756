import { describe, expect, it } from 'vitest';
import { attributesOf, canonicalAttributeId, extensionIdPattern, findAttribute, sourceNames, userAttributes } from './sources.js';
import { canonicalInputName, canonicalOutputName, findMethod, findMethodInput, methodSignatures } from './methods.js';
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

describe('canonical names (one spelling for every reader and bind)', () => {
  const spellings = (name: string): string[] => [name, name.toUpperCase(), name.toLowerCase(), name[0]!.toUpperCase() + name.slice(1)];
  it('every known source ID, however spelt, gets its table spelling; an unknown ID stays as written', () => {
    for (const source of sourceNames) {
      for (const attribute of attributesOf(source) ?? []) {
        for (const spelt of spellings(attribute.id)) {
          expect(canonicalAttributeId(source.toUpperCase(), spelt)).toBe(attribute.id);
          expect(findAttribute(source, spelt)).toBe(attribute);
        }
      }
      expect(canonicalAttributeId(source, 'NotAnAttribute')).toBe('NotAnAttribute');
    }
    expect(canonicalAttributeId('transformation', 'Mail')).toBe('Mail');
  });
  it('every input and output name of every method, however spelt, gets its table spelling; others stay as written', () => {
    for (const method of methodSignatures) {
      for (const input of method.inputs) for (const spelt of spellings(input.name)) {
        expect(canonicalInputName(method, spelt)).toBe(input.name);
        expect(findMethodInput(method, spelt)).toBe(input);
      }
      for (const output of method.outputs) for (const spelt of spellings(output)) expect(canonicalOutputName(method, spelt)).toBe(output);
      expect(canonicalInputName(method, 'Group1')).toBe('Group1');
      expect(canonicalOutputName(method, 'Other')).toBe('Other');
    }
    expect(canonicalInputName(undefined, 'SourceClaim')).toBe('SourceClaim');
  });
});
