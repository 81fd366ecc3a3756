import { describe, expect, it } from 'vitest';
import { LineMap, type Diagnostic } from '@claimc/model';
import { readPolicies, readPolicy, selectPolicy } from '../read.js';

const at = (text: string, diagnostics: readonly Diagnostic[]) => {
  const lines = new LineMap(text);
  return diagnostics.map((d) => ({ code: d.code, ...lines.position(d.span?.start ?? 0) }));
};
/** Line and column of the first occurrence of `needle` after `from`. */
const find = (text: string, needle: string, from = 0) => {
  const index = text.indexOf(needle, from);
  if (index < 0) throw new Error(`test setup: ${needle} not in text`);
  return new LineMap(text).position(index);
};
const definition = (id: string, basic = 'true') =>
  JSON.stringify(`{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"${basic}","ClaimsSchema":[{"Source":"user","ID":"${id}","JwtClaimType":"${id}"}]}}`);

describe('Graph collection GET /policies/claimsMappingPolicies', () => {
  const text = [
    '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#policies/claimsMappingPolicies","value":[',
    `  {"id":"11111111-0000-0000-0000-000000000001","deletedDateTime":null,"displayName":"Employee id","isOrganizationDefault":false,"definition":[${definition('employeeid')}]},`,
    `  {"id":"11111111-0000-0000-0000-000000000002","deletedDateTime":null,"displayName":"Department","isOrganizationDefault":false,"definition":[${definition('department', 'nope')}]},`,
    '  42',
    ']}',
  ].join('\n');

  it('reads every policy, each with its id, name and diagnostics located in the file', () => {
    const result = readPolicies(text, { fileName: 'policies.json' });
    expect(result.envelope).toBe('graph');
    expect(result.policies.map((p) => [p.id, p.displayName])).toEqual([
      ['11111111-0000-0000-0000-000000000001', 'Employee id'],
      ['11111111-0000-0000-0000-000000000002', 'Department'],
    ]);
    expect(result.policies[1]?.policy?.ClaimsSchema?.[0]?.ID).toBe('department');
    expect(at(text, result.policies[0]!.diagnostics)).toEqual([]);
    expect(at(text, result.policies[1]!.diagnostics)).toEqual([{ code: 'CM2005', ...find(text, '\\"nope\\"') }]);
    expect(at(text, result.diagnostics)).toEqual([{ code: 'CM1408', line: 4, column: 3 }]);
    const second = result.policies[1]!.locations.get('/ClaimsSchema/0/ID');
    expect(new LineMap(text).position(second!.span.start)).toEqual(find(text, '\\"department\\"', text.indexOf('Department')));
  });

  it('readPolicy still reads one, warning at the second', () => {
    const one = readPolicy(text, { fileName: 'policies.json' });
    expect(one.id).toBe('11111111-0000-0000-0000-000000000001');
    expect(at(text, one.diagnostics).map((d) => d.code)).toEqual(['CM1308', 'CM1408']);
  });

  it('selects by id, display name or Terraform resource name', () => {
    const { policies } = readPolicies(text);
    expect(selectPolicy(policies, 'department')?.id).toBe('11111111-0000-0000-0000-000000000002');
    expect(selectPolicy(policies, '11111111-0000-0000-0000-000000000001')?.displayName).toBe('Employee id');
    expect(selectPolicy(policies, 'nothing')).toBeUndefined();
  });
});

