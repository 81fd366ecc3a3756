import { LineMap, createDiagnostic, hasErrors, serializePolicy, type ClaimsMappingPolicy } from '@claimc/model';
import { compilePolicy, diffPolicies, reduceForDiff, renderDiagnostics, type ImpactExample, type ImpactResult, type StaticChange } from '@claimc/compiler';
import { readPolicies, readPolicy, type PolicyReadResult } from '@claimc/syntax';
import type { DirectoryClaimsMappingPolicy } from '@claimc/runtime/internal';
import { oneOf, parseCommandArgs } from '../args.js';
import { ExitCode, UsageError } from '../command.js';
import type { CliIO, Command } from '../command.js';
import { readTextFile } from '../files.js';
import { reportFiles } from '../directory-input.js';
import { defaultWorkers, prepareJob, runImpact, type ImpactJob } from '../diff-impact.js';
import { checkPolicyText } from './check.js';
import { commandLineProblem, loadSource, parseNow, prepareSource } from './issue.js';

const usage = `Usage: claimc diff <old-policy> <new-policy> [--directory <path>] [--app <appId>] [--token id|access|saml] [options]

What a policy change does before you deploy it. First the static difference (claims added, removed,
renamed, sources and transformations changed, the basic claim set toggled), then, for every user of the
directory and every app the old policy is assigned to (or --app), the claims under the old and the new
policy: which users gain, lose or see a changed claim, whose token Entra would now refuse, and whose
token crosses 8 KB or 16 KB.

Options:
  --directory <path>        a Graph export folder, an indexed snapshot (claimc snapshot) or a snapshot JSON
                            file (default: the embedded demo tenant)
  --app <appId>             compare for this app (repeatable; default: every app the old policy is assigned to)
  --token <id|access|saml>  which token's claims to compare (default id)
  --select <id|displayName> which policy of a file holding several (Graph collection, Terraform)
  --format <text|json|markdown>  text (default): tables; json: {"static","summary","examples"}; markdown: for a pull request
  --now <unix seconds>      the clock for issued tokens (default: now)
  --workers <n>             worker threads (default: one per core for large tenants, none for small ones)
  -h, --help                show this help

Exit codes: 0 nothing changes, 1 something changes, 2 usage, unreadable input or a policy with errors.
`;

/** A static change as printed: with where it stands in the new (or, when removed, the old) file. */
interface LocatedChange {
  readonly kind: StaticChange['kind'];
  readonly claim: string;
  readonly before?: string;
  readonly after?: string;
  readonly at?: string;
}

/** The whole report, as `--format json` prints it. */
interface DiffReport {
  readonly static: readonly LocatedChange[];
  readonly summary: {
    readonly users: number;
    readonly changed: number;
    readonly refused: number;
    readonly claims: Record<string, { added: number; removed: number; changed: number }>;
  };
  readonly examples: readonly ImpactExample[];
}

/** What the text and markdown forms add to the report. */
interface ReportContext {
  /** Apps whose token is refused under both policies, with the AADSTS code. */
  readonly refusedBoth: readonly (readonly [string, string])[];
  readonly sizeCrossings: number;
  readonly apps: readonly string[];
  readonly token: string;
}

/** A policy file read and checked for diffing: its model, its read result (locations) and its text. */
interface DiffPolicy {
  readonly path: string;
  readonly text: string;
  readonly read: PolicyReadResult;
  readonly policy: ClaimsMappingPolicy;
}

async function readDiffPolicy(path: string, select: string | undefined, io: CliIO): Promise<DiffPolicy | number> {
  const read = await readTextFile(path, io);
  if (!read.ok) {
    io.stderr.write(`claimc diff: ${read.message}\n`);
    return ExitCode.usage;
  }
  // --select picks among several; a file with one policy is that policy
  const several = readPolicies(read.text, { fileName: path }).policies.length > 1;
  const checked = checkPolicyText(read.text, path, { target: 'lenient' }, several ? select : undefined);
  const shown = checked.diagnostics.filter((d) => d.severity === 'error');
  if (shown.length > 0) io.stderr.write(renderDiagnostics([{ file: path, text: read.text, diagnostics: shown }], 'text'));
  if (checked.read.policy === undefined || hasErrors(checked.diagnostics)) return ExitCode.usage;
  return { path, text: read.text, read: checked.read, policy: checked.read.policy };
}

