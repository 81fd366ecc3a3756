import { describe, expect, it } from 'vitest';
import { compactVerify, decodeJwt, importJWK } from 'jose';
import { readPolicy } from '@claimc/syntax';
import { defaultIds, defaultSnapshot, defaultUserIds } from '../../cli/src/demo/tenant.js';
import { BrowserKeys, diffClaims, issue, prepare, principals, withPolicy } from '../src/tokens.js';

// The page's token pipeline, run in Node (WebCrypto is global here too); the browser test drives the page itself.
const frozenNow = 1_765_000_000;
const policyText = `policy "T" {
  basic claims: include
  claim department = user.department
  claim login_name = toLowercase(user.userprincipalname)
  claim nickname = user.onpremisessamaccountname
}
`;
const policy = readPolicy(policyText, { fileName: 'p.claims', target: 'lenient' }).policy!;

const prepared = (p = policy) => {
  const result = prepare(withPolicy(defaultSnapshot, defaultIds.webApp, p));
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.directory;
};

describe('playground tokens', () => {
  it('lists the demo tenant for the pickers', () => {
    const { users, apps } = principals(defaultSnapshot);
    expect(users.map((u) => u.id)).toContain(defaultUserIds.megan);
    expect(apps.map((a) => a.id)).toContain(defaultIds.webApp);
  });

  it('explains each policy claim and each absent one, and signs with a WebCrypto key', async () => {
    const keys = new BrowserKeys();
    const token = await issue(prepared(), policy, 'id', defaultUserIds.adele, defaultIds.webApp, frozenNow, keys);
    expect(token.ok).toBe(true);
    if (!token.ok) return;
    const byName = new Map(token.claims.map((c) => [c.name, c]));
    expect(byName.get('department')).toMatchObject({ value: 'Retail', explanation: 'policy: user.department' });
    expect(byName.get('login_name')?.explanation).toMatch(/^policy: transformation .*\(ToLowercase\)$/);
    expect(token.absent.map((a) => a.name)).toContain('nickname');
    expect(token.absent.find((a) => a.name === 'nickname')!.reason).not.toBe('');
    // the signature verifies with the public half jose sees in the key ring
    const signedWith = decodeJwt(token.signed!);
    expect(signedWith['department']).toBe('Retail');
    const header = JSON.parse(Buffer.from(token.signed!.split('.')[0]!, 'base64url').toString()) as { kid: string };
    const key = (await keys.all()).find((k) => k.kid === header.kid)!;
    await expect(compactVerify(token.signed!, await importJWK(key.publicJwk!, 'RS256'))).resolves.toBeDefined();
  });

  it('shows group overage for Megan (251 groups) and lists groups for Adele', async () => {
    const megan = await issue(prepared(), policy, 'access', defaultUserIds.megan, defaultIds.api, frozenNow, undefined);
    const adele = await issue(prepared(), policy, 'access', defaultUserIds.adele, defaultIds.api, frozenNow, undefined);
    expect(megan.ok && megan.overage).toBe(true);
    expect(adele.ok && adele.overage).toBe(false);
  });

  it('diffs the claims of two policies', async () => {
    const other = readPolicy('policy "O" {\n  basic claims: include\n  claim job = user.jobtitle\n  claim department = user.city\n}\n', { fileName: 'o.claims', target: 'lenient' }).policy!;
    const a = await issue(prepared(), policy, 'id', defaultUserIds.adele, defaultIds.webApp, frozenNow, undefined);
    const b = await issue(prepared(other), other, 'id', defaultUserIds.adele, defaultIds.webApp, frozenNow, undefined);
    if (!a.ok || !b.ok) throw new Error('refused');
    const changes = diffClaims(a.claims, b.claims);
    expect(changes).toContainEqual({ name: 'job', change: 'added', after: 'Retail Manager' });
    expect(changes).toContainEqual({ name: 'login_name', change: 'removed', before: 'adelev@contoso.com' });
    expect(changes).toContainEqual({ name: 'department', change: 'changed', before: 'Retail', after: 'Seattle' });
  });
});
