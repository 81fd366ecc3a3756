import type { IndexedDirectory } from '@claimc/runtime/internal';
import { escapeHtml } from './http.js';

const style = `body{font:15px/1.45 system-ui,sans-serif;background:#f2f2f2;margin:0;color:#1b1b1b}
main{max-width:460px;margin:40px auto;background:#fff;padding:32px 40px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 4px}p.app{color:#555;margin:0 0 20px}
button{display:block;width:100%;text-align:left;border:0;border-top:1px solid #e6e6e6;background:none;padding:10px 4px;font:inherit;cursor:pointer}
button:hover,button.hint{background:#eef5ff}button small{display:block;color:#666}button[disabled]{color:#999;cursor:not-allowed}
footer{margin-top:20px;color:#666;font-size:12px}.error{color:#a4262c}`;

/** Hidden inputs carrying the request's parameters through the page's form. */
function hiddenInputs(params: ReadonlyMap<string, string>): string {
  let out = '';
  for (const [name, value] of params) if (name !== 'claimc_user') out += `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
  return out;
}

/**
 * The sign-in page: the snapshot's users as buttons of one plain form that posts the original request back with
 * the chosen user; server-rendered, no script, so it works with JavaScript off.
 *
 * @example
 * signInPage(directory, { action: '/t/oauth2/v2.0/authorize', params, appName: 'Contoso Web' })
 */
export function signInPage(directory: IndexedDirectory, page: { readonly action: string; readonly params: ReadonlyMap<string, string>; readonly appName: string; readonly hint?: string; readonly message?: string }): string {
  const hint = page.hint?.toLowerCase();
  const users = directory.users
    .map((entry) => {
      const user = entry.user;
      const upn = user.userPrincipalName ?? user.id;
      const disabled = user.accountEnabled === false;
      const hinted = hint !== undefined && (upn.toLowerCase() === hint || user.id === hint);
      return `<button type="submit" name="claimc_user" value="${escapeHtml(user.id)}"${hinted ? ' class="hint"' : ''}>${escapeHtml(user.displayName ?? upn)}<small>${escapeHtml(upn)}${disabled ? ' (account disabled)' : ''}</small></button>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Sign in to ${escapeHtml(page.appName)}</title><style>${style}</style></head>
<body><main>
<h1>Pick an account</h1>
<p class="app">to continue to <strong>${escapeHtml(page.appName)}</strong> · ${escapeHtml(directory.organization.displayName ?? directory.organization.id)}</p>
${page.message !== undefined ? `<p class="error">${escapeHtml(page.message)}</p>` : ''}
<form method="post" action="${escapeHtml(page.action)}">${hiddenInputs(page.params)}
${users}
</form>
<footer>claimc serve: a local sign-in endpoint for development. No password is asked; tokens are signed with the configured key.</footer>
</main></body></html>`;
}

/** A page that explains a refusal which cannot be sent back to the app (unknown app, unregistered redirect URI). */
export function errorPage(code: string, description: string, traceId: string, correlationId: string, timestamp: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in error</title><style>${style}</style></head>
<body><main><h1>Sorry, but we're having trouble signing you in.</h1>
<p class="error">${escapeHtml(code)}: ${escapeHtml(description)}</p>
<footer>Trace ID: ${escapeHtml(traceId)}<br>Correlation ID: ${escapeHtml(correlationId)}<br>Timestamp: ${escapeHtml(timestamp)}</footer>
</main></body></html>`;
}

/** The auto-submitting form that delivers a response by POST (OIDC `form_post`, SAML and WS-Federation); a button covers JavaScript off. */
export function autoPostPage(action: string, fields: ReadonlyMap<string, string>, scriptNonce: string): string {
  let inputs = '';
  for (const [name, value] of fields) inputs += `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Working...</title></head>
<body><form method="post" action="${escapeHtml(action)}">${inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"></noscript></form>
<script nonce="${scriptNonce}">document.forms[0].submit();</script></body></html>`;
}
