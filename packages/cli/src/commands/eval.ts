import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toPointer } from '@claimc/model';
import { compilePolicy, emitModule, interpretJwt, interpretSaml, renderDiagnostics } from '@claimc/compiler';
import { evaluateJwt, evaluateSaml, GraphOrganizationSchema, GraphServicePrincipalSchema, GraphUserSchema, wrongGraphKind } from '@claimc/runtime/internal';
import type { EvaluationContext, GraphResourceKind, JwtEvaluation, PlanDocument, SamlEvaluation } from '@claimc/runtime/internal';
import { oneOf, parseCommandArgs } from '../args.js';
import { wantsColor } from '../color.js';
import { ExitCode, UsageError } from '../command.js';
import type { CliIO, Command } from '../command.js';
import { readJsonFile, readTextFile } from '../files.js';

const usage = `Usage: claimc eval <policy> --user <user.json> [options]

Evaluates a claims-mapping policy for one user and prints the policy's claims as JSON: for JWT an
object (basic claims overlaid by the policy's), for SAML an array of {name, nameFormat, values}.
Context files are Microsoft Graph resources as GET returns them (docs/schemas/evaluation-context.schema.json).

Options:
  -o, --output <file>          write the result to a file instead of standard output
  --user <file>              Graph user (GET /users/{id}), required
  --tenant <file>            Graph organization (company source)
  --client <file>            Graph servicePrincipal of the client application (application source)
  --resource <file>          Graph servicePrincipal of the resource (resource source)
  --audience <file>          Graph servicePrincipal of the audience (default: resource, else client)
  --format <jwt|saml>        token format (default jwt)
  --engine <plan|aot|interpreter>  linked plan (default), ahead-of-time module, or reference interpreter
  --token-version <1|2>      JWT version, decides the basic claim set (default 2)
  --target <lenient|entra>   checking strictness (default lenient)
  --custom-signing-key       the application has a custom signing key (unlocks some SAML names)
  --explain                  print the whole evaluation: basic, policy, absent claims with reasons, NameID
  -h, --help                 show this help

Exit codes: 0 evaluated, 1 the policy has errors (diagnostics on stderr), 2 usage error or an unreadable/invalid file.
`;

/** The part of a zod schema the CLI uses (the CLI does not depend on zod itself). */
interface ResourceSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[] } };
}

