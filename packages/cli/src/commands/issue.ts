import { LineMap, createDiagnostic, hasErrors, serializePolicy, type Diagnostic } from '@claimc/model';
import { compilePolicy, explainToken, prepareDirectory, prepareSnapshotParts, renderDiagnostics, type ExplainPolicy, type TokenExplanation } from '@claimc/compiler';
import {
  ClaimcRuntimeError,
  TokenRefusedError,
  assembleToken,
  defaultSnapshot,
  demoSigningJwk,
  prepareJwt,
  samlAssertionXml,
  samlClaimsView,
  validCustomKey,
  withKid,
  type DirectoryClaimsMappingPolicy,
  type IndexedDirectory,
  type KeyRing,
  type TokenRequest,
} from '@claimc/runtime';
import { importNodeSigningKey, signJwtSync, type NodeSigningKey } from '@claimc/runtime/node';
import { oneOf, parseCommandArgs } from '../args.js';
import { ExitCode, UsageError } from '../command.js';
import type { CliIO, Command } from '../command.js';
import { readTextFile } from '../files.js';
import { assignPolicyDefinition, readSnapshotSource, type AssignableLists, type SnapshotSource } from '../directory-input.js';
import { checkPolicyText } from './check.js';

const usage = `Usage: claimc issue --user <upn|objectId> --client <appId> --token id|access|saml [options]

Issues a token as Entra would, offline, from a directory snapshot (the embedded demo tenant by default).

Options:
  --directory <path>           a Graph export folder, an indexed snapshot (claimc snapshot) or a snapshot JSON
                               file in Microsoft Graph shapes (default: the embedded demo tenant)
  --policy <file>              try a policy before deploying it: a policy file (JSON in any envelope, or .claims)
                               assigned in place of the snapshot's to the app whose policy applies (D16: the
                               resource for access tokens, otherwise the client)
  --select <id|displayName>    which policy of a --policy file holding several (Graph collection, Terraform)
  --user <upn|objectId>        the signed-in user; omit for an app-only (client-credentials) access token
  --client <appId>             client application (appId or identifier URI)
  --resource <appId>           resource for access tokens (appId or identifier URI; default: the client)
  --token <id|access|saml>     token type
  --version <1|2>              ID tokens: endpoint version (default 2); access tokens follow the resource's manifest
  --flow <code|implicit>       implicit: more than 5 groups become "hasgroups": true (default code)
  --scope "<scopes>"           space-separated scopes (ID tokens default to "openid profile")
  --now <unix seconds>         the clock (default: now); every time claim and key validity uses it
  --key <pem|jwk file>         signing key, PKCS#8 PEM or private JWK (default: the embedded DEMO key, RS256)
  --format <claims|jwt|saml>   claims (default): decoded payload as JSON; jwt: the signed token; saml: the assertion XML
  --explain                    where every claim comes from (core set, basic set, optional claim, policy entry
                               with its source chain and values, group configuration) and why each claim asked
                               for is absent (source empty, not exported, restricted, overage, not in this
                               token, gated); with --format text (default) or json
  -h, --help                   show this help

Exit codes: 0 issued, 1 refused (AADSTS code in the message) or invalid snapshot, 2 usage or unreadable input.
`;

/** A directory loaded for a command: the embedded demo tenant or a snapshot file, with its diagnostics rendered. */
export type LoadedDirectory = { readonly ok: true; readonly directory: IndexedDirectory } | { readonly ok: false; readonly exitCode: number };

/** A policy file to assign to one app of the snapshot before it is prepared (`claimc issue --policy`). */
export interface PolicyAssignment {
  readonly path: string;
  /** appId or identifier URI of the app whose policy applies (D16). */
  readonly app: string;
  /** Which policy of a file holding several (Graph id, Terraform address or display name). */
  readonly select?: string | undefined;
}

const assignedPolicyId = 'claimc-cli-policy';

/** Reads and checks a policy file for `--policy`; diagnostics are printed. The policy as a Graph resource, or an exit code. */
export async function readPolicyForAssignment(path: string, select: string | undefined, io: CliIO, id = assignedPolicyId): Promise<DirectoryClaimsMappingPolicy | number> {
  const read = await readTextFile(path, io);
  if (!read.ok) {
    io.stderr.write(`claimc: ${read.message}\n`);
    return ExitCode.usage;
  }
  const { read: policy, diagnostics } = checkPolicyText(read.text, path, { target: 'lenient' }, select);
  const shown = diagnostics.filter((d) => d.severity !== 'info');
  if (shown.length > 0) io.stderr.write(renderDiagnostics([{ file: path, text: read.text, diagnostics: shown }], 'text'));
  if (policy.policy === undefined || hasErrors(diagnostics)) return ExitCode.findings;
  return { id, displayName: policy.displayName ?? path, definition: [serializePolicy(policy.policy)] };
}

