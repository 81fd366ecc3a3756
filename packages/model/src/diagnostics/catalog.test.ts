import { describe, expect, it } from 'vitest';
import { diagnosticCatalog, escapeForDisplay } from './catalog.js';

describe('diagnostic catalog', () => {
  it('has well-formed, unique codes with a message and a reason', () => {
    for (const [code, def] of diagnosticCatalog) {
      expect(code).toMatch(/^CM\d{4}$/);
      expect(def.message.length).toBeGreaterThan(0);
      expect(def.why.length).toBeGreaterThan(0);
    }
  });
  it('escapes control, bidi and lone-surrogate characters for display', () => {
    expect(escapeForDisplay('a\u0000b\u202ec\ud800')).toBe('a\\u0000b\\u202ec\\ud800');
    expect(escapeForDisplay('😀')).toBe('😀');
  });
});
