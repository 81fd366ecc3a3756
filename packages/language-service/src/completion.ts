import type { ClaimsMappingPolicy, MethodSignature } from '@claimc/model';
import {
  attributesOf,
  basicClaims,
  findMethod,
  groupFilterMatchOn,
  groupFilterTypes,
  jwtNameRestriction,
  methodSignatures,
  samlNameFormats,
  samlNameIdFormats,
  samlNameRestriction,
  sourceNames,
} from '@claimc/model';
import { optionalClaimRows, samlUris } from '@claimc/runtime/internal';
import { functionName } from '@claimc/syntax';
import type { CompletionItem, Position } from 'vscode-languageserver-types';
import { CompletionItemKind, InsertTextFormat } from 'vscode-languageserver-types';
import type { PolicyAnalysis, SnapshotKnowledge } from './analysis.js';
import { isClaimsFile, valuesAt } from './analysis.js';
import { offsetAt, positionAt } from './diagnostics.js';
import { attributeMarkdown, methodMarkdown } from './hover.js';

/** What the cursor is completing, found from the text before it. */
type Want =
  | { readonly kind: 'source' }
  | { readonly kind: 'attribute'; readonly source: string }
  | { readonly kind: 'extension' }
  | { readonly kind: 'method' }
  | { readonly kind: 'expression' }
  | { readonly kind: 'method-input'; readonly method: MethodSignature | undefined; readonly role: 'claim' | 'parameter' | 'output' }
  | { readonly kind: 'call-parameter'; readonly method: MethodSignature | undefined }
  | { readonly kind: 'claim-type'; readonly format: 'jwt' | 'saml' }
  | { readonly kind: 'transformation-id' }
  | { readonly kind: 'schema-id' }
  | { readonly kind: 'values'; readonly values: readonly string[] };

const dataSources = sourceNames.filter((s) => s !== 'transformation');

/**
 * Completion items at a position: sources, the IDs valid for the chosen source, transformation methods and their
 * parameter names, claim types, transformation and schema IDs, and directory extensions from a snapshot.
 * `analysis` is the current one; `readable` the last one that could be read (for the policy's own names).
 *
 * @example
 * const items = completeAt(analysis, analysis, { line: 3, character: 20 });
 */
export function completeAt(analysis: PolicyAnalysis, readable: PolicyAnalysis | undefined, position: Position, knowledge?: SnapshotKnowledge): CompletionItem[] {
  const offset = offsetAt(analysis.lines, position);
  const before = analysis.text.slice(Math.max(0, offset - 2000), offset);
  const found = isClaimsFile(analysis.fileName) ? claimsWant(before) : jsonWant(before, readable ?? analysis, offset);
  if (found === undefined) return [];
  const { want, prefix } = found;
  const range = { start: positionAt(analysis.lines, offset - prefix.length), end: position };
  const policy = (readable ?? analysis).read.policy;
  const items = itemsFor(want, policy, knowledge);
  return items.map((item) => ({ ...item, textEdit: { range, newText: item.insertText ?? item.label } }));
}

