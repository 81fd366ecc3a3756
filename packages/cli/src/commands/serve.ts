import type { Diagnostic } from '@claimc/model';
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { createServer, memoryConsumeOnce, type ConsumeOnce, type RequestLogEntry } from '@claimc/server';
import type { NodeSigningKey } from '@claimc/runtime/node';
import { oneOf, parseCommandArgs } from '../args.js';
import { ExitCode, UsageError } from '../command.js';
import type { CliIO, Command } from '../command.js';
import { readTextFile } from '../files.js';
import { loadDirectory, loadKey, parseNow } from './issue.js';

const usage = `Usage: claimc serve [options]

A local Entra sign-in endpoint for a directory snapshot (the embedded demo tenant by default): apps and client
libraries change only their authority URL. Prints the base URL as the first line on stdout, then serves
  /<tenant>/v2.0/.well-known/openid-configuration (and v1, ?appid=)   /<tenant>/discovery/v2.0/keys (and v1)
  /<tenant>/oauth2/v2.0/authorize (and v1): a sign-in page listing the snapshot's users
  /<tenant>/oauth2/v2.0/token (and v1): authorization_code (PKCE, client secret or certificate assertion),
                                        client_credentials, refresh_token, on-behalf-of (jwt-bearer)
  /<tenant>/saml2 (SAML 2.0, HTTP-Redirect or POST)    /<tenant>/wsfed (WS-Federation)

Options:
  --directory <snapshot.json>  directory snapshot (default: the embedded demo tenant); reloaded when it changes
  --policy <file>              a policy file (JSON in any envelope, or .claims) assigned to --policy-app; reloaded too
  --policy-app <appId>         the app --policy applies to (appId or identifier URI)
  --port <n>                   port (default 0: a free port; the first stdout line says which)
  --host <address>             address to bind (default 127.0.0.1: loopback only)
  --key <pem|jwk file>         signing key (default: the embedded DEMO key, RS256)
  --now <unix seconds>         freeze the clock (tests); default: the wall clock
  --log <text|json|none>       one line per request on stderr (default text)
  --workers <n>                worker processes sharing the port (default 1)
  --tls-cert <pem> --tls-key <pem>   serve HTTPS (clients that refuse http authorities, e.g. MSAL)
  -h, --help                   show this help

A broken edit of --directory or --policy keeps the last good state and prints the diagnostics. SIGINT or SIGTERM
stops accepting connections and exits 0 when the open ones are done. Exit codes: 0 stopped, 1 invalid snapshot
or policy at start, 2 usage or unreadable input.
`;

interface ServeSettings {
  readonly directory: string | undefined;
  readonly policy: { readonly path: string; readonly app: string } | undefined;
  readonly port: number;
  readonly host: string;
  readonly key: string | undefined;
  readonly now: number | undefined;
  readonly log: 'text' | 'json' | 'none';
  readonly workers: number;
  readonly tls: { readonly cert: string; readonly key: string } | undefined;
}

function parseSettings(args: readonly string[]): ServeSettings {
  const { values, positionals } = parseCommandArgs(args, {
    directory: { type: 'string' },
    policy: { type: 'string' },
    'policy-app': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    key: { type: 'string' },
    now: { type: 'string' },
    log: { type: 'string' },
    workers: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]!}'`);
  if ((values.policy === undefined) !== (values['policy-app'] === undefined)) throw new UsageError('--policy and --policy-app go together');
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !/^\d+$/.test(values.port ?? '0')) throw new UsageError(`--port must be 0–65535 (got '${values.port ?? ''}')`);
  const workers = values.workers === undefined ? 1 : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64 || !/^\d+$/.test(values.workers ?? '1')) throw new UsageError(`--workers must be 1–64 (got '${values.workers ?? ''}')`);
  return {
    directory: values.directory,
    policy: values.policy !== undefined ? { path: values.policy, app: values['policy-app']! } : undefined,
    port,
    host: values.host ?? '127.0.0.1',
    key: values.key,
    now: values.now === undefined ? undefined : clockOrThrow(parseNow(values.now)),
    log: oneOf(values.log ?? 'text', ['text', 'json', 'none'], '--log'),
    workers,
    tls: values['tls-cert'] !== undefined ? { cert: values['tls-cert'], key: values['tls-key']! } : undefined,
  };
}