/** Lists of a snapshot object, for {@link assignPolicyDefinition}. */
function listsOf(snapshot: unknown): AssignableLists {
  const record = (snapshot ?? {}) as Record<string, unknown>;
  const list = <T>(key: string): T[] => (Array.isArray(record[key]) ? (record[key] as T[]) : []);
  return { applications: list('applications'), servicePrincipals: list('servicePrincipals'), claimsMappingPolicies: list('claimsMappingPolicies') };
}

/** A snapshot source with policies assigned in place of the apps' own (`issue --policy`, `diff`). */
export function withAssignedPolicy(source: SnapshotSource, apps: readonly string[], policy: DirectoryClaimsMappingPolicy): SnapshotSource {
  if (source.kind === 'parts') return { ...source, parts: { ...source.parts, ...assignPolicyDefinition(source.parts, apps, policy) } };
  return { ...source, snapshot: { ...(source.snapshot as Record<string, unknown>), ...assignPolicyDefinition(listsOf(source.snapshot), apps, policy) } };
}

/** Compiles the policies of a snapshot source and indexes it, printing diagnostics; invalid → exit 1. */
export function prepareSource(source: SnapshotSource, io: CliIO): LoadedDirectory {
  const prepared = source.kind === 'parts' ? prepareSnapshotParts(source.parts) : prepareDirectory(source.snapshot);
  const shown = prepared.diagnostics.filter((d) => d.severity !== 'info');
  if (shown.length > 0) io.stderr.write(renderDiagnostics([{ file: source.file, text: source.kind === 'object' ? source.text : '', diagnostics: shown }], 'text'));
  if (prepared.directory === undefined) return { ok: false, exitCode: ExitCode.findings };
  return { ok: true, directory: prepared.directory };
}

/** Reads `--directory` (a Graph export folder, an indexed snapshot or snapshot JSON; the embedded demo tenant by default). */
export async function loadSource(path: string | undefined, io: CliIO): Promise<{ ok: true; source: SnapshotSource } | { ok: false; exitCode: number }> {
  if (path === undefined) return { ok: true, source: { kind: 'object', snapshot: defaultSnapshot, file: '<embedded snapshot>', text: '' } };
  const read = await readSnapshotSource(path, io);
  return read.ok ? { ok: true, source: read.source } : read;
}

/** Loads and prepares `--directory` (or the embedded snapshot), printing diagnostics; invalid → exit 1, unreadable → 2. */
export async function loadDirectory(path: string | undefined, io: CliIO, assignment?: PolicyAssignment): Promise<LoadedDirectory> {
  const loaded = await loadSource(path, io);
  if (!loaded.ok) return loaded;
  let source = loaded.source;
  if (assignment !== undefined) {
    const policy = await readPolicyForAssignment(assignment.path, assignment.select, io);
    if (typeof policy === 'number') return { ok: false, exitCode: policy };
    source = withAssignedPolicy(source, [assignment.app], policy);
  }
  return prepareSource(source, io);
}

/** Reads `--key` (or the demo key) for the Node fast path. */
export async function loadKey(path: string | undefined, io: CliIO): Promise<NodeSigningKey | number> {
  try {
    if (path === undefined) return importNodeSigningKey({ ...demoSigningJwk });
    const read = await readTextFile(path, io);
    if (!read.ok) {
      io.stderr.write(`claimc: ${read.message}\n`);
      return ExitCode.usage;
    }
    return importNodeSigningKey(read.text);
  } catch (error) {
    if (error instanceof ClaimcRuntimeError) {
      io.stderr.write(`claimc: ${path ?? 'demo key'}: ${error.message}\n`);
      return ExitCode.usage;
    }
    throw error;
  }
}

/**
 * The key ring for a directory: the tenant key, and for every app with a custom signing key valid at `now` the same
 * material under that key credential's id (offline, one key plays every role; docs/tokens.md).
 */
export function keyRingFor(directory: IndexedDirectory, key: NodeSigningKey, now: number): KeyRing<NodeSigningKey> {
  const applications = new Map<string, NodeSigningKey>();
  for (const app of directory.apps) {
    const credential = validCustomKey(app, now);
    if (credential !== undefined) applications.set(app.appId, withKid(key, credential.customKeyIdentifier ?? credential.keyId));
  }
  return { tenant: key, applications };
}

/** Parses `--now`, defaulting to the wall clock (only the CLI reads it; the runtime takes an injected clock, D20). */
export function parseNow(value: string | undefined): number {
  if (value === undefined) return Math.floor(Date.now() / 1000);
  if (!/^\d{1,12}$/.test(value)) throw new UsageError(`--now must be Unix seconds (got '${value}')`);
  return Number(value);
}

