import type { ClaimsSchemaEntry } from '@claimc/model';
import { basicClaims, directoryExtensionLength, guidLength, limits, valueLimitOf } from '@claimc/model';
import { issuedJwtClaims, optionalClaimRows } from '@claimc/runtime/internal';
import type { DirectoryApplication, JwtKind } from '@claimc/runtime/internal';
import { parseReplacementTemplate } from '../regex/template.js';
import type { BoundPolicy, BoundValue } from '../bind.js';
import type { CheckContext } from './context.js';
import { ptr } from './locate.js';

/** The header limits a token is compared with: nginx's default header line and Node's default header block. */
export const tokenSizeLimits = [
  { bytes: 8 * 1024, code: 'CM4501', what: "nginx's default header line (8 KB)" },
  { bytes: 16 * 1024, code: 'CM4502', what: "Node's default header limit (16 KB)" },
] as const;

/** UTF-8 bytes per UTF-16 character at most (a BMP character; a surrogate pair is 4 bytes for 2 characters); JSON escapes of `"` and `\` take 2. */
export const bytesPerCharacter = 3;

/** The application settings that change what a token carries, as a Graph `application` lists them. */
export type TokenSizeApplication = Pick<DirectoryApplication, 'optionalClaims' | 'groupMembershipClaims' | 'appRoles' | 'api'>;

/** One claim's share of a bound. `entry` is the ClaimsSchema index for a policy claim. */
export interface ClaimShare {
  readonly claim: string;
  readonly bytes: number;
  readonly entry?: number;
}

/** The largest size a token can reach, in bytes, and what it is made of (largest share first). */
export interface TokenSizeBound {
  readonly token: 'ID token' | 'access token' | 'SAML assertion';
  /** The bound when free text is ASCII (one byte per character), as most directories hold it; shares are in this mode. */
  readonly bytes: number;
  /** The bound when every character of free text takes its UTF-8 maximum. */
  readonly worstBytes: number;
  readonly shares: readonly ClaimShare[];
  /** Claims whose size has no documented limit (left out of `bytes`). */
  readonly unbounded: readonly string[];
}

/** Per-value size: characters that are ASCII by construction, characters of free text, and how many values (`Infinity` when nothing documents the count). */
interface ValueSize {
  readonly ascii: number;
  readonly text: number;
  readonly values: number;
}

/** How free text is counted: `ascii` one byte per character (what most directories hold), `worst` the UTF-8 maximum. */
type TextMode = 'ascii' | 'worst';

// Fixed parts: a compact JWT header `{"typ":"JWT","alg":"RS256","kid":"…","x5t":"…"}` and an RS256 signature with a 2048-bit key.
const jwtHeaderBytes = 120;
const jwtSignatureChars = Math.ceil((2048 / 8) * 4 / 3);
// A signed SAML 2.0 assertion without attributes: issuer, subject, conditions, authentication statement, XML signature with a 2048-bit certificate.
const samlEnvelopeBytes = 4096;
// `<Attribute Name=""><AttributeValue></AttributeValue></Attribute>` and one more `<AttributeValue></AttributeValue>` per extra value.
const samlAttributeBytes = 60;
const samlValueBytes = 33;
// XML escapes `&` as 5 bytes; the worst case for text in an element.
const samlBytesPerCharacter = 5;

