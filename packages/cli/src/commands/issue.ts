import { LineMap, createDiagnostic, hasErrors, serializePolicy, type Diagnostic } from '@claimc/model';
import { compilePolicy, explainToken, prepareDirectory, prepareSnapshotParts, renderDiagnostics, type ExplainPolicy, type TokenExplanation } from '@claimc/compiler';
import { defaultSnapshot, demoSigningJwk } from '../demo/tenant.js';
import { locateByPointer } from '@claimc/syntax';
import {
  ClaimcRuntimeError,
  TokenRefusedError,
  assembleToken,
  clockRange,
  prepareJwt,
  samlAssertionXml,
  samlClaimsView,
  selectKey,
  tokenLifetimes,
  type AssembledSaml,
  type DirectoryClaimsMappingPolicy,
  type IndexedDirectory,
  type TokenRequest,
} from '@claimc/runtime/internal';
import { importNodeSigningKey, signJwtSync, type NodeSigningKey } from '@claimc/runtime/node';
import { buildSignedSaml11Assertion, buildSignedSamlResponse, buildWsFedResult, certifiedKeyRing, certifyKey, readSigningCertificate, tenantCertificateWindow } from '@claimc/saml';
import { oneOf, parseCommandArgs } from '../args.js';
import { ExitCode, UsageError } from '../command.js';
import type { CliIO, Command } from '../command.js';
import { readTextFile } from '../files.js';
import { assignPolicyDefinition, readSnapshotSource, type AssignableLists, type SnapshotSource } from '../directory-input.js';
import { checkPolicyText } from './check.js';

