import fc from 'fast-check';
import { samlRestrictedClaims } from '@claimc/model';
import { compilePolicy } from '@claimc/compiler';
import { claimsPolicyBases, contextUserBase, hostilePatterns, hostileSubjects, rawPolicyBases, regexPolicy, snapshotBase } from './bases.js';

/** The front ends the campaign attacks: policy envelopes, `.claims`, snapshots, contexts, plan documents, and regexes on 64 KiB. */
export const hostileFronts = ['raw', 'graph', 'powershell', 'claims', 'snapshot', 'context', 'plan', 'regex'] as const;
export type HostileFront = (typeof hostileFronts)[number];

/** Names tried at every identifier slot: prototype keys, reserved names in disguise, SAML URIs of core claims, hostile text. */
export const hostileNames: readonly string[] = [
  '__proto__', 'constructor', 'prototype', '__defineGetter__', '__lookupSetter__', 'hasOwnProperty', 'toString', 'valueOf', 'isPrototypeOf',
  'iss', 'ISS', 'Sub', ' aud', 'exp ', 'ｉｓｓ', 'ѕub', 'cnf.jwk', 'iss:x', 'iss/x', 'iss#x', 'roles.x', 'xms_cc', 'extn.color', 'groups', 'wids', '_claim_names',
  ...samlRestrictedClaims.filter((_, i) => i % 3 === 0),
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', 'http://schemas.microsoft.com/identity/claims/objectidentifier',
  'http://schemas.microsoft.com/identity/claims/tenantid', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  'a\u0000b', 'a\u202eb', 'a\u200db', '\ud800', 'a\u0085b', 'a\u2028b', 'a\u2029b', '\u001b[31mred', '', ' ', '"', '\\', "'", '<a b="c">&amp;', ']]>', '${x}', '{user}', '%s%n',
];

/** One change to a base input. Positions are reduced modulo the text length, so shrinking stays meaningful. */
export type HostileMutation =
  | { readonly kind: 'slot'; readonly at: number; readonly name: number }
  | { readonly kind: 'duplicate-key'; readonly at: number; readonly name: number }
  | { readonly kind: 'prototype-key'; readonly at: number; readonly key: number }
  | { readonly kind: 'nest'; readonly at: number; readonly depth: number; readonly object: boolean }
  | { readonly kind: 'huge'; readonly at: number; readonly size: number; readonly unit: number }
  | { readonly kind: 'number'; readonly at: number; readonly value: number }
  | { readonly kind: 'flip'; readonly at: number; readonly byte: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'repeat'; readonly at: number; readonly length: number }
  | { readonly kind: 'bytes'; readonly at: number; readonly piece: number };

/** How the file is finally encoded. */
export type HostileEncoding = 'utf8' | 'utf8-bom' | 'utf16le-bom' | 'utf16be-bom' | 'utf16le';

/** A recipe: which base, which mutations, which encoding. Small numbers only, so fast-check shrinks it to a minimal input. */
export interface HostileRecipe {
  readonly front: HostileFront;
  readonly base: number;
  /** Mutations of the JSON/`.claims` text before it is wrapped in an envelope. */
  readonly structural: readonly HostileMutation[];
  /** Mutations of the encoded file bytes. */
  readonly bytes: readonly HostileMutation[];
  readonly encoding: HostileEncoding;
  /** Issuance clock choice (index into {@link hostileClocks}). */
  readonly clock: number;
}

/** A generated input, ready for the library or a CLI process. */
export interface HostileInput {
  readonly recipe: HostileRecipe;
  readonly front: HostileFront;
  /** File name as the CLI would see it (picks the front end). */
  readonly fileName: string;
  readonly bytes: Uint8Array;
  /** For `regex`: the 64 KiB user context the policy is evaluated against. */
  readonly subject?: string;
  /** True when a prototype key was inserted as a JSON key of a policy (always an error). */
  readonly insertsPrototypeKey: boolean;
}

const prototypeKeyNames = ['__proto__', 'constructor', 'prototype'] as const;
const hugeSizes = [4_097, 65_536, 300_000, 1_100_000] as const;
const hugeUnits = ['a', 'é', '😀', '\\"', '\\u0000', ' '] as const;
const nestDepths = [31, 32, 33, 200, 5_000, 100_000] as const;
const hostileNumbers = [-1, 0.5, 1e309, 2 ** 53 + 1, -0, 1e-400, 99_999_999_999_999_999_999] as const;
/** Byte sequences: invalid UTF-8 (overlong, surrogate, stray continuation, truncated), NUL, BOM inside, bidi, CRLF. */
const bytePieces: readonly (readonly number[])[] = [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xff], [0x80], [0xe2, 0x82], [0x00], [0xef, 0xbb, 0xbf], [0xe2, 0x80, 0xae], [0x0d, 0x0a], [0xf4, 0x90, 0x80, 0x80]];
/** Issuance clocks: an ordinary one, the epoch, the last xs:dateTime second of year 9999, far future, past Date's range. */
export const hostileClocks: readonly number[] = [1_700_000_000, 0, 253_402_300_799, 999_999_999_999, 8.64e12];

