import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultIds } from '../../cli/src/demo/tenant.js';
import { demoDirectory } from './helpers.js';
import { matchRedirectUri } from '../src/apps.js';
import { EntraError } from '../src/errors.js';
import { createSealer, memoryConsumeOnce, secretMatches } from '../src/seal.js';

const directory = demoDirectory();
const webApp = directory.appsByAppId.get(defaultIds.webApp)!;

const withoutPort = (text: string): string | undefined => {
  try {
    const url = new URL(text);
    url.port = '';
    return url.href;
  } catch {
    return undefined;
  }
};
const sameDestination = (a: string, b: string): boolean => withoutPort(a) !== undefined && withoutPort(a) === withoutPort(b);

const refusal = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof EntraError ? error.aadsts : 'not an Entra error';
  }
};

describe('redirect URI matching', () => {
  it('matches registered URIs exactly, loopback on any port, and says which platform', () => {
    expect(matchRedirectUri(webApp, 'http://localhost:3000/auth/callback')).toEqual({ uri: 'http://localhost:3000/auth/callback', platform: 'web' });
    expect(matchRedirectUri(webApp, 'http://127.0.0.1:61234/auth/callback').platform).toBe('web');
    expect(matchRedirectUri(webApp, 'http://localhost:5173/').platform).toBe('spa');
    expect(matchRedirectUri(webApp, undefined).uri).toBe('http://localhost:3000/auth/callback');
    expect(refusal(() => matchRedirectUri(directory.appsByAppId.get(defaultIds.daemon)!, undefined))).toBe('AADSTS500113');
  });

  it('refuses every variation of a registered URI (property: no prefix, suffix, host, scheme or userinfo trick passes)', () => {
    const seed = Date.now() % 100_000;
    console.log(`fast-check seed ${seed}`);
    const registered = ['http://localhost:3000/auth/callback', 'http://127.0.0.1/auth/callback', 'http://localhost:5173/'];
    const variation = fc.oneof(
      fc.tuple(fc.constantFrom(...registered), fc.string({ minLength: 1, maxLength: 8 })).map(([uri, tail]) => uri + tail.replace(/^[?#]/, 'x')),
      fc.constantFrom(...registered).map((uri) => uri.replace('http://', 'https://')),
      fc.tuple(fc.constantFrom(...registered), fc.domain()).map(([uri, host]) => uri.replace(/\/\/[^/:]+/, `//${host}`)),
      fc.tuple(fc.constantFrom(...registered), fc.domain()).map(([uri, host]) => uri.replace('//', `//${host}@`)),
      fc.constantFrom(...registered).map((uri) => uri.slice(0, -1)),
      // scheme and host compare case-insensitively (they name the same place); the path does not
      fc.constantFrom(...registered).map((uri) => uri.replace(/callback$/, 'CALLBACK')),
    );
    fc.assert(
      fc.property(variation, (candidate) => {
        // a spelling of the same destination (case of scheme and host, an empty path, a loopback port) may match
        fc.pre(!registered.some((uri) => sameDestination(uri, candidate)));
        return refusal(() => matchRedirectUri(webApp, candidate)) !== undefined;
      }),
      { seed, numRuns: 500 },
    );
  });
});

describe('secrets and sealing', () => {
  it('compares secrets by digest and checks every candidate', () => {
    expect(secretMatches('a', ['b', 'a'])).toBe(true);
    expect(secretMatches('a', ['ab', 'b'])).toBe(false);
    expect(secretMatches('', [])).toBe(false);
  });

  it('opens only what it sealed, for the same purpose', () => {
    const sealer = createSealer(new Uint8Array(32).fill(7));
    const sealed = sealer.seal('code', { u: 'x' });
    expect(sealer.open('code', sealed)).toEqual({ u: 'x' });
    expect(sealer.open('refresh', sealed)).toBeUndefined();
    expect(createSealer(new Uint8Array(32).fill(8)).open('code', sealed)).toBeUndefined();
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'BB' : 'AA');
    expect(sealer.open('code', tampered)).toBeUndefined();
  });

  it('consumes an id once until it expires', () => {
    const consume = memoryConsumeOnce();
    expect(consume('j', 100, 0)).toBe(true);
    expect(consume('j', 100, 1)).toBe(false);
    expect(consume('k', 100, 1)).toBe(true);
  });
});
