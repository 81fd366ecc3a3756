import { isAbsolute, relative, resolve } from 'node:path';
import { createDiagnostic, hasErrors, sortDiagnostics, uniqueDiagnostics } from '@claimc/model';
import type { Diagnostic, Target } from '@claimc/model';
import { bindPolicy, checkPolicy, diagnosticFormats, renderDiagnostics } from '@claimc/compiler';
import type { DiagnosticFile, DiagnosticFormat, TokenSizeApplication } from '@claimc/compiler';
import { snapshotKnowledge } from '@claimc/language-service';
import { readPolicies, selectPolicy } from '@claimc/syntax';
import type { PolicyReadResult } from '@claimc/syntax';
import { oneOf, parseCommandArgs } from '../args.js';
import { wantsColor } from '../color.js';
import { ExitCode, UsageError } from '../command.js';
import type { CliIO, Command } from '../command.js';
import { expandFolders, readJsonFile, readTextFile, stdinPath } from '../files.js';
import { cliVersion } from '../version.js';

const usage = `Usage: claimc check <file>... [options]

Reads each claims-mapping policy (raw JSON, a Graph request body or collection, a PowerShell line,
Terraform .tf or \`terraform show -json\`, an \`az rest --body\` line, or .claims; '-' reads standard input)
and reports every problem with its code, position, code frame and hint. A file holding several policies has
each checked. Files over 1 MiB are refused unread (CM0050). Text output shows code frames for the first 50
problems of a file and one line for each further one.

Options:
  --target <lenient|entra>   entra: extensions and leniencies become errors (default lenient)
  --format <text|json|sarif> output format (default text)
  -o, --output <file>        write the report to a file instead of standard output
  --custom-signing-key       the application has a custom signing key (unlocks some SAML claim names)
  --verified-domain <name>   a verified domain of the tenant, for Join NameID suffixes (repeatable)
  --directory <snapshot.json> with --app: the directory snapshot that holds the application
  --app <appId|name>         size tokens with this application's optional claims, group claims and app roles
  -h, --help                 show this help

Exit codes: 0 no errors (warnings allowed), 1 any error, 2 usage error or an unreadable file.
`;

/** One checked file: its name as shown, its text, its sorted diagnostics, and whether it could be read at all. */
export interface CheckedFile extends DiagnosticFile {
  readonly readable: boolean;
}

/** What `claimc check` passes to the checker for every file. */
export interface CheckFilesOptions {
  readonly target: Target;
  readonly hasCustomSigningKey?: boolean;
  readonly verifiedDomains?: readonly string[];
  /** The application's token settings (optional claims, group claims, app roles) for the token-size bound. */
  readonly application?: TokenSizeApplication;
}

/** A policy text read and checked: the front end's result (model, display name) and every diagnostic, sorted. */
export interface CheckedPolicyText {
  readonly read: PolicyReadResult;
  readonly diagnostics: Diagnostic[];
}

/** Binds and checks one policy already read: every diagnostic of the read plus those of bind and check, sorted. */
function checkRead(read: PolicyReadResult, options: CheckFilesOptions): Diagnostic[] {
  const found: Diagnostic[] = [...read.diagnostics];
  if (read.policy !== undefined) {
    const { bound, diagnostics } = bindPolicy(read.policy, read.locations, { target: options.target });
    found.push(...diagnostics);
    found.push(
      ...checkPolicy(bound, {
        target: options.target,
        ...(options.hasCustomSigningKey !== undefined ? { hasCustomSigningKey: options.hasCustomSigningKey } : {}),
        ...(options.verifiedDomains !== undefined ? { verifiedDomains: options.verifiedDomains } : {}),
        ...(options.application !== undefined ? { application: options.application } : {}),
      }),
    );
  }
  return sortDiagnostics(found);
}