/** `file:line` of a ClaimsSchema entry. */
function entryAt(policy: DiffPolicy, entry: number | undefined): string | undefined {
  if (entry === undefined) return undefined;
  const location = policy.read.locations.get(`/ClaimsSchema/${entry}`);
  if (location === undefined) return undefined;
  return `${policy.path}:${new LineMap(policy.text).position(location.span.start).line}`;
}

const shownValue = (value: unknown): string => (value === null || value === undefined ? '(absent)' : typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value));
const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - text.length));

function staticLine(c: LocatedChange): string {
  const what =
    c.kind === 'added'
      ? `${c.claim} ← ${c.after ?? ''}`
      : c.kind === 'removed'
        ? `${c.claim} (was ${c.before ?? ''})`
        : c.kind === 'renamed'
          ? `${c.before ?? ''} → ${c.after ?? ''}`
          : `${c.claim}: ${c.before ?? ''} → ${c.after ?? ''}`;
  return `${c.kind}  ${what}${c.at === undefined ? '' : `  (${c.at})`}`;
}

function exampleText(e: ImpactExample): string {
  if (e.kind === 'refused') return `${e.user}: refused ${e.code ?? ''}`;
  if (e.kind === 'size') return `${e.user}: ${String(e.before)} → ${String(e.after)} bytes (crosses ${e.code ?? ''})`;
  return `${e.user}: ${shownValue(e.before)} → ${shownValue(e.after)}`;
}

