import type { IndexedUser } from '@claimc/runtime/internal';
import { oneOf, parseCommandArgs } from '../args.js';
import { ExitCode, UsageError } from '../command.js';
import type { Command } from '../command.js';
import { loadDirectory } from './issue.js';

const usage = `Usage: claimc users [filter] [--directory <path>] [--format text|json] [--limit <n>]

Lists the users of a directory (UPN, object ID, member or guest, transitive group count). The filter
keeps users whose UPN, display name, mail or object ID contains it (case-insensitive).

Options:
  --directory <path>     a Graph export folder, an indexed snapshot (claimc snapshot) or a snapshot JSON file
                         (default: the embedded demo tenant)
  --format <text|json>   text (default): a table; json: one object per user
  --limit <n>            show at most n users (default: all)
  -h, --help             show this help

Exit codes: 0 listed (also when nothing matches), 1 invalid directory, 2 usage or unreadable input.
`;

const matches = (u: IndexedUser, needle: string): boolean =>
  [u.user.userPrincipalName, u.user.displayName, u.user.mail, u.user.id].some((v) => typeof v === 'string' && v.toLowerCase().includes(needle));

/** `claimc users [filter] --directory <snapshot>`. */
export const usersCommand: Command = {
  name: 'users',
  summary: 'list the users of a directory snapshot or Graph export (UPN, id, type, group count)',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { directory: { type: 'string' }, format: { type: 'string' }, limit: { type: 'string' } });
    if (positionals.length > 1) throw new UsageError('users takes at most one filter');
    const format = oneOf(values.format ?? 'text', ['text', 'json'], '--format');
    if (values.limit !== undefined && !/^\d{1,9}$/.test(values.limit)) throw new UsageError(`--limit must be a whole number (got '${values.limit}')`);
    const limit = values.limit === undefined ? Infinity : Number(values.limit);
    const loaded = await loadDirectory(values.directory, io);
    if (!loaded.ok) return loaded.exitCode;
    const needle = positionals[0]?.toLowerCase();
    const rows: { upn: string; id: string; type: string; groups: number }[] = [];
    for (const u of loaded.directory.users) {
      if (rows.length >= limit) break;
      if (needle !== undefined && !matches(u, needle)) continue;
      rows.push({ upn: u.user.userPrincipalName ?? '', id: u.user.id, type: u.isGuest ? 'Guest' : 'Member', groups: u.transitiveGroups.length });
    }
    if (format === 'json') {
      io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      return ExitCode.ok;
    }
    const width = Math.max(3, ...rows.map((r) => r.upn.length));
    const lines = [`${'UPN'.padEnd(width)}  ${'ID'.padEnd(36)}  TYPE    GROUPS`];
    for (const r of rows) lines.push(`${r.upn.padEnd(width)}  ${r.id.padEnd(36)}  ${r.type.padEnd(6)}  ${String(r.groups).padStart(6)}`);
    lines.push(`${rows.length} user${rows.length === 1 ? '' : 's'}`);
    io.stdout.write(lines.join('\n') + '\n');
    return ExitCode.ok;
  },
};
