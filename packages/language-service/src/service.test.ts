import { describe, expect, it } from 'vitest';
import { suggestClaimName } from '@claimc/model';
import { build } from 'esbuild';
import { analyzePolicy, completeAt, defaultSettings, fixEdit, hoverAt, looksLikePolicy, positionAt, quickFixes, snapshotKnowledge } from './index.js';

// Unit tests of the editor-independent services; the stdio server built on them is tested in packages/cli/test/lsp/.

const apply = (text: string, start: number, end: number, newText: string): string => text.slice(0, start) + newText + text.slice(end);

describe('quick fixes in every envelope', () => {
  it('PowerShell: the misspelt ID and the missing TransformationId, with the inner JSON\'s own quotes', () => {
    const policy = JSON.stringify({
      ClaimsMappingPolicy: {
        Version: 1,
        ClaimsSchema: [{ Source: 'user', ID: 'objected' }, { Source: 'transformation', ID: 'o', JwtClaimType: 'x' }],
        ClaimsTransformation: [{ ID: 'T', TransformationMethod: 'ToLowercase', InputClaims: [{ ClaimTypeReferenceId: 'objected', TransformationClaimType: 'mail' }], OutputClaims: [{ ClaimTypeReferenceId: 'o', TransformationClaimType: 'outputClaim' }] }],
      },
    });
    let text = `New-MgPolicyClaimMappingPolicy -Definition @('${policy}') -DisplayName "p"\n`;
    for (let round = 0; round < 2; round++) {
      const analysis = analyzePolicy(text, 'p.ps1', defaultSettings);
      const fixable = analysis.diagnostics.find((d) => d.fix !== undefined);
      const edit = fixable?.fix === undefined ? undefined : fixEdit(analysis, fixable.fix);
      if (edit === undefined) throw new Error('a fix was expected');
      const start = analysis.lines.lineStart(edit.range.start.line + 1) + edit.range.start.character;
      const end = analysis.lines.lineStart(edit.range.end.line + 1) + edit.range.end.character;
      text = apply(text, start, end, edit.newText);
    }
    expect(text).toContain('"ID":"objectid"');
    expect(text).toContain('"Source":"transformation", "TransformationId": "T"');
    expect(analyzePolicy(text, 'p.ps1').diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['CM3014']);
  });

  it('raw JSON: a directory extension under ID, an ID without Source, a GroupFilter typo, a method parameter typo', () => {
    const fixAll = (start: string): string => {
      let text = start;
      for (let round = 0; round < 6; round++) {
        const analysis = analyzePolicy(text, 'p.json');
        const fixable = analysis.diagnostics.find((d) => d.fix !== undefined && fixEdit(analysis, d.fix) !== undefined);
        if (fixable?.fix === undefined) return text;
        const edit = fixEdit(analysis, fixable.fix)!;
        const offset = (p: { line: number; character: number }): number => analysis.lines.lineStart(p.line + 1) + p.character;
        text = apply(text, offset(edit.range.start), offset(edit.range.end), edit.newText);
      }
      return text;
    };
    const fixed = fixAll(
      JSON.stringify({
        ClaimsMappingPolicy: {
          Version: 1,
          ClaimsSchema: [
            { Source: 'user', ID: 'extension_0123456789abcdef0123456789abcdef_badge', JwtClaimType: 'badge' },
            { ID: 'mail', JwtClaimType: 'email_address' },
            { Source: 'transformation', ID: 'o', TransformationId: 'T', JwtClaimType: 'o' },
          ],
          ClaimsTransformation: [{ ID: 'T', TransformationMethod: 'Join', InputClaims: [{ ClaimTypeReferenceId: 'mail', TransformationClaimType: 'string1' }], InputParameters: [{ ID: 'string2', Value: 'x' }, { ID: 'seperator', Value: '.' }], OutputClaims: [{ ClaimTypeReferenceId: 'o', TransformationClaimType: 'outputClaim' }] }],
          GroupFilter: { MatchOn: 'displaynme', Type: 'prefix', Value: 'S' },
        },
      }),
    );
    expect(fixed).toContain('"ExtensionID":"extension_0123456789abcdef0123456789abcdef_badge"');
    expect(fixed).toContain('"ID":"mail", "Source": "user"');
    expect(fixed).toContain('"ID":"separator"');
    expect(fixed).toContain('"MatchOn":"displayname"');
    expect(analyzePolicy(fixed, 'p.json').diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code)).toEqual([]);
  });

  it('a fix whose value is not written as the catalog spells it, or would need escaping, is not offered', () => {
    const analysis = analyzePolicy('{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":[{"Source":"user","ID":"objected"}]}}', 'p.json');
    const span = analysis.diagnostics[0]!.span!;
    expect(fixEdit(analysis, { kind: 'replace', title: 't', span, from: 'elsewhere', to: 'x' })).toBeUndefined();
    expect(fixEdit(analysis, { kind: 'replace', title: 't', span, from: 'objected', to: 'a"b' })).toBeUndefined();
    expect(quickFixes(analysis, 'file:///p.json', { start: positionAt(analysis.lines, span.start), end: positionAt(analysis.lines, span.end) }).map((a) => a.title)).toEqual(['Change to "objectid"']);
  });

  it('suggested claim names are usable and close to the refused one', () => {
    expect(suggestClaimName('xms_tenant', 'jwt')).toBe('tenant');
    expect(suggestClaimName('extn.badge', 'jwt')).toBe('badge');
    expect(suggestClaimName('upn', 'jwt')).toBe('upn_custom');
    expect(suggestClaimName('café', 'jwt')).toBe('cafe');
    expect(suggestClaimName('cnf.jwk', 'jwt')).toBe('cnf_jwk');
    expect(suggestClaimName('http://schemas.microsoft.com/identity/claims/tenantid', 'saml')).toBeUndefined();
  });
});

