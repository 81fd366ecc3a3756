import type { MethodSignature, SourceAttribute } from '@claimc/model';
import { attributesOf, basicClaims, findAttribute, findMethod, findMethodInput, jwtNameRestriction, limits, samlNameRestriction, valueLimitOf } from '@claimc/model';
import { tokenSizeBounds } from '@claimc/compiler';
import { issuedJwtClaims, optionalClaimRows } from '@claimc/runtime/internal';
import type { Hover, Position } from 'vscode-languageserver-types';
import type { LocatedValue, PolicyAnalysis, SnapshotKnowledge } from './analysis.js';
import { valuesAt } from './analysis.js';
import { offsetAt, rangeOf } from './diagnostics.js';

/** The Graph object each data source reads; the attribute rows say which property. */
const sourceObjects: Readonly<Record<string, string>> = {
  user: 'the signed-in user (Graph `user`)',
  application: 'the client application\'s service principal (Graph `servicePrincipal`)',
  resource: 'the resource\'s service principal (Graph `servicePrincipal`)',
  audience: 'the audience\'s service principal (Graph `servicePrincipal`)',
  company: 'the tenant (Graph `organization`)',
  transformation: 'the output of a ClaimsTransformation named by `TransformationId`',
};

const code = (s: string): string => '`' + s.replace(/`/g, "'") + '`';

/** Markdown for a Source: what it reads and its IDs. @example sourceMarkdown('company') */
export function sourceMarkdown(source: string): string {
  const lower = source.toLowerCase();
  const ids = attributesOf(lower)?.map((a) => a.id) ?? [];
  return [`**Source ${code(lower)}**: reads ${sourceObjects[lower] ?? 'nothing Entra documents'}.`, ids.length > 0 ? `IDs: ${ids.map(code).join(', ')}` : ''].filter((s) => s !== '').join('\n\n');
}

/** Markdown for a Source/ID pair from the knowledge base: the Graph property, type, documented length, default claims that carry it. */
export function attributeMarkdown(source: string, attribute: SourceAttribute): string {
  const read = attribute.read.kind === 'graph' ? `Graph ${code(attribute.read.path.join('.'))}` : `derived (${attribute.read.derivation})`;
  const limit = valueLimitOf(source, attribute.id);
  const carriers = basicClaims.filter((c) => c.source === source.toLowerCase() && c.id === attribute.id.toLowerCase());
  const lines = [
    `**${code(`${source.toLowerCase()}.${attribute.id}`)}** reads ${read}: ${attribute.type}, ${attribute.multiValued ? (attribute.emitsAllValues ? 'multi-valued (every value emitted)' : 'multi-valued (first value emitted)') : 'single-valued'}, at most ${limit.chars} characters (${limit.basis}).`,
    attribute.note ?? '',
    attribute.nameIdSource === true ? 'Allowed as the SAML NameID source.' : '',
    attribute.undocumented === true ? 'Not documented by Entra: a warning, an error under `--target entra`.' : '',
    carriers.length > 0 ? `In the basic claim set: ${carriers.map((c) => (c.format === 'jwt' ? `JWT ${code(c.name)} (v${(c.versions ?? []).join(', v')})` : `SAML ${code(c.name)}`)).join('; ')}.` : '',
  ];
  return lines.filter((s) => s !== '').join('\n\n');
}

/** Markdown for a transformation method: its summary and signature from the knowledge base. */
export function methodMarkdown(method: MethodSignature): string {
  const inputs = method.inputs.map((i) => `${code(i.name)} (${i.kind === 'either' ? 'claim or parameter' : i.kind}${i.required ? '' : ', optional'}${i.values !== undefined ? `: ${i.values.join(' | ')}` : ''})`);
  return [
    `**${code(method.name)}**${method.extension ? ' (admin-center function, a claimc extension)' : ''}: ${method.summary}`,
    inputs.length > 0 ? `Inputs: ${inputs.join(', ')}` : method.singleInputAnyName === true ? 'Input: one claim under any name.' : '',
    `Outputs: ${method.outputs.map(code).join(', ')}`,
  ]
    .filter((s) => s !== '')
    .join('\n\n');
}

/** Markdown for a claim name: which tokens carry it, whether Entra restricts it, and its share of the token-size bound. */
function claimMarkdown(analysis: PolicyAnalysis, format: 'jwt' | 'saml', name: string, entry: number, knowledge: SnapshotKnowledge | undefined): string {
  const restriction = format === 'jwt' ? jwtNameRestriction(name) : samlNameRestriction(name, false);
  const issued = format === 'jwt' ? issuedJwtClaims.find((r) => r.name === name) : undefined;
  const optional = optionalClaimRows.find((r) => (format === 'jwt' ? r.name === name : r.saml === name));
  const shares =
    analysis.bound === undefined
      ? []
      : tokenSizeBounds(analysis.bound, knowledge?.application)
          .filter((b) => (format === 'jwt') === (b.token !== 'SAML assertion'))
          .flatMap((b) => b.shares.filter((s) => s.entry === entry).map((s) => `${s.bytes} bytes of the ${b.token} (bound ${b.bytes})`));
  return [
    `**${format === 'jwt' ? 'JWT claim' : 'SAML attribute'} ${code(name)}**: carried by ${format === 'jwt' ? 'ID and access tokens (v1 and v2) of applications that accept mapped claims' : 'the SAML assertion'}.`,
    restriction !== undefined ? `Refused: ${restriction.replace(/-/g, ' ')}.` : '',
    issued !== undefined ? `Entra also issues ${code(name)} itself: ${issued.note}` : '',
    optional !== undefined ? `Also an optional claim: ${optional.note}` : '',
    shares.length > 0 ? `Up to ${shares.join('; ')}.` : '',
  ]
    .filter((s) => s !== '')
    .join('\n\n');
}

// Which located value answers a hover when several share the smallest span (`.claims` inline calls locate several at once).
const priority = ['/TransformationMethod', '/ID', '/ExtensionID', '/Source', '/TransformationId', '/ClaimTypeReferenceId', '/TransformationClaimType', '/JwtClaimType', '/SamlClaimType'];
const rank = (v: LocatedValue): number => {
  const i = priority.findIndex((p) => v.canonical.endsWith(p));
  return i < 0 ? priority.length : i;
};

/**
 * Hover documentation for the value under the cursor, from the knowledge base: sources, IDs, methods and their
 * parameters, claim names (tokens that carry them, restrictions, size share), references to transformations and entries.
 *
 * @example
 * const hover = hoverAt(analysis, { line: 4, character: 18 });
 */
export function hoverAt(analysis: PolicyAnalysis, position: Position, knowledge?: SnapshotKnowledge): Hover | undefined {
  const offset = offsetAt(analysis.lines, position);
  const here = valuesAt(analysis, offset);
  const smallest = here[0];
  if (smallest === undefined) return undefined;
  const size = (v: LocatedValue): number => v.location.span.end - v.location.span.start;
  const best = here.filter((v) => size(v) === size(smallest)).sort((a, b) => rank(a) - rank(b))[0] ?? smallest;
  const value = describe(analysis, best, knowledge);
  return value === undefined ? undefined : { contents: { kind: 'markdown', value }, range: rangeOf(analysis.lines, best.location.span) };
}

function describe(analysis: PolicyAnalysis, located: LocatedValue, knowledge: SnapshotKnowledge | undefined): string | undefined {
  const policy = analysis.read.policy;
  if (policy === undefined) return undefined;
  const entryMatch = /^\/ClaimsSchema\/(\d+)\/(\w+)$/.exec(located.canonical);
  if (entryMatch !== null) {
    const index = Number(entryMatch[1]);
    const entry = policy.ClaimsSchema?.[index];
    if (entry === undefined) return undefined;
    switch (entryMatch[2]) {
      case 'Source':
        return sourceMarkdown(entry.Source ?? '');
      case 'ID': {
        if (entry.Source?.toLowerCase() === 'transformation') return `**${code(entry.ID ?? '')}**: the output of transformation ${code(entry.TransformationId ?? '?')}.`;
        const attribute = findAttribute(entry.Source ?? '', entry.ID ?? '');
        return attribute === undefined ? undefined : attributeMarkdown(entry.Source ?? '', attribute);
      }
      case 'ExtensionID':
        return `**${code(entry.ExtensionID ?? '')}**: a directory extension on the user, read case-sensitively; a String extension holds at most 256 characters.${knowledge?.extensions.includes(entry.ExtensionID ?? '') === true ? ' Present in the configured snapshot.' : ''}`;
      case 'JwtClaimType':
        return claimMarkdown(analysis, 'jwt', entry.JwtClaimType ?? '', index, knowledge);
      case 'SamlClaimType':
        return claimMarkdown(analysis, 'saml', entry.SamlClaimType ?? '', index, knowledge);
      case 'TransformationId': {
        const t = policy.ClaimsTransformation?.find((x) => x.ID.toLowerCase() === entry.TransformationId?.toLowerCase());
        const method = t === undefined ? undefined : findMethod(t.TransformationMethod);
        return t === undefined ? undefined : `**Transformation ${code(t.ID)}**\n\n${method !== undefined ? methodMarkdown(method) : code(t.TransformationMethod)}`;
      }
      default:
        return undefined;
    }
  }
  const transformMatch = /^\/ClaimsTransformation\/(\d+)\/(\w+)(?:\/(\d+)\/(\w+))?$/.exec(located.canonical);
  if (transformMatch === null) return undefined;
  const t = policy.ClaimsTransformation?.[Number(transformMatch[1])];
  if (t === undefined) return undefined;
  const method = findMethod(t.TransformationMethod);
  const field = transformMatch[2];
  if (field === 'TransformationMethod' || (field === 'ID' && transformMatch[3] === undefined)) return method === undefined ? undefined : methodMarkdown(method);
  const item = transformMatch[3] === undefined ? undefined : Number(transformMatch[3]);
  if (item === undefined) return undefined;
  if (transformMatch[4] === 'ClaimTypeReferenceId') {
    const ref = field === 'InputClaims' ? t.InputClaims?.[item]?.ClaimTypeReferenceId : t.OutputClaims?.[item]?.ClaimTypeReferenceId;
    const target = policy.ClaimsSchema?.find((e) => (e.ID ?? e.ExtensionID)?.toLowerCase() === ref?.toLowerCase());
    if (target === undefined) return undefined;
    const attribute = findAttribute(target.Source ?? '', target.ID ?? '');
    const reads = attribute !== undefined ? attributeMarkdown(target.Source ?? '', attribute) : target.Value !== undefined ? `the constant ${code(target.Value)}` : code(`${target.Source ?? ''}.${target.ID ?? target.ExtensionID ?? ''}`);
    return `**ClaimsSchema ${code(ref ?? '')}** (${field === 'InputClaims' ? 'read by' : 'written by'} ${code(t.ID)})\n\n${reads}`;
  }
  const name = field === 'InputParameters' ? t.InputParameters?.[item]?.ID : field === 'InputClaims' ? t.InputClaims?.[item]?.TransformationClaimType : t.OutputClaims?.[item]?.TransformationClaimType;
  const input = name === undefined ? undefined : findMethodInput(method, name);
  if (method === undefined || name === undefined) return undefined;
  if (input === undefined) return method.outputs.some((o) => o.toLowerCase() === name.toLowerCase()) ? `**${code(name)}**: output of ${code(method.name)}.` : undefined;
  return `**${code(input.name)}** of ${code(method.name)}: ${input.kind === 'either' ? 'a claim or a parameter' : `an input ${input.kind}`}${input.required ? '' : ', optional'}${input.values !== undefined ? `; one of ${input.values.map(code).join(', ')}` : ''}${input.integer === true ? '; a non-negative integer' : ''}. Values longer than ${limits.valueLength} characters are absent, never truncated.`;
}
