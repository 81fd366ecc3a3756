// docs/cli.md: every command's summary and usage text (from the command modules themselves, so the page
// cannot drift from `claimc <command> --help`), with runnable examples.
import { commands } from '../../packages/cli/dist/commands/index.js';

/** Runnable examples per command, from the repository root after `pnpm install`. */
export const examples = {
  check: [
    ['Check every example policy (exit 0)', 'npx claimc check docs/examples/*.json docs/examples/*.ps1 docs/examples/*.claims', 0],
    ['See located diagnostics (exit 1)', 'npx claimc check docs/examples/broken/broken-policy.json', 1],
    ['The CI gate: extensions and leniencies become errors', 'npx claimc check docs/examples/contoso-erp.json --target entra', 0],
    ['Machine-readable output', 'npx claimc check docs/examples/broken/broken-policy.json --format json', 1],
    ['Every policy of a Graph collection, Terraform resources and an az rest line, each located in its file', 'npx claimc check docs/examples/deploy/policies.graph.json docs/examples/deploy/main.tf docs/examples/deploy/create-policy.sh', 0],
    ['SARIF for GitHub code scanning', 'npx claimc check docs/examples/broken/broken-policy.json --format sarif > claimc.sarif', 1],
    ['Bound token sizes with an application\'s group and optional claims from a snapshot (warns over 8 KB)', 'npx claimc check docs/examples/employeeid-tenantcountry.json --directory docs/examples/snapshots/groups-app.json --app 5c6d7e8f-0000-4000-8000-000000000001', 0],
  ],
  lsp: [
    ['The language server editors start (docs/editor.md); it talks LSP over stdin/stdout', 'npx claimc lsp --help', 0],
  ],
  eval: [
    ['The claims a policy gives one user (JWT, basic set overlaid by the policy)', 'npx claimc eval docs/examples/employeeid-tenantcountry.json --user docs/examples/contexts/user.json --tenant docs/examples/contexts/tenant.json', 0],
    ['The same policy as SAML attributes, through the reference interpreter', 'npx claimc eval docs/examples/employeeid-tenantcountry.claims --user docs/examples/contexts/user.json --tenant docs/examples/contexts/tenant.json --format saml --engine interpreter', 0],
    ['Why a claim is absent', 'npx claimc eval docs/examples/joined-data.json --user docs/examples/contexts/user-minimal.json --explain', 0],
  ],
  compile: [
    ['An ahead-of-time module that imports only @claimc/runtime', 'npx claimc compile docs/examples/contoso-erp.json -o build/contoso-erp.plan.js', 0],
    ['The plan document as data', 'npx claimc compile docs/examples/joined-data.claims -o build/joined-data.plan.json', 0],
  ],
  issue: [
    ['The claims of an ID token for a sample user of the embedded directory (the web app carries the employeeid/country policy)', 'npx claimc issue --user adelev@contoso.com --client 3f4e5d6c-7b8a-4912-8a3b-1c2d3e4f5a6b --token id', 0],
    ['The same as a signed JWT, with a fixed clock', 'npx claimc issue --user adelev@contoso.com --client 3f4e5d6c-7b8a-4912-8a3b-1c2d3e4f5a6b --token id --now 1767225600 --format jwt', 0],
    ['Try a policy before deploying it (assigned to the app whose policy applies)', 'npx claimc issue --user adelev@contoso.com --client 3f4e5d6c-7b8a-4912-8a3b-1c2d3e4f5a6b --token id --now 1767225600 --policy docs/examples/joined-data.claims', 0],
    ['A signed SAML 2.0 Response for the SAML app, answering an AuthnRequest, posted to its reply URL', 'npx claimc issue --user adelev@contoso.com --client https://expenses.contoso.com/saml --token saml --format saml --in-response-to _a1b2c3 --now 1767225600', 0],
    ['The WS-Federation wresult (RequestSecurityTokenResponse with a signed SAML 1.1 assertion) for the same app', 'npx claimc issue --user adelev@contoso.com --client https://expenses.contoso.com/saml --token saml --format saml --protocol wsfed --now 1767225600', 0],
    ['The token `claimc serve` on port 8400 would issue (iss names the local endpoint)', 'npx claimc issue --user adelev@contoso.com --client 3f4e5d6c-7b8a-4912-8a3b-1c2d3e4f5a6b --token id --now 1767225600 --authority http://127.0.0.1:8400', 0],
    ['A token for a user of a Graph export folder (the HR portal carries the "HR claims" policy)', 'npx claimc issue --directory docs/examples/tenant-export --user meganb@contoso.com --client 6c2e4f1a-3b5d-4e7f-9a1c-2d4e6f8a0b1c --token id --now 1767225600', 0],
    ['Where every claim comes from and why the absent ones are absent', 'npx claimc issue --directory docs/examples/tenant-export --user isaiahl@contoso.com --client 6c2e4f1a-3b5d-4e7f-9a1c-2d4e6f8a0b1c --token id --now 1767225600 --explain', 0],
  ],
  metadata: [
    ['The tenant JWKS and openid-configuration', 'npx claimc metadata', 0],
    ['The ?appid= metadata of an app with a custom signing key (the web app above), which verifies its tokens', 'npx claimc metadata --appid 3f4e5d6c-7b8a-4912-8a3b-1c2d3e4f5a6b', 0],
    ['The signed SAML federation metadata with the certificate the SAML app signs with', 'npx claimc metadata --saml --appid 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b --now 1767225600', 0],
  ],
  serve: [
    // a server runs until stopped, so the runnable example is its help; docs/serve.md walks through a session
    ['The endpoints it serves and its options (run it with `npx claimc serve --port 8400`; see docs/serve.md)', 'npx claimc serve --help', 0],
  ],
  build: [
    ['Entra-ready JSON from .claims', 'npx claimc build docs/examples/joined-data.claims', 0],
    ['A Graph request body for POST /policies/claimsMappingPolicies', 'npx claimc build docs/examples/omit-basic-claims.claims --envelope graph -o build/omit-basic-claims.graph.json', 0],
    ['A PowerShell line', 'npx claimc build docs/examples/employeeid-tenantcountry.claims --envelope powershell', 0],
  ],
  decompile: [
    ['Any JSON envelope as .claims', 'npx claimc decompile docs/examples/joined-data.ps1', 0],
    ['One policy of a Graph collection, by display name or id', 'npx claimc decompile docs/examples/deploy/policies.graph.json --select Department', 0],
    ['Every policy of a collection, one .claims file each', 'npx claimc decompile docs/examples/deploy/policies.graph.json --all -o build/policies', 0],
  ],
  snapshot: [
    ['Validate a Graph export folder once and write the indexed snapshot', 'npx claimc snapshot docs/examples/tenant-export -o build/tenant.snapshot', 0],
  ],
  users: [
    ['The users of a Graph export, filtered', 'npx claimc users --directory docs/examples/tenant-export contoso.com', 0],
  ],
  diff: [
    ['What the next version of a policy does to every user of a Graph export (exit 1: something changes)', 'npx claimc diff docs/examples/tenant-diff/hr-claims.json docs/examples/tenant-diff/hr-claims-v2.claims --directory docs/examples/tenant-export --now 1767225600', 1],
    ['The same as a pull-request comment', 'npx claimc diff docs/examples/tenant-diff/hr-claims.json docs/examples/tenant-diff/hr-claims-v2.claims --directory docs/examples/tenant-export --now 1767225600 --format markdown', 1],
  ],
  fmt: [
    ['Check formatting in CI (exit 1 if a file would change)', 'npx claimc fmt --check docs/examples/*.claims grammar/samples/*.claims', 0],
  ],
};