describe('which documents are policies', () => {
  it('.claims files, and JSON or PowerShell with a ClaimsMappingPolicy key; not other JSON, not a directory snapshot', () => {
    expect(looksLikePolicy('a.claims', '')).toBe(true);
    expect(looksLikePolicy('p.json', '{ "claimsMappingPolicy": { "Version": 1 } }')).toBe(true);
    expect(looksLikePolicy('g.json', '{"definition":["{\\"ClaimsMappingPolicy\\":{}}"]}')).toBe(true);
    expect(looksLikePolicy('p.ps1', `New-AzureADPolicy -Definition @('{"ClaimsMappingPolicy":{}}')`)).toBe(true);
    expect(looksLikePolicy('package.json', '{"name":"ClaimsMappingPolicy"}')).toBe(false);
    expect(looksLikePolicy('snapshot.json', '{"claimsMappingPolicies":[{"definition":["{\\"ClaimsMappingPolicy\\":{}}"]}]}')).toBe(false);
  });
});

describe('completion and hover', () => {
  const claims = 'policy {\n  claim j = join(user.mail, "x", sep)\n}\n';
  it('.claims: parameter names inside a call, sources and functions after `=`', () => {
    const analysis = analyzePolicy(claims, 'p.claims');
    const inCall = completeAt(analysis, analysis, positionAt(analysis.lines, claims.indexOf('sep)') + 3)).map((i) => i.label);
    expect(inCall).toEqual(['string1:', 'string2:', 'separator:']);
    const afterEquals = completeAt(analysis, analysis, positionAt(analysis.lines, claims.indexOf('join'))).map((i) => i.label);
    expect(afterEquals).toEqual(expect.arrayContaining(['user.', 'company.', 'join', 'regexReplace', 'extractMailPrefix']));
  });

  it('JSON: hover on a claim name tells the tokens and its share of the size bound', () => {
    const text = '{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":[{"Source":"user","ID":"streetaddress","JwtClaimType":"street"}]}}';
    const analysis = analyzePolicy(text, 'p.json');
    const hover = hoverAt(analysis, positionAt(analysis.lines, text.indexOf('street"') + 1));
    const value = (hover?.contents as { value: string }).value;
    expect(value).toContain('ID and access tokens');
    expect(value).toMatch(/Up to 10\d\d bytes of the ID token/);
    const onId = hoverAt(analysis, positionAt(analysis.lines, text.indexOf('streetaddress') + 1));
    expect((onId?.contents as { value: string }).value).toContain('at most 1024 characters');
  });

  it('snapshot knowledge: extensions from users and declared extension properties; the application by name', () => {
    const knowledge = snapshotKnowledge(
      {
        users: [{ id: 'u', extension_0123456789abcdef0123456789abcdef_badge: 'x' }],
        applications: [{ appId: '01234567-89ab-cdef-0123-456789abcdef', displayName: 'App', extensionProperties: [{ name: 'costCenter' }], groupMembershipClaims: 'All' }],
      },
      'app',
    );
    expect(knowledge.extensions).toEqual(['extension_0123456789abcdef0123456789abcdef_badge', 'extension_0123456789abcdef0123456789abcdef_costCenter']);
    expect(knowledge.application?.groupMembershipClaims).toBe('All');
    expect(snapshotKnowledge('not a snapshot')).toEqual({ extensions: [] });
  });
});

describe('no Node APIs', () => {
  it('bundles for the browser: nothing imports a Node built-in', async () => {
    const result = await build({
      entryPoints: [new URL('./index.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      conditions: ['@claimc/source'],
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => i.startsWith('node:') || /(^|\/)(fs|path|child_process|os)$/.test(i))).toEqual([]);
    expect(inputs.some((i) => i.includes('language-service/src/index.ts'))).toBe(true);
  }, 30_000);
});
