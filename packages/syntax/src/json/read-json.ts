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
import { decodeJsonString, mapSpan, type MappedText } from './strings.js';
import { describeNode, pointerAt, type JsonNode, type JsonObjectNode, type JsonStringNode } from './tree.js';

/** What one JSON text yields: findings and locations in that text's own offsets. */
interface Layer {
  readonly findings: Finding[];
  readonly policy: ClaimsMappingPolicy | undefined;
  readonly locations: LocationIndex;
  readonly envelope: PolicyEnvelope;
  readonly displayName?: string | undefined;
}

const policyKeys: ReadonlySet<string> = new Set(Object.keys(propertyAliases.policy));

/**
 * Reads a claims-mapping policy written as JSON in any envelope of D4 (bare `{"ClaimsMappingPolicy":…}`,
 * a Graph body, a PowerShell line). Never throws on input: every problem is a diagnostic located in
 * the outer file, also inside embedded strings.
 *
 * Decisions the brief left open: a bare policy object `{"Version":1,…}` is read with warning CM1302;
 * `"Version": "1"` is read as 1 with warning CM2007; a Graph response `{"value":[…]}` reads its first
 * policy; diagnostics outside the policy object (envelope problems) carry no pointer.
 *
 * @example
 * const { policy, diagnostics } = readPolicyJson('{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true"}}');
 * // policy: { Version: 1, IncludeBasicClaimSet: true }, diagnostics: []
 */
export function readPolicyJson(text: string, options: ReadOptions = {}): PolicyReadResult {
  const target: Target = options.target ?? 'lenient';
  let layer: Layer;
  try {
    layer = readOuter(text);
  } catch (error) {
    // second line of defence behind the guards (threats P2)
    if (!(error instanceof RangeError)) throw error;
    layer = { findings: [{ code: 'CM1004', args: {} }], policy: undefined, locations: new Map(), envelope: 'raw' };
  }
  const diagnostics: Diagnostic[] = layer.findings.map((f) =>
    createDiagnostic(f.code, f.args, { span: f.span, pointer: f.pointer, related: f.related, hint: f.hint }, target),
  );
  return {
    policy: layer.policy,
    locations: layer.locations,
    diagnostics: sortDiagnostics(diagnostics),
    envelope: layer.envelope,
    ...(layer.displayName !== undefined ? { displayName: layer.displayName } : {}),
  };
}

function readOuter(text: string): Layer {
  // a text of n UTF-16 units holds at most 3n UTF-8 bytes: only a long one needs counting
  const size = text.length > limits.policyBytes / 3 ? utf8Length(text) : 0;
  if (size > limits.policyBytes) {
    return failed([{ code: 'CM1001', args: { size, limit: limits.policyBytes }, span: { start: 0, end: 0 } }]);
  }
  if (/^[\s\uFEFF]*$/.test(text)) return failed([{ code: 'CM1003', args: {}, span: { start: 0, end: 0 } }]);
  if (looksLikePowerShell(text)) {
    const ps = readPowerShellEnvelope(text);
    if (ps.definition === undefined) return { ...failed(ps.findings), envelope: 'powershell', displayName: ps.displayName };
    const inner = readEmbedded(ps.definition);
    return { ...inner, findings: [...ps.findings, ...inner.findings], envelope: 'powershell', displayName: ps.displayName };
  }
  return readJsonText(text, true);
}

function failed(findings: Finding[]): Layer {
  return { findings, policy: undefined, locations: new Map(), envelope: 'raw' };
}

