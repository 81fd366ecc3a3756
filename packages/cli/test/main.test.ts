import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('a usage mistake in a command is one line that names the mistake, guesses the option and points at --help; exit 2', async () => {
    const io = recordingIO({ cwd });
    expect(await main(['check', '--formt', 'json', 'x.json'], io)).toBe(2);
    expect(io.err()).toBe("claimc check: Unknown option '--formt' (did you mean '--format'?); see 'claimc check --help'\n");
    expect(io.out()).toBe('');
    const bogus = recordingIO({ cwd });
    expect(await main(['check', '--bogus', 'x.json'], bogus)).toBe(2);
    expect(bogus.err()).toBe("claimc check: Unknown option '--bogus'; see 'claimc check --help'\n");
  });

  it('--version means the program for every command (the token version is --token-version); -v and -V too', async () => {
    for (const args of [['issue', '--version'], ['eval', 'p.json', '--version'], ['-v'], ['check', '-V']]) {
      const io = recordingIO({ cwd });
      expect(await main(args, io), args.join(' ')).toBe(0);
      expect(io.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
    }
  });

  it('--color and --no-color win over the terminal and the environment, FORCE_COLOR over NO_COLOR', async () => {
    const colours = async (args: string[], options: { isTTY?: boolean; env?: Record<string, string> }) => {
      const io = recordingIO({ cwd, ...options });
      await main(args, io);
      return io.out().includes('\x1b[');
    };
    const broken = ['check', 'docs/examples/broken/broken-policy.json'];
    expect(await colours([...broken, '--color'], { isTTY: false })).toBe(true);
    expect(await colours(['--no-color', ...broken], { isTTY: true })).toBe(false);
    expect(await colours(broken, { isTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(await colours(broken, { isTTY: true, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(await colours(broken, { isTTY: false, env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).toBe(true);
  });

  it('fmt on a JSON policy points at decompile instead of reporting parser errors', async () => {
    const io = recordingIO({ cwd });
    expect(await main(['fmt', 'docs/examples/joined-data.json'], io)).toBe(2);
    expect(io.err()).toContain("claimc decompile docs/examples/joined-data.json -o docs/examples/joined-data.claims");
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

  it('a folder argument expands to the policy files inside it (other JSON left out), sorted; fmt takes its .claims files', async () => {
    const io = recordingIO({ cwd });
    expect(await main(['check', 'docs/examples', '--format', 'json'], io)).toBe(1);
    const files = (JSON.parse(io.out()) as { files: { file: string }[] }).files.map((f) => f.file);
    expect(files).toContain('docs/examples/joined-data.ps1');
    expect(files).toContain('docs/examples/contoso-erp.claims');
    expect(files).toContain('docs/examples/broken/broken-policy.json');
    expect(files.some((f) => f.includes('contexts/'))).toBe(false);
    expect(files).toEqual([...files].sort());
    const fmt = recordingIO({ cwd });
    expect(await main(['fmt', '--check', 'docs/examples'], fmt)).toBe(0);
  });

  it('-o/--output writes the result of issue, eval and metadata to a file (folders created) and nothing to stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claimc-out-'));
    for (const [args, file] of [
      [['issue', '--user', 'adelev@contoso.com', '--client', '8d7c6b5a-4e3f-4a21-9b0c-d1e2f3a4b5c6', '--token', 'id', '--now', '1767225600', '-o', join(dir, 'a', 'token.json')], join(dir, 'a', 'token.json')],
      [['metadata', `--output=${join(dir, 'meta.json')}`], join(dir, 'meta.json')],
      [['eval', 'docs/examples/joined-data.json', '--user', 'docs/examples/contexts/user.json', '--output', join(dir, 'claims.json')], join(dir, 'claims.json')],
    ] as const) {
      const io = recordingIO({ cwd });
      expect(await main([...args], io), args[0]).toBe(0);
      expect(io.out()).toBe('');
      expect(JSON.parse(readFileSync(file, 'utf8'))).toBeTypeOf('object');
    }
    rmSync(dir, { recursive: true, force: true });
  });
});
