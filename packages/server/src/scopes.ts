import type { IndexedApp, IndexedDirectory } from '@claimc/runtime/internal';
import { EntraError } from './errors.js';

/** The OpenID Connect scopes: they shape the ID token and the refresh token, never an access token's audience. */
export const oidcScopes: ReadonlySet<string> = new Set(['openid', 'profile', 'email', 'offline_access']);

/** A request's scopes split into the OIDC ones and one resource with its permissions. */
export interface ResolvedScopes {
  readonly oidc: ReadonlySet<string>;
  /** The resource app and how the request named it (appId or identifier URI; v1 `aud` is as requested). */
  readonly resource: { readonly app: IndexedApp; readonly key: string } | undefined;
  /** The permissions asked of the resource (`.default` included as asked). */
  readonly permissions: readonly string[];
}

/**
 * Splits `scope` (space-separated) into OIDC scopes and `<resource>/<permission>` scopes of exactly one resource of
 * the snapshot: `AADSTS500011` for a resource that is not there (a bare permission means Microsoft Graph, which a
 * snapshot does not hold), `AADSTS28000` for two resources.
 *
 * @example
 * resolveScopes(directory, 'openid api://8d7c…/Tasks.Read').permissions // ['Tasks.Read']
 */
export function resolveScopes(directory: IndexedDirectory, scope: string): ResolvedScopes {
  const oidc = new Set<string>();
  let resource: { app: IndexedApp; key: string } | undefined;
  const permissions: string[] = [];
  for (const raw of scope.split(/\s+/)) {
    if (raw === '') continue;
    if (oidcScopes.has(raw)) {
      oidc.add(raw);
      continue;
    }
    const slash = raw.lastIndexOf('/');
    const key = slash <= 0 ? 'https://graph.microsoft.com' : raw.slice(0, slash);
    const app = directory.appsByAppId.get(key) ?? directory.appsByIdentifierUri.get(key) ?? directory.appsByIdentifierUri.get(key + '/');
    if (app === undefined) {
      throw new EntraError(
        'invalid_resource',
        'AADSTS500011',
        `The resource principal named ${key} was not found in the tenant named ${directory.organization.displayName ?? directory.organization.id}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      );
    }
    if (resource !== undefined && resource.app !== app) {
      throw new EntraError('invalid_scope', 'AADSTS28000', `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`);
    }
    resource ??= { app, key };
    permissions.push(raw.slice(slash + 1));
  }
  return { oidc, resource, permissions };
}