describe('Terraform', () => {
  const tf = [
    'terraform {',
    '  required_providers { azuread = { source = "hashicorp/azuread" } }',
    '}',
    '',
    '# the employee id policy',
    'resource "azuread_claims_mapping_policy" "employee" {',
    '  definition = [',
    '    jsonencode({',
    '      ClaimsMappingPolicy = {',
    '        Version              = 1',
    '        IncludeBasicClaimSet = "nope"',
    '        ClaimsSchema = [',
    '          { Source = "user", ID = "employeeid", "JwtClaimType" : "employeeid" },',
    '        ]',
    '      }',
    '    })',
    '  ]',
    '  display_name = "Employee id"',
    '}',
    '',
    'resource "azuread_claims_mapping_policy" "from_var" {',
    '  definition   = [jsonencode(var.policy)]',
    '  display_name = "From a variable"',
    '}',
    '',
    'resource "azuread_claims_mapping_policy" "heredoc" {',
    '  definition = [<<-EOT',
    '    {"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true","ClaimsSchema":[{"Source":"user","ID":"mail","SamlClaimType":"x"}]}}',
    '  EOT',
    '  ]',
    '  display_name = "Heredoc"',
    '}',
  ].join('\n');

  it('reads jsonencode literals and heredocs with positions in the .tf file; a variable is one CM1401', () => {
    const result = readPolicies(tf, { fileName: 'main.tf' });
    expect(result.envelope).toBe('terraform');
    expect(result.diagnostics).toEqual([]);
    const [employee, fromVar, heredoc] = result.policies;
    expect(employee?.id).toBe('azuread_claims_mapping_policy.employee');
    expect(employee?.policy).toEqual({ Version: 1, ClaimsSchema: [{ Source: 'user', ID: 'employeeid', JwtClaimType: 'employeeid' }] });
    expect(at(tf, employee!.diagnostics)).toEqual([{ code: 'CM2005', line: 11, column: 32 }]);
    expect(new LineMap(tf).position(employee!.locations.get('/ClaimsSchema/0/ID')!.span.start)).toEqual(find(tf, '"employeeid"'));
    expect(fromVar?.policy).toBeUndefined();
    expect(at(tf, fromVar!.diagnostics)).toEqual([{ code: 'CM1401', line: 22, column: 30 }]);
    expect(heredoc?.displayName).toBe('Heredoc');
    expect(new LineMap(tf).position(heredoc!.locations.get('/ClaimsSchema/0/ID')!.span.start)).toEqual(find(tf, '"mail"'));
  });

  it('reports a file without the resource once', () => {
    const text = 'resource "azuread_application" "app" {\n  display_name = "x"\n}\n';
    const result = readPolicies(text, { fileName: 'app.tf' });
    expect(result.policies).toEqual([]);
    expect(at(text, result.diagnostics)).toEqual([{ code: 'CM1402', line: 1, column: 1 }]);
  });

  it('reads `terraform show -json` state, in nested modules', () => {
    const state = JSON.stringify(
      {
        format_version: '1.0',
        values: {
          root_module: {
            child_modules: [
              {
                resources: [
                  { address: 'module.claims.azuread_claims_mapping_policy.x', type: 'azuread_claims_mapping_policy', values: { definition: [JSON.parse(definition('employeeid', 'nope'))], display_name: 'X' } },
                ],
              },
            ],
          },
        },
      },
      null,
      2,
    );
    const result = readPolicies(state, { fileName: 'state.json' });
    expect(result.policies.map((p) => [p.id, p.displayName, p.envelope])).toEqual([['module.claims.azuread_claims_mapping_policy.x', 'X', 'terraform']]);
    expect(at(state, result.policies[0]!.diagnostics)).toEqual([{ code: 'CM2005', ...find(state, '\\"nope\\"') }]);
  });
});

describe('az rest', () => {
  it('reads the single-quoted --body as a Graph body, positions in the command line', () => {
    const text = `az rest --method post \\\n  --url https://graph.microsoft.com/v1.0/policies/claimsMappingPolicies \\\n  --body '{"displayName":"Az","definition":["{\\"ClaimsMappingPolicy\\":{\\"Version\\":1,\\"IncludeBasicClaimSet\\":\\"nope\\"}}"]}'\n`;
    const result = readPolicies(text, { fileName: 'create.sh' });
    expect(result.envelope).toBe('azcli');
    expect(result.policies[0]?.displayName).toBe('Az');
    expect(at(text, result.policies[0]!.diagnostics)).toEqual([{ code: 'CM2005', ...find(text, '\\"nope\\"') }]);
  });

  it.each([
    ['az rest --method post --url x --body @policy.json', 'CM1405', 38],
    ['az rest --method post --url x --body "$BODY"', 'CM1405', 39],
    ["az rest --method post --url x --body '{\"definition\":", 'CM1406', 38],
    ['az rest --method get --url x', 'CM1407', 1],
  ])('%s → one %s', (text, code, column) => {
    const result = readPolicies(text);
    expect(result.policies).toEqual([]);
    expect(at(text, result.diagnostics)).toEqual([{ code, line: 1, column }]);
  });
});

describe('the new envelopes never throw', () => {
  const prefixes = [
    'resource "azuread_claims_mapping_policy" "x" {\n  definition = [jsonencode(',
    'resource "azuread_claims_mapping_policy" "x" {\n  definition = [<<EOT\n',
    "az rest --method post --url u --body '",
    'az rest --body "',
    '{"value":[{"definition":[',
    '{"format_version":"1.0","values":{"root_module":{"resources":[{"type":"azuread_claims_mapping_policy","values":',
  ];
  it('on any text after each envelope prefix (property, 300 runs each)', async () => {
    const fc = (await import('fast-check')).default;
    for (const prefix of prefixes) {
      fc.assert(
        fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (tail) => {
          const result = readPolicies(prefix + tail, { fileName: prefix.startsWith('resource') ? 'main.tf' : 'x.json' });
          expect(result.policies.every((p) => p.diagnostics.every((d) => typeof d.code === 'string'))).toBe(true);
        }),
        { numRuns: 300 },
      );
    }
  });
});
