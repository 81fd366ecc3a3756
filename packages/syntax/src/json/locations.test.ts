import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readPolicyJson } from './read-json.js';
import { readPolicy } from '../read.js';

// The location index answers lookups by walking the recorded paths and builds the full map only when
// iterated (bench/json.md); both must give exactly what one eagerly built map would.

const keys = ['Version', 'includebasicclaimset', 'ClaimsSchema', 'claimsSchema', 'ClaimsTransformation', 'ClaimsTransformations', 'Source', 'ID', 'id', 'JwtClaimType', 'SamlClaimType', 'Value', 'TransformationId', 'TransformationMethod', 'InputClaims', 'InputParameters', 'OutputClaims', 'ClaimTypeReferenceId', 'TransformationClaimType', 'TreatAsMultiValue', 'GroupFilter', 'MatchOn', 'Type', 'DataType', 'a/b~c', 'x'];
const scalar = fc.oneof(fc.constantFrom('"user"', '"Join"', '"mail"', '"string1"', '"outputClaim"', '"x"', '"true"'), fc.constant('1'), fc.constant('true'), fc.constant('null'));
const { json } = fc.letrec<{ json: string; object: string; array: string }>((tie) => ({
  json: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('object'), tie('array')),
  object: fc.array(fc.tuple(fc.constantFrom(...keys), tie('json')), { maxLength: 6 }).map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  array: fc.array(tie('json'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`),
}));
/** A policy object whose arrays hold items that map and items that fail (missing required members), so canonical indexes are shared. */
const policyText = fc
  .tuple(json, fc.array(fc.tuple(fc.constantFrom(...keys), json), { maxLength: 8 }), fc.boolean())
  .map(([schema, members, graph]) => {
    const policy = `{"ClaimsSchema":${schema},${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`.replace(',}', '}');
    const bare = `{"ClaimsMappingPolicy":${policy}}`;
    return graph ? JSON.stringify({ definition: [bare], displayName: 'p' }) : bare;
  });

describe('location index', () => {
  it('property: lookups before any iteration equal the fully built map, for every key and near misses (2,000 policies)', () => {
    fc.assert(
      fc.property(policyText, (text) => {
        const built = new Map(readPolicyJson(text).locations);
        const lazy = readPolicyJson(text).locations;
        const probes = new Set(['', '#key', '/', 'ClaimsSchema', '/ClaimsSchema/01', '/ClaimsSchema/-0', '/ClaimsTransformation/1e0']);
        for (const key of built.keys()) {
          probes.add(key).add(key + '#key').add(key.replace(/[0-9]+/, (n) => String(Number(n) + 1))).add(key.toLowerCase());
        }
        for (const key of probes) {
          expect(lazy.get(key), key).toEqual(built.get(key));
          expect(lazy.has(key), key).toBe(built.has(key));
        }
        expect([...lazy]).toEqual([...built]);
        expect(lazy.size).toBe(built.size);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the latest of the items sharing a canonical index (items that fail to map do not count)', () => {
    const text = '{"ClaimsMappingPolicy":{"ClaimsTransformation":[{"ID":"a"},{"ID":"b","TransformationMethod":"Join"},{"TransformationMethod":"Join"},{"ID":"c"}]}}';
    const { locations, policy } = readPolicyJson(text);
    expect(policy?.ClaimsTransformation).toEqual([{ ID: 'b', TransformationMethod: 'Join' }]);
    // "/ClaimsTransformation/1" names the items after "b": the last one that has an ID is the fourth
    expect(locations.get('/ClaimsTransformation/1/ID')?.pointer).toBe('/ClaimsTransformation/3/ID');
    expect(locations.get('/ClaimsTransformation/1/TransformationMethod')?.pointer).toBe('/ClaimsTransformation/2/TransformationMethod');
    expect(locations.get('/ClaimsTransformation/0/ID')?.pointer).toBe('/ClaimsTransformation/1/ID');
    expect(locations.get('/ClaimsTransformation/1')).toBeUndefined();
    expect(locations.get('/ClaimsTransformation/0')?.pointer).toBe('/ClaimsTransformation/1');
  });
});

describe('locateWithin: positions inside a string value, through every envelope', () => {
  const value = 'a\\d(?=x)';
  const policy = JSON.stringify({ ClaimsMappingPolicy: { Version: 1, ClaimsTransformation: [{ ID: 't', TransformationMethod: 'RegexReplace', InputParameters: [{ ID: 'regex', Value: value }] }] } });
  const pointer = '/ClaimsTransformation/0/InputParameters/0/Value';
  const texts = {
    raw: policy,
    graph: JSON.stringify({ definition: [policy], displayName: 'x' }),
    powershell: `New-MgPolicyClaimMappingPolicy -Definition @('${policy.replace(/'/g, "''")}') -DisplayName 'x'`,
    claims: 'policy {\n  claim x = regexReplace(user.mail, regex: "a\\\\d(?=x)", replacement: "y")\n}',
  };
  it.each(Object.entries(texts))('%s', (envelope, text) => {
    const read = readPolicy(text, { fileName: envelope === 'claims' ? 'p.claims' : 'p.json' });
    const at = envelope === 'claims' ? [...read.locations.keys()].find((k) => k.endsWith('/Value') && read.locations.get(k) !== undefined && text.slice(read.locations.get(k)?.span.start, read.locations.get(k)?.span.end).includes('(?=')) : pointer;
    expect(at).toBeDefined();
    const inside = read.locations.locateWithin?.(at as string, 3, 3);
    expect(text.slice(inside?.span.start, inside?.span.end)).toBe('(?=');
    // an empty range still covers something, starting at the escape of the decoded character
    const empty = read.locations.locateWithin?.(at as string, 1, 0);
    expect(text.slice(empty?.span.start, (empty?.span.start ?? 0) + 1)).toBe('\\');
    expect(empty?.span.end ?? 0).toBeGreaterThan(empty?.span.start ?? 0);
  });
});
