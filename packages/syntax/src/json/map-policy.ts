import {
  canonicalKeyOrder,
  canonicalAttributeId,
  canonicalInputName,
  canonicalOutputName,
  findMethod,
  isPrototypeKey,
  knownUnmodelledProperties,
  narrowLocation,
  propertyAliases,
  suggest,
  toPointer,
  type ClaimsMappingPolicy,
  type LocationIndex,
  type MethodSignature,
} from '@claimc/model';
import { LazyLocationIndex, PathTable } from './locations.js';
import { stringUnitStarts } from './strings.js';
import type { Finding } from './parser.js';
import { describeNode, type JsonNode, type JsonObjectNode } from './tree.js';

type Kind = keyof typeof canonicalKeyOrder;
type ValueType = 'string' | 'boolean' | 'version' | { readonly array: Kind } | { readonly object: Kind };

/** What each canonical property holds (policy.ts is the source of the names; this adds the JSON shape). */
const shapes: { readonly [K in Kind]: Readonly<Record<string, ValueType>> } = {
  policy: {
    Version: 'version',
    IncludeBasicClaimSet: 'boolean',
    ClaimsSchema: { array: 'entry' },
    ClaimsTransformation: { array: 'transformation' },
    GroupFilter: { object: 'groupFilter' },
    issuerWithApplicationId: 'boolean',
    audienceOverride: 'string',
  },
  entry: {},
  transformation: {
    InputClaims: { array: 'inputClaim' },
    InputParameters: { array: 'inputParameter' },
    OutputClaims: { array: 'outputClaim' },
  },
  inputClaim: { TreatAsMultiValue: 'boolean' },
  inputParameter: {},
  outputClaim: {},
  groupFilter: {},
};

const required: { readonly [K in Kind]?: readonly string[] } = {
  transformation: ['ID', 'TransformationMethod'],
  inputClaim: ['ClaimTypeReferenceId', 'TransformationClaimType'],
  inputParameter: ['ID', 'Value'],
  outputClaim: ['ClaimTypeReferenceId', 'TransformationClaimType'],
  groupFilter: ['MatchOn', 'Type', 'Value'],
};

/** Fields real exports carry that the model keeps without giving them meaning in evaluation (D5): info, kept. */
const keptUnmodelled: { readonly [K in Kind]?: readonly string[] } = {
  entry: ['samlNameIdFormat'],
  inputClaim: ['claimTypeReferenceSource'],
  inputParameter: ['DataType'],
};

const contextNames: { readonly [K in Kind]: string } = {
  policy: 'the policy',
  entry: 'a ClaimsSchema entry',
  transformation: 'a ClaimsTransformation',
  inputClaim: 'an InputClaims item',
  inputParameter: 'an InputParameters item',
  outputClaim: 'an OutputClaims item',
  groupFilter: 'GroupFilter',
};

// Own-property maps, so a key such as "__proto__" or "constructor" never resolves to an inherited member.
const aliasMaps = new Map<Kind, ReadonlyMap<string, string>>(
  (Object.keys(propertyAliases) as Kind[]).map((kind) => {
    const entries = Object.entries(propertyAliases[kind]);
    return [kind, new Map([...entries, ...entries.map(([, canonical]) => [canonical, canonical] as const)])];
  }),
);
/** What one accepted spelling of a property resolves to: its canonical name, slot in canonical order, shape and D5 status. */
interface Property {
  readonly canonical: string;
  readonly slot: number;
  readonly type: ValueType;
  readonly kept: boolean;
}
// one lookup per member instead of four (alias, shape, kept list, value map); slots follow canonicalKeyOrder
const propertyTables = new Map<Kind, ReadonlyMap<string, Property>>(
  [...aliasMaps].map(([kind, aliases]) => {
    const order: readonly string[] = canonicalKeyOrder[kind];
    const properties = new Map<string, Property>();
    for (const canonical of new Set(aliases.values())) {
      properties.set(canonical, { canonical, slot: order.indexOf(canonical), type: shapes[kind][canonical] ?? 'string', kept: keptUnmodelled[kind]?.includes(canonical) === true });
    }
    return [kind, new Map([...aliases].map(([spelling, canonical]) => [spelling, properties.get(canonical) as Property]))];
  }),
);
const slotOf = (kind: Kind, name: string): number => (canonicalKeyOrder[kind] as readonly string[]).indexOf(name);
const requiredSlots = new Map<Kind, readonly number[]>((Object.keys(required) as Kind[]).map((kind) => [kind, (required[kind] ?? []).map((name) => slotOf(kind, name))]));
const slots = {
  source: slotOf('entry', 'Source'),
  entryId: slotOf('entry', 'ID'),
  method: slotOf('transformation', 'TransformationMethod'),
  inputClaims: slotOf('transformation', 'InputClaims'),
  inputParameters: slotOf('transformation', 'InputParameters'),
  outputClaims: slotOf('transformation', 'OutputClaims'),
};