function renderText(report: DiffReport, context: ReportContext): string {
  const lines: string[] = [];
  lines.push(report.static.length === 0 ? 'Static changes: none' : 'Static changes:');
  for (const c of report.static) lines.push('  ' + staticLine(c));
  const s = { ...report.summary, ...context };
  lines.push('', `Impact on ${s.users} user${s.users === 1 ? '' : 's'} (${s.token} token; app${s.apps.length === 1 ? '' : 's'} ${s.apps.join(', ')}):`);
  const names = Object.keys(s.claims).sort();
  if (names.length > 0) {
    const width = Math.max(5, ...names.map((n) => n.length));
    lines.push(`  ${pad('CLAIM', width)}  ADDED  REMOVED  CHANGED  EXAMPLE`);
    for (const name of names) {
      const counts = s.claims[name]!;
      const example = report.examples.find((e) => e.claim === name);
      lines.push(`  ${pad(name, width)}  ${String(counts.added).padStart(5)}  ${String(counts.removed).padStart(7)}  ${String(counts.changed).padStart(7)}  ${example === undefined ? '' : exampleText(example)}`);
    }
  }
  for (const e of report.examples.filter((x) => x.kind === 'refused' || x.kind === 'size')) lines.push(`  ${e.kind === 'refused' ? 'refused' : 'size'}: ${exampleText(e)}`);
  for (const [app, code] of s.refusedBoth) lines.push(`  note: app ${app} refuses the token under both policies (${code}); nothing to compare there`);
  lines.push(`  users: ${s.users}, changed: ${s.changed}, refused: ${s.refused}, token size crossing 8/16 KB: ${s.sizeCrossings}`);
  return lines.join('\n') + '\n';
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function renderMarkdown(report: DiffReport, context: ReportContext): string {
  const s = { ...report.summary, ...context };
  const lines = [`### claimc diff: ${s.changed} of ${s.users} users change${s.refused > 0 ? `, ${s.refused} refused` : ''}`, ''];
  if (report.static.length > 0) {
    lines.push('| Change | Claim | Before | After | Where |', '| --- | --- | --- | --- | --- |');
    for (const c of report.static) lines.push(`| ${c.kind} | \`${cell(c.claim)}\` | ${cell(c.before ?? '')} | ${cell(c.after ?? '')} | ${cell(c.at ?? '')} |`);
    lines.push('');
  } else lines.push('No static changes.', '');
  const names = Object.keys(s.claims).sort();
  if (names.length > 0) {
    lines.push('| Claim | Users added | removed | changed | Examples |', '| --- | ---: | ---: | ---: | --- |');
    for (const name of names) {
      const counts = s.claims[name]!;
      const examples = report.examples.filter((e) => e.claim === name).map((e) => cell(exampleText(e)));
      lines.push(`| \`${cell(name)}\` | ${counts.added} | ${counts.removed} | ${counts.changed} | ${examples.join('<br>')} |`);
    }
    lines.push('');
  }
  for (const e of report.examples.filter((x) => x.kind === 'refused' || x.kind === 'size')) lines.push(`- ${e.kind === 'refused' ? 'Refused' : 'Token size'}: ${cell(exampleText(e))}`);
  for (const [app, code] of s.refusedBoth) lines.push(`- App \`${app}\` refuses the token under both policies (${code}).`);
  lines.push(`${s.token} token, app${s.apps.length === 1 ? '' : 's'} ${s.apps.map((a) => `\`${a}\``).join(', ')}; token size crossing 8/16 KB: ${s.sizeCrossings}.`);
  return lines.join('\n') + '\n';
}

/** A progress bar on standard error, only when it is a terminal. */
function progressBar(io: CliIO, total: number): { update(done: number): void; finish(): void } {
  if (io.stderr.isTTY !== true || total === 0) return { update: () => undefined, finish: () => undefined };
  let shown = -1;
  return {
    update(done) {
      const percent = Math.floor((done / total) * 100);
      if (percent === shown) return;
      shown = percent;
      const filled = Math.round(percent / 4);
      io.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(25 - filled)}] ${percent}% ${done}/${total} users`);
    },
    finish() {
      if (shown >= 0) io.stderr.write('\r' + ' '.repeat(60) + '\r');
    },
  };
}