function itemsFor(want: Want, policy: ClaimsMappingPolicy | undefined, knowledge: SnapshotKnowledge | undefined): CompletionItem[] {
  switch (want.kind) {
    case 'source':
      return sourceNames.map((s) => ({ label: s, kind: CompletionItemKind.Module, detail: 'Source' }));
    case 'attribute': {
      const attributes = attributesOf(want.source) ?? [];
      const items: CompletionItem[] = attributes.map((a) => ({
        label: a.id,
        kind: CompletionItemKind.Field,
        detail: `${want.source}.${a.id}`,
        documentation: { kind: 'markdown', value: attributeMarkdown(want.source, a) },
        ...(a.undocumented === true ? { tags: [1] } : {}),
      }));
      if (want.source.toLowerCase() === 'user') items.push(...extensionItems(knowledge));
      return items;
    }
    case 'extension':
      return extensionItems(knowledge);
    case 'method':
      return methodSignatures.map((m) => ({
        label: m.name,
        kind: CompletionItemKind.Function,
        detail: m.extension ? 'TransformationMethod (claimc extension)' : 'TransformationMethod',
        documentation: { kind: 'markdown', value: methodMarkdown(m) },
      }));
    case 'expression':
      return [
        ...dataSources.map((s) => ({ label: `${s}.`, kind: CompletionItemKind.Module, detail: 'Source', command: { title: 'IDs', command: 'editor.action.triggerSuggest' } })),
        { label: 'transformation.', kind: CompletionItemKind.Module, detail: 'a transformation output' },
        ...methodSignatures.map((m) => ({
          label: functionName(m.name),
          kind: CompletionItemKind.Function,
          detail: m.name,
          documentation: { kind: 'markdown' as const, value: methodMarkdown(m) },
          insertText: `${functionName(m.name)}($1)`,
          insertTextFormat: InsertTextFormat.Snippet,
        })),
      ];
    case 'method-input': {
      const inputs = want.method?.inputs ?? [];
      if (want.role === 'output') return (want.method?.outputs ?? []).map((o) => ({ label: o, kind: CompletionItemKind.Property, detail: `output of ${want.method?.name ?? ''}` }));
      const wanted = inputs.filter((i) => i.kind === 'either' || i.kind === want.role);
      return wanted.map((i) => ({ label: i.name, kind: CompletionItemKind.Property, detail: `${i.kind === 'parameter' ? 'InputParameters' : 'InputClaims'} of ${want.method?.name ?? ''}${i.required ? '' : ' (optional)'}`, ...(i.values !== undefined ? { documentation: `One of: ${i.values.join(', ')}` } : {}) }));
    }
    case 'call-parameter':
      return (want.method?.inputs ?? []).map((i) => ({ label: `${i.name}:`, kind: CompletionItemKind.Property, detail: `${want.method?.name ?? ''} ${i.kind}${i.required ? '' : ' (optional)'}`, insertText: `${i.name}: ` }));
    case 'claim-type':
      return claimTypeItems(want.format);
    case 'transformation-id':
      return (policy?.ClaimsTransformation ?? []).map((t) => ({ label: t.ID, kind: CompletionItemKind.Reference, detail: t.TransformationMethod }));
    case 'schema-id': {
      const ids = new Set((policy?.ClaimsSchema ?? []).flatMap((e) => e.ID ?? e.ExtensionID ?? []));
      return [...ids].map((id) => ({ label: id, kind: CompletionItemKind.Reference, detail: 'ClaimsSchema ID' }));
    }
    case 'values':
      return want.values.map((v) => ({ label: v, kind: CompletionItemKind.EnumMember }));
  }
}

function extensionItems(knowledge: SnapshotKnowledge | undefined): CompletionItem[] {
  return (knowledge?.extensions ?? []).map((e) => ({ label: e, kind: CompletionItemKind.Field, detail: 'directory extension (from the snapshot)' }));
}

/** Claim names a policy may emit: the basic and optional claim names and SAML URIs that are not restricted. */
function claimTypeItems(format: 'jwt' | 'saml'): CompletionItem[] {
  const names =
    format === 'jwt'
      ? [...basicClaims.filter((c) => c.format === 'jwt').map((c) => c.name), ...optionalClaimRows.filter((r) => r.jwt).map((r) => r.name)]
      : [...basicClaims.filter((c) => c.format === 'saml').map((c) => c.name), ...optionalClaimRows.flatMap((r) => r.saml ?? []), ...Object.values(samlUris)];
  const usable = [...new Set(names)].filter((n) => (format === 'jwt' ? jwtNameRestriction(n) : samlNameRestriction(n, false)) === undefined);
  return usable.map((n) => ({ label: n, kind: CompletionItemKind.Value, detail: format === 'jwt' ? 'JWT claim' : 'SAML attribute' }));
}

const claimsSource = /\b(user|application|resource|audience|company)\.([A-Za-z0-9_]*)$/;

/** `.claims`: what the text before the cursor asks for. */
function claimsWant(before: string): { want: Want; prefix: string } | undefined {
  const source = claimsSource.exec(before);
  if (source !== null) return { want: { kind: 'attribute', source: source[1] ?? 'user' }, prefix: source[2] ?? '' };
  const method = /\btransform\s+[A-Za-z_]\w*\s*=\s*([A-Za-z]*)$/.exec(before);
  if (method !== null) return { want: { kind: 'method' }, prefix: method[1] ?? '' };
  const line = before.slice(before.lastIndexOf('\n') + 1);
  const blockItem = /^\s*(input|param|output)\s+([A-Za-z0-9_]*)$/.exec(line);
  if (blockItem !== null) {
    const blocks = [...before.matchAll(/\btransform\s+[A-Za-z_]\w*\s*=\s*([A-Za-z]+)\s*\{/g)];
    const name = blocks[blocks.length - 1]?.[1];
    const role = blockItem[1] === 'input' ? 'claim' : blockItem[1] === 'param' ? 'parameter' : 'output';
    return { want: { kind: 'method-input', method: name === undefined ? undefined : findMethod(name), role }, prefix: blockItem[2] ?? '' };
  }
  const via = /\bvia\s+([A-Za-z0-9_]*)$/.exec(before);
  if (via !== null) return { want: { kind: 'transformation-id' }, prefix: via[1] ?? '' };
  const claim = /\bclaim\s+(saml\s+")?([^\s"=]*)$/.exec(before);
  if (claim !== null) return { want: { kind: 'claim-type', format: claim[1] !== undefined ? 'saml' : 'jwt' }, prefix: claim[2] ?? '' };
  const saml = /^\s*saml\s+"([^"]*)$/.exec(line);
  if (saml !== null) return { want: { kind: 'claim-type', format: 'saml' }, prefix: saml[1] ?? '' };
  const expression = /(=|\(|,)\s*([A-Za-z_]\w*)?$/.exec(before);
  if (expression !== null) {
    const prefix = expression[2] ?? '';
    const call = enclosingCall(before.slice(0, before.length - prefix.length));
    if (call !== undefined && expression[1] !== '=') {
      return { want: { kind: 'call-parameter', method: methodSignatures.find((m) => functionName(m.name) === call) }, prefix };
    }
    return { want: { kind: 'expression' }, prefix };
  }
  return undefined;
}

