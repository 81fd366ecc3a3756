import {
  canonicalKeyOrder,
  findAttribute,
  findMethod,
  knownUnmodelledProperties,
  propertyAliases,
  suggest,
  type ClaimsMappingPolicy,
  type Location,
  type MethodSignature,
} from '@claimc/model';
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
const ignoredMaps = new Map<Kind, ReadonlySet<string>>(
  (Object.keys(knownUnmodelledProperties) as Kind[]).map((kind) => [
    kind,
    new Set((knownUnmodelledProperties[kind as keyof typeof knownUnmodelledProperties] as readonly string[]).map((p) => p.toLowerCase())),
  ]),
);

const escapeSegment = (segment: string | number): string => {
  const text = String(segment);
  return text.includes('~') || text.includes('/') ? '/' + text.replace(/~/g, '~0').replace(/\//g, '~1') : '/' + text;
};

// memoized knowledge-base lookups: the tables are scanned linearly and every policy repeats the same few names
const attributeCache = new Map<string, string | undefined>();
function canonicalAttribute(source: string, id: string): string | undefined {
  const key = source + '\u0000' + id;
  if (attributeCache.has(key)) return attributeCache.get(key);
  const found = findAttribute(source, id)?.id;
  if (attributeCache.size < 10_000) attributeCache.set(key, found);
  return found;
}
const methodCache = new Map<string, MethodSignature | undefined>();
function canonicalMethod(name: string): MethodSignature | undefined {
  if (methodCache.has(name)) return methodCache.get(name);
  const found = findMethod(name);
  if (methodCache.size < 10_000) methodCache.set(name, found);
  return found;
}

/** A place in the policy: the canonical pointer (model spelling and indexes) and the file's pointer. */
interface Path {
  readonly canonical: string;
  readonly file: string;
  /** How messages name it: the property as spelled, or `ClaimsSchema[2]`. */
  readonly label: string;
}

const child = (path: Path, canonical: string | number, file: string | number, label: string): Path => ({
  canonical: path.canonical + escapeSegment(canonical),
  file: path.file + escapeSegment(file),
  label,
});

/** Maps a located JSON policy object onto the canonical model (D1, D2, D5), recording every location. */
export class PolicyMapper {
  readonly findings: Finding[] = [];
  readonly locations = new Map<string, Location>();

  /**
   * @example
   * new PolicyMapper().map(root) // the ClaimsMappingPolicy, or undefined when root is not an object
   */
  map(node: JsonNode): ClaimsMappingPolicy | undefined {
    const path: Path = { canonical: '', file: '', label: 'ClaimsMappingPolicy' };
    if (node.kind !== 'object') {
      this.findings.push({ code: 'CM2003', args: { name: 'ClaimsMappingPolicy', expected: 'an object', found: describeNode(node) }, span: node.span, pointer: '' });
      return undefined;
    }
    return this.object('policy', node, path) as ClaimsMappingPolicy | undefined;
  }

  private object(kind: Kind, node: JsonObjectNode, path: Path): Record<string, unknown> | undefined {
    const aliases = aliasMaps.get(kind) ?? new Map<string, string>();
    const shape = shapes[kind];
    const values = new Map<string, unknown>();
    const spelledAs = new Map<string, string>();
    for (const member of node.members) {
      const spelled = member.key.value;
      const canonical = aliases.get(spelled) ?? aliases.get(spelled.toLowerCase());
      const filePath = path.file + escapeSegment(spelled);
      if (canonical === undefined) {
        this.unknownProperty(kind, spelled, member.key.span, filePath);
        continue;
      }
      const first = spelledAs.get(canonical);
      if (first !== undefined) {
        this.findings.push({ code: 'CM2004', args: { first, second: spelled, name: canonical }, span: member.key.span, pointer: filePath });
        continue;
      }
      spelledAs.set(canonical, spelled);
      if (member.value === undefined) continue;
      if (keptUnmodelled[kind]?.includes(canonical) === true) {
        this.findings.push({ code: 'CM2002', args: { name: spelled, action: 'kept' }, span: member.key.span, pointer: filePath });
      }
      const propertyPath = child(path, canonical, spelled, spelled);
      const value = this.value(shape[canonical] ?? 'string', member.value, propertyPath);
      if (value === undefined) continue;
      values.set(canonical, value);
      this.locate(propertyPath, member.value.span);
      this.locations.set(propertyPath.canonical + '#key', { span: member.key.span, pointer: propertyPath.file });
    }
    const missing = required[kind]?.filter((name) => !values.has(name)) ?? [];
    if (missing.length > 0) {
      // a recovered (unclosed) object lost its tail to a syntax error already reported
      if (node.closed) {
        for (const name of missing) {
          this.findings.push({ code: 'CM2006', args: { context: contextNames[kind], name }, span: node.span, pointer: path.file });
        }
      }
      return undefined;
    }
    this.normalize(kind, values);
    const out: Record<string, unknown> = {};
    for (const key of canonicalKeyOrder[kind]) if (values.has(key)) out[key] = values.get(key);
    this.locate(path, node.span);
    return out;
  }

  private unknownProperty(kind: Kind, spelled: string, span: { start: number; end: number }, pointer: string): void {
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
      this.findings.push({ code: 'CM2005', args: { name: path.label, found: describeNode(node) }, span: node.span, pointer: path.file });
      return undefined;
    }
    if (type === 'version') return this.version(node, path);
    if ('array' in type) {
      if (node.kind !== 'array') return this.wrongType(path, 'an array', node);
      const items: unknown[] = [];
      for (let i = 0; i < node.items.length; i++) {
        const item = node.items[i];
        if (item === undefined) continue;
        const itemPath = child(path, items.length, i, `${path.label}[${i}]`);
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
      this.findings.push({ code: 'CM2007', args: { found: `"${node.value}"`, value }, span: node.span, pointer: path.file });
      return value;
    }
    return this.wrongType(path, 'a number', node);
  }

  private wrongType(path: Path, expected: string, node: JsonNode): undefined {
    this.findings.push({ code: 'CM2003', args: { name: path.label, expected, found: describeNode(node) }, span: node.span, pointer: path.file });
    return undefined;
  }

  private locate(path: Path, span: { start: number; end: number }): void {
    this.locations.set(path.canonical, { span, pointer: path.file });
  }

  /** Canonical spellings (policy.ts doc comment): Source lower-case, known IDs, methods and input names. */
  private normalize(kind: Kind, values: Map<string, unknown>): void {
    if (kind === 'entry') {
      const source = values.get('Source');
      if (typeof source === 'string') {
        const lower = source.toLowerCase();
        values.set('Source', lower);
        const id = values.get('ID');
        if (typeof id === 'string') {
          const attribute = canonicalAttribute(lower, id);
          if (attribute !== undefined) values.set('ID', attribute);
        }
      }
    } else if (kind === 'transformation') {
      const method = canonicalMethod(String(values.get('TransformationMethod')));
      if (method === undefined) return;
      values.set('TransformationMethod', method.name);
      const inputName = (name: string): string => method.inputs.find((input) => input.name.toLowerCase() === name.toLowerCase())?.name ?? name;
      const outputName = (name: string): string => method.outputs.find((output) => output.toLowerCase() === name.toLowerCase()) ?? name;
      for (const claim of asRecords(values.get('InputClaims'))) claim['TransformationClaimType'] = inputName(String(claim['TransformationClaimType']));
      for (const param of asRecords(values.get('InputParameters'))) param['ID'] = inputName(String(param['ID']));
      for (const claim of asRecords(values.get('OutputClaims'))) claim['TransformationClaimType'] = outputName(String(claim['TransformationClaimType']));
    }
  }
}

function asRecords(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}
