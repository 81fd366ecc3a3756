import type { DiagnosticDefinition } from '../diagnostic.js';

// CM450x: the static upper bound of a token's size, compared with common HTTP header limits. Owner: checker.
export const tokenSizeCodes = [
  {
    code: 'CM4501',
    severity: 'warning',
    message: 'The {token} can reach {bytes} bytes ({worst} with non-ASCII text), over {limit}; largest: {claims}',
    hint: 'Drop or shorten the largest claims, or make sure every proxy and server on the path accepts longer headers.',
    why: 'A bearer token travels in the Authorization header; nginx refuses a header line over 8 KB by default (400), whatever Entra issued. The bound uses the documented maximum length of every attribute (docs/check.md).',
  },
  {
    code: 'CM4502',
    severity: 'warning',
    message: 'The {token} can reach {bytes} bytes ({worst} with non-ASCII text), over {limit}; largest: {claims}',
    hint: 'Drop or shorten the largest claims; a Node server answers 431 to a request whose headers exceed 16 KB unless started with a larger --max-http-header-size.',
    why: 'Node refuses request headers over 16 KB by default, so such a token never reaches the application. The bound uses the documented maximum length of every attribute (docs/check.md).',
  },
] as const satisfies readonly DiagnosticDefinition[];