/** The function name of the innermost unclosed call before the cursor, if any (strings skipped). */
function enclosingCall(before: string): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = before.length - 1; i >= 0; i--) {
    const c = before[i];
    if (c === '"' && before[i - 1] !== '\\') inString = !inString;
    if (inString) continue;
    if (c === '\n' && depth === 0) return undefined;
    if (c === ')') depth++;
    if (c === '(') {
      if (depth === 0) return /([A-Za-z_]\w*)\s*$/.exec(before.slice(0, i))?.[1];
      depth--;
    }
  }
  return undefined;
}

/** JSON in any envelope: the property whose value is being typed, and the entry it belongs to. */
function jsonWant(before: string, analysis: PolicyAnalysis, offset: number): { want: Want; prefix: string } | undefined {
  const value = /\\*"([A-Za-z_]+)\\*"\s*:\s*\\*"([^"\\]*)$/.exec(before);
  if (value === null) return undefined;
  const key = (value[1] ?? '').toLowerCase();
  const prefix = value[2] ?? '';
  const policy = analysis.read.policy;
  const place = valuesAt(analysis, offset).map((v) => v.canonical);
  const entryIndex = place.map((p) => /^\/ClaimsSchema\/(\d+)/.exec(p)?.[1]).find((i) => i !== undefined);
  const transformIndex = place.map((p) => /^\/ClaimsTransformation\/(\d+)/.exec(p)?.[1]).find((i) => i !== undefined);
  const entry = entryIndex === undefined ? undefined : policy?.ClaimsSchema?.[Number(entryIndex)];
  const transformation = transformIndex === undefined ? undefined : policy?.ClaimsTransformation?.[Number(transformIndex)];
  const method = transformation === undefined ? undefined : findMethod(transformation.TransformationMethod);
  const within = (part: string): boolean => place.some((p) => p.includes(`/${part}/`));
  switch (key) {
    case 'source':
      return { want: { kind: 'source' }, prefix };
    case 'id':
      if (within('InputParameters')) return { want: { kind: 'method-input', method, role: 'parameter' }, prefix };
      if (transformation !== undefined && entry === undefined) return undefined;
      if (entry?.Source?.toLowerCase() === 'transformation') {
        const outputs = (policy?.ClaimsTransformation ?? []).flatMap((t) => (t.OutputClaims ?? []).map((o) => o.ClaimTypeReferenceId));
        return { want: { kind: 'values', values: [...new Set(outputs)] }, prefix };
      }
      return { want: { kind: 'attribute', source: entry?.Source ?? 'user' }, prefix };
    case 'extensionid':
      return { want: { kind: 'extension' }, prefix };
    case 'transformationmethod':
      return { want: { kind: 'method' }, prefix };
    case 'transformationid':
      return { want: { kind: 'transformation-id' }, prefix };
    case 'claimtypereferenceid':
      return { want: { kind: 'schema-id' }, prefix };
    case 'transformationclaimtype':
      return { want: { kind: 'method-input', method, role: within('OutputClaims') ? 'output' : 'claim' }, prefix };
    case 'jwtclaimtype':
      return { want: { kind: 'claim-type', format: 'jwt' }, prefix };
    case 'samlclaimtype':
      return { want: { kind: 'claim-type', format: 'saml' }, prefix };
    case 'samlnameform':
      return { want: { kind: 'values', values: Object.values(samlNameFormats) }, prefix };
    case 'samlnameidformat':
      return { want: { kind: 'values', values: Object.values(samlNameIdFormats) }, prefix };
    case 'matchon':
      return { want: { kind: 'values', values: groupFilterMatchOn }, prefix };
    case 'type':
      return { want: { kind: 'values', values: groupFilterTypes }, prefix };
    default:
      return undefined;
  }
}