const usage = `Usage: claimc issue --user <upn|objectId> --client <appId> --token id|access|saml [options]

Issues a token as Entra would, offline, from a directory snapshot (the embedded demo tenant by default).

Options:
  -o, --output <file>          write the result to a file instead of standard output
  --directory <path>           a Graph export folder, an indexed snapshot (claimc snapshot) or a snapshot JSON
                               file in Microsoft Graph shapes (default: the embedded demo tenant)
  --policy <file>              try a policy before deploying it: a policy file (JSON in any envelope, or .claims)
                               assigned in place of the snapshot's to the app whose policy applies (the
                               resource for access tokens, otherwise the client)
  --select <id|displayName>    which policy of a --policy file holding several (Graph collection, Terraform)
  --user <upn|objectId>        the signed-in user; omit for an app-only (client-credentials) access token
  --client <appId>             client application (appId or identifier URI)
  --resource <appId>           resource for access tokens (appId or identifier URI; default: the client)
  --token <id|access|saml>     token type
  --token-version <1|2>        ID tokens: endpoint version (default 2); access tokens follow the resource's manifest
  --flow <code|implicit>       implicit: more than 5 groups become "hasgroups": true (default code)
  --scope "<scopes>"           space-separated scopes (ID tokens default to "openid profile")
  --now <unix seconds>         the clock (default: now); every time claim and key validity uses it
  --nonce <value>              ID tokens: the nonce of the authorize request, echoed in the nonce claim
  --code <value>               ID tokens issued beside an authorization code: adds c_hash of that code
  --access-token <value>       ID tokens issued beside an access token: adds at_hash of that token
  --key <pem|jwk file>         signing key, PKCS#8 PEM or private JWK (default: the embedded DEMO key, RS256)
  --authority <url>            issuer base URL, e.g. the one 'claimc serve' prints (iss becomes <url>/<tenant>/v2.0,
                               v1 and SAML <url>/<tenant>/; default: Entra's hosts)
  --cert <pem file>            the key's X.509 certificate (default: a self-signed one generated for RSA keys)
  --format <claims|jwt|saml|assertion>
                               claims (default): decoded payload as JSON; jwt: the signed token; saml: the signed
                               SAML output of --protocol; assertion: the unsigned SAML 2.0 assertion
  --protocol <saml2|saml11|wsfed>
                               SAML only: saml2 (default) a samlp:Response signed per the app's samlSigningOption;
                               saml11 a signed SAML 1.1 assertion; wsfed a WS-Federation wresult
                               (RequestSecurityTokenResponse) with a signed SAML 1.1 token
  --destination <url>          saml2: the assertion consumer service URL (default: the app's first reply URL)
  --in-response-to <id>        saml2: the ID of the AuthnRequest answered (omit for IdP-initiated sign-in)
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
  /** appId or identifier URI of the app whose policy applies: the resource for access tokens, otherwise the client. */
  readonly app: string;
  /** Which policy of a file holding several (Graph id, Terraform address or display name). */
  readonly select?: string | undefined;
}

const assignedPolicyId = 'claimc-cli-policy';
// an XML Schema ID (NCName): what an AuthnRequest's ID, and so InResponseTo, must be
const xmlId = /^[\p{L}_][\p{L}\p{N}_.\-\u00B7\u0300-\u036F\u203F-\u2040]*$/u;

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
  const text = source.kind === 'object' ? source.text : '';
  // Snapshot problems carry JSON Pointers; in a file they also get line, column and a code frame.
  const shown = locateByPointer(text, prepared.diagnostics.filter((d) => d.severity !== 'info'));
  if (shown.length > 0) io.stderr.write(renderDiagnostics([{ file: source.file, text, diagnostics: shown, showPointers: true }], 'text'));
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

const isRsa = (key: NodeSigningKey): boolean => key.keyObject?.asymmetricKeyType === 'rsa';

/**
 * Reads `--key` (or the demo key) for the Node fast path, with its certificate: `--cert`, or for RSA keys a generated
 * self-signed one (v1 `x5t`, JWKS `x5c`, SAML KeyInfo).
 */
export async function loadKey(path: string | undefined, io: CliIO, certificatePath?: string): Promise<NodeSigningKey | number> {
  let source = path ?? 'demo key';
  try {
    let key: NodeSigningKey;
    if (path === undefined) key = importNodeSigningKey({ ...demoSigningJwk });
    else {
      const read = await readTextFile(path, io);
      if (!read.ok) {
        io.stderr.write(`claimc: ${read.message}\n`);
        return ExitCode.usage;
      }
      key = importNodeSigningKey(read.text);
    }
    if (certificatePath === undefined) return isRsa(key) ? certifyKey(key, tenantCertificateWindow) : key;
    source = certificatePath;
    const read = await readTextFile(certificatePath, io);
    if (!read.ok) {
      io.stderr.write(`claimc: ${read.message}\n`);
      return ExitCode.usage;
    }
    return certifyKey(key, readSigningCertificate(read.text, key));
  } catch (error) {
    if (error instanceof ClaimcRuntimeError) {
      io.stderr.write(`claimc: ${source}: ${error.message}\n`);
      return ExitCode.usage;
    }
    throw error;
  }
}

/** The key ring for a directory, certificates included: the one `claimc serve` uses too (see `certifiedKeyRing`). */
export const keyRingFor = certifiedKeyRing;

/** Parses `--authority`: an http(s) URL without query or fragment, returned without a trailing slash. */
export function parseAuthority(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--authority must be an http or https URL (got '${value}')`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') throw new UsageError(`--authority must be an http or https URL without query or fragment (got '${value}')`);
  return url.href.replace(/\/+$/, '');
}

/**
 * Parses `--now`, defaulting to the wall clock (only the CLI reads it; the runtime takes an injected clock). A clock
 * whose token would expire after 9999-12-31T23:59:59Z is the diagnostic CM7050 (the caller exits 2).
 */
