import { describe, expect, it } from 'vitest';
import type { DiagnosticDefinition } from './diagnostic.js';
import { cliCodes } from './codes/cli.js';
import { inputCodes } from './codes/input.js';
import { structureCodes } from './codes/structure.js';
import { checkCodes } from './codes/check.js';
import { compileCodes } from './codes/compile.js';
import { languageCodes } from './codes/language.js';
import { snapshotCodes } from './codes/snapshot.js';
import { samlCodes } from './codes/saml.js';
import { tokenSizeCodes } from './codes/token-size.js';
import { envelopeCollectionCodes, tenantCodes } from './codes/tenant.js';
import { createDiagnostic, diagnosticCatalog, escapeForDisplay, maxDisplayedArgumentLength, shortenForDisplay } from './catalog.js';

describe('diagnostic catalog', () => {
  it('keeps each code file inside its range, with a message and a reason', () => {
    const files = [
      [cliCodes, /^CM0/],
      [inputCodes, /^CM1/],
      [structureCodes, /^CM2/],
      [checkCodes, /^CM[34]/],
      [compileCodes, /^CM5/],
      [languageCodes, /^CM6/],
      [snapshotCodes, /^CM7/],
      [samlCodes, /^CM72/],
      [tokenSizeCodes, /^CM45/],
      [envelopeCollectionCodes, /^CM14/],
      [tenantCodes, /^CM71/],
    ] as const;
    for (const [codes, range] of files) {
      for (const def of codes as readonly DiagnosticDefinition[]) {
        expect(def.code).toMatch(range);
        expect(def.message.trim().length).toBeGreaterThan(0);
        expect(def.why.trim().length).toBeGreaterThan(0);
      }
    }
    expect(files.reduce((n, [codes]) => n + codes.length, 0)).toBe(diagnosticCatalog.size);
  });
  it('escapes control, bidi and lone-surrogate characters for display', () => {
    expect(escapeForDisplay('a\u0000b\u202ec\ud800')).toBe('a\\u0000b\\u202ec\\ud800');
    expect(escapeForDisplay('😀')).toBe('😀');
  });
  it('never echoes a huge name in full: a 900 KB argument keeps its start and end around an ellipsis, in message and hint', () => {
    const name = 'a'.repeat(450 * 1024) + 'b'.repeat(450 * 1024);
    const d = createDiagnostic('CM7011', { name, appId: 'app' });
    expect(d.message.length).toBeLessThan(400);
    expect(d.message).toContain('"' + 'a'.repeat(150) + '…' + 'b'.repeat(40) + '"');
    const hinted = createDiagnostic('CM7005', { user: name, example: name });
    expect(hinted.message.length + (hinted.hint ?? '').length).toBeLessThan(800);
  });
  it('shortens only past the bound, never splits a surrogate pair, and escapes after shortening', () => {
    expect(shortenForDisplay('x'.repeat(maxDisplayedArgumentLength))).toBe('x'.repeat(maxDisplayedArgumentLength));
    const emoji = '😀'.repeat(300);
    const short = shortenForDisplay(emoji);
    expect(escapeForDisplay(short)).not.toMatch(/\\ud[89a-f]/);
    expect([...short.replace('…', '')].every((c) => c === '😀')).toBe(true);
    expect(createDiagnostic('CM7011', { name: '\u202e'.repeat(1000), appId: 'a' }).message).not.toContain('\u202e');
  });
});