export async function generate() {
  const out = [
    '<!-- Generated by tools/gen/cli.mjs from packages/cli/src/commands/*.ts. Do not edit: run `pnpm gen`. -->',
    '',
    '# `claimc` command line',
    '',
    'After `npx --yes pnpm@10.34.8 install`, run `npx claimc …` (or `pnpm exec claimc …`) from the repository root.',
    '',
    '```text',
    'claimc <command> [options]',
    'claimc <command> --help     usage of one command',
    'claimc --help               the list of commands',
    'claimc --version            the version',
    '```',
    '',
    '## Exit codes',
    '',
    '| Code | Meaning |',
    '| --- | --- |',
    '| 0 | Success: no errors (warnings allowed). |',
    '| 1 | Findings: at least one error in the input, or a refused operation. |',
    '| 2 | Usage error (unknown command or option, missing argument) or unreadable input. An unexpected failure prints one `internal error:` line and also exits 2. |',
    '',
    '## Commands',
    '',
    ...commands.map((c) => `- [\`${c.name}\`](#claimc-${c.name}) — ${c.summary}`),
  ];
  for (const command of commands) {
    out.push('', `## claimc ${command.name}`, '', command.summary.charAt(0).toUpperCase() + command.summary.slice(1) + '.', '', '```text', command.usage.trimEnd(), '```');
    const list = examples[command.name] ?? [];
    if (list.length > 0) {
      out.push('', 'Examples:', '');
      for (const [what, line] of list) out.push(`${what}:`, '', '```sh', line, '```', '');
      out.pop();
    }
  }
  return [{ path: 'docs/cli.md', content: out.join('\n') + '\n' }];
}
