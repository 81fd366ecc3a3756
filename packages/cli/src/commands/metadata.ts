import { jwks, openidConfiguration, tenantRegionScope, validCustomKey } from '@claimc/runtime/internal';
import { federationMetadataXml } from '@claimc/saml';
import { oneOf, parseCommandArgs } from '../args.js';
import { ExitCode, UsageError } from '../command.js';
import type { Command } from '../command.js';
import { commandLineProblem, keyRingFor, loadDirectory, loadKey, parseNow } from './issue.js';

const usage = `Usage: claimc metadata [options]

Prints the JWKS and the openid-configuration document that verify tokens from 'claimc issue'
(same --directory, --key and --cert). With --appid, the ?appid= form for an app with a custom signing key.
With --saml, the signed SAML 2.0 federation metadata XML (entity ID, signing certificate, endpoints) instead.

Options:
  -o, --output <file>          write the result to a file instead of standard output
  --directory <snapshot.json>  directory snapshot (default: the embedded demo tenant)
  --key <pem|jwk file>         signing key (default: the embedded DEMO key)
  --cert <pem file>            the key's X.509 certificate (default: a self-signed one generated for RSA keys)
  --saml                       print SAML federation metadata XML (the certificate SAML tokens are signed with)
  --appid <appId>              metadata of an application's custom signing key (?appid=)
  --token-version <1|2>        openid-configuration version (default 2)
  --now <unix seconds>         clock for key validity (default: now)
  -h, --help                   show this help

Output: {"openid-configuration": {...}, "jwks": {"keys": [...]}}. Exit codes: 0 ok, 1 invalid snapshot or
an app without a valid custom key, 2 usage or unreadable input.
`;

/** `claimc metadata`: JWKS + openid-configuration matching `claimc issue`'s keys. */
export const metadataCommand: Command = {
  name: 'metadata',
  resultOnStdout: true,
  summary: 'print the JWKS and openid-configuration that verify issued tokens',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      directory: { type: 'string' },
      key: { type: 'string' },
      cert: { type: 'string' },
      saml: { type: 'boolean' },
      appid: { type: 'string' },
      'token-version': { type: 'string' },
      now: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]!}'`);
    const version = Number(oneOf(values['token-version'] ?? '2', ['1', '2'], '--token-version')) as 1 | 2;
    const now = parseNow(values.now);
    if (typeof now !== 'number') return commandLineProblem(now, io);
    const loaded = await loadDirectory(values.directory, io);
    if (!loaded.ok) return loaded.exitCode;
    const key = await loadKey(values.key, io, values.cert);
    if (typeof key === 'number') return key;
    const ring = keyRingFor(loaded.directory, key, now, { appCertificates: values.cert === undefined });
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
    if (values.saml === true) {
      const signingKey = published[0]!;
      if (signingKey.certificate === undefined) {
        io.stderr.write(`claimc metadata: SAML signs with RSA keys only; this key signs ${signingKey.alg}\n`);
        return ExitCode.usage;
      }
      io.stdout.write(federationMetadataXml({ tenantId: loaded.directory.organization.id, key: signingKey }) + '\n');
      return ExitCode.ok;
    }
    const document = {
      'openid-configuration': openidConfiguration(loaded.directory.organization.id, {
        version,
        tenantRegionScope: tenantRegionScope(loaded.directory.organization) ?? null,
        algorithms: [key.alg],
        ...(values.appid !== undefined ? { appId: values.appid } : {}),
      }),
      jwks: jwks(published),
    };
    io.stdout.write(JSON.stringify(document, null, 2) + '\n');
    return ExitCode.ok;
  },
};
