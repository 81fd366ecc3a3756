// The page: two policy editors (the second only when comparing), the pickers, and the three token panels.
import './jitless.js';
import { hasErrors, serializePolicy, type ClaimsMappingPolicy, type Diagnostic } from '@claimc/model';
import { printPolicyClaims } from '@claimc/syntax';
import type { PolicyAnalysis } from '@claimc/language-service';
import { defaultIds, defaultSnapshot } from 'claimc-demo-tenant';
import { PolicyEditor, type PolicyFormat } from './editor.js';
import { BrowserKeys, diffClaims, issue, prepare, principals, tokenKinds, withPolicy, type IssuedToken } from './tokens.js';
import './style.css';

const starter = `// Edit this policy: squiggles show what Entra would reject; the tokens follow every change.
policy "Playground" {
  basic claims: include

  claim department = user.department
    saml "http://schemas.contoso.com/claims/department"
  claim employee_id = user.employeeid
  claim login_name = toLowercase(user.userprincipalname)
  claim tenant_country = company.tenantcountry
}
`;
const second = `// The policy to compare with: its tokens are diffed against the first policy's.
policy "Second" {
  basic claims: include

  claim department = user.department
  claim job_title = user.jobtitle
}
`;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const element = (tag: string, className: string, text?: string): HTMLElement => {
  const node = document.createElement(tag);
  if (className !== '') node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

// per page, never per evaluation: the tokens' iat/nbf/exp come from here
const now = Math.floor(Date.now() / 1000);
const keys = new BrowserKeys();
let snapshot: unknown = defaultSnapshot;
let snapshotName = 'demo tenant (Contoso)';
let comparing = false;
let generation = 0;

const policyOf = (analysis: PolicyAnalysis): ClaimsMappingPolicy | undefined => (hasErrors(analysis.diagnostics) ? undefined : analysis.read.policy);

function renderDiagnostics(target: HTMLElement, analysis: PolicyAnalysis): void {
  target.replaceChildren();
  target.dataset['count'] = String(analysis.diagnostics.length);
  // which text these diagnostics belong to, so scripts can wait for a load to be checked
  target.dataset['textHash'] = textHash(analysis.text);
  for (const d of analysis.diagnostics) target.append(diagnosticRow(analysis, d));
  if (analysis.diagnostics.length === 0) target.append(element('li', 'ok', 'No problems.'));
}

function diagnosticRow(analysis: PolicyAnalysis, d: Diagnostic): HTMLElement {
  const row = element('li', `diagnostic ${d.severity}`);
  const position = d.span === undefined ? { line: 1, column: 1 } : analysis.lines.position(d.span.start);
  row.dataset['code'] = d.code;
  row.dataset['severity'] = d.severity;
  row.dataset['line'] = String(position.line);
  row.dataset['column'] = String(position.column);
  row.append(element('span', 'where', `${position.line}:${position.column}`), element('span', 'code', d.code), element('span', 'message', d.message));
  if (d.hint !== undefined) row.append(element('div', 'hint', d.hint));
  return row;
}

/** FNV-1a of a text, in hex: a cheap identity for "the diagnostics of this text are shown". */
function textHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16);
}

let editorA: PolicyEditor;
let editorB: PolicyEditor | undefined;

async function refreshTokens(): Promise<void> {
  const run = ++generation;
  const user = $<HTMLSelectElement>('user').value;
  const app = $<HTMLSelectElement>('app').value;
  const status = $('status');
  const policyA = policyOf(editorA.analysis());
  const policyB = comparing && editorB !== undefined ? policyOf(editorB.analysis()) : undefined;
  if (policyA === undefined) {
    status.textContent = 'The policy has errors: the tokens show the last policy that compiled.';
    status.dataset['state'] = 'stale';
    return;
  }
  const preparedA = prepare(withPolicy(snapshot, app, policyA));
  if (!preparedA.ok) {
    status.textContent = `The snapshot cannot be used: ${preparedA.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`;
    status.dataset['state'] = 'error';
    return;
  }
  const preparedB = policyB !== undefined ? prepare(withPolicy(snapshot, app, policyB)) : undefined;
  const tokens = await Promise.all(tokenKinds.map((kind) => issue(preparedA.directory, policyA, kind, user, app, now, keys)));
  const compared = preparedB?.ok === true ? await Promise.all(tokenKinds.map((kind) => issue(preparedB.directory, policyB, kind, user, app, now, undefined))) : undefined;
  if (run !== generation) return;
  status.textContent = `Tokens for ${$<HTMLSelectElement>('user').selectedOptions[0]?.textContent ?? user} at ${$<HTMLSelectElement>('app').selectedOptions[0]?.textContent ?? app}, from the ${snapshotName}.`;
  status.dataset['state'] = 'ok';
  tokens.forEach((token, index) => renderToken($(`token-${token.kind}`), token, compared?.[index]));
}

