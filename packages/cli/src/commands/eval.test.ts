import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../main.js';

function capture(): { io: Parameters<typeof main>[1]; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (err += c) }, env: {}, cwd: process.cwd() },
    out: () => out,
    err: () => err,
  };
}

const ctx = ['--user', 'docs/examples/contexts/user.json', '--tenant', 'docs/examples/contexts/tenant.json', '--client', 'docs/examples/contexts/client.json', '--resource', 'docs/examples/contexts/resource.json'];

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await main(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('claimc eval (documented results, docs/evaluate.md)', () => {
  test.each(['plan', 'aot', 'interpreter'])('joined-data through the %s engine: JoinedData = extensionattribute1 + "." + "sandbox"', async (engine) => {
    const r = await run(['eval', 'docs/examples/joined-data.json', ...ctx, '--engine', engine]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ name: 'Adele Vance', JoinedData: 'foo@bar.com.sandbox' });
  });

  test('omit-basic-claims: no basic claims at all', async () => {
    const r = await run(['eval', 'docs/examples/omit-basic-claims.json', ...ctx]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({});
  });

  test('employeeid + tenantcountry, JWT v1 (given_name and family_name are basic in v1) and SAML', async () => {
    const jwt = await run(['eval', 'docs/examples/employeeid-tenantcountry.json', ...ctx, '--token-version', '1']);
    expect(jwt.code).toBe(0);
    expect(JSON.parse(jwt.out)).toEqual({ name: 'Adele Vance', given_name: 'Adele', family_name: 'Vance', employeeid: 'E-2041', country: 'US' });
    const saml = await run(['eval', 'docs/examples/employeeid-tenantcountry.graph.json', ...ctx, '--format', 'saml']);
    expect(saml.code).toBe(0);
    const ns = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';
    expect(JSON.parse(saml.out)).toEqual([
      { name: ns + 'givenname', values: ['Adele'] },
      { name: ns + 'surname', values: ['Vance'] },
      { name: ns + 'name', values: ['Adele.Vance@contoso.com'] },
      { name: ns + 'emailaddress', values: ['Adele.Vance@contoso.com'] },
      { name: ns + 'employeeid', values: ['E-2041'] },
      { name: ns + 'country', values: ['US'] },
    ]);
  });

  test('contoso-erp: the realistic policy, every engine gives the same output', async () => {
    const outputs = [];
    for (const engine of ['plan', 'aot', 'interpreter']) {
      const r = await run(['eval', 'docs/examples/contoso-erp.json', ...ctx, '--engine', engine]);
      expect(r.code).toBe(0);
      outputs.push(r.out);
    }
    expect(new Set(outputs).size).toBe(1);
    expect(JSON.parse(outputs[0] as string)).toEqual({
      name: 'Adele Vance',
      employee_id: 'E-2041',
      department: 'Retail',
      job_title: 'Retail Manager',
      company: 'Contoso',
      city: 'Bellevue',
      office: '18/2111',
      locale: 'en-US',
      cost_center: 'CC-4410',
      badge: 'B-77120',
      tenant_country: 'US',
      client_app: 'Contoso ERP',
      erp_realm: 'contoso-erp',
      mail_nickname: 'Adele.Vance',
      login_name: 'adele.vance@contoso.com',
      regional_mail: 'Adele.Vance@eu.contoso.com',
      department_tag: 'Retail-EU',
      environment: 'production',
    });
  });

  test('--explain lists absent claims with their reasons', async () => {
    const r = await run(['eval', 'docs/examples/contoso-erp.json', '--user', 'docs/examples/contexts/user.json', '--format', 'saml', '--explain']);
    expect(r.code).toBe(0);
    const explained = JSON.parse(r.out) as { nameId: { value: string }; absent: { name: string; reason: string }[] };
    expect(explained.nameId).toEqual({ value: 'Adele.Vance' });
    expect(explained.absent).toContainEqual({ name: 'http://schemas.contoso.com/claims/tenantcountry', entry: 9, reason: 'source-empty' });
  });

  test('a policy with errors prints diagnostics and exits 1', async () => {
    const r = await run(['eval', 'docs/examples/broken/broken-policy.json', ...ctx]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/CM\d{4}/);
  });

  test('an invalid context file exits 2 naming the JSON Pointer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claimc-eval-test-'));
    const bad = join(dir, 'bad-user.json');
    writeFileSync(bad, JSON.stringify({ id: 'u1', otherMails: ['ok', 42] }));
    const r = await run(['eval', 'docs/examples/joined-data.json', '--user', bad]);
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.err).toContain('bad-user.json: /otherMails/1: ');
    expect(r.out).toBe('');
  });

  test('usage mistakes exit 2', async () => {
    expect((await run(['eval', 'docs/examples/joined-data.json'])).code).toBe(2);
    expect((await run(['eval', 'docs/examples/joined-data.json', ...ctx, '--engine', 'fast'])).code).toBe(2);
    expect((await run(['eval', 'docs/examples/joined-data.json', '--user', 'nope.json'])).code).toBe(2);
  });
});

describe('docs/evaluate.md: every `claimc eval` example prints exactly the JSON shown under it', () => {
  const page = readFileSync('docs/evaluate.md', 'utf8');
  const examples = [...page.matchAll(/```sh\nnpx claimc (eval [^\n]+)\n```\n\n```json\n([\s\S]*?)\n```/g)].map((m) => ({ args: (m[1] as string).split(/\s+/), expected: m[2] as string }));
  test('the page has its examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(7);
  });
  test.each(examples.map((e) => [e.args.join(' '), e] as const))('claimc %s', async (_name, example) => {
    const r = await run(example.args);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toStrictEqual(JSON.parse(example.expected));
    expect(r.out.trimEnd()).toBe(example.expected);
  });
});
