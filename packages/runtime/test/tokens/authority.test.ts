import { describe, expect, it } from 'vitest';
import { assembleToken, createTokenIssuer, openidConfiguration, tokenIssuer } from '@claimc/runtime/internal';
import { defaultIds, defaultSnapshot } from '../../../cli/src/demo/tenant.js';
import { NOW, prepareDirectory } from '../../../testkit/src/index.js';

// A local sign-in endpoint names itself in `iss`; everything else in the token stays as Entra issues it.
const directory = prepareDirectory(defaultSnapshot).directory!;
const tid = defaultIds.tenant;
const local = 'http://127.0.0.1:8400';

describe('issuer authority', () => {
  it('replaces only iss (v2 <authority>/<tid>/v2.0, v1 <authority>/<tid>/), for assembleToken and the issuer alike', () => {
    const request = { token: 'id', client: defaultIds.webApp, user: 'adelev@contoso.com', now: NOW } as const;
    const entra = assembleToken(directory, request);
    const served = assembleToken(directory, request, { authority: local });
    const fromIssuer = createTokenIssuer(directory, { authority: local }).assemble(request);
    if (entra.format !== 'jwt' || served.format !== 'jwt' || fromIssuer.format !== 'jwt') throw new Error('expected JWTs');
    expect(entra.payload['iss']).toBe(`https://login.microsoftonline.com/${tid}/v2.0`);
    expect(served.payload['iss']).toBe(`${local}/${tid}/v2.0`);
    expect(fromIssuer.payload).toEqual(served.payload);
    expect({ ...served.payload, iss: null }).toEqual({ ...entra.payload, iss: null });

    const v1 = assembleToken(directory, { token: 'access', client: defaultIds.webApp, resource: 'https://legacy.contoso.com', user: 'adelev@contoso.com', now: NOW }, { authority: local });
    expect(v1.format === 'jwt' && v1.payload['iss']).toBe(`${local}/${tid}/`);
    const saml = assembleToken(directory, { token: 'saml', client: defaultIds.samlApp, user: 'adelev@contoso.com', now: NOW }, { authority: local });
    expect(saml.format === 'saml' && saml.issuer).toBe(`${local}/${tid}/`);
  });

  it('the discovery documents name the same issuers', () => {
    expect(openidConfiguration(tid, { authority: local })['issuer']).toBe(tokenIssuer(tid, 2, { authority: local }));
    expect(openidConfiguration(tid, { authority: local, version: 1 })['issuer']).toBe(tokenIssuer(tid, 1, { authority: local }));
    expect(openidConfiguration(tid, { version: 1 })['issuer']).toBe(tokenIssuer(tid, 1));
  });
});