// serve takes --now for its injected clock: a clock outside the range is a usage mistake like any other flag
function clockOrThrow(now: number | Diagnostic): number {
  if (typeof now === 'number') return now;
  throw new UsageError(now.message);
}

const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\./.test(host);

function formatLog(entry: RequestLogEntry, format: 'text' | 'json'): string {
  if (format === 'json') return JSON.stringify(entry) + '\n';
  const extra = [entry.grant, entry.client, entry.error].filter((x) => x !== undefined).join(' ');
  return `${entry.time} ${entry.method} ${entry.path} ${entry.status} ${entry.ms}ms${extra !== '' ? ' ' + extra : ''}\n`;
}

/** Messages between a cluster's primary and its workers. */
type WorkerMessage = { readonly type: 'listening'; readonly url: string } | { readonly type: 'consume'; readonly request: number; readonly id: string; readonly expiresAt: number; readonly now: number };

/** Single use across workers: the primary remembers used codes and answers each worker's question. */
function clusterConsumeOnce(): ConsumeOnce {
  let next = 0;
  const pending = new Map<number, (first: boolean) => void>();
  process.on('message', (message: { type?: string; request?: number; first?: boolean }) => {
    if (message.type !== 'consumed' || message.request === undefined) return;
    pending.get(message.request)?.(message.first === true);
    pending.delete(message.request);
  });
  return (id, expiresAt, now) =>
    new Promise<boolean>((done) => {
      const request = next++;
      pending.set(request, done);
      process.send?.({ type: 'consume', request, id, expiresAt, now } satisfies WorkerMessage);
    });
}

