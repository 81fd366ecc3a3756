import { describe, expect, it } from 'vitest';
import { countries } from 'countries-list';
import { tenantRegionByCountry, tenantRegionScope } from './regions.js';

describe('tenant regions', () => {
  it('every ISO 3166-1 country maps to its continent as the countries-list package records it (Antarctica has no region)', () => {
    const expected = new Map(Object.entries(countries).filter(([, c]) => c.continent !== 'AN').map(([code, c]) => [code, c.continent]));
    expect(new Map([...tenantRegionByCountry].sort())).toEqual(new Map([...expected].sort()));
  });

  it('reads countryLetterCode first, then country as a code or an English name; unknown gives undefined', () => {
    expect(tenantRegionScope({ countryLetterCode: 'US' })).toBe('NA');
    expect(tenantRegionScope({ countryLetterCode: 'de' })).toBe('EU');
    expect(tenantRegionScope({ countryLetterCode: 'JP', country: 'Germany' })).toBe('AS');
    expect(tenantRegionScope({ countryLetterCode: null, country: 'Brazil' })).toBe('SA');
    expect(tenantRegionScope({ country: 'united states' })).toBe('NA');
    expect(tenantRegionScope({ country: 'NZ' })).toBe('OC');
    expect(tenantRegionScope({ countryLetterCode: 'ZZ', country: 'Kenya' })).toBe('AF');
    expect(tenantRegionScope({ countryLetterCode: 'AQ' })).toBeUndefined();
    expect(tenantRegionScope({ country: 'Atlantis' })).toBeUndefined();
    expect(tenantRegionScope({})).toBeUndefined();
  });
});