const position = fc.nat({ max: 1_000_000 });
const mutationArb = (structural: boolean): fc.Arbitrary<HostileMutation> =>
  structural
    ? fc.oneof(
        { weight: 10, arbitrary: fc.record({ kind: fc.constant('slot' as const), at: position, name: fc.nat({ max: hostileNames.length - 1 }) }) },
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('duplicate-key' as const), at: position, name: fc.nat({ max: hostileNames.length - 1 }) }) },
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('prototype-key' as const), at: position, key: fc.nat({ max: prototypeKeyNames.length - 1 }) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('nest' as const), at: position, depth: fc.nat({ max: nestDepths.length - 1 }), object: fc.boolean() }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), at: position, size: fc.nat({ max: hugeSizes.length - 1 }), unit: fc.nat({ max: hugeUnits.length - 1 }) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('number' as const), at: position, value: fc.nat({ max: hostileNumbers.length - 1 }) }) },
      )
    : fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: position, byte: fc.nat({ max: 255 }) }),
        fc.record({ kind: fc.constant('truncate' as const), at: position }),
        fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 16 }) }),
        fc.record({ kind: fc.constant('repeat' as const), at: position, length: fc.integer({ min: 1, max: 16 }) }),
        fc.record({ kind: fc.constant('bytes' as const), at: position, piece: fc.nat({ max: bytePieces.length - 1 }) }),
      );

/**
 * Recipes of hostile inputs over every front end. Bounded: at most 3 structural and 2 byte mutations; most
 * inputs keep the base's size, a few are huge (up to 1.1 MB) or deeply nested (up to 100,000 levels).
 *
 * @example
 * fc.assert(fc.property(hostileRecipe, (recipe) => { expect(runHostileInput(renderHostileInput(recipe)).open).toEqual([]); }), { seed: 42, numRuns: 5000 });
 */
export const hostileRecipe: fc.Arbitrary<HostileRecipe> = fc.record({
  front: fc.constantFrom(...hostileFronts),
  base: fc.nat({ max: 15 }),
  structural: fc.array(mutationArb(true), { maxLength: 3 }),
  bytes: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 2, arbitrary: fc.array(mutationArb(false), { minLength: 1, maxLength: 2 }) }),
  encoding: fc.oneof({ weight: 12, arbitrary: fc.constant('utf8' as const) }, { weight: 1, arbitrary: fc.constantFrom('utf8-bom' as const, 'utf16le-bom' as const, 'utf16be-bom' as const, 'utf16le' as const) }),
  clock: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat({ max: hostileClocks.length - 1 }) }),
});

/** Plan documents of the raw bases, compiled once (the `plan` front end mutates these). */
let planBases: string[] | undefined;
function planBaseTexts(): string[] {
  planBases ??= rawPolicyBases.map((text) => JSON.stringify(((c) => (c.ok ? c.plan : null))(compilePolicy(text))));
  return planBases;
}

/** JSON string literal with its key: `"Key":"value"` (the slots the structural mutations aim at). */
const keyedString = /"((?:[^"\\]|\\.)*)"\s*:\s*("(?:[^"\\]|\\.)*")/g;
/** A `.claims` identifier or quoted string. */
const claimsSlot = /"(?:[^"\\\n]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*/g;

function nth(regex: RegExp, text: string, at: number): RegExpExecArray | undefined {
  const matches = [...text.matchAll(regex)];
  return matches.length === 0 ? undefined : matches[at % matches.length];
}

const jsonString = (value: string): string => JSON.stringify(value);

function nested(depth: number, object: boolean): string {
  return object ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth);
}