/** Every policy of a text read and checked, plus the file's own problems; `diagnostics` is all of them, sorted. */
export interface CheckedPoliciesText {
  readonly policies: readonly CheckedPolicyText[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Reads, binds and checks every policy of a text (a Graph collection or Terraform file may hold several).
 *
 * @example
 * const { policies, diagnostics } = checkPoliciesText(text, 'policies.json', { target: 'lenient' });
 */
export function checkPoliciesText(text: string, fileName: string, options: CheckFilesOptions): CheckedPoliciesText {
  const all = readPolicies(text, { fileName, target: options.target });
  const policies = all.policies.map((read) => ({ read, diagnostics: checkRead(read, options) }));
  return { policies, diagnostics: sortDiagnostics([...all.diagnostics, ...policies.flatMap((p) => p.diagnostics)]) };
}

/**
 * Reads and checks the one policy a command works on: the only policy of the text, or the one `select`
 * names (Graph id, Terraform address or display name). Several without `select` is CM1409, an unknown
 * `select` CM1410; the result then has no policy and those diagnostics.
 *
 * @example
 * const { read, diagnostics } = checkPolicyText('{"ClaimsMappingPolicy":{"Version":1}}', 'policy.json', { target: 'lenient' });
 */
export function checkPolicyText(text: string, fileName: string, options: CheckFilesOptions, select?: string): CheckedPolicyText {
  const all = readPolicies(text, { fileName, target: options.target });
  const names = all.policies.map((p, i) => p.displayName ?? p.id ?? `#${i + 1}`);
  const listed = names.map((n) => `"${n}"`).join(', ');
  const empty = (diagnostics: Diagnostic[]): CheckedPolicyText => ({ read: { policy: undefined, locations: new Map(), diagnostics, envelope: all.envelope }, diagnostics });
  let chosen: PolicyReadResult | undefined;
  if (select !== undefined) {
    chosen = selectPolicy(all.policies, select);
    if (chosen === undefined && all.policies.length > 0) return empty(sortDiagnostics([...all.diagnostics, createDiagnostic('CM1410', { selector: select, names: listed }, { span: { start: 0, end: 0 } })]));
  } else if (all.policies.length > 1) {
    return empty(sortDiagnostics([...all.diagnostics, createDiagnostic('CM1409', { count: all.policies.length, names: listed }, { span: all.policies[1]!.span ?? { start: 0, end: 0 } })]));
  } else chosen = all.policies[0];
  if (chosen === undefined) return empty([...all.diagnostics]);
  return { read: chosen, diagnostics: sortDiagnostics([...all.diagnostics, ...checkRead(chosen, options)]) };
}

/**
 * Reads and checks each file; an unreadable one becomes a CM0001 diagnostic and the others still run.
 *
 * @example
 * const files = await checkFiles(['policy.json'], io, { target: 'entra' });
 * process.stdout.write(renderDiagnostics(files, 'text'));
 */
export async function checkFiles(paths: readonly string[], io: CliIO, options: CheckFilesOptions, nameFor: (path: string) => string = (p) => p): Promise<CheckedFile[]> {
  const checked: CheckedFile[] = [];
  for (const path of paths) {
    const read = await readTextFile(path, io, { standardInput: true });
    const file = path === stdinPath ? '<stdin>' : nameFor(path);
    if (!read.ok) {
      const reason = read.message.startsWith(path + ': ') ? read.message.slice(path.length + 2) : read.message;
      checked.push({ file, text: '', readable: false, diagnostics: [read.diagnostic ?? createDiagnostic('CM0001', { reason })] });
      continue;
    }
    checked.push({ file, text: read.text, readable: true, diagnostics: checkPoliciesText(read.text, path, options).diagnostics });
  }
  return checked;
}

/**
 * `claimc check <file>... [--target entra] [--format text|json|sarif]`.
 *
 * @example
 * const exitCode = await checkCommand.run(['policy.json', '--format', 'sarif'], io);
 */
export const checkCommand: Command = {
  name: 'check',
  resultOnStdout: true,
  summary: 'check policies and report located diagnostics (text, json, sarif)',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      target: { type: 'string' },
      format: { type: 'string' },
      'custom-signing-key': { type: 'boolean' },
      'verified-domain': { type: 'string', multiple: true },
      directory: { type: 'string' },
      app: { type: 'string' },
    });
    const target = oneOf(values.target ?? 'lenient', ['lenient', 'entra'], '--target');
    const format: DiagnosticFormat = oneOf(values.format ?? 'text', diagnosticFormats, '--format');
    if (positionals.length === 0) throw new UsageError('no policy file given');
    if ((values.directory === undefined) !== (values.app === undefined)) throw new UsageError('--directory and --app go together');
    let application: TokenSizeApplication | undefined;
    if (values.directory !== undefined && values.app !== undefined) {
      const snapshot = await readJsonFile(values.directory, io);
      if (!snapshot.ok) {
        io.stderr.write(snapshot.message + '\n');
        return ExitCode.usage;
      }
      application = snapshotKnowledge(snapshot.value, values.app).application;
      if (application === undefined) throw new UsageError(`no application "${values.app}" in ${values.directory}`);
    }

    // SARIF locations are relative to the working directory (SRCROOT, where CI runs claimc); a file outside it stays absolute.
    const nameFor = format === 'sarif' ? (path: string) => sarifName(path, io.cwd) : undefined;
    const paths = await expandFolders(positionals, io);
    if (paths.length === 0) throw new UsageError(`no policy files (.json, .ps1, .claims, .tf) in ${positionals.join(', ')}`);
    const files = await checkFiles(paths, io, {
      target,
      ...(values['custom-signing-key'] === true ? { hasCustomSigningKey: true } : {}),
      ...(values['verified-domain'] !== undefined ? { verifiedDomains: values['verified-domain'] } : {}),
      ...(application !== undefined ? { application } : {}),
    }, nameFor);

    const color = format === 'text' && wantsColor(io.stdout, io);
    const report = renderDiagnostics(files, format, { color, toolVersion: cliVersion(), baseDirectory: resolve(io.cwd) }) + (format === 'text' ? summary(files) : '');
    io.stdout.write(report);
    if (files.some((f) => !f.readable)) return ExitCode.usage;
    return files.some((f) => hasErrors(f.diagnostics)) ? ExitCode.findings : ExitCode.ok;
  },
};

function sarifName(path: string, cwd: string): string {
  const absolute = resolve(cwd, path);
  const inside = relative(resolve(cwd), absolute);
  return inside.startsWith('..') || isAbsolute(inside) ? absolute : inside;
}

function summary(files: readonly CheckedFile[]): string {
  // Counts what the renderer printed: a repeated diagnostic once.
  const printed = files.flatMap((f) => uniqueDiagnostics(f.diagnostics));
  const count = (severity: Diagnostic['severity']) => printed.filter((d) => d.severity === severity).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const errors = count('error');
  const warnings = count('warning');
  const infos = count('info');
  if (errors + warnings + infos === 0) return `${plural(files.length, 'file')} checked: no problems\n`;
  return `${plural(files.length, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${infos} info\n`;
}