/** Character bounds of the claims Entra writes itself, by name. Unlisted issued claims are counted with 256 characters. */
const issuedClaimChars: Readonly<Record<string, number>> = {
  acr: 1, aio: 512, amr: 16, appid: guidLength, appidacr: 1, azp: guidLength, azpacr: 1, email: 254, idp: 256, idtyp: 4, nonce: 256,
  onprem_sid: 184, preferred_username: 113, unique_name: 113, upn: 113, oid: guidLength, rh: 64, tid: guidLength, uti: 22, ver: 3,
  sub: 43, aud: 256, iss: 120, iat: 10, nbf: 10, exp: 10, auth_time: 10, sid: guidLength, acct: 1, ctry: 2, tenant_ctry: 2,
  tenant_region_scope: 2, login_hint: 320, verified_primary_email: 254, verified_secondary_email: 254, xms_edov: 5, xms_pdl: 8,
  xms_pl: 10, xms_tpl: 10, ztdid: guidLength, ipaddr: 45, pwd_exp: 10, pwd_url: 256, in_corp: 5, family_name: 64, given_name: 64,
};
const numericClaims: ReadonlySet<string> = new Set(['iat', 'nbf', 'exp', 'auth_time', 'pwd_exp']);

const base64Length = (bytes: number): number => Math.ceil((bytes * 4) / 3);
const asciiSize = (chars: number, values = 1): ValueSize => ({ ascii: chars, text: 0, values });
const encoder = new TextEncoder();
// Most constants are ASCII: their length is their byte count, without encoding.
const utf8Length = (text: string): number => (/^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).length);
const charBytes = (size: ValueSize, mode: TextMode, perCharacter: number): number => size.ascii + size.text * (mode === 'worst' ? perCharacter : 1);
const jsonValueBytes = (size: ValueSize, mode: TextMode, numeric: boolean): number => {
  const one = charBytes(size, mode, bytesPerCharacter) + (numeric ? 0 : 2);
  return size.values === 1 ? one : 2 + size.values * (one + 1);
};
// Claim names are ASCII (the checker refuses others): `"name":` and a trailing comma.
const jsonClaimBytes = (name: string, size: ValueSize, mode: TextMode, numeric = false): number => name.length + 4 + jsonValueBytes(size, mode, numeric);
const samlClaimBytes = (name: string, size: ValueSize, mode: TextMode): number =>
  samlAttributeBytes + name.length + size.values * charBytes(size, mode, samlBytesPerCharacter) + (size.values - 1) * samlValueBytes;

/** Sizes of the policy's entries, following transformations; each entry computed once, cycles cut at the value cap. */
class EntrySizes {
  private readonly memo = new Map<number, ValueSize>();
  private readonly visiting = new Set<number>();

  constructor(
    private readonly bound: BoundPolicy,
    private readonly groupLimit: number,
    private readonly appRoleCount: number | undefined,
  ) {}

  of(index: number): ValueSize {
    const known = this.memo.get(index);
    if (known !== undefined) return known;
    // A cycle is an error (CM3xxx): such a policy issues no token, and the entry never has a value.
    if (this.visiting.has(index)) return asciiSize(0, 0);
    this.visiting.add(index);
    const value = this.bound.entries[index]?.value ?? { kind: 'unresolved' as const };
    const size = this.valueSize(value);
    this.visiting.delete(index);
    this.memo.set(index, size);
    return size;
  }

  private valueSize(value: BoundValue): ValueSize {
    switch (value.kind) {
      case 'constant':
        // Exact: UTF-8 bytes of the constant, escapes included.
        return asciiSize(utf8Length(JSON.stringify(value.value)) - 2);
      case 'extension':
        return { ascii: 0, text: directoryExtensionLength, values: 1 };
      case 'unresolved':
        return asciiSize(0, 0);
      case 'attribute': {
        const limit = valueLimitOf(value.source, value.attribute.id);
        const id = value.attribute.id.toLowerCase();
        const values = !value.attribute.emitsAllValues ? 1 : id === 'groups' ? this.groupLimit : id === 'assignedroles' ? (this.appRoleCount ?? Infinity) : Infinity;
        return limit.ascii === true ? asciiSize(limit.chars, values) : { ascii: 0, text: limit.chars, values };
      }
      case 'transformation':
        return this.transformationSize(value.transformation);
    }
  }