/** Applies one structural mutation to JSON text (or `.claims` text when `claims`). */
function mutateStructure(text: string, m: HostileMutation, claims: boolean): { text: string; prototypeKey: boolean } {
  const replaceValue = (replacement: (value: RegExpExecArray) => string): string => {
    const match = nth(claims ? claimsSlot : keyedString, text, m.at);
    if (match === undefined) return text;
    const value = claims ? match[0] : match[2]!;
    const start = match.index + match[0].length - value.length;
    return text.slice(0, start) + replacement(match) + text.slice(start + value.length);
  };
  switch (m.kind) {
    case 'slot':
      return { text: replaceValue(() => jsonString(hostileNames[m.name]!)), prototypeKey: false };
    case 'duplicate-key': {
      if (claims) return { text: replaceValue((match) => `${match[0]} ${match[0]}`), prototypeKey: false };
      const match = nth(keyedString, text, m.at);
      if (match === undefined) return { text, prototypeKey: false };
      const end = match.index + match[0].length;
      return { text: `${text.slice(0, end)},${jsonString(match[1]!)}:${jsonString(hostileNames[m.name]!)}${text.slice(end)}`, prototypeKey: false };
    }
    case 'prototype-key': {
      const key = prototypeKeyNames[m.key]!;
      if (claims) return { text: replaceValue(() => key), prototypeKey: false };
      const braces = [...text.matchAll(/\{(?=")/g)];
      if (braces.length === 0) return { text, prototypeKey: false };
      const at = braces[m.at % braces.length]!.index + 1;
      return { text: `${text.slice(0, at)}"${key}":{"polluted":"yes"},${text.slice(at)}`, prototypeKey: true };
    }
    case 'nest':
      return { text: replaceValue(() => nested(nestDepths[m.depth]!, m.object)), prototypeKey: false };
    case 'huge': {
      const unit = hugeUnits[m.unit]!;
      const size = hugeSizes[m.size]!;
      return { text: replaceValue(() => `"${unit.repeat(Math.ceil(size / unit.length))}"`), prototypeKey: false };
    }
    case 'number':
      return { text: replaceValue(() => String(hostileNumbers[m.value]!)), prototypeKey: false };
    default:
      return { text, prototypeKey: false };
  }
}

/** Applies one byte mutation to the encoded file. */
function mutateBytes(bytes: Uint8Array, m: HostileMutation): Uint8Array {
  const at = m.at % (bytes.length + 1);
  const concat = (...parts: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  };
  switch (m.kind) {
    case 'flip': {
      const copy = bytes.slice();
      if (at < copy.length) copy[at] = m.byte;
      return copy;
    }
    case 'truncate':
      return bytes.slice(0, at);
    case 'delete':
      return concat(bytes.slice(0, at), bytes.slice(at + m.length));
    case 'repeat':
      return concat(bytes.slice(0, at + m.length), bytes.slice(at));
    case 'bytes':
      return concat(bytes.slice(0, at), Uint8Array.from(bytePieces[m.piece]!), bytes.slice(at));
    default:
      return bytes;
  }
}

function encode(text: string, encoding: HostileEncoding): Uint8Array {
  if (encoding === 'utf8') return new TextEncoder().encode(text);
  if (encoding === 'utf8-bom') return new TextEncoder().encode('\ufeff' + text);
  const le = Buffer.from((encoding === 'utf16le' ? '' : '\ufeff') + text, 'utf16le');
  if (encoding !== 'utf16be-bom') return new Uint8Array(le);
  const be = Buffer.from(le);
  be.swap16();
  return new Uint8Array(be);
}

function wrap(front: HostileFront, raw: string): string {
  if (front === 'graph') return JSON.stringify({ definition: [raw], displayName: 'Campaign' });
  if (front === 'powershell') return `New-MgPolicyClaimMappingPolicy -Definition @('${raw.replaceAll("'", "''")}') -DisplayName "Campaign"`;
  return raw;
}

const fileNames: Record<HostileFront, string> = {
  raw: 'policy.json',
  graph: 'policy.graph.json',
  powershell: 'policy.ps1',
  claims: 'policy.claims',
  snapshot: 'snapshot.json',
  context: 'user.json',
  plan: 'plan.json',
  regex: 'regex-policy.json',
};

/**
 * Turns a recipe into the bytes of a file. Deterministic: the same recipe always gives the same bytes.
 *
 * @example
 * const input = renderHostileInput({ front: 'raw', base: 0, structural: [{ kind: 'slot', at: 3, name: 0 }], bytes: [], encoding: 'utf8', clock: 0 });
 */
export function renderHostileInput(recipe: HostileRecipe): HostileInput {
  const { front } = recipe;
  let text: string;
  let subject: string | undefined;
  switch (front) {
    case 'claims':
      text = claimsPolicyBases[recipe.base % claimsPolicyBases.length]!;
      break;
    case 'snapshot':
      text = snapshotBase;
      break;
    case 'context':
      text = contextUserBase;
      break;
    case 'plan': {
      const plans = planBaseTexts();
      text = plans[recipe.base % plans.length]!;
      break;
    }
    case 'regex':
      text = regexPolicy(hostilePatterns[recipe.base % hostilePatterns.length]!, '$1-{user}');
      subject = hostileSubjects[recipe.base % hostileSubjects.length]!;
      break;
    default:
      text = rawPolicyBases[recipe.base % rawPolicyBases.length]!;
  }
  let insertsPrototypeKey = false;
  for (const m of recipe.structural) {
    const mutated = mutateStructure(text, m, front === 'claims');
    text = mutated.text;
    insertsPrototypeKey ||= mutated.prototypeKey && front !== 'snapshot' && front !== 'context' && front !== 'plan';
  }
  let bytes = encode(wrap(front, text), recipe.encoding);
  for (const m of recipe.bytes) bytes = mutateBytes(bytes, m);
  return { recipe, front, fileName: fileNames[front], bytes, ...(subject !== undefined ? { subject } : {}), insertsPrototypeKey };
}
