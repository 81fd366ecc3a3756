import {
  createDiagnostic,
  isPrototypeKey,
  limits,
  propertyAliases,
  sortDiagnostics,
  toPointer,
  type ClaimsMappingPolicy,
  type Diagnostic,
  type Location,
  type LocationIndex,
  type Span,
  type Target,
} from '@claimc/model';
import type { PolicyEnvelope, PolicyReadResult, ReadOptions } from '../read.js';
import { utf8Length } from './guards.js';
import { LazyLocationIndex } from './locations.js';
import { PolicyMapper } from './map-policy.js';
import { parseJsonTreeWithin, type Finding } from './parser.js';
import { looksLikePowerShell, readPowerShellEnvelope } from './powershell.js';
import { looksLikeTerraform, readTerraformEnvelope } from './terraform.js';
import { looksLikeAzRest, readAzRestEnvelope } from './azcli.js';
import { decodeJsonString, mapSpan, type MappedText } from './strings.js';
import { describeNode, pointerAt, type JsonNode, type JsonObjectNode, type JsonStringNode } from './tree.js';

/** What one JSON text yields: findings and locations in that text's own offsets. */
interface Layer {
  readonly findings: Finding[];
  readonly policy: ClaimsMappingPolicy | undefined;
  readonly locations: LocationIndex;
  readonly envelope: PolicyEnvelope;
  readonly displayName?: string | undefined;
  /** The Graph object id or Terraform address, when the envelope names the policy. */
  readonly id?: string | undefined;
  /** Where the policy's envelope stands in the outer file (for collections). */
  readonly span?: Span | undefined;
}

/** Every policy of one file: problems of the file itself, then one layer per policy. */
interface Outer {
  readonly findings: Finding[];
  readonly layers: Layer[];
  readonly envelope: PolicyEnvelope;
}

/** Every policy a file holds, each with its own diagnostics, plus the problems not tied to one policy. */
export interface PolicyCollectionReadResult {
  /** One per policy found, in file order; empty when none could be read. */
  readonly policies: readonly PolicyReadResult[];
  /** Problems of the file or its envelope that belong to no single policy. */
  readonly diagnostics: readonly Diagnostic[];
  readonly envelope: PolicyEnvelope;
}

const policyKeys: ReadonlySet<string> = new Set(Object.keys(propertyAliases.policy));

/**
 * Reads every claims-mapping policy of a JSON-like file: a Graph collection (`{"value":[…]}`, each item a
 * policy), Terraform `.tf` resources and `terraform show -json` output, `az rest --body` lines, and the
 * single-policy envelopes of {@link readPolicyJson}. Every diagnostic is located in the outer file.
 *
 * @example
 * const { policies } = readPoliciesJson('{"value":[{"id":"a","displayName":"A","definition":["{\\"ClaimsMappingPolicy\\":{\\"Version\\":1}}"]}]}');
 * // policies[0].id === 'a'
 */
export function readPoliciesJson(text: string, options: ReadOptions = {}): PolicyCollectionReadResult {
  const target: Target = options.target ?? 'lenient';
  let outer: Outer;
  try {
    outer = readOuter(text, options.fileName);
  } catch (error) {
    // second line of defence behind the guards (threats P2)
    if (!(error instanceof RangeError)) throw error;
    outer = { findings: [{ code: 'CM1004', args: {} }], layers: [], envelope: 'raw' };
  }
  const toDiagnostics = (findings: readonly Finding[]): Diagnostic[] =>
    sortDiagnostics(findings.map((f) => createDiagnostic(f.code, f.args, { span: f.span, pointer: f.pointer, related: f.related, hint: f.hint }, target)));
  return {
    policies: outer.layers.map((layer) => ({
      policy: layer.policy,
      locations: layer.locations,
      diagnostics: toDiagnostics(layer.findings),
      envelope: layer.envelope,
      ...(layer.displayName !== undefined ? { displayName: layer.displayName } : {}),
      ...(layer.id !== undefined ? { id: layer.id } : {}),
      ...(layer.span !== undefined ? { span: layer.span } : {}),
    })),
    diagnostics: toDiagnostics(outer.findings),
    envelope: outer.envelope,
  };
}

/**
 * Reads a claims-mapping policy written as JSON in any envelope of D4 (bare `{"ClaimsMappingPolicy":…}`,
 * a Graph body, a PowerShell line, Terraform, `az rest`). Never throws on input: every problem is a
 * diagnostic located in the outer file, also inside embedded strings.
 *
 * Decisions the brief left open: a bare policy object `{"Version":1,…}` is read with warning CM1302;
 * `"Version": "1"` is read as 1 with warning CM2007; a file with several policies reads its first with
 * warning CM1308 ({@link readPoliciesJson} reads them all); diagnostics outside the policy object carry no pointer.
 *
 * @example
 * const { policy, diagnostics } = readPolicyJson('{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true"}}');
 * // policy: { Version: 1, IncludeBasicClaimSet: true }, diagnostics: []
 */