const ignoredMaps = new Map<Kind, ReadonlySet<string>>(
  (Object.keys(knownUnmodelledProperties) as Kind[]).map((kind) => [
    kind,
    new Set((knownUnmodelledProperties[kind as keyof typeof knownUnmodelledProperties] as readonly string[]).map((p) => p.toLowerCase())),
  ]),
);

// memoized method lookups: the table is scanned linearly and every policy repeats the same few names
const methodCache = new Map<string, MethodSignature | undefined>();
function canonicalMethod(name: string): MethodSignature | undefined {
  if (methodCache.has(name)) return methodCache.get(name);
  const found = findMethod(name);
  if (methodCache.size < 10_000) methodCache.set(name, found);
  return found;
}

/** A place in the policy: a row of the PathTable (canonical and file pointers, label; built only when needed). */
type Path = number;

/** Maps a located JSON policy object onto the canonical model (D1, D2, D5), recording every location. */
export class PolicyMapper {
  readonly findings: Finding[] = [];
  private readonly paths: PathTable;

  /** `textLength`: the length of the policy's JSON text, to size the location rows (about one path per 16 characters or more). */
  constructor(textLength = 0) {
    this.paths = new PathTable(Math.min(Math.max(64, textLength >> 4), 1 << 16));
  }

  /** Canonical pointer → location of everything mapped, looked up on demand (see PathTable); `text` is the JSON text mapped, for positions inside string values. */
  locations(text: string): LocationIndex {
    const paths = this.paths;
    return new LazyLocationIndex(
      (key) => paths.lookup(key),
      () => paths.build(),
      (pointer, offset, length) => {
        const location = paths.lookup(pointer);
        if (location === undefined) return undefined;
        const starts = stringUnitStarts(text, location.span);
        return starts === undefined ? location : narrowLocation(location, starts, offset, length);
      },
    );
  }

  /**
   * @example
   * new PolicyMapper().map(root) // the ClaimsMappingPolicy, or undefined when root is not an object
   */
  map(node: JsonNode): ClaimsMappingPolicy | undefined {
    const path: Path = PathTable.root;
    if (node.kind !== 'object') {
      this.findings.push({ code: 'CM2003', args: { name: 'ClaimsMappingPolicy', expected: 'an object', found: describeNode(node) }, span: node.span, pointer: '' });
      return undefined;
    }
    return this.object('policy', node, path) as ClaimsMappingPolicy | undefined;
  }

  private object(kind: Kind, node: JsonObjectNode, path: Path): Record<string, unknown> | undefined {
    const properties = propertyTables.get(kind) ?? new Map<string, Property>();
    const order: readonly string[] = canonicalKeyOrder[kind];
    // by slot: the mapped value, and the spelling that claimed the slot (CM2004)
    const values: unknown[] = [];
    const spelledAs: (string | undefined)[] = [];
    for (const member of node.members) {
      const spelled = member.key.value;
      const property = properties.get(spelled) ?? properties.get(spelled.toLowerCase());
      if (property === undefined) {
        this.unknownProperty(kind, spelled, member.key.span, this.paths.filePointer(path) + toPointer([spelled]));
        continue;
      }
      const canonical = property.canonical;
      const first = spelledAs[property.slot];
      if (first !== undefined) {
        this.findings.push({ code: 'CM2004', args: { first, second: spelled, name: canonical }, span: member.key.span, pointer: this.paths.filePointer(path) + toPointer([spelled]) });
        continue;
      }
      spelledAs[property.slot] = spelled;
      if (member.value === undefined) continue;
      if (property.kept) {
        this.findings.push({ code: 'CM2002', args: { name: spelled, action: 'kept' }, span: member.key.span, pointer: this.paths.filePointer(path) + toPointer([spelled]) });
      }
      const propertyPath = this.paths.child(path, canonical, spelled);
      const value = this.value(property.type, member.value, propertyPath);
      if (value === undefined) continue;
      values[property.slot] = value;
      this.paths.locate(propertyPath, member.value.span);
      this.paths.locate(propertyPath, member.key.span, true);
    }
    const requiredAt = requiredSlots.get(kind);
    if (requiredAt !== undefined && requiredAt.some((slot) => values[slot] === undefined)) {
      // a recovered (unclosed) object lost its tail to a syntax error already reported
      if (node.closed) {
        for (const slot of requiredAt) {
          if (values[slot] !== undefined) continue;
          this.findings.push({ code: 'CM2006', args: { context: contextNames[kind], name: order[slot] ?? '' }, span: node.span, pointer: this.paths.filePointer(path) });
        }
      }
      return undefined;
    }
    this.normalize(kind, values);
    const out: Record<string, unknown> = {};
    for (let slot = 0; slot < order.length; slot++) {
      const value = values[slot];
      if (value !== undefined) out[order[slot] ?? ''] = value;
    }
    this.paths.locate(path, node.span);
    return out;
  }

