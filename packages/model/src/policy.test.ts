import { describe, expect, it } from 'vitest';
import { ClaimsMappingPolicyDocumentSchema, serializePolicy } from './policy.js';

describe('serializePolicy', () => {
  it('writes canonical key order regardless of input order', () => {
    const text = serializePolicy({ ClaimsSchema: [{ JwtClaimType: 'e', ID: 'employeeid', Source: 'user' }], IncludeBasicClaimSet: true, Version: 1 });
    expect(text).toBe('{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":true,"ClaimsSchema":[{"Source":"user","ID":"employeeid","JwtClaimType":"e"}]}}');
    expect(ClaimsMappingPolicyDocumentSchema.safeParse(JSON.parse(text)).success).toBe(true);
  });
});