export function readPolicyJson(text: string, options: ReadOptions = {}): PolicyReadResult {
  const all = readPoliciesJson(text, options);
  const first = all.policies[0];
  if (first === undefined) return { policy: undefined, locations: new Map(), diagnostics: all.diagnostics, envelope: all.envelope };
  const second = all.policies[1];
  const more =
    second === undefined ? [] : [createDiagnostic('CM1308', { count: all.policies.length }, { span: second.span ?? { start: 0, end: 0 } }, options.target ?? 'lenient')];
  return { ...first, diagnostics: sortDiagnostics([...all.diagnostics, ...first.diagnostics, ...more]) };
}

function readOuter(text: string, fileName: string | undefined): Outer {
  // a text of n UTF-16 units holds at most 3n UTF-8 bytes: only a long one needs counting
  const size = text.length > limits.policyBytes / 3 ? utf8Length(text) : 0;
  if (size > limits.policyBytes) {
    return single(failed([{ code: 'CM1001', args: { size, limit: limits.policyBytes }, span: { start: 0, end: 0 } }]));
  }
  if (/^[\s\uFEFF]*$/.test(text)) return single(failed([{ code: 'CM1003', args: {}, span: { start: 0, end: 0 } }]));
  if (looksLikeAzRest(text)) {
    const az = readAzRestEnvelope(text);
    if (az.body === undefined) return { findings: az.findings, layers: [], envelope: 'azcli' };
    const inner = readEmbedded(az.body, true);
    return { findings: [...az.findings, ...inner.findings], layers: inner.layers.map((l) => ({ ...l, envelope: 'azcli' })), envelope: 'azcli' };
  }
  if (looksLikeTerraform(text, fileName) && (fileName?.toLowerCase().endsWith('.tf') === true || !looksLikePowerShell(text))) {
    const tf = readTerraformEnvelope(text);
    const layers = tf.policies.map((p): Layer => {
      const base = { envelope: 'terraform' as const, displayName: p.displayName, id: p.address, span: p.span };
      if (p.definition === undefined) return { ...failed(p.findings), ...base };
      const inner = readEmbedded(p.definition, false).layers[0]!;
      return { ...inner, findings: [...p.findings, ...inner.findings], ...base };
    });
    return { findings: tf.findings, layers, envelope: 'terraform' };
  }
  if (looksLikePowerShell(text)) {
    const ps = readPowerShellEnvelope(text);
    if (ps.definition === undefined) return single({ ...failed(ps.findings), envelope: 'powershell', displayName: ps.displayName });
    const inner = readEmbedded(ps.definition, false).layers[0]!;
    return single({ ...inner, findings: [...ps.findings, ...inner.findings], envelope: 'powershell', displayName: ps.displayName });
  }
  return readJsonText(text, true);
}

const single = (layer: Layer): Outer => ({ findings: [], layers: [layer], envelope: layer.envelope });

function failed(findings: Finding[]): Layer {
  return { findings, policy: undefined, locations: new Map(), envelope: 'raw' };
}

/** Reads JSON text: guards, tree, envelope(s), model. `outer` allows the Graph envelopes (one level of embedding). */
function readJsonText(text: string, outer: boolean): Outer {
  const parsed = parseJsonTreeWithin(text, limits.nestingDepth);
  if ('tooDeep' in parsed) return single(failed([{ code: 'CM1002', args: { limit: limits.nestingDepth }, span: parsed.tooDeep }]));
  const findings = parsed.findings;
  const root = parsed.root;
  if (root === undefined) {
    if (!parsed.hasSyntaxErrors) findings.push({ code: 'CM1003', args: {}, span: { start: 0, end: 0 } });
    return single(failed(findings));
  }
  const located = locatePolicies(root, text, outer, findings);
  if (located.collection) {
    // a collection: syntax problems belong to the file, each policy keeps its own findings
    const layers = located.items.map((item) => layerOf(item, [], text));
    return { findings, layers, envelope: located.envelope };
  }
  const item = located.items[0];
  return single(item === undefined ? { ...failed(findings), envelope: located.envelope } : layerOf(item, findings, text));
}

