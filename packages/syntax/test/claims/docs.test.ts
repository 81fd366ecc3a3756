import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClaimsMappingPolicy } from '@claimc/model';
import { readPolicy } from '../../src/read.js';
import { formatClaims } from '../../src/claims/format.js';
import { printPolicyClaims } from '../../src/claims/print.js';
import { readPolicyClaims } from '../../src/claims/read-claims.js';

const root = join(import.meta.dirname, '../../../..');
const language = readFileSync(join(root, 'docs/language.md'), 'utf8');

/** Every ```claims block, with the ```json block that directly follows it, if any. */
function examples(markdown: string): { line: number; claims: string; json: string | undefined }[] {
  const found: { line: number; claims: string; json: string | undefined }[] = [];
  const fence = /```claims\n([\s\S]*?)```(?:\n\n```json\n([\s\S]*?)```)?/g;
  for (let m = fence.exec(markdown); m !== null; m = fence.exec(markdown)) {
    found.push({ line: markdown.slice(0, m.index).split('\n').length, claims: m[1] ?? '', json: m[2] });
  }
  return found;
}

describe('docs/language.md cannot rot', () => {
  const blocks = examples(language);

  it('has examples, most of them paired with their JSON', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(12);
    expect(blocks.filter((b) => b.json !== undefined).length).toBe(blocks.length);
  });

  it.each(blocks.map((b) => [b.line, b] as const))('the example at line %i reads without errors, is formatted, and builds its JSON', (_line, block) => {
    const read = readPolicyClaims(block.claims);
    expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(formatClaims(block.claims).text).toBe(block.claims);
    if (block.json === undefined) return;
    const json = readPolicy(block.json, { fileName: 'example.json' });
    expect(json.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(read.policy).toEqual(json.policy);
  });
});

describe('docs/examples and grammar/samples', () => {
  const dir = join(root, 'docs/examples');
  const jsonFiles = readdirSync(dir).filter((f) => /\.(json|ps1)$/.test(f));

  it.each(jsonFiles)('%s decompiles to .claims that builds back to the same policy', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const json = readPolicy(text, { fileName: file });
    expect(json.policy).toBeDefined();
    const claims = printPolicyClaims(json.policy as ClaimsMappingPolicy, json.displayName === undefined ? {} : { displayName: json.displayName });
    const built = readPolicyClaims(claims);
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(built.policy).toEqual(json.policy);
  });

  it.each(jsonFiles)('%s has a .claims twin that builds to the same policy', (file) => {
    const twin = file.replace(/(\.graph)?\.(json|ps1)$/, '.claims');
    const json = readPolicy(readFileSync(join(dir, file), 'utf8'), { fileName: file });
    const claimsText = readFileSync(join(dir, twin), 'utf8');
    const claims = readPolicyClaims(claimsText);
    expect(claims.policy).toEqual(json.policy);
    expect(formatClaims(claimsText).text).toBe(claimsText);
  });

  const samples = readdirSync(join(root, 'grammar/samples')).filter((f) => f.endsWith('.claims'));
  it.each(samples)('grammar/samples/%s reads without errors and is formatted', (file) => {
    const text = readFileSync(join(root, 'grammar/samples', file), 'utf8');
    expect(readPolicyClaims(text).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(formatClaims(text).text).toBe(text);
  });
});