  private unknownProperty(kind: Kind, spelled: string, span: { start: number; end: number }, pointer: string): void {
    // the parser has refused it already (CM2050)
    if (isPrototypeKey(spelled)) return;
    if (ignoredMaps.get(kind)?.has(spelled.toLowerCase()) === true) {
      this.findings.push({ code: 'CM2002', args: { name: spelled, action: 'ignored' }, span, pointer });
      return;
    }
    const known = canonicalKeyOrder[kind];
    const guess = suggest(spelled, known);
    this.findings.push({
      code: 'CM2001',
      args: { name: `"${spelled}"`, context: contextNames[kind], known: known.join(', ') },
      span,
      pointer,
      hint: guess === undefined ? undefined : `Did you mean "${guess}"?`,
    });
  }

  private value(type: ValueType, node: JsonNode, path: Path): unknown {
    if (type === 'string') {
      if (node.kind === 'string') return node.value;
      return this.wrongType(path, 'a string', node);
    }
    if (type === 'boolean') {
      // D2: JSON booleans or "true"/"false" in any case
      if (node.kind === 'boolean') return node.value;
      if (node.kind === 'string') {
        const lower = node.value.toLowerCase();
        if (lower === 'true' || lower === 'false') return lower === 'true';
      }
      this.findings.push({ code: 'CM2005', args: { name: this.paths.label(path), found: describeNode(node) }, span: node.span, pointer: this.paths.filePointer(path) });
      return undefined;
    }
    if (type === 'version') return this.version(node, path);
    if ('array' in type) {
      if (node.kind !== 'array') return this.wrongType(path, 'an array', node);
      const items: unknown[] = [];
      for (let i = 0; i < node.items.length; i++) {
        const item = node.items[i];
        if (item === undefined) continue;
        const itemPath = this.paths.child(path, items.length, i);
        if (item.kind !== 'object') {
          this.wrongType(itemPath, 'an object', item);
          continue;
        }
        const mapped = this.object(type.array, item, itemPath);
        if (mapped !== undefined) items.push(mapped);
      }
      return items;
    }
    if (node.kind !== 'object') return this.wrongType(path, 'an object', node);
    return this.object(type.object, node, path);
  }

  /** Version: a number; a string holding an integer is read with a warning (CM2007). */
  private version(node: JsonNode, path: Path): number | undefined {
    if (node.kind === 'number' && Number.isFinite(node.value)) return node.value;
    if (node.kind === 'string' && /^\s*-?[0-9]{1,9}\s*$/.test(node.value)) {
      const value = Number(node.value.trim());
      this.findings.push({ code: 'CM2007', args: { found: `"${node.value}"`, value }, span: node.span, pointer: this.paths.filePointer(path) });
      return value;
    }
    return this.wrongType(path, 'a number', node);
  }

  private wrongType(path: Path, expected: string, node: JsonNode): undefined {
    this.findings.push({ code: 'CM2003', args: { name: this.paths.label(path), expected, found: describeNode(node) }, span: node.span, pointer: this.paths.filePointer(path) });
    return undefined;
  }

  /** Canonical spellings (policy.ts doc comment): Source lower-case, known IDs, methods and input names. */
  private normalize(kind: Kind, values: unknown[]): void {
    if (kind === 'entry') {
      const source = values[slots.source];
      if (typeof source === 'string') {
        const lower = source.toLowerCase();
        values[slots.source] = lower;
        const id = values[slots.entryId];
        if (typeof id === 'string') {
          values[slots.entryId] = canonicalAttributeId(lower, id);
        }
      }
    } else if (kind === 'transformation') {
      const method = canonicalMethod(String(values[slots.method]));
      if (method === undefined) return;
      values[slots.method] = method.name;
      for (const claim of asRecords(values[slots.inputClaims])) claim['TransformationClaimType'] = canonicalInputName(method, String(claim['TransformationClaimType']));
      for (const param of asRecords(values[slots.inputParameters])) param['ID'] = canonicalInputName(method, String(param['ID']));
      for (const claim of asRecords(values[slots.outputClaims])) claim['TransformationClaimType'] = canonicalOutputName(method, String(claim['TransformationClaimType']));
    }
  }
}

function asRecords(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}