/** The layer of one located policy: embedded policy JSON is read and mapped back, an inline object mapped directly. */
function layerOf(located: Located, findings: Finding[], text: string): Layer {
  const named = { ...(located.displayName !== undefined ? { displayName: located.displayName } : {}), ...(located.id !== undefined ? { id: located.id } : {}), span: located.span };
  findings.push(...located.findings);
  if (located.embedded !== undefined) {
    const inner = readEmbedded(located.embedded, false).layers[0]!;
    return { ...inner, findings: [...findings, ...inner.findings], envelope: located.envelope, ...named };
  }
  let policy: ClaimsMappingPolicy | undefined;
  let locations: LocationIndex = new Map();
  if (located.policy !== undefined) {
    const mapper = new PolicyMapper(located.policy.span.end - located.policy.span.start);
    policy = mapper.map(located.policy);
    locations = mapper.locations(text);
    findings.push(...mapper.findings);
    const policyNode = located.policy;
    for (const f of findings) {
      if (f.syntax === true && f.pointer === undefined && f.span !== undefined && within(f.span, policyNode.span)) {
        f.pointer = pointerAt(policyNode, f.span.start) + (f.key === undefined ? '' : toPointer([f.key]));
      }
    }
  }
  return { findings, policy, locations, envelope: located.envelope, ...named };
}

const within = (span: Span, outer: Span): boolean => span.start >= outer.start && span.start < outer.end;

/** Reads JSON embedded in a string (policy JSON, or with `outer` a Graph body) and moves every span back to the outer file (D4). */
function readEmbedded(embedded: MappedText, outer: boolean): Outer {
  const inner = readJsonText(embedded.text, outer);
  const map = embedded.map;
  const toOuterFindings = (list: readonly Finding[]): Finding[] =>
    list.map((f) => ({
      ...f,
      span: f.span === undefined ? undefined : mapSpan(f.span, map),
      related: f.related?.map((r) => ({ ...r, span: mapSpan(r.span, map) })),
    }));
  const toOuter = (location: Location): Location => ({ span: mapSpan(location.span, map), pointer: location.pointer });
  const layers = inner.layers.map((layer): Layer => {
    const innerLocations = layer.locations;
    const locations = new LazyLocationIndex(
      (key) => {
        const location = innerLocations.get(key);
        return location === undefined ? undefined : toOuter(location);
      },
      () => {
        const all = new Map<string, Location>();
        for (const [key, location] of innerLocations) all.set(key, toOuter(location));
        return all;
      },
      (pointer, offset, length) => {
        // through both layers: the string's own escapes, then the envelope string's
        const location = innerLocations.locateWithin?.(pointer, offset, length);
        return location === undefined ? undefined : toOuter(location);
      },
    );
    return { ...layer, findings: toOuterFindings(layer.findings), locations, ...(layer.span !== undefined ? { span: mapSpan(layer.span, map) } : {}) };
  });
  return { ...inner, findings: toOuterFindings(inner.findings), layers };
}

/** One policy found in a document: an inline policy object or embedded policy JSON, with its own envelope findings. */
interface Located {
  readonly policy?: JsonNode;
  readonly embedded?: MappedText;
  readonly envelope: PolicyEnvelope;
  readonly displayName?: string;
  readonly id?: string;
  readonly span: Span;
  readonly findings: Finding[];
}

/** The policies of a document; `collection` when the document is a list of them (Graph `value`, Terraform state). */
interface LocatedAll {
  readonly items: Located[];
  readonly collection: boolean;
  readonly envelope: PolicyEnvelope;
}

function member(node: JsonObjectNode, name: string): { key: JsonStringNode; value: JsonNode | undefined } | undefined {
  return node.members.find((m) => m.key.value.toLowerCase() === name);
}

const one = (located: Located): LocatedAll => ({ items: [located], collection: false, envelope: located.envelope });
const none = (envelope: PolicyEnvelope): LocatedAll => ({ items: [], collection: false, envelope });

/** Finds the policy objects in a document: D4's envelopes, Graph collections and Terraform state, detected by their keys. */
function locatePolicies(root: JsonNode, text: string, outer: boolean, findings: Finding[]): LocatedAll {
  if (root.kind !== 'object') {
    findings.push({ code: 'CM1301', args: { found: describeNode(root) }, span: root.span });
    return none('raw');
  }
  const wrapped = member(root, 'claimsmappingpolicy');
  if (wrapped !== undefined) {
    for (const m of root.members) {
      if (m !== wrapped && m.key.value !== '$schema' && !isPrototypeKey(m.key.value)) findings.push({ code: 'CM2001', args: { name: `"${m.key.value}"`, context: 'the document', known: 'ClaimsMappingPolicy' }, span: m.key.span });
    }
    return wrapped.value === undefined ? none('raw') : one({ policy: wrapped.value, envelope: 'raw', span: root.span, findings: [] });
  }
  if (outer && member(root, 'definition') !== undefined) return one(graphBody(root, text, 'displayname'));
  const list = member(root, 'value');
  if (outer && list?.value?.kind === 'array') {
    const bodies = list.value.items;
    if (bodies.length === 0) {
      findings.push({ code: 'CM1309', args: {}, span: list.value.span });
      return none('graph');
    }
    const items: Located[] = [];
    bodies.forEach((body, index) => {
      if (body.kind !== 'object' || member(body, 'definition') === undefined) {
        findings.push({ code: 'CM1408', args: { index, found: body.kind === 'object' ? 'an object without "definition"' : describeNode(body) }, span: body.span });
        return;
      }
      items.push(graphBody(body, text, 'displayname'));
    });
    return { items, collection: true, envelope: 'graph' };
  }
  if (outer && member(root, 'format_version') !== undefined) return terraformState(root, text, findings);
  if (root.members.some((m) => policyKeys.has(m.key.value.toLowerCase()))) {
    findings.push({ code: 'CM1302', args: {}, span: { start: root.span.start, end: root.span.start + 1 }, pointer: '' });
    return one({ policy: root, envelope: 'raw', span: root.span, findings: [] });
  }
  findings.push({ code: 'CM1301', args: { found: 'an object without "ClaimsMappingPolicy" or "definition"' }, span: { start: root.span.start, end: root.span.start + 1 } });
  return none('raw');
}

