// The token corpus: the embedded demo tenant plus generated users whose attributes and group counts vary (so the
// claims present differ from user to user within one request shape), its compiled plans, a fixed list of requests,
// and one line per request with a digest of what the issuer produced. packages/runtime/test/token-corpus.test.ts
// replays it through fresh and warm issuers and `assembleToken`; a change in any claim, its order, the absence
// reasons, the signing key or the groups-overage form shows as a changed line in review.
import { prepareDirectory } from '../../packages/compiler/dist/index.js';
import { defaultIds, defaultSnapshot, defaultUserIds } from '../../packages/cli/dist/index.js';
import { createTokenIssuer } from '../../packages/runtime/dist/internal.js';
import { outcomeDigest, outcomeText } from '../../packages/runtime/test/fixtures/token-corpus/outcome.mjs';

const folder = 'packages/runtime/test/fixtures/token-corpus/';
const NOW = 1_750_000_000;

/** The demo tenant and 24 generated users: 0–60 project groups, some without mail, extension attribute, department or names. */
export function corpusSnapshot() {
  const snapshot = structuredClone(defaultSnapshot);
  const projects = snapshot.groups.filter((g) => /^Project \d{3}$/.test(g.displayName));
  for (let i = 0; i < 24; i++) {
    const id = `e3000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const user = { id, userPrincipalName: `corpus${i}@contoso.com`, displayName: `Corpus User ${i}`, userType: 'Member' };
    if (i % 3 !== 0) Object.assign(user, { givenName: 'Corpus', surname: `User${i}` });
    if (i % 4 !== 1) user.mail = `corpus${i}@contoso.com`;
    if (i % 5 !== 2) user.onPremisesExtensionAttributes = { extensionAttribute1: `corpus${i}` };
    if (i % 6 === 3) Object.assign(user, { employeeId: `E9${i}`, department: 'Research', onPremisesSecurityIdentifier: `S-1-5-21-1-2-3-${9000 + i}` });
    snapshot.users.push(user);
    const groupCount = [0, 1, 5, 50, 60][i % 5];
    for (let g = 0; g < groupCount; g++) projects[(i * 7 + g) % projects.length].members.push(id);
  }
  return snapshot;
}

const users = [...Object.values(defaultUserIds), ...Array.from({ length: 24 }, (_, i) => `corpus${i}@contoso.com`), undefined];
const shapes = [
  { token: 'id', client: defaultIds.webApp },
  { token: 'id', client: defaultIds.webApp, version: 1 },
  { token: 'id', client: defaultIds.webApp, scope: 'openid profile email' },
  { token: 'id', client: defaultIds.webApp, scope: 'openid' },
  { token: 'id', client: defaultIds.webApp, flow: 'implicit' },
  { token: 'access', client: defaultIds.webApp, resource: defaultIds.api },
  { token: 'access', client: defaultIds.webApp, resource: `api://${defaultIds.api}`, scope: `api://${defaultIds.api}/.default` },
  { token: 'access', client: defaultIds.webApp, resource: defaultIds.api, flow: 'implicit' },
  { token: 'access', client: defaultIds.webApp, resource: defaultIds.legacyApi },
  { token: 'access', client: defaultIds.daemon, resource: defaultIds.api },
  { token: 'access', client: defaultIds.webApp },
  { token: 'saml', client: defaultIds.samlApp },
];
// per-token values: none, a nonce, a nonce with an authorization code and an access token (hybrid flow)
const perToken = [{}, { nonce: 'n-0"\u00e9' }, { nonce: 'n1', code: 'c0de', accessToken: 'at.x.y' }];
// inside the web app's custom-key window, before it (key not yet valid) and after it (expired)
const clocks = [NOW, 1_500_000_000, 2_300_000_000];

/** Every request of the corpus, in a fixed order. */
export function corpusRequests() {
  const requests = [];
  let i = 0;
  for (const user of users) {
    for (const shape of shapes) {
      const extra = perToken[i % perToken.length];
      const now = (i % 7 === 6 ? clocks[1 + (Math.floor(i / 7) % 2)] : NOW) + (i % 97);
      requests.push({ ...shape, ...(user === undefined ? {} : { user }), now, ...extra });
      i++;
    }
  }
  return requests;
}

const label = (r) => [r.token, r.version === undefined ? '' : `v${r.version}`, r.client.slice(0, 8), r.resource?.slice(-12) ?? '', r.flow ?? '', r.scope === undefined ? '' : 'scope', r.user ?? 'app-only', r.nonce === undefined ? '' : 'nonce', r.code === undefined ? '' : 'code', r.now].filter((p) => p !== '').join(' ');

export async function generate() {
  const snapshot = corpusSnapshot();
  const { directory, plans, diagnostics } = prepareDirectory(snapshot);
  if (directory === undefined) throw new Error(`token corpus: ${JSON.stringify(diagnostics)}`);
  const requests = corpusRequests();
  const issuer = createTokenIssuer(directory);
  const lines = requests.map((request, i) => `${i}\t${label(request)}\t${outcomeDigest(outcomeText(() => issuer.assemble(request)))}`);
  const input = { snapshot, plans: Object.fromEntries(plans), requests };
  return [
    { path: folder + 'input.json', content: JSON.stringify(input) + '\n' },
    { path: folder + 'expected.txt', content: lines.join('\n') + '\n' },
  ];
}
