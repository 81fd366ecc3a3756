import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import { defaultIds, defaultSnapshot } from '../src/demo/tenant.js';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { recordingIO } from './io.js';

// The published JSON Schemas, checked with a validator no one here wrote: each file kind validates its
// examples and refuses the other kinds, and every schema names itself with an $id.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const read = (path: string): unknown => JSON.parse(readFileSync(join(root, path), 'utf8'));
// A CommonJS module whose types describe `exports.default`; under Node's ESM the default import is the class itself.
const Ajv2020 = Ajv2020Module as unknown as typeof Ajv2020Module.default;
const ajv = new Ajv2020({ strict: false, allErrors: true });
const schemaFiles = ['user', 'tenant', 'client', 'evaluation-context', 'directory', 'claims-mapping-policy', 'plan'].map((n) => `docs/schemas/${n}.schema.json`);
const schemas = new Map(schemaFiles.map((file) => [file, read(file) as { $id: string }]));
for (const schema of schemas.values()) ajv.addSchema(schema);
const validate = (kind: string, value: unknown) => ajv.validate(schemas.get(`docs/schemas/${kind}.schema.json`)!.$id, value);

const examples = {
  user: read('docs/examples/contexts/user.json'),
  tenant: read('docs/examples/contexts/tenant.json'),
  client: read('docs/examples/contexts/client.json'),
  policy: read('docs/examples/contoso-erp.json'),
};

describe('JSON Schemas per file kind', () => {
  it('every schema has an $id under one base and compiles', () => {
    for (const [file, schema] of schemas) expect(schema.$id, file).toBe(`https://raw.githubusercontent.com/claimc/claimc/main/${file}`);
  });

  it('each example validates against its own kind', () => {
    expect(validate('user', examples.user)).toBe(true);
    expect(validate('tenant', examples.tenant)).toBe(true);
    expect(validate('client', examples.client)).toBe(true);
    expect(validate('claims-mapping-policy', examples.policy)).toBe(true);
  });

  it('each kind refuses the others (a policy or tenant passed as --user, a user as --tenant, …)', () => {
    expect(validate('user', examples.policy)).toBe(false);
    expect(validate('user', examples.tenant)).toBe(false);
    expect(validate('user', examples.client)).toBe(false);
    expect(validate('tenant', examples.user)).toBe(false);
    expect(validate('tenant', examples.client)).toBe(false);
    expect(validate('client', examples.user)).toBe(false);
    expect(validate('client', examples.tenant)).toBe(false);
  });

  it('"$schema" is allowed in a policy, a context file and a snapshot, by the schemas and by claimc', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claimc-schema-'));
    const policy = { $schema: schemas.get('docs/schemas/claims-mapping-policy.schema.json')!.$id, ...(examples.policy as object) };
    const user = { $schema: schemas.get('docs/schemas/user.schema.json')!.$id, ...(examples.user as object) };
    const snapshot = { $schema: schemas.get('docs/schemas/directory.schema.json')!.$id, ...defaultSnapshot };
    expect(validate('claims-mapping-policy', policy)).toBe(true);
    expect(validate('user', user)).toBe(true);
    expect(validate('directory', snapshot)).toBe(true);
    writeFileSync(join(dir, 'policy.json'), JSON.stringify(policy));
    writeFileSync(join(dir, 'user.json'), JSON.stringify(user));
    writeFileSync(join(dir, 'directory.json'), JSON.stringify(snapshot));
    const checked = recordingIO({ cwd: root });
    expect(await main(['check', join(dir, 'policy.json'), '--target', 'entra', '--format', 'json'], checked)).toBe(0);
    expect((JSON.parse(checked.out()) as { files: { diagnostics: { code: string }[] }[] }).files[0]!.diagnostics.map((d) => d.code)).not.toContain('CM2001');
    expect(await main(['eval', join(dir, 'policy.json'), '--user', join(dir, 'user.json')], recordingIO({ cwd: root }))).toBe(0);
    const issued = recordingIO({ cwd: root });
    expect(await main(['issue', '--directory', join(dir, 'directory.json'), '--user', 'adelev@contoso.com', '--client', defaultIds.api, '--token', 'id', '--now', '1767225600'], issued)).toBe(0);
    expect(issued.err()).toBe('');
    rmSync(dir, { recursive: true, force: true });
  });

  it('claimc eval refuses a file of the wrong kind with exit 2, naming why', async () => {
    const io = recordingIO({ cwd: root });
    expect(await main(['eval', 'docs/examples/joined-data.json', '--user', 'docs/examples/joined-data.json'], io)).toBe(2);
    expect(io.err()).toContain('not a Graph user');
    const tenant = recordingIO({ cwd: root });
    expect(await main(['eval', 'docs/examples/joined-data.json', '--user', 'docs/examples/contexts/user.json', '--tenant', 'docs/examples/contexts/user.json'], tenant)).toBe(2);
    expect(tenant.err()).toContain('not a Graph organization');
  });
});