/** `claimc diff <old> <new> [--directory …] [--app …] [--token …] [--format text|json|markdown]`. */
export const diffCommand: Command = {
  name: 'diff',
  summary: 'show what a policy change does: static diff, then every user’s claims under old and new',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      directory: { type: 'string' },
      app: { type: 'string', multiple: true },
      token: { type: 'string' },
      select: { type: 'string' },
      format: { type: 'string' },
      now: { type: 'string' },
      workers: { type: 'string' },
    });
    if (positionals.length !== 2) throw new UsageError('diff takes two policy files: <old-policy> <new-policy>');
    const token = oneOf(values.token ?? 'id', ['id', 'access', 'saml'], '--token');
    const format = oneOf(values.format ?? 'text', ['text', 'json', 'markdown'], '--format');
    if (values.workers !== undefined && !/^([1-9]|[1-5][0-9]|6[0-4])$/.test(values.workers)) throw new UsageError(`--workers must be 1 to 64 (got '${values.workers}')`);
    const now = parseNow(values.now, token);
    if (typeof now !== 'number') return commandLineProblem(now, io);

    const before = await readDiffPolicy(positionals[0]!, values.select, io);
    if (typeof before === 'number') return before;
    const after = await readDiffPolicy(positionals[1]!, values.select, io);
    if (typeof after === 'number') return after;
    const located: LocatedChange[] = diffPolicies(before.policy, after.policy).map((c) => {
      const at = c.newEntry !== undefined ? entryAt(after, c.newEntry) : entryAt(before, c.oldEntry);
      return { kind: c.kind, claim: c.claim, ...(c.before !== undefined ? { before: c.before } : {}), ...(c.after !== undefined ? { after: c.after } : {}), ...(at !== undefined ? { at } : {}) };
    });

    const loaded = await loadSource(values.directory, io);
    if (!loaded.ok) return loaded.exitCode;
    const prepared = prepareSource(loaded.source, io);
    if (!prepared.ok) return prepared.exitCode;
    const directory = prepared.directory;
    let apps: string[];
    if (values.app !== undefined) {
      apps = [];
      for (const key of values.app) {
        const app = directory.appsByAppId.get(key) ?? directory.appsByIdentifierUri.get(key);
        if (app === undefined) {
          reportFiles(io, [{ file: values.directory ?? '<embedded snapshot>', text: '', diagnostics: [createDiagnostic('CM7006', { app: key, example: directory.apps[0]?.appId ?? 'none' })] }]);
          return ExitCode.usage;
        }
        apps.push(app.appId);
      }
    } else {
      const definitions: readonly DirectoryClaimsMappingPolicy[] =
        loaded.source.kind === 'parts' ? loaded.source.parts.claimsMappingPolicies : (((loaded.source.snapshot as { claimsMappingPolicies?: unknown }).claimsMappingPolicies ?? []) as DirectoryClaimsMappingPolicy[]);
      const wanted = serializePolicy(before.policy);
      const matching = new Set(
        definitions
          .filter((p) => p.id === before.read.id || (typeof p.definition[0] === 'string' && readPolicy(p.definition[0]).policy !== undefined && serializePolicy(readPolicy(p.definition[0]).policy!) === wanted))
          .map((p) => p.id),
      );
      apps = directory.apps.filter((a) => a.policy !== undefined && matching.has(a.policy.id)).map((a) => a.appId);
      if (apps.length === 0) {
        reportFiles(io, [{ file: before.path, text: before.text, diagnostics: [createDiagnostic('CM7110', { example: directory.apps[0]?.appId ?? 'none' }, { span: { start: 0, end: 0 } })] }]);
        return ExitCode.usage;
      }
    }

    const wholeTokens = located.some((c) => c.kind === 'setting');
    // only claims whose entries differ can differ: evaluate just those (when that cut is safe and still compiles)
    const reduced = wholeTokens ? undefined : reduceForDiff(before.policy, after.policy);
    const compiles = (policy: ClaimsMappingPolicy): boolean => compilePolicy(serializePolicy(policy)).ok;
    const usable = reduced !== undefined && compiles(reduced.before) && compiles(reduced.after) ? reduced : undefined;
    const job: ImpactJob = { directory: values.directory, cwd: io.cwd, before: serializePolicy(usable?.before ?? before.policy), after: serializePolicy(usable?.after ?? after.policy), apps, token, now, wholeTokens };
    const impact = prepareJob(directory, job);
    const workers = values.workers === undefined ? defaultWorkers(directory.users.length) : Number(values.workers);
    const bar = progressBar(io, directory.users.length);
    let result: ImpactResult;
    try {
      result = await runImpact(impact, job, workers, (done) => bar.update(done));
    } catch (error) {
      // a worker reloads the snapshot: it fails only if the input changed or memory ran out meanwhile
      bar.finish();
      io.stderr.write(`claimc diff: a worker failed (${error instanceof Error ? error.message : String(error)}); run again, or with --workers 1\n`);
      return ExitCode.usage;
    }
    bar.finish();
    const report: DiffReport = {
      static: located,
      summary: { users: result.users, changed: result.changed, refused: result.refused, claims: result.claims },
      examples: result.examples,
    };
    const context: ReportContext = { refusedBoth: [...impact.refusedBoth].map(([app, r]) => [app, r.code] as const), sizeCrossings: result.sizeCrossings, apps, token };
    io.stdout.write(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : format === 'markdown' ? renderMarkdown(report, context) : renderText(report, context));
    const changes = located.length > 0 || result.changed > 0 || result.refused > 0 || result.sizeCrossings > 0;
    return changes ? ExitCode.findings : ExitCode.ok;
  },
};
