import { describe, expect, it } from 'vitest';
import type { IndexedApp, IndexedDirectory, IndexedUser } from '../directory/indexed.js';
import type { KeyCredential } from '../directory/schema.js';
import { TokenRefusedError } from '../errors.js';
import {
  checkAssignment,
  decideSigningKey,
  decideTenantKey,
  isAcceptableMappedAudience,
  signingCredentials,
  signingKeyWindows,
  tenantKeyAllowed,
  tenantSigningKey,
  validCustomKey,
  validWindow,
} from './gating.js';

// Signing-key gating on hand-built records: which credential is valid at the injected clock, which audiences
// acceptMappedClaims allows, and the exact refusal when neither holds.
const appId = '3f4e5d6c-7b8a-4912-8a3b-1c2d3e4f5a6b';
const t = (iso: string): number => Date.parse(iso) / 1000;

// Each Sign key is made a complete custom signing key (seed 002: a passwordCredential with its keyId and a Verify key
// with its customKeyIdentifier, which defaults to the keyId here), so these tests are about windows and audiences.
function completed(keys: Partial<KeyCredential>[] | undefined): { keyCredentials?: KeyCredential[]; passwordCredentials?: { keyId: string }[] } {
  if (keys === undefined) return {};
  const sign = keys.filter((k) => (k.usage ?? '').toLowerCase() === 'sign').map((k) => ({ ...k, customKeyIdentifier: k.customKeyIdentifier ?? k.keyId }));
  const others = keys.filter((k) => (k.usage ?? '').toLowerCase() !== 'sign');
  const verify = sign.map((k) => ({ keyId: `${k.keyId}-verify`, usage: 'Verify', customKeyIdentifier: k.customKeyIdentifier }));
  return { keyCredentials: [...sign, ...others, ...verify] as KeyCredential[], passwordCredentials: sign.map((k) => ({ keyId: k.keyId! })) };
}

function app(options: { keys?: Partial<KeyCredential>[]; acceptMappedClaims?: boolean; assignmentRequired?: boolean; assigned?: string[] } = {}): IndexedApp {
  return {
    appId,
    application: options.acceptMappedClaims === undefined ? undefined : { appId, api: { acceptMappedClaims: options.acceptMappedClaims } },
    servicePrincipal: { appId, displayName: 'Contoso Web', ...completed(options.keys), appRoleAssignmentRequired: options.assignmentRequired },
    policy: undefined,
    appRoles: [],
    assignmentsByPrincipal: new Map((options.assigned ?? []).map((p) => [p, [{ appRoleId: 'r', principalId: p }]])),
  } as unknown as IndexedApp;
}
const directory = { verifiedDomains: ['contoso.com', 'fabrikam.io'] } as unknown as IndexedDirectory;
const signKey = (keyId: string, start?: string, end?: string, extra: Partial<KeyCredential> = {}): Partial<KeyCredential> => ({
  keyId,
  usage: 'Sign',
  ...(start !== undefined ? { startDateTime: start } : {}),
  ...(end !== undefined ? { endDateTime: end } : {}),
  ...extra,
});

function refused(run: () => unknown): TokenRefusedError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TokenRefusedError);
    return error as TokenRefusedError;
  }
  throw new Error('expected a refusal');
}

describe('signing credentials and their windows', () => {
  it('keeps only usage Sign, in any case', () => {
    const a = app({ keys: [signKey('k1'), { keyId: 'k2', usage: 'Verify' }, { keyId: 'k3', usage: 'SIGN' }, { keyId: 'k4' }] });
    expect(signingCredentials(a).map((k) => k.keyId)).toEqual(['k1', 'k3']);
    expect(signingCredentials(app())).toEqual([]);
  });

  it('is valid from start (inclusive) to end (exclusive); a missing or unparsable bound is open', () => {
    const a = app({ keys: [signKey('k1', '2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z')] });
    const start = t('2024-01-01T00:00:00Z');
    const end = t('2025-01-01T00:00:00Z');
    expect(validCustomKey(a, start - 1)).toBeUndefined();
    expect(validCustomKey(a, start)?.keyId).toBe('k1');
    expect(validCustomKey(a, end - 1)?.keyId).toBe('k1');
    expect(validCustomKey(a, end)).toBeUndefined();
    expect(validCustomKey(app({ keys: [signKey('open')] }), -1e12)?.keyId).toBe('open');
    expect(validCustomKey(app({ keys: [signKey('open', 'not a date', 'never')] }), 1e12)?.keyId).toBe('open');
    expect(validCustomKey(app({ keys: [signKey('late', '2030-01-01T00:00:00Z')] }), start)).toBeUndefined();
  });

  it('takes the first valid credential in manifest order, named by customKeyIdentifier when set', () => {
    const keys = [signKey('expired', undefined, '2020-01-01T00:00:00Z'), signKey('k2', undefined, undefined, { customKeyIdentifier: 'thumb2' }), signKey('k3')];
    const windows = signingKeyWindows(app({ keys }));
    expect(windows.map((w) => [w.start, w.end])).toEqual([
      [-Infinity, t('2020-01-01T00:00:00Z')],
      [-Infinity, Infinity],
      [-Infinity, Infinity],
    ]);
    expect(Object.isFrozen(windows) && Object.isFrozen(windows[0])).toBe(true);
    expect(validWindow(windows, t('2024-01-01T00:00:00Z'))?.choice).toEqual({ kind: 'application', appId, keyId: 'thumb2' });
    expect(validWindow(windows.slice(2), 0)?.choice).toEqual({ kind: 'application', appId, keyId: 'k3' });
    expect(validWindow([], 0)).toBeUndefined();
  });
});

