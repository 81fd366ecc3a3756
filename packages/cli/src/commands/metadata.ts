import { jwks, keyRingFor, openidConfiguration, validCustomKey } from '@claimc/runtime';
import { oneOf, parseCommandArgs } from '../args.js';
import { ExitCode, UsageError } from '../command.js';
import type { Command } from '../command.js';
import { loadDirectory, loadKey, parseNow } from './issue.js';

const usage = `Usage: claimc metadata [options]

Prints the JWKS and the openid-configuration document that verify tokens from 'claimc issue'
(same --directory and --key). With --appid, the ?appid= form for an app with a custom signing key.

Options:
  --directory <snapshot.json>  directory snapshot (default: the embedded demo tenant)
  --key <pem|jwk file>         signing key (default: the embedded DEMO key)
  --appid <appId>              metadata of an application's custom signing key (?appid=)
  --version <1|2>              openid-configuration version (default 2)
  --now <unix seconds>         clock for key validity (default: now)
  -h, --help                   show this help

Output: {"openid-configuration": {...}, "jwks": {"keys": [...]}}. Exit codes: 0 ok, 1 invalid snapshot or
an app without a valid custom key, 2 usage or unreadable input.
`;

/** `claimc metadata`: JWKS + openid-configuration matching `claimc issue`'s keys. */
export const metadataCommand: Command = {
  name: 'metadata',
  summary: 'print the JWKS and openid-configuration that verify issued tokens',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      directory: { type: 'string' },
      key: { type: 'string' },
      appid: { type: 'string' },
      version: { type: 'string' },
      now: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]!}'`);
    const version = Number(oneOf(values.version ?? '2', ['1', '2'], '--version')) as 1 | 2;
    const now = parseNow(values.now);
    const loaded = await loadDirectory(values.directory, io);
    if (!loaded.ok) return loaded.exitCode;
    const key = await loadKey(values.key, io);
    if (typeof key === 'number') return key;
    const ring = keyRingFor(loaded.directory, key, now);
    let published = [ring.tenant];
    if (values.appid !== undefined) {
      const app = loaded.directory.appsByAppId.get(values.appid);
      if (app === undefined) throw new UsageError(`no application with appId '${values.appid}' in the directory`);
      const appKey = ring.applications?.get(app.appId);
      if (appKey === undefined || validCustomKey(app, now) === undefined) {
        io.stderr.write(`claimc metadata: application ${app.appId} has no custom signing key valid at ${now}\n`);
        return ExitCode.findings;
      }
      published = [appKey];
    }
    const document = {
      'openid-configuration': openidConfiguration(loaded.directory.organization.id, {
        version,
        algorithms: [key.alg],
        ...(values.appid !== undefined ? { appId: values.appid } : {}),
      }),
      jwks: jwks(published),
    };
    io.stdout.write(JSON.stringify(document, null, 2) + '\n');
    return ExitCode.ok;
  },
};