/** Reads a Graph resource file and validates it; a problem is a usage-level message with JSON Pointers. */
async function readResource<T>(path: string, schema: ResourceSchema<T>, kind: GraphResourceKind, io: CliIO): Promise<T> {
  const read = await readJsonFile(path, io);
  if (!read.ok) throw new ContextError(read.message);
  // a Graph response as saved: GET /organization and /users?$filter=… answer with a one-item collection
  const value = unwrapGraphCollection(read.value);
  if (typeof value === 'number') throw new ContextError(`${path}: the Graph response holds ${value} items; save the response for one object (GET /users/{id}) or filter to one`);
  const wrong = wrongGraphKind(value, kind);
  if (wrong !== undefined) throw new ContextError(`${path}: not a Graph ${kind === 'servicePrincipal' ? 'servicePrincipal' : kind === 'tenant' ? 'organization' : 'user'}: ${wrong}`);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${path}: ${toPointer(issue.path.map(String)) || '/'}: ${issue.message}`);
  throw new ContextError(issues.join('\n'));
}

class ContextError extends Error {}

/** The one object of a Graph collection response `{"@odata.context":…,"value":[x]}`; the item count when it holds several or none. */
function unwrapGraphCollection(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const list = (value as { value?: unknown }).value;
  if (!Array.isArray(list) || !Object.keys(value).every((k) => k === 'value' || k.startsWith('@odata.'))) return value;
  return list.length === 1 ? list[0] : list.length;
}

/** Runs an AOT module for the plan: written to a temporary directory that links @claimc/runtime, imported, then removed. */
async function withAotModule<T>(plan: PlanDocument, use: (module: AotModule) => T): Promise<T> {
  const runtimeEntry = fileURLToPath(import.meta.resolve('@claimc/runtime'));
  const runtimeRoot = dirname(dirname(runtimeEntry));
  const work = await mkdtemp(join(tmpdir(), 'claimc-eval-'));
  try {
    await mkdir(join(work, 'node_modules', '@claimc'), { recursive: true });
    await symlink(runtimeRoot, join(work, 'node_modules', '@claimc', 'runtime'), 'dir');
    const file = join(work, 'plan.mjs');
    await writeFile(file, emitModule(plan, { language: 'js' }));
    const module = (await import(pathToFileURL(file).href)) as AotModule;
    return use(module);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
/** What an emitted AOT module exports (see emitModule). */
interface AotModule {
  readonly evaluateJwt: (context: EvaluationContext, options?: { readonly jwtVersion?: 1 | 2 }) => JwtEvaluation;
  readonly evaluateSaml: (context: EvaluationContext) => SamlEvaluation;
}

/** The SAML output of `claimc eval`: attributes as `{name, nameFormat, values}` (nameFormat only when set). */
function samlOutput(evaluation: SamlEvaluation): unknown {
  return evaluation.attributes.map((a) => (a.nameFormat === undefined ? { name: a.name, values: a.values } : { name: a.name, nameFormat: a.nameFormat, values: a.values }));
}

/** `claimc eval <policy> --user <user.json> [--format jwt|saml] [--engine plan|aot|interpreter]`. */
export const evalCommand: Command = {
  name: 'eval',
  resultOnStdout: true,
  summary: "evaluate a policy for a user and print the policy's claims as JSON",
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      user: { type: 'string' },
      tenant: { type: 'string' },
      client: { type: 'string' },
      resource: { type: 'string' },
      audience: { type: 'string' },
      format: { type: 'string' },
      engine: { type: 'string' },
      'token-version': { type: 'string' },
      target: { type: 'string' },
      'custom-signing-key': { type: 'boolean' },
      explain: { type: 'boolean' },
    });
    const format = oneOf(values.format ?? 'jwt', ['jwt', 'saml'], '--format');
    const engine = oneOf(values.engine ?? 'plan', ['plan', 'aot', 'interpreter'], '--engine');
    const jwtVersion = Number(oneOf(values['token-version'] ?? '2', ['1', '2'], '--token-version')) as 1 | 2;
    const target = oneOf(values.target ?? 'lenient', ['lenient', 'entra'], '--target');
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'no policy file given' : 'give exactly one policy file');
    if (values.user === undefined) throw new UsageError('--user <user.json> is required');
    const policyPath = positionals[0] as string;

    const policyText = await readTextFile(policyPath, io);
    if (!policyText.ok) {
      io.stderr.write(`claimc eval: ${policyText.message}\n`);
      return ExitCode.usage;
    }
    let context: EvaluationContext;
    try {
      context = {
        user: await readResource(values.user, GraphUserSchema, 'user', io),
        ...(values.tenant !== undefined ? { tenant: await readResource(values.tenant, GraphOrganizationSchema, 'tenant', io) } : {}),
        ...(values.client !== undefined ? { client: await readResource(values.client, GraphServicePrincipalSchema, 'servicePrincipal', io) } : {}),
        ...(values.resource !== undefined ? { resource: await readResource(values.resource, GraphServicePrincipalSchema, 'servicePrincipal', io) } : {}),
        ...(values.audience !== undefined ? { audience: await readResource(values.audience, GraphServicePrincipalSchema, 'servicePrincipal', io) } : {}),
      };
    } catch (error) {
      if (!(error instanceof ContextError)) throw error;
      io.stderr.write(`claimc eval: ${error.message}\n`);
      return ExitCode.usage;
    }

    const hasCustomSigningKey = values['custom-signing-key'] === true;
    const compiled = compilePolicy(policyText.text, { fileName: policyPath, target, hasCustomSigningKey });
    if (!compiled.ok) {
      io.stderr.write(renderDiagnostics([{ file: policyPath, text: policyText.text, diagnostics: compiled.diagnostics }], 'text', { color: wantsColor(io.stderr, io) }));
      return ExitCode.findings;
    }
    const plan = compiled.plan;
    const bound = compiled.bound;
    let evaluation: JwtEvaluation | SamlEvaluation;
    if (engine === 'interpreter') evaluation = format === 'jwt' ? interpretJwt(bound, context, { jwtVersion }) : interpretSaml(bound, context, { hasCustomSigningKey });
    else if (engine === 'aot') evaluation = await withAotModule(plan, (m) => (format === 'jwt' ? m.evaluateJwt(context, { jwtVersion }) : m.evaluateSaml(context)));
    else {
      const linked = compiled.linked;
      evaluation = format === 'jwt' ? evaluateJwt(linked, context, { jwtVersion }) : evaluateSaml(linked, context);
    }
    const output = values.explain === true ? evaluation : format === 'jwt' ? (evaluation as JwtEvaluation).claims : samlOutput(evaluation as SamlEvaluation);
    io.stdout.write(JSON.stringify(output, null, 2) + '\n');
    return ExitCode.ok;
  },
};