/** `claimc serve`: the local sign-in endpoint, with hot reload, request log, workers and graceful shutdown. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run a local Entra sign-in endpoint (OIDC, OAuth 2.0, SAML, WS-Fed) over a directory snapshot',
  usage,
  async run(args, io) {
    const settings = parseSettings(args);
    if (settings.workers > 1 && cluster.isPrimary) return runPrimary(settings, io);
    return runServer(settings, io);
  },
};

async function loadContent(settings: ServeSettings, io: CliIO): Promise<{ ok: true; directory: Parameters<typeof createServer>[0]['directory'] } | { ok: false; exitCode: number }> {
  return loadDirectory(settings.directory, io, settings.policy);
}

async function runServer(settings: ServeSettings, io: CliIO): Promise<number> {
  const worker = cluster.isWorker;
  const loaded = await loadContent(settings, io);
  if (!loaded.ok) return loaded.exitCode;
  const key = await loadKey(settings.key, io);
  if (typeof key === 'number') return key;
  let tls: { key: string; cert: string } | undefined;
  if (settings.tls !== undefined) {
    const cert = await readTextFile(settings.tls.cert, io);
    const tlsKey = await readTextFile(settings.tls.key, io);
    if (!cert.ok || !tlsKey.ok) {
      io.stderr.write(`claimc serve: ${!cert.ok ? cert.message : !tlsKey.ok ? tlsKey.message : ''}\n`);
      return ExitCode.usage;
    }
    tls = { key: tlsKey.text, cert: cert.text };
  }
  const secretHex = io.env['CLAIMC_SERVE_SECRET'];
  const server = createServer({
    directory: loaded.directory,
    key,
    ...(settings.now !== undefined ? { now: () => settings.now! } : {}),
    ...(worker && secretHex !== undefined ? { secret: Buffer.from(secretHex, 'hex'), consumeOnce: clusterConsumeOnce() } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(settings.log !== 'none' ? { log: (entry: RequestLogEntry) => io.stderr.write(formatLog(entry, settings.log as 'text' | 'json')) } : {}),
  });
  let url: string;
  try {
    url = await server.listen(settings.port, settings.host);
  } catch (error) {
    io.stderr.write(`claimc serve: cannot listen on ${settings.host}:${settings.port} (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`);
    return ExitCode.usage;
  }
  if (worker) process.send?.({ type: 'listening', url } satisfies WorkerMessage);
  else {
    io.stdout.write(url + '\n');
    announce(settings, url, loaded.directory.organization.id, io);
  }
  const watchers = worker && io.env['CLAIMC_SERVE_WORKER_INDEX'] !== '0' ? [] : watchInputs(settings, io, async () => {
    const next = await loadContent(settings, io);
    if (!next.ok) {
      io.stderr.write('claimc serve: reload failed; still serving the last good snapshot and policies\n');
      return;
    }
    server.update({ directory: next.directory, key });
    if (worker) process.send?.({ type: 'reloaded' });
    io.stderr.write('claimc serve: reloaded\n');
  });
  if (worker) {
    // other workers reload when the watching worker says a change went well (through the primary)
    process.on('message', (message: { type?: string }) => {
      if (message.type !== 'reload') return;
      void loadContent(settings, { ...io, stderr: { write: () => true } }).then((next) => {
        if (next.ok) server.update({ directory: next.directory, key });
      });
    });
  }
  return new Promise<number>((done) => {
    const stop = (): void => {
      for (const watcher of watchers) watcher.close();
      if (!worker) io.stderr.write('claimc serve: stopping\n');
      void server.close().then(() => done(ExitCode.ok));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (worker) process.once('disconnect', stop);
  });
}

function announce(settings: ServeSettings, url: string, tenant: string, io: CliIO): void {
  io.stderr.write(
    isLoopback(settings.host)
      ? `claimc serve: listening on ${settings.host} only (loopback); --host 0.0.0.0 would expose it to the network\n`
      : `claimc serve: listening on ${settings.host}: reachable from other machines; tokens are signed with ${settings.key === undefined ? 'the public DEMO key' : 'your key'}\n`,
  );
  io.stderr.write(`claimc serve: authority ${url}/${tenant}/v2.0 (workers: ${settings.workers})\n`);
}

/** Watches each input's folder (editors replace files by rename) and calls `reload` once per burst of changes. */
function watchInputs(settings: ServeSettings, io: CliIO, reload: () => Promise<void>): FSWatcher[] {
  const files = [settings.directory, settings.policy?.path].filter((f): f is string => f !== undefined).map((f) => resolve(io.cwd, f));
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const watchers: FSWatcher[] = [];
  for (const folder of new Set(files.map((f) => dirname(f)))) {
    const names = new Set(files.filter((f) => dirname(f) === folder).map((f) => basename(f)));
    try {
      watchers.push(
        watch(folder, (_event, name) => {
          if (name === null || !names.has(name.toString())) return;
          clearTimeout(timer);
          timer = setTimeout(() => {
            running = running.then(reload);
          }, 100);
        }),
      );
    } catch {
      io.stderr.write(`claimc serve: cannot watch ${folder}; changes there need a restart\n`);
    }
  }
  return watchers;
}

async function runPrimary(settings: ServeSettings, io: CliIO): Promise<number> {
  // check the inputs once here, so that a broken snapshot fails fast instead of in every worker
  const loaded = await loadContent(settings, io);
  if (!loaded.ok) return loaded.exitCode;
  const key: NodeSigningKey | number = await loadKey(settings.key, io);
  if (typeof key === 'number') return key;
  const secret = randomBytes(32).toString('hex');
  const used = memoryConsumeOnce();
  let announced = false;
  let stopping = false;
  return new Promise<number>((done) => {
    for (let index = 0; index < settings.workers; index++) {
      const worker = cluster.fork({ ...io.env, CLAIMC_SERVE_SECRET: secret, CLAIMC_SERVE_WORKER_INDEX: String(index) });
      worker.on('message', (message: WorkerMessage | { type: 'reloaded' }) => {
        if (message.type === 'listening' && !announced) {
          announced = true;
          io.stdout.write(message.url + '\n');
          announce(settings, message.url, loaded.directory.organization.id, io);
        } else if (message.type === 'consume') {
          void Promise.resolve(used(message.id, message.expiresAt, message.now)).then((first) => worker.send({ type: 'consumed', request: message.request, first }));
        } else if (message.type === 'reloaded') {
          for (const other of Object.values(cluster.workers ?? {})) if (other !== undefined && other !== worker) other.send({ type: 'reload' });
        }
      });
    }
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) done(stopping ? ExitCode.ok : ExitCode.findings);
    });
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      io.stderr.write('claimc serve: stopping\n');
      cluster.disconnect();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