  private transformationSize(index: number): ValueSize {
    const t = this.bound.transformations[index];
    if (t?.method === undefined) return asciiSize(0, 0);
    const inputs = t.inputs.map((i) => this.of(i.entry));
    const parameters = t.parameters.map((p) => asciiSize(utf8Length(p.value)));
    // The most values of a TreatAsMultiValue input; 1 without one.
    let values = 1;
    let multi = false;
    t.inputs.forEach((input, k) => {
      if (!input.treatAsMultiValue) return;
      const count = (inputs[k] as ValueSize).values;
      values = multi ? Math.max(values, count) : count;
      multi = true;
    });
    const sum = (sizes: readonly ValueSize[]): ValueSize => ({ ascii: sizes.reduce((n, z) => n + z.ascii, 0), text: sizes.reduce((n, z) => n + z.text, 0), values });
    const largest = (sizes: readonly ValueSize[]): ValueSize => sizes.reduce((a, b) => (b.ascii + b.text * bytesPerCharacter > a.ascii + a.text * bytesPerCharacter ? b : a), asciiSize(0));
    // Never more than the runtime's value cap: longer values are absent, never truncated.
    const cap = (size: ValueSize): ValueSize => {
      const ascii = Math.min(size.ascii, limits.valueLength);
      return { ascii, text: Math.min(size.text, limits.valueLength - ascii), values };
    };
    switch (t.method.name) {
      case 'Join':
        return cap(sum([...inputs, ...parameters]));
      case 'CreateStringClaim':
        return cap(largest(parameters));
      case 'RegexReplace': {
        // Unmatched text (n) plus, per match, the template's literal characters and extra inputs, plus every group copy (k·n in all).
        // Matches are at most n + 1 (empty matches in every gap), or 2 when the pattern is anchored at one end.
        const input = inputs[0] ?? asciiSize(0);
        const pattern = t.parameters.find((p) => p.name.toLowerCase() === 'regex')?.value ?? '';
        const parts = t.regex?.replacement?.parts ?? parseReplacementTemplate(t.parameters.find((p) => p.name.toLowerCase() === 'replacement')?.value ?? '');
        const literal = parts.reduce((n, part) => n + (part.kind === 'text' ? utf8Length(part.text) : 0), 0);
        const n = input.ascii + input.text;
        const anchored = !pattern.includes('|') && !/\(\?[a-z]*m/i.test(pattern) && (pattern.startsWith('^') || (pattern.endsWith('$') && !pattern.endsWith('\\$')));
        const shortest = shortestMatch(pattern);
        const matches = Math.min(anchored ? 2 : n + 1, shortest > 0 ? Math.floor(n / shortest) : n + 1);
        const extra = sum(inputs.slice(1));
        const k = parts.filter((part) => part.kind === 'ref').length;
        return cap({ ascii: input.ascii * (1 + k) + matches * (literal + extra.ascii), text: input.text * (1 + k) + matches * extra.text, values });
      }
      default:
        // Every other method returns a part of one input or parameter, or one of them whole (the conditional functions' output).
        return cap(largest([...inputs, ...parameters]));
    }
  }
}

/**
 * A lower bound of the length of any match of a .NET pattern (0 when unsure): literals, escapes, classes and `.`
 * count 1, groups their shortest alternative, `?`/`*`/lazy forms 0, `{m,…}` m times, anchors and look-arounds 0.
 */
export function shortestMatch(pattern: string): number {
  let i = 0;
  const alternatives = (): number => {
    let best = sequence();
    while (pattern[i] === '|') {
      i++;
      best = Math.min(best, sequence());
    }
    return best;
  };
  const sequence = (): number => {
    let total = 0;
    while (i < pattern.length && pattern[i] !== '|' && pattern[i] !== ')') {
      const atom = atomLength();
      total += quantified(atom);
    }
    return total;
  };
  const atomLength = (): number => {
    const c = pattern[i++];
    if (c === '\\') {
      const e = pattern[i++] ?? '';
      if (e === 'p' || e === 'P' || e === 'k') {
        const close = pattern.slice(i).search(/[}>']/);
        i += close < 0 ? pattern.length : close + 1;
        return e === 'k' ? 0 : 1;
      }
      if (e === 'u') i += 4;
      else if (e === 'x') i += 2;
      else if (e === 'c') i += 1;
      // Anchors and back-references (possibly empty) match no fixed length.
      return 'bBAzZG123456789'.includes(e) ? 0 : 1;
    }
    if (c === '^' || c === '$') return 0;
    if (c === '[') {
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
      return 1;
    }
    if (c === '(') {
      let zeroWidth = false;
      if (pattern[i] === '?') {
        const next = pattern[i + 1] ?? '';
        if (next === '=' || next === '!' || (next === '<' && (pattern[i + 2] === '=' || pattern[i + 2] === '!'))) zeroWidth = true;
        else if (next === ':' || next === '>') i += 2;
        else if (next === '<' || next === "'" || next === 'P') {
          const close = next === "'" ? "'" : '>';
          i = pattern.indexOf(close, i + 2) + 1;
          if (i === 0) return 0;
        } else {
          // Inline options `(?i)` are zero-width; `(?i:…)` groups.
          const end = pattern.slice(i).search(/[:)]/);
          if (end < 0) return 0;
          const isGroup = pattern[i + end] === ':';
          i += end + 1;
          if (!isGroup) return 0;
        }
      }
      const inner = alternatives();
      i++;
      return zeroWidth ? 0 : inner;
    }
    return 1;
  };
  const quantified = (atom: number): number => {
    const q = pattern[i];
    let result = atom;
    if (q === '?' || q === '*') {
      i++;
      result = 0;
    } else if (q === '+') i++;
    else if (q === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(pattern.slice(i));
      if (m === null) return atom;
      i += m[0].length;
      result = atom * Number(m[1]);
    } else return atom;
    if (pattern[i] === '?' || pattern[i] === '+') i++;
    return result;
  };
  try {
    const found = alternatives();
    return i >= pattern.length && Number.isFinite(found) ? found : 0;
  } catch {
    return 0;
  }
}

const lower = (s: string | null | undefined): string => (s ?? '').toLowerCase();

/**
 * Upper bounds of the ID token, access token and SAML assertion a policy can produce (JWT as the compact
 * serialization, SAML as the assertion XML), from the documented length of every attribute (Graph limits,
 * directory extensions 256 characters), the group limits before overage, and, when known, the application's
 * optional claims, group claims and app roles.
 *
 * @example
 * const [id] = tokenSizeBounds(bound);
 * id.bytes // e.g. 2931
 */
export function tokenSizeBounds(bound: BoundPolicy, application?: TokenSizeApplication): TokenSizeBound[] {
  return unsortedTokenSizeBounds(bound, application).map(largestFirst);
}

/** The issued claims each JWT kind carries for a user, in table order, with their character bounds (static data, filtered once). */
const issuedRowsByKind = new Map<JwtKind, readonly { readonly name: string; readonly size: ValueSize; readonly numeric: boolean }[]>();
function issuedRowsOf(kind: JwtKind): readonly { readonly name: string; readonly size: ValueSize; readonly numeric: boolean }[] {
  let rows = issuedRowsByKind.get(kind);
  if (rows === undefined) {
    rows = issuedJwtClaims
      .filter((row) => row.kinds.includes(kind) && row.principals.includes('user'))
      .map((row) => ({ name: row.name, size: asciiSize(issuedClaimChars[row.name] ?? 256), numeric: numericClaims.has(row.name) }));
    issuedRowsByKind.set(kind, rows);
  }
  return rows;
}

/** {@link tokenSizeBounds} with each bound's shares in claim order (the checker sorts only a bound it reports). */
function unsortedTokenSizeBounds(bound: BoundPolicy, application?: TokenSizeApplication): TokenSizeBound[] {
  const groupTypes = new Set(lower(application?.groupMembershipClaims).split(',').map((t) => t.trim()));
  const groupsWanted = ['securitygroup', 'applicationgroup', 'all'].some((t) => groupTypes.has(t));
  const rolesWanted = ['directoryrole', 'all'].some((t) => groupTypes.has(t));
  const appRoles = application?.appRoles?.filter((r) => r.isEnabled !== false).length;
  const jwtSizes = new EntrySizes(bound, limits.jwtGroups, appRoles);
  const samlSizes = new EntrySizes(bound, limits.samlGroups, appRoles);
  const optional = (token: 'idToken' | 'accessToken' | 'saml2Token'): string[] => (application?.optionalClaims?.[token] ?? []).map((c) => c.name);
  const issued = (name: string): ValueSize => asciiSize(issuedClaimChars[name] ?? 256);
  const textOf = (source: string, id: string): ValueSize => {
    const limit = valueLimitOf(source, id);
    return limit.ascii === true ? asciiSize(limit.chars) : { ascii: 0, text: limit.chars, values: 1 };
  };

  const jwt = (token: 'ID token' | 'access token', kinds: readonly JwtKind[], optionalNames: readonly string[]): TokenSizeBound => {
    let best: TokenSizeBound | undefined;
    for (const kind of kinds) {
      const parts = new Parts();
      const version = kind.endsWith('1') ? 1 : 2;
      for (const row of issuedRowsOf(kind)) {
        if (row.name === 'groups' || row.name === 'wids') {
          if (row.name === 'groups' ? groupsWanted : rolesWanted) parts.add(row.name, asciiSize(guidLength, limits.jwtGroups));
        } else if (row.name === 'roles') {
          if (appRoles !== undefined && appRoles > 0) parts.add('roles', { ascii: 0, text: 120, values: appRoles });
        } else if (row.name === 'scp') {
          const scopes = application?.api?.oauth2PermissionScopes ?? [];
          parts.add('scp', asciiSize(scopes.length === 0 ? 256 : scopes.reduce((n, sc) => n + (sc.value ?? '').length + 1, 0)));
        } else parts.add(row.name, row.size, undefined, row.numeric);
      }
      if (bound.includeBasicClaimSet) {
        for (const basic of basicClaims) if (basic.format === 'jwt' && basic.versions?.includes(version) === true) parts.add(basic.name, textOf(basic.source, basic.id));
      }
      for (const name of optionalNames) {
        if (name === 'groups' || parts.has(name)) continue;
        // Extension attributes as optional claims are directory extensions: free text.
        if (optionalClaimRows.some((r) => r.name === name)) parts.add(name, issued(name), undefined, numericClaims.has(name));
        else parts.add(name, { ascii: 0, text: directoryExtensionLength, values: 1 });
      }
      for (const e of bound.entries) if (e.effective && e.entry.JwtClaimType !== undefined) parts.add(e.entry.JwtClaimType, jwtSizes.of(e.index), e.index);
      const measured = parts.measure(token, (payload) => base64Length(jwtHeaderBytes) + 1 + base64Length(2 + payload) + 1 + jwtSignatureChars, jsonClaimBytes);
      if (best === undefined || measured.bytes > best.bytes) best = measured;
    }
    return best ?? { token, bytes: 0, worstBytes: 0, shares: [], unbounded: [] };
  };

  const saml = (): TokenSizeBound => {
    const parts = new Parts();
    if (bound.includeBasicClaimSet) for (const basic of basicClaims) if (basic.format === 'saml') parts.add(basic.name, textOf(basic.source, basic.id));
    if (groupsWanted) parts.add('groups', asciiSize(guidLength, limits.samlGroups));
    if (appRoles !== undefined && appRoles > 0) parts.add('role', { ascii: 0, text: 120, values: appRoles });
    for (const name of optional('saml2Token')) if (name !== 'groups') parts.add(name, issued(name));
    for (const e of bound.entries) if (e.effective && e.entry.SamlClaimType !== undefined) parts.add(e.entry.SamlClaimType, samlSizes.of(e.index), e.index);
    return parts.measure('SAML assertion', (attributes) => samlEnvelopeBytes + attributes, (name, size, mode) => samlClaimBytes(name, size, mode));
  };

  return [jwt('ID token', ['id1', 'id2'], optional('idToken')), jwt('access token', ['access1', 'access2'], optional('accessToken')), saml()];
}

/** The bound with its shares sorted largest first (a stable sort: equal shares keep claim order). */
function largestFirst(bound: TokenSizeBound): TokenSizeBound {
  return { ...bound, shares: [...bound.shares].sort((a, b) => b.bytes - a.bytes) };
}

/** The claims of one token, measured in both text modes. */
class Parts {
  private readonly items: { claim: string; size: ValueSize; entry: number | undefined; numeric: boolean }[] = [];
  private readonly unbounded: string[] = [];

