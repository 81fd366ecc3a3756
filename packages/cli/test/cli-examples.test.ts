import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { commands } from '../src/commands/index.js';
import { recordingIO } from './io.js';
// The examples docs/cli.md is generated from; running them here keeps the documentation runnable.
import { examples } from '../../../tools/gen/cli.mjs';

const cwd = fileURLToPath(new URL('../../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'claimc-examples-'));
const table = examples;

/** Turns a documented shell line into argv: globs expanded like a shell, `build/` outputs sent to a temp dir, redirects dropped. */
function argvOf(line: string): string[] {
  const words = line.replace(/\s*>\s*\S+$/, '').split(/\s+/).slice(2);
  return words.flatMap((word) => {
    if (word.startsWith('build/')) return [join(scratch, word)]; // a folder that does not exist yet, as on a fresh clone
    if (!word.includes('*')) return [word];
    const pattern = new RegExp('^' + basename(word).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
    return readdirSync(join(cwd, dirname(word)))
      .filter((name) => pattern.test(name))
      .sort()
      .map((name) => join(dirname(word), name));
  });
}

describe('docs/cli.md examples', () => {
  it('documents every command', () => {
    for (const command of commands) expect(table[command.name]?.length ?? 0, command.name).toBeGreaterThan(0);
  });

  for (const [name, list] of Object.entries(table)) {
    for (const [what, line, exitCode] of list) {
      it(`${name}: ${what}`, async () => {
        const io = recordingIO({ cwd });
        const argv = argvOf(line);
        expect(await main(argv, io), io.err()).toBe(exitCode);
        const written = argv.filter((word) => word.startsWith(scratch));
        if (written.length > 0) for (const file of written) expect(existsSync(file), file).toBe(true);
        else if (name !== 'fmt') expect(io.out().length + io.err().length).toBeGreaterThan(0);
      });
    }
  }
});