export function parseNow(value: string | undefined, token?: 'id' | 'access' | 'saml'): number | Diagnostic {
  if (value === undefined) return Math.floor(Date.now() / 1000);
  if (!/^\d+$/.test(value)) throw new UsageError(`--now must be Unix seconds (got '${value}')`);
  const lifetime = token === undefined ? 0 : token === 'saml' ? tokenLifetimes.saml : tokenLifetimes.jwt;
  const latest = clockRange.latest - lifetime;
  const now = Number(value);
  if (now <= latest) return now;
  const shown = value.length > 24 ? `${value.slice(0, 24)}…` : value;
  return createDiagnostic('CM7050', { now: shown, token: token === undefined ? 'key validity checks' : token === 'saml' ? 'a SAML assertion' : token === 'id' ? 'an ID token' : 'an access token', latest: String(latest), date: new Date(latest * 1000).toISOString().replace('.000Z', 'Z') });
}

/** Prints a command-line diagnostic (no file position) and returns the usage exit code. */
export function commandLineProblem(diagnostic: Diagnostic, io: CliIO): number {
  io.stderr.write(renderDiagnostics([{ file: '<command line>', text: '', diagnostics: [diagnostic] }], 'text'));
  return ExitCode.usage;
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

/**
 * The signed SAML output of `--protocol`: a Response to the destination (checked against the app's reply URLs, signed
 * per its samlSigningOption), a SAML 1.1 assertion, or a WS-Federation wresult.
 */
function signedSaml(
  directory: IndexedDirectory,
  client: string,
  assertion: AssembledSaml,
  key: NodeSigningKey,
  protocol: 'saml2' | 'saml11' | 'wsfed',
  destinationFlag: string | undefined,
  inResponseTo: string | undefined,
): string | { readonly diagnostic: Diagnostic; readonly exitCode: number } {
  if (protocol === 'saml11') return buildSignedSaml11Assertion({ assertion, key });
  if (protocol === 'wsfed') return buildWsFedResult({ assertion, key, tokenType: 'saml11' });
  const app = directory.appsByAppId.get(client) ?? directory.appsByIdentifierUri.get(client);
  const replyUrls = app?.servicePrincipal.replyUrls ?? [];
  const appId = app?.appId ?? client;
  const destination = destinationFlag ?? replyUrls[0];
  if (destination === undefined) return { diagnostic: createDiagnostic('CM7201', { appId }), exitCode: ExitCode.usage };
  if (replyUrls.length > 0 && !replyUrls.includes(destination)) {
    return { diagnostic: createDiagnostic('CM7200', { destination, appId, replyUrls: replyUrls.join(', ') }), exitCode: ExitCode.findings };
  }
  return buildSignedSamlResponse({
    assertion,
    destination,
    key,
    signingOption: app?.servicePrincipal.samlSigningOption ?? 'SignAssertion',
    ...(inResponseTo !== undefined ? { inResponseTo } : {}),
  });
}

/** `claimc issue …`: assembles, then prints claims, a signed JWT or signed SAML XML. */
export const issueCommand: Command = {
  name: 'issue',
  resultOnStdout: true,
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
      'token-version': { type: 'string' },
      flow: { type: 'string' },
      scope: { type: 'string' },
      now: { type: 'string' },
      nonce: { type: 'string' },
      code: { type: 'string' },
      'access-token': { type: 'string' },
      key: { type: 'string' },
      cert: { type: 'string' },
      authority: { type: 'string' },
      format: { type: 'string' },
      protocol: { type: 'string' },
      destination: { type: 'string' },
      'in-response-to': { type: 'string' },
      explain: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]!}'`);
    if (values.client === undefined) throw new UsageError('--client is required');
    if (values.token === undefined) throw new UsageError('--token is required (id, access or saml)');
    const token = oneOf(values.token, ['id', 'access', 'saml'], '--token');
    const version = values['token-version'] === undefined ? undefined : (Number(oneOf(values['token-version'], ['1', '2'], '--token-version')) as 1 | 2);
    const flow = oneOf(values.flow ?? 'code', ['code', 'implicit'], '--flow');
    const explain = values.explain === true;
    const format = oneOf(values.format ?? (explain ? 'text' : 'claims'), explain ? ['text', 'json'] : ['claims', 'jwt', 'saml', 'assertion'], '--format');
    if ((format === 'saml' || format === 'assertion') && token !== 'saml') throw new UsageError(`--format ${format} needs --token saml`);
    if (format === 'jwt' && token === 'saml') throw new UsageError('--format jwt needs --token id or access (SAML prints with --format saml)');
    const protocol = oneOf(values.protocol ?? 'saml2', ['saml2', 'saml11', 'wsfed'], '--protocol');
    for (const flag of ['protocol', 'destination', 'in-response-to'] as const) {
      if (values[flag] !== undefined && format !== 'saml') throw new UsageError(`--${flag} applies to --token saml --format saml`);
    }
    if (protocol !== 'saml2' && (values.destination !== undefined || values['in-response-to'] !== undefined)) throw new UsageError('--destination and --in-response-to apply to --protocol saml2');
    if (values['in-response-to'] !== undefined && !xmlId.test(values['in-response-to'])) {
      throw new UsageError(`--in-response-to must be the AuthnRequest's ID, an XML name such as _a1b2c3 (got '${values['in-response-to']}')`);
    }
    if (values.user === undefined && token !== 'access') throw new UsageError('--user is required for ID tokens and SAML assertions');
    if (values.resource !== undefined && token !== 'access') throw new UsageError('--resource applies to access tokens only');
    for (const flag of ['nonce', 'code', 'access-token'] as const) if (values[flag] !== undefined && token !== 'id') throw new UsageError(`--${flag} applies to ID tokens only`);
    const now = parseNow(values.now, token);
    if (typeof now !== 'number') return commandLineProblem(now, io);
    const authority = values.authority === undefined ? undefined : parseAuthority(values.authority);

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
      ...(values.nonce !== undefined ? { nonce: values.nonce } : {}),
      ...(values.code !== undefined ? { code: values.code } : {}),
      ...(values['access-token'] !== undefined ? { accessToken: values['access-token'] } : {}),
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
    const signs = token !== 'saml' || format === 'saml';
    const key = signs ? await loadKey(values.key, io, values.cert) : undefined;
    if (typeof key === 'number') return key;
    try {
      const assembled = assembleToken(directory, request, authority === undefined ? {} : { authority });
      if (assembled.format === 'saml') {
        if (format === 'claims') io.stdout.write(JSON.stringify(samlClaimsView(assembled), null, 2) + '\n');
        else if (format === 'assertion') io.stdout.write(samlAssertionXml(assembled) + '\n');
        else {
          const signed = signedSaml(directory, values.client, assembled, selectKey(assembled, keyRingFor(directory, key!, now, { appCertificates: values.cert === undefined })), protocol, values.destination, values['in-response-to']);
          if (typeof signed !== 'string') {
            io.stderr.write(renderDiagnostics([{ file: values.directory ?? '<embedded snapshot>', text: '', diagnostics: [signed.diagnostic] }], 'text'));
            return signed.exitCode;
          }
          io.stdout.write(signed + '\n');
        }
        return ExitCode.ok;
      }
      const ring = keyRingFor(directory, key!, now, { appCertificates: values.cert === undefined });
      const prepared = prepareJwt(assembled, ring);
      io.stdout.write(format === 'jwt' ? signJwtSync(assembled, ring) + '\n' : JSON.stringify(prepared.payload, null, 2) + '\n');
      // size is information (Entra does not shrink tokens): a warning per server default the signed token exceeds
      const sizeWarnings = prepared.sizeNotes.map((note) => createDiagnostic('CM7250', { bytes: note.bytes, limit: note.limit, server: note.server }));
      if (sizeWarnings.length > 0) io.stderr.write(renderDiagnostics([{ file: '<issued token>', text: '', diagnostics: sizeWarnings }], 'text'));
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
  return compiled.ok ? { model: compiled.policy, linked: compiled.linked, name: found?.displayName ?? id } : undefined;
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