describe('isAcceptableMappedAudience', () => {
  it('accepts the app GUID in any case; refuses api://<appId> (seed 002: the GUID or a verified-domain URI only)', () => {
    expect(isAcceptableMappedAudience(directory, app(), appId.toUpperCase())).toBe(true);
    expect(isAcceptableMappedAudience(directory, app(), `api://${appId}`)).toBe(false);
    expect(isAcceptableMappedAudience(directory, app(), `API://${appId.toUpperCase()}`)).toBe(false);
  });

  it('refuses another GUID, api:// with another host, and text that is not a URL', () => {
    expect(isAcceptableMappedAudience(directory, app(), '00000000-0000-4000-8000-000000000000')).toBe(false);
    expect(isAcceptableMappedAudience(directory, app(), 'api://contoso.com')).toBe(false);
    expect(isAcceptableMappedAudience(directory, app(), 'contoso.com')).toBe(false);
    expect(isAcceptableMappedAudience(directory, app(), '')).toBe(false);
  });

  it('accepts a URI on a verified domain or a subdomain of one, nothing that only ends with its letters', () => {
    expect(isAcceptableMappedAudience(directory, app(), 'https://contoso.com/api')).toBe(true);
    expect(isAcceptableMappedAudience(directory, app(), 'https://API.Contoso.com')).toBe(true);
    expect(isAcceptableMappedAudience(directory, app(), 'https://a.b.fabrikam.io/x')).toBe(true);
    expect(isAcceptableMappedAudience(directory, app(), 'https://evilcontoso.com')).toBe(false);
    expect(isAcceptableMappedAudience(directory, app(), 'https://contoso.com.evil.net')).toBe(false);
    expect(isAcceptableMappedAudience(directory, app(), 'https://fabrikam.com')).toBe(false);
  });
});

describe('decideSigningKey', () => {
  const now = t('2024-06-01T00:00:00Z');

  it('signs with a valid custom key even when a policy applies', () => {
    expect(decideSigningKey(directory, app({ keys: [signKey('k1')] }), appId, now, true)).toEqual({ kind: 'application', appId, keyId: 'k1' });
  });

  it('uses the tenant key when no policy applies, or with acceptMappedClaims and an acceptable audience', () => {
    expect(decideSigningKey(directory, app(), 'https://elsewhere.net', now, false)).toBe(tenantSigningKey);
    expect(decideSigningKey(directory, app({ acceptMappedClaims: true }), appId, now, true)).toBe(tenantSigningKey);
    expect(tenantKeyAllowed(directory, app({ acceptMappedClaims: true }), 'https://api.contoso.com', true)).toBe(true);
    expect(tenantKeyAllowed(directory, app({ acceptMappedClaims: false }), appId, true)).toBe(false);
    expect(tenantKeyAllowed(directory, app(), appId, true)).toBe(false);
  });

  it('refuses acceptMappedClaims with a foreign audience: AADSTS501461', () => {
    const error = refused(() => decideTenantKey(directory, app({ acceptMappedClaims: true }), 'https://elsewhere.net', true));
    expect(error.code).toBe('ERR_ACCEPT_MAPPED_CLAIMS_AUDIENCE');
    expect(error.aadsts).toBe('AADSTS501461');
    expect(error.message).toContain(`(application ${appId}, audience https://elsewhere.net)`);
  });

  it('refuses a policy without a valid custom key: AADSTS50146, saying whether the key is missing or expired', () => {
    const missing = refused(() => decideSigningKey(directory, app(), appId, now, true));
    expect(missing.code).toBe('ERR_MISSING_CUSTOM_SIGNING_KEY');
    expect(missing.aadsts).toBe('AADSTS50146');
    expect(missing.message).toContain(`(application ${appId}: no signing key, and api.acceptMappedClaims is not true)`);
    const withoutApi = { ...app(), application: { appId } } as unknown as IndexedApp;
    expect(refused(() => decideSigningKey(directory, withoutApi, appId, now, true)).aadsts).toBe('AADSTS50146');
    const expired = refused(() => decideSigningKey(directory, app({ keys: [signKey('old', undefined, '2020-01-01T00:00:00Z')] }), appId, now, true));
    expect(expired.message).toContain('its signing key is expired or not yet valid');
  });
});

describe('checkAssignment', () => {
  const user = (id: string, groups: string[] = []) => ({ user: { id, userPrincipalName: `${id}@contoso.com` }, directGroups: groups.map((g) => ({ group: { id: g } })) }) as unknown as IndexedUser;

  it('lets anyone in when assignment is not required, and assigned users when it is', () => {
    expect(() => checkAssignment(app(), user('u1'))).not.toThrow();
    expect(() => checkAssignment(app({ assignmentRequired: true, assigned: ['u1'] }), user('u1'))).not.toThrow();
    expect(() => checkAssignment(app({ assignmentRequired: true, assigned: ['g1'] }), user('u2', ['g1']))).not.toThrow();
  });

  it('refuses an unassigned user with AADSTS50105 naming the app and the user', () => {
    const error = refused(() => checkAssignment(app({ assignmentRequired: true, assigned: ['g1'] }), user('u3')));
    expect(error.code).toBe('ERR_NOT_ASSIGNED');
    expect(error.aadsts).toBe('AADSTS50105');
    expect(error.message).toContain(`application Contoso Web ('${appId}')`);
    expect(error.message).toContain("signed in user 'u3@contoso.com'");
  });
});
