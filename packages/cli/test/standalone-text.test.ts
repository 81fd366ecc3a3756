import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { companyAttributes, diagnosticCatalog, methodSignatures, servicePrincipalAttributes, userAttributes } from '@claimc/model';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { main } from '../src/main.js';
import { recordingIO } from './io.js';

// Users of the repository have only the repository: user-facing text must not cite the project's internal
// design notes (decision numbers, note files, their section signs) or its issue tracker.
const internalReference = /\bD(?:[1-9]|1\d|20)\b|§\s?\d|\bthreats(?:\.md)?\b|entra-semantics|decisions\.md|\bissue[- ]\d+\b/;

const root = fileURLToPath(new URL('../../..', import.meta.url));

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return /\.(md|json|claims)$/.test(entry.name) ? [path] : [];
  });
}

function offending(text: string): string[] {
  return text.split('\n').filter((line) => internalReference.test(line));
}

describe('user-facing text stands alone', () => {
  it('the pattern catches what it is for (and not ordinary words)', () => {
    for (const bad of ['(D16)', 'D7 limits', 'threats N2', 'entra-semantics §3.5', 'issue 4 item 1', '§2']) {
      expect(internalReference.test(bad), bad).toBe(true);
    }
    for (const fine of ['AADSTS50146', 'CM4007', 'SHA-256', 'ID token', 'x5t', 'D365 app', 'GUID', 'https://x/D1a']) {
      expect(internalReference.test(fine), fine).toBe(false);
    }
  });

  it('README and docs/ (pages, schemas, example policies)', () => {
    const files = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];
    const found = files.flatMap((file) => offending(readFileSync(file, 'utf8')).map((line) => `${file}: ${line.trim()}`));
    expect(found).toEqual([]);
  });

  it('every diagnostic message, hint and why', () => {
    const found = [...diagnosticCatalog.values()].flatMap((d) =>
      [d.message, d.hint ?? '', d.why ?? ''].filter((t) => internalReference.test(t)).map((t) => `${d.code}: ${t}`),
    );
    expect(found).toEqual([]);
  });

  it('every command usage and the knowledge-base text shown in hovers and docs', async () => {
    const io = recordingIO({ cwd: root });
    expect(await main(['--help'], io)).toBe(0);
    const texts = [io.out(), ...commands.flatMap((c) => [c.summary, c.usage])];
    const attributes = [...userAttributes, ...servicePrincipalAttributes, ...companyAttributes];
    const knowledge = [...methodSignatures, ...attributes].map((entry) => JSON.stringify(entry));
    expect([...texts, ...knowledge].flatMap(offending)).toEqual([]);
  });
});
