import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { commands } from '../src/commands/index.js';
import { recordingIO } from './io.js';

const cwd = fileURLToPath(new URL('../../..', import.meta.url));

describe('claimc main', () => {
  it('--help lists every command and exits 0', async () => {
    const io = recordingIO({ cwd });
    expect(await main(['--help'], io)).toBe(0);
    for (const command of commands) expect(io.out()).toMatch(new RegExp(`^  ${command.name}\\s+${command.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(io.err()).toBe('');
  });

  it('no arguments prints the help on stderr and exits 2', async () => {
    const io = recordingIO({ cwd });
    expect(await main([], io)).toBe(2);
    expect(io.err()).toContain('Usage: claimc <command>');
    expect(io.out()).toBe('');
  });

  it('--version prints the CLI package version', async () => {
    const io = recordingIO({ cwd });
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out()).toBe(manifest.version + '\n');
  });

  it('an unknown command exits 2 with a did-you-mean', async () => {
    const io = recordingIO({ cwd });
    expect(await main(['chek', 'x.json'], io)).toBe(2);
    expect(io.err()).toContain("unknown command 'chek' (did you mean 'check'?)");
    expect(io.out()).toBe('');
  });

  it('an unknown global option exits 2', async () => {
    const io = recordingIO({ cwd });
    expect(await main(['--frobnicate'], io)).toBe(2);
    expect(io.err()).toContain("unknown option '--frobnicate'");
  });

  it('escapes control characters of an unknown command name', async () => {
    const io = recordingIO({ cwd });
    expect(await main(['bad\u001b[31mname'], io)).toBe(2);
    expect(io.err()).not.toContain('\u001b');
  });

  it('<command> --help and help <command> print the usage and exit 0', async () => {
    for (const command of commands) {
      const a = recordingIO({ cwd });
      expect(await main([command.name, '--help'], a)).toBe(0);
      expect(a.out()).toContain(command.usage.trimEnd());
      const b = recordingIO({ cwd });
      expect(await main(['help', command.name], b)).toBe(0);
      expect(b.out()).toBe(a.out());
    }
  });

  it('a usage mistake in a command exits 2 with the message and the usage', async () => {
    const io = recordingIO({ cwd });
    expect(await main(['check', '--bogus', 'x.json'], io)).toBe(2);
    expect(io.err()).toMatch(/^claimc check: Unknown option '--bogus'\.\n/);
    expect(io.err()).toContain('Usage: claimc check');
    expect(io.out()).toBe('');
  });

  it('an unexpected exception is one internal-error line and exit 2, never a stack trace', async () => {
    const io = recordingIO({
      cwd,
      stdoutWrite: () => {
        throw new TypeError('stream exploded\n    at somewhere (file.js:1:1)');
      },
    });
    expect(await main(['--help'], io)).toBe(2);
    expect(io.err()).toBe('claimc: internal error: TypeError: stream exploded at somewhere (file.js:1:1)\n');
  });
});