function unknownPrincipal(directory: IndexedDirectory, request: TokenRequest): Diagnostic | undefined {
  const appExample = directory.apps[0]?.appId ?? 'none';
  for (const key of [request.client, ...(request.token === 'access' && request.resource !== undefined ? [request.resource] : [])]) {
    if (!directory.appsByAppId.has(key) && !directory.appsByIdentifierUri.has(key)) return createDiagnostic('CM7006', { app: key, example: appExample });
  }
  if (request.user !== undefined && !directory.usersById.has(request.user) && !directory.usersByUpn.has(request.user.toLowerCase())) {
    return createDiagnostic('CM7005', { user: request.user, example: directory.users[0]?.user.userPrincipalName ?? 'none' });
  }
  return undefined;
}

/** `claimc issue …`: assembles, then prints claims, a signed JWT or SAML XML. */
export const issueCommand: Command = {
  name: 'issue',
  summary: 'issue an Entra-like token (claims, signed JWT or SAML) from a directory snapshot',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      directory: { type: 'string' },
      policy: { type: 'string' },
      select: { type: 'string' },
      user: { type: 'string' },
      client: { type: 'string' },
      resource: { type: 'string' },
      token: { type: 'string' },
      version: { type: 'string' },
      flow: { type: 'string' },
      scope: { type: 'string' },
      now: { type: 'string' },
      key: { type: 'string' },
      format: { type: 'string' },
      explain: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]!}'`);
    if (values.client === undefined) throw new UsageError('--client is required');
    if (values.token === undefined) throw new UsageError('--token is required (id, access or saml)');
    const token = oneOf(values.token, ['id', 'access', 'saml'], '--token');
    const version = values.version === undefined ? undefined : (Number(oneOf(values.version, ['1', '2'], '--version')) as 1 | 2);
    const flow = oneOf(values.flow ?? 'code', ['code', 'implicit'], '--flow');
    const explain = values.explain === true;
    const format = oneOf(values.format ?? (explain ? 'text' : 'claims'), explain ? ['text', 'json'] : ['claims', 'jwt', 'saml'], '--format');
    if (format === 'saml' && token !== 'saml') throw new UsageError('--format saml needs --token saml');
    if (format === 'jwt' && token === 'saml') throw new UsageError('--format jwt needs --token id or access (SAML assertions print with --format saml)');
    if (values.user === undefined && token !== 'access') throw new UsageError('--user is required for ID tokens and SAML assertions');
    if (values.resource !== undefined && token !== 'access') throw new UsageError('--resource applies to access tokens only');
    const now = parseNow(values.now);

    const policyApp = token === 'access' ? (values.resource ?? values.client) : values.client;
    const sourceRead = await loadSource(values.directory, io);
    if (!sourceRead.ok) return sourceRead.exitCode;
    let source = sourceRead.source;
    if (values.policy !== undefined) {
      const policy = await readPolicyForAssignment(values.policy, values.select, io);
      if (typeof policy === 'number') return policy;
      source = withAssignedPolicy(source, [policyApp], policy);
    }
    const loaded = prepareSource(source, io);
    if (!loaded.ok) return loaded.exitCode;
    const directory = loaded.directory;
    const request: TokenRequest = {
      token,
      client: values.client,
      now,
      flow,
      ...(values.resource !== undefined ? { resource: values.resource } : {}),
      ...(values.user !== undefined ? { user: values.user } : {}),
      ...(version !== undefined ? { version } : {}),
      ...(values.scope !== undefined ? { scope: values.scope } : {}),
    };
    const missing = unknownPrincipal(directory, request);
    if (missing !== undefined) {
      io.stderr.write(renderDiagnostics([{ file: values.directory ?? '<embedded snapshot>', text: '', diagnostics: [missing] }], 'text'));
      return ExitCode.usage;
    }
    if (explain) {
      const policy = explainPolicyFor(source, directory, policyApp);
      const at = await entryLocator(values.policy, values.select, policy?.name, io);
      const explained = explainToken(directory, request, policy);
      const explanation: TokenExplanation = {
        ...explained,
        claims: explained.claims.map((c) => (c.entry === undefined ? c : { ...c, at: at(c.entry) })),
        absent: explained.absent.map((a) => (a.entry === undefined ? a : { ...a, at: at(a.entry) })),
      };
      io.stdout.write(format === 'json' ? JSON.stringify(explanation, null, 2) + '\n' : renderExplanation(explanation));
      return explanation.absent.some((a) => a.reason === 'gated') ? ExitCode.findings : ExitCode.ok;
    }
    const key = token === 'saml' ? undefined : await loadKey(values.key, io);
    if (typeof key === 'number') return key;
    try {
      const assembled = assembleToken(directory, request);
      if (assembled.format === 'saml') {
        io.stdout.write(format === 'saml' ? samlAssertionXml(assembled) + '\n' : JSON.stringify(samlClaimsView(assembled), null, 2) + '\n');
        return ExitCode.ok;
      }
      const ring = keyRingFor(directory, key!, now);
      io.stdout.write(format === 'jwt' ? signJwtSync(assembled, ring) + '\n' : JSON.stringify(prepareJwt(assembled, ring).payload, null, 2) + '\n');
      return ExitCode.ok;
    } catch (error) {
      if (error instanceof TokenRefusedError) {
        io.stderr.write(`claimc issue: ${error.message}\n`);
        return ExitCode.findings;
      }
      if (error instanceof ClaimcRuntimeError) {
        io.stderr.write(`claimc issue: ${error.code}: ${error.message}\n`);
        return error.code === 'ERR_REQUEST_INVALID' || error.code === 'ERR_KEY_INVALID' ? ExitCode.usage : ExitCode.findings;
      }
      throw error;
    }
  },
};