/** Reads JSON text: guards, tree, envelope, model. `outer` allows the Graph envelope (one level of embedding). */
function readJsonText(text: string, outer: boolean): Layer {
  const parsed = parseJsonTreeWithin(text, limits.nestingDepth);
  if ('tooDeep' in parsed) return failed([{ code: 'CM1002', args: { limit: limits.nestingDepth }, span: parsed.tooDeep }]);
  const findings = parsed.findings;
  const root = parsed.root;
  if (root === undefined) {
    if (!parsed.hasSyntaxErrors) findings.push({ code: 'CM1003', args: {}, span: { start: 0, end: 0 } });
    return failed(findings);
  }
  const located = locatePolicy(root, text, outer, findings);
  if (located.embedded !== undefined) {
    const inner = readEmbedded(located.embedded);
    return { ...inner, findings: [...findings, ...inner.findings], envelope: 'graph', displayName: located.displayName };
  }
  let policy: ClaimsMappingPolicy | undefined;
  let locations: LocationIndex = new Map();
  if (located.policy !== undefined) {
    const mapper = new PolicyMapper();
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
  return { findings, policy, locations, envelope: located.envelope, displayName: located.displayName };
}

const within = (span: Span, outer: Span): boolean => span.start >= outer.start && span.start < outer.end;

/** Reads policy JSON embedded in a string and moves every span back to the outer file (D4). */
function readEmbedded(embedded: MappedText): Layer {
  const inner = readJsonText(embedded.text, false);
  const map = embedded.map;
  const findings = inner.findings.map((f) => ({
    ...f,
    span: f.span === undefined ? undefined : mapSpan(f.span, map),
    related: f.related?.map((r) => ({ ...r, span: mapSpan(r.span, map) })),
  }));
  const innerLocations = inner.locations;
  const toOuter = (location: Location): Location => ({ span: mapSpan(location.span, map), pointer: location.pointer });
  const locations = new LazyLocationIndex(
    (key) => {
      const location = innerLocations.get(key);
      return location === undefined ? undefined : toOuter(location);
    },
    () => {
      const outer = new Map<string, Location>();
      for (const [key, location] of innerLocations) outer.set(key, toOuter(location));
      return outer;
    },
    (pointer, offset, length) => {
      // through both layers: the string's own escapes, then the envelope string's
      const location = innerLocations.locateWithin?.(pointer, offset, length);
      return location === undefined ? undefined : toOuter(location);
    },
  );
  return { ...inner, findings, locations };
}

interface Located {
  readonly policy?: JsonNode;
  readonly embedded?: MappedText;
  readonly envelope: PolicyEnvelope;
  readonly displayName?: string;
}

function member(node: JsonObjectNode, name: string): { key: JsonStringNode; value: JsonNode | undefined } | undefined {
  return node.members.find((m) => m.key.value.toLowerCase() === name);
}

/** Finds the policy object in a document: D4's envelopes, detected by their keys. */
function locatePolicy(root: JsonNode, text: string, outer: boolean, findings: Finding[]): Located {
  if (root.kind !== 'object') {
    findings.push({ code: 'CM1301', args: { found: describeNode(root) }, span: root.span });
    return { envelope: 'raw' };
  }
  const wrapped = member(root, 'claimsmappingpolicy');
  if (wrapped !== undefined) {
    for (const m of root.members) {
      if (m !== wrapped && m.key.value !== '$schema' && !isPrototypeKey(m.key.value)) findings.push({ code: 'CM2001', args: { name: `"${m.key.value}"`, context: 'the document', known: 'ClaimsMappingPolicy' }, span: m.key.span });
    }
    return wrapped.value === undefined ? { envelope: 'raw' } : { policy: wrapped.value, envelope: 'raw' };
  }
  if (outer && member(root, 'definition') !== undefined) return graphBody(root, text, findings);
  const list = member(root, 'value');
  if (outer && list?.value?.kind === 'array') {
    const bodies = list.value.items;
    const first = bodies[0];
    if (first === undefined) {
      findings.push({ code: 'CM1309', args: {}, span: list.value.span });
      return { envelope: 'graph' };
    }
    if (bodies.length > 1) findings.push({ code: 'CM1308', args: { count: bodies.length }, span: bodies[1]?.span ?? list.value.span });
    if (first.kind !== 'object' || member(first, 'definition') === undefined) {
      findings.push({ code: 'CM1301', args: { found: 'a Graph response whose first item has no "definition"' }, span: first.span });
      return { envelope: 'graph' };
    }
    return graphBody(first, text, findings);
  }
  if (root.members.some((m) => policyKeys.has(m.key.value.toLowerCase()))) {
    findings.push({ code: 'CM1302', args: {}, span: { start: root.span.start, end: root.span.start + 1 }, pointer: '' });
    return { policy: root, envelope: 'raw' };
  }
  findings.push({ code: 'CM1301', args: { found: 'an object without "ClaimsMappingPolicy" or "definition"' }, span: { start: root.span.start, end: root.span.start + 1 } });
  return { envelope: 'raw' };
}

/** `{"definition": ["<policy JSON>"], "displayName": "…"}`: decodes the string with its offset map. */
function graphBody(body: JsonObjectNode, text: string, findings: Finding[]): Located {
  const name = member(body, 'displayname');
  let displayName: string | undefined;
  if (name === undefined) findings.push({ code: 'CM1306', args: {}, span: { start: body.span.start, end: body.span.start + 1 } });
  else if (name.value !== undefined && name.value.kind !== 'string') findings.push({ code: 'CM1307', args: { found: describeNode(name.value) }, span: name.value.span });
  else if (name.value !== undefined && name.value.kind === 'string') displayName = name.value.value;
  const definition = member(body, 'definition')?.value;
  const base = displayName === undefined ? { envelope: 'graph' as const } : { envelope: 'graph' as const, displayName };
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
