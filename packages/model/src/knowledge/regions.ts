/** The regions Entra names in `tenant_region_scope`: the continent of the tenant's country. */
export type TenantRegion = 'AF' | 'AS' | 'EU' | 'NA' | 'OC' | 'SA';

// ISO 3166-1 alpha-2 codes by continent (a test checks this table against the countries-list package); Antarctica has no region.
const countriesByRegion: Readonly<Record<TenantRegion, string>> = {
  AF: 'AC AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TA TD TG TN TZ UG YT ZA ZM ZW',
  AS: 'AE AF AM AZ BD BH BN BT CC CN CX GE HK ID IL IN IO IQ IR JO JP KG KH KP KR KW KZ LA LB LK MM MN MO MV MY NP OM PH PK PS QA RU SA SG SY TH TJ TM TR TW UZ VN YE',
  EU: 'AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS SE SI SJ SK SM UA VA XK',
  NA: 'AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ MS MX NI PA PM PR SV SX TC TT US VC VG VI',
  OC: 'AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TL TO TV UM VU WF WS',
  SA: 'AR BO BR CL CO EC FK GF GY PE PY SR UY VE',
};

/**
 * `tenant_region_scope` by upper-case ISO 3166-1 alpha-2 country code.
 *
 * @example
 * tenantRegionByCountry.get('DE') // 'EU'
 */
export const tenantRegionByCountry: ReadonlyMap<string, TenantRegion> = new Map(
  (Object.entries(countriesByRegion) as [TenantRegion, string][]).flatMap(([region, codes]) => codes.split(' ').map((code) => [code, region] as const)),
);

let codesByEnglishName: Map<string, string> | undefined;

/** The country code of an English country name as Graph writes it (`United States`), from the ICU names Node ships. */
function codeOfName(name: string): string | undefined {
  if (codesByEnglishName === undefined) {
    codesByEnglishName = new Map();
    const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    for (const code of tenantRegionByCountry.keys()) {
      const english = names.of(code);
      if (english !== undefined) codesByEnglishName.set(english.toLowerCase(), code);
    }
  }
  return codesByEnglishName.get(name.trim().toLowerCase());
}

/**
 * The tenant's region as Entra publishes it in `tenant_region_scope` (the optional claim and the openid-configuration
 * document): from the organization's `countryLetterCode`, else its `country` (a code or an English name); undefined
 * when neither names a known country.
 *
 * @example
 * tenantRegionScope({ countryLetterCode: 'US' }) // 'NA'
 * tenantRegionScope({ countryLetterCode: null, country: 'Germany' }) // 'EU'
 */
export function tenantRegionScope(organization: { readonly countryLetterCode?: unknown; readonly country?: unknown }): TenantRegion | undefined {
  for (const value of [organization.countryLetterCode, organization.country]) {
    if (typeof value !== 'string' || value.trim() === '') continue;
    const code = /^[A-Za-z]{2}$/.test(value.trim()) ? value.trim().toUpperCase() : codeOfName(value);
    const region = code === undefined ? undefined : tenantRegionByCountry.get(code);
    if (region !== undefined) return region;
  }
  return undefined;
}