/** The policy of the app whose policy applies, as a model and linked, from the snapshot source it was prepared from. */
function explainPolicyFor(source: SnapshotSource, directory: IndexedDirectory, app: string): (ExplainPolicy & { readonly name: string }) | undefined {
  const target = directory.appsByAppId.get(app) ?? directory.appsByIdentifierUri.get(app);
  const id = target?.policy?.id;
  if (id === undefined) return undefined;
  const policies: readonly DirectoryClaimsMappingPolicy[] =
    source.kind === 'parts' ? source.parts.claimsMappingPolicies : (((source.snapshot as { claimsMappingPolicies?: unknown }).claimsMappingPolicies ?? []) as DirectoryClaimsMappingPolicy[]);
  const found = policies.find((p) => p.id === id);
  const definition = found?.definition[0];
  if (definition === undefined) return undefined;
  const compiled = compilePolicy(definition);
  return compiled.policy !== undefined && compiled.linked !== undefined ? { model: compiled.policy, linked: compiled.linked, name: found?.displayName ?? id } : undefined;
}

/** Where a policy entry stands: `file:line` for a --policy file, else the snapshot policy's name and entry. */
async function entryLocator(path: string | undefined, select: string | undefined, name: string | undefined, io: CliIO): Promise<(entry: number) => string> {
  const fallback = (entry: number): string => `policy "${name ?? '?'}" /ClaimsSchema/${entry}`;
  if (path === undefined) return fallback;
  const read = await readTextFile(path, io);
  if (!read.ok) return fallback;
  const { read: policy } = checkPolicyText(read.text, path, { target: 'lenient' }, select);
  const lines = new LineMap(read.text);
  return (entry) => {
    const location = policy.locations.get(`/ClaimsSchema/${entry}`);
    return location === undefined ? fallback(entry) : `${path}:${lines.position(location.span.start).line}`;
  };
}

const shown = (value: unknown): string => {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? 'null';
  return text.length > 60 ? text.slice(0, 57) + '…' : text;
};

/** The text form of `issue --explain`: one table of present claims, one of absent ones. */
function renderExplanation(explanation: TokenExplanation): string {
  const entryName = (entry: { readonly at?: string }): string => entry.at ?? '';
  const rows = explanation.claims.map((c) => {
    const inputs = c.inputs === undefined || c.inputs.length === 0 ? '' : ` with ${c.inputs.map((i) => `${i.source}=${shown(i.value)}`).join(', ')}`;
    const from = c.origin === 'policy' ? `${entryName(c)}: ${c.from ?? ''}${inputs}` : (c.from ?? '');
    return [c.claim, c.origin, shown(c.value), from];
  });
  const widths = [5, 6, 5].map((min, i) => Math.max(min, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ').trimEnd();
  const out = [line(['CLAIM', 'ORIGIN', 'VALUE', 'FROM']), ...rows.map(line)];
  if (explanation.absent.length > 0) {
    const absentRows = explanation.absent.map((a) => [a.claim, a.origin, a.reason, [entryName(a), a.hint ?? ''].filter((x) => x !== '').join(': ')]);
    const w = [6, 6, 6].map((min, i) => Math.max(min, ...absentRows.map((r) => r[i]!.length)));
    out.push('', ['ABSENT'.padEnd(w[0]!), 'ORIGIN'.padEnd(w[1]!), 'REASON'.padEnd(w[2]!), 'DETAIL'].join('  '));
    for (const r of absentRows) out.push(r.map((cell, i) => (i < 3 ? cell.padEnd(w[i]!) : cell)).join('  ').trimEnd());
  }
  return out.join('\n') + '\n';
}