function renderToken(panel: HTMLElement, token: IssuedToken, other: IssuedToken | undefined): void {
  const body = panel.querySelector('.body')!;
  body.replaceChildren();
  panel.dataset['state'] = token.ok ? 'ok' : 'refused';
  if (!token.ok) {
    body.append(element('p', 'refused', token.error));
    panel.dataset['overage'] = 'false';
    return;
  }
  panel.dataset['overage'] = String(token.overage);
  if (token.overage) body.append(element('p', 'overage', `Group overage: the user is in more groups than this token may list, so it points to Microsoft Graph instead (${token.kind === 'saml' ? 'the groups.link claim' : '_claim_names / _claim_sources'}).`));
  const table = element('table', 'claims');
  for (const claim of token.claims) {
    const row = element('tr', '');
    row.dataset['claim'] = claim.name;
    row.append(element('td', 'name', claim.name), element('td', 'value', claim.value.length > 160 ? `${claim.value.slice(0, 160)}…` : claim.value), element('td', 'why', claim.explanation));
    table.append(row);
  }
  body.append(table);
  if (token.absent.length > 0) {
    body.append(element('h4', '', 'Absent policy claims'));
    const absent = element('ul', 'absent');
    for (const a of token.absent) {
      const item = element('li', '', `${a.name}: ${a.reason}`);
      item.dataset['absent'] = a.name;
      absent.append(item);
    }
    body.append(absent);
  }
  if (other !== undefined) {
    body.append(element('h4', '', 'Second policy: difference'));
    const diff = element('ul', 'diff');
    if (!other.ok) diff.append(element('li', 'removed', `refused: ${other.error}`));
    else {
      const changes = diffClaims(token.claims, other.claims);
      for (const c of changes) {
        const item = element('li', c.change, c.change === 'added' ? `+ ${c.name}: ${c.after}` : c.change === 'removed' ? `− ${c.name}: ${c.before}` : `~ ${c.name}: ${c.before} → ${c.after}`);
        item.dataset['change'] = c.change;
        item.dataset['claim'] = c.name;
        diff.append(item);
      }
      if (changes.length === 0) diff.append(element('li', 'same', 'Same claims.'));
    }
    body.append(diff);
  }
  if (token.signed !== undefined) {
    const jwt = element('details', 'jwt');
    jwt.append(element('summary', '', `Signed in this browser (RS256, ${token.signed.length} bytes)`), element('code', '', token.signed));
    body.append(jwt);
  }
}

function fillPickers(preferUser?: string, preferApp?: string): void {
  const { users, apps } = principals(snapshot);
  const fill = (select: HTMLSelectElement, items: { id: string; label: string }[], prefer: string | undefined): void => {
    select.replaceChildren(...items.map((i) => Object.assign(document.createElement('option'), { value: i.id, textContent: i.label })));
    if (prefer !== undefined && items.some((i) => i.id === prefer)) select.value = prefer;
  };
  fill($('user'), users, preferUser);
  fill($('app'), apps, preferApp);
}

/** Converts the editor's policy to the other format; refuses while the text cannot be read. */
function toggleFormat(editor: PolicyEditor, format: PolicyFormat): void {
  if (editor.format === format) return;
  const policy = editor.analysis().read.policy;
  if (policy === undefined) {
    $('status').textContent = 'Fix the errors that stop the policy from being read before converting it.';
    return;
  }
  editor.load(format === 'json' ? serializePolicy(policy, 2) + '\n' : printPolicyClaims(policy), format);
  syncFormatButtons();
}

function syncFormatButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-format]')) button.setAttribute('aria-pressed', String(button.dataset['format'] === editorA.format));
}

let pending: ReturnType<typeof setTimeout> | undefined;
const onAnalysis = (target: string) => (analysis: PolicyAnalysis): void => {
  renderDiagnostics($(target), analysis);
  clearTimeout(pending);
  pending = setTimeout(() => void refreshTokens(), 50);
};

function loadSnapshot(text: string, name: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    $('status').textContent = `${name} is not JSON: ${error instanceof Error ? error.message : String(error)}`;
    return;
  }
  const prepared = prepare(parsed);
  if (!prepared.ok) {
    $('status').textContent = `${name} is not a usable snapshot: ${prepared.diagnostics.slice(0, 3).map((d) => `${d.code} ${d.message}`).join('; ')}`;
    $('status').dataset['state'] = 'error';
    return;
  }
  snapshot = parsed;
  snapshotName = `snapshot ${name}`;
  fillPickers();
  void refreshTokens();
}

/** A dropped file: a snapshot (it lists users or service principals) or a policy for the first editor. */
async function onDrop(file: File): Promise<void> {
  const text = await file.text();
  if (/"(users|servicePrincipals)"\s*:/.test(text) && !/\.claims$/i.test(file.name)) return loadSnapshot(text, file.name);
  loadPolicy(text, /\.claims$/i.test(file.name) ? 'claims' : 'json');
}

function loadPolicy(text: string, format: PolicyFormat): void {
  editorA.load(text, format);
  syncFormatButtons();
}

function start(): void {
  editorA = new PolicyEditor($('editor'), 'a', starter, 'claims', onAnalysis('diagnostics'));
  fillPickers('e1000000-0000-4000-8000-000000000001', defaultIds.webApp);
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-format]')) button.addEventListener('click', () => toggleFormat(editorA, button.dataset['format'] as PolicyFormat));
  syncFormatButtons();
  $('user').addEventListener('change', () => void refreshTokens());
  $('app').addEventListener('change', () => void refreshTokens());
  $<HTMLInputElement>('compare').addEventListener('change', (event) => {
    comparing = (event.target as HTMLInputElement).checked;
    $('second').hidden = !comparing;
    if (comparing && editorB === undefined) editorB = new PolicyEditor($('editor-b'), 'b', second, 'claims', onAnalysis('diagnostics-b'));
    void refreshTokens();
  });
  $<HTMLInputElement>('snapshot-file').addEventListener('change', (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file !== undefined) void file.text().then((text) => loadSnapshot(text, file.name));
  });
  document.body.addEventListener('dragover', (event) => event.preventDefault());
  document.body.addEventListener('drop', (event) => {
    event.preventDefault();
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) void onDrop(file);
  });
  // for scripted use (and the browser tests): load a policy text as if typed
  Object.assign(window, { claimcPlayground: { load: loadPolicy, loadSnapshot } });
}

start();