/** Every `azuread_claims_mapping_policy` resource of `terraform show -json` (state or plan), in every module. */
function terraformState(root: JsonObjectNode, text: string, findings: Finding[]): LocatedAll {
  const items: Located[] = [];
  const visit = (node: JsonNode | undefined): void => {
    if (node === undefined) return;
    if (node.kind === 'array') {
      for (const item of node.items) visit(item);
      return;
    }
    if (node.kind !== 'object') return;
    const type = member(node, 'type')?.value;
    const values = member(node, 'values')?.value ?? member(node, 'change')?.value;
    if (type?.kind === 'string' && type.value === 'azuread_claims_mapping_policy') {
      const body = values?.kind === 'object' && member(values, 'after')?.value?.kind === 'object' ? (member(values, 'after')!.value as JsonObjectNode) : values;
      const address = member(node, 'address')?.value;
      if (body?.kind === 'object' && member(body, 'definition') !== undefined) {
        const located = graphBody(body, text, 'display_name');
        items.push(address?.kind === 'string' ? { ...located, id: address.value, envelope: 'terraform' } : { ...located, envelope: 'terraform' });
      } else {
        findings.push({ code: 'CM1403', args: { address: address?.kind === 'string' ? address.value : 'azuread_claims_mapping_policy' }, span: node.span });
      }
      return;
    }
    for (const m of node.members) visit(m.value);
  };
  for (const key of ['values', 'planned_values']) visit(member(root, key)?.value);
  if (items.length === 0 && !findings.some((f) => f.code === 'CM1403')) findings.push({ code: 'CM1402', args: {}, span: { start: root.span.start, end: root.span.start + 1 } });
  return { items, collection: true, envelope: 'terraform' };
}

/** `{"definition": ["<policy JSON>"], "displayName": "…"}`: decodes the string with its offset map. */
function graphBody(body: JsonObjectNode, text: string, nameKey: 'displayname' | 'display_name'): Located {
  const findings: Finding[] = [];
  const name = member(body, nameKey);
  const idNode = member(body, 'id')?.value;
  let displayName: string | undefined;
  if (name === undefined) findings.push({ code: 'CM1306', args: {}, span: { start: body.span.start, end: body.span.start + 1 } });
  else if (name.value !== undefined && name.value.kind !== 'string') findings.push({ code: 'CM1307', args: { found: describeNode(name.value) }, span: name.value.span });
  else if (name.value !== undefined && name.value.kind === 'string') displayName = name.value.value;
  const definition = member(body, 'definition')?.value;
  const base: Located = {
    envelope: 'graph',
    span: body.span,
    findings,
    ...(displayName !== undefined ? { displayName } : {}),
    ...(idNode?.kind === 'string' ? { id: idNode.value } : {}),
  };
  if (definition === undefined) return base;
  let string: JsonNode | undefined = definition;
  if (definition.kind === 'array') {
    if (definition.items.length !== 1) findings.push({ code: 'CM1305', args: { count: definition.items.length }, span: definition.span });
    string = definition.items[0];
  } else if (definition.kind === 'string') {
    findings.push({ code: 'CM1304', args: {}, span: definition.span });
  }
  if (string === undefined) return base;
  if (string.kind !== 'string') {
    findings.push({ code: 'CM1303', args: { found: describeNode(string) }, span: string.span });
    return base;
  }
  // re-decode from the raw token to get the offset map (escape problems were already reported)
  const closed = /^"(?:[^"\\\r\n]|\\[^\r\n])*"$/.test(text.slice(string.span.start, string.span.end));
  const raw = text.slice(string.span.start + 1, closed ? string.span.end - 1 : string.span.end);
  return { ...base, embedded: decodeJsonString(raw, string.span.start + 1, [], true) };
}