  add(claim: string, size: ValueSize, entry?: number, numeric = false): void {
    if (size.values === Infinity) this.unbounded.push(claim);
    else if (size.values > 0) this.items.push({ claim, size, entry, numeric });
  }

  has(claim: string): boolean {
    return this.items.some((i) => i.claim === claim);
  }

  measure(
    token: TokenSizeBound['token'],
    total: (claimBytes: number) => number,
    claimBytes: (name: string, size: ValueSize, mode: TextMode, numeric: boolean) => number,
  ): TokenSizeBound {
    const shares: ClaimShare[] = this.items.map((i) => {
      const bytes = claimBytes(i.claim, i.size, 'ascii', i.numeric);
      return i.entry !== undefined ? { claim: i.claim, bytes, entry: i.entry } : { claim: i.claim, bytes };
    });
    const worst = this.items.reduce((n, i) => n + claimBytes(i.claim, i.size, 'worst', i.numeric), 0);
    return {
      token,
      bytes: total(shares.reduce((n, sh) => n + sh.bytes, 0)),
      worstBytes: total(worst),
      // In claim order: the caller sorts the bound it keeps (largest share first).
      shares,
      unbounded: this.unbounded,
    };
  }
}

/** The three largest shares as `name (bytes)`, for the message. */
function dominant(bound: TokenSizeBound): string {
  return bound.shares
    .slice(0, 3)
    .map((s) => `${s.claim} (${s.bytes} bytes)`)
    .join(', ');
}

/** Warns when a token can exceed a header limit, naming the claims that dominate; located at the largest policy claim. */
export function checkTokenSize(ctx: CheckContext): void {
  for (const unsorted of unsortedTokenSizeBounds(ctx.bound, ctx.options.application)) {
    const limit = [...tokenSizeLimits].reverse().find((l) => unsorted.bytes > l.bytes);
    if (limit === undefined) continue;
    const bound = largestFirst(unsorted);
    const largestPolicyClaim = bound.shares.find((s) => s.entry !== undefined);
    const entry: ClaimsSchemaEntry | undefined = largestPolicyClaim?.entry !== undefined ? ctx.bound.entries[largestPolicyClaim.entry]?.entry : undefined;
    const field = bound.token === 'SAML assertion' ? 'SamlClaimType' : 'JwtClaimType';
    const location = largestPolicyClaim?.entry !== undefined && entry !== undefined ? ctx.at(ptr('ClaimsSchema', largestPolicyClaim.entry, field), ptr('ClaimsSchema', largestPolicyClaim.entry)) : ctx.at('/ClaimsSchema', '');
    ctx.report(limit.code, { token: bound.token, bytes: bound.bytes, worst: bound.worstBytes, limit: limit.what, claims: dominant(bound) }, location);
  }
}
