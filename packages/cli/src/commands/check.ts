import { isAbsolute, relative, resolve } from 'node:path';
import { createDiagnostic, hasErrors, sortDiagnostics } from '@claimc/model';
import type { Diagnostic, Target } from '@claimc/model';
import { bindPolicy, checkPolicy, diagnosticFormats, renderDiagnostics } from '@claimc/compiler';
import type { DiagnosticFile, DiagnosticFormat } from '@claimc/compiler';
import { readPolicies, selectPolicy } from '@claimc/syntax';
import type { PolicyReadResult } from '@claimc/syntax';
import { oneOf, parseCommandArgs } from '../args.js';
import { wantsColor } from '../color.js';
import { ExitCode, UsageError } from '../command.js';
import type { CliIO, Command } from '../command.js';
import { readTextFile } from '../files.js';

const usage = `Usage: claimc check <file>... [options]

Reads each claims-mapping policy (raw JSON, a Graph request body or collection, a PowerShell line,
Terraform .tf or \`terraform show -json\`, an \`az rest --body\` line, or .claims) and reports every
problem with its code, position, code frame and hint. A file holding several policies has each checked.

Options:
  --target <lenient|entra>   entra: extensions and leniencies become errors (default lenient)
  --format <text|json|sarif> output format (default text)
  --custom-signing-key       the application has a custom signing key (unlocks some SAML claim names)
  --verified-domain <name>   a verified domain of the tenant, for Join NameID suffixes (repeatable)
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
}

/** A policy text read and checked: the front end's result (model, display name) and every diagnostic, sorted. */
export interface CheckedPolicyText {
  readonly read: PolicyReadResult;
  readonly diagnostics: Diagnostic[];
}

/** Binds and checks one policy already read: every diagnostic of the read plus those of bind and check, sorted. */
function checkRead(read: PolicyReadResult, text: string, options: CheckFilesOptions): Diagnostic[] {
  const found: Diagnostic[] = [...read.diagnostics];
  if (read.policy !== undefined) {
    const { bound, diagnostics } = bindPolicy(read.policy, read.locations, { target: options.target });
    found.push(...diagnostics);
    found.push(
      ...checkPolicy(bound, {
        target: options.target,
        sourceText: text,
        ...(options.hasCustomSigningKey !== undefined ? { hasCustomSigningKey: options.hasCustomSigningKey } : {}),
        ...(options.verifiedDomains !== undefined ? { verifiedDomains: options.verifiedDomains } : {}),
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
  const policies = all.policies.map((read) => ({ read, diagnostics: checkRead(read, text, options) }));
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
  return { read: chosen, diagnostics: sortDiagnostics([...all.diagnostics, ...checkRead(chosen, text, options)]) };
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
    const read = await readTextFile(path, io);
    const file = nameFor(path);
    if (!read.ok) {
      const reason = read.message.startsWith(path + ': ') ? read.message.slice(path.length + 2) : read.message;
      checked.push({ file, text: '', readable: false, diagnostics: [createDiagnostic('CM0001', { reason })] });
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
  summary: 'check policies and report located diagnostics (text, json, sarif)',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      target: { type: 'string' },
      format: { type: 'string' },
      'custom-signing-key': { type: 'boolean' },
      'verified-domain': { type: 'string', multiple: true },
    });
    const target = oneOf(values.target ?? 'lenient', ['lenient', 'entra'], '--target');
    const format: DiagnosticFormat = oneOf(values.format ?? 'text', diagnosticFormats, '--format');
    if (positionals.length === 0) throw new UsageError('no policy file given');

    // SARIF needs URIs relative to the repository root, which is where CI runs claimc.
    const nameFor = format === 'sarif' ? (path: string) => (isAbsolute(path) ? relative(io.cwd, resolve(io.cwd, path)) : path) : undefined;
    const files = await checkFiles(positionals, io, {
      target,
      ...(values['custom-signing-key'] === true ? { hasCustomSigningKey: true } : {}),
      ...(values['verified-domain'] !== undefined ? { verifiedDomains: values['verified-domain'] } : {}),
    }, nameFor);

    const color = format === 'text' && wantsColor(io.stdout, io.env);
    io.stdout.write(renderDiagnostics(files, format, { color }));
    if (format === 'text') io.stdout.write(summary(files));
    if (files.some((f) => !f.readable)) return ExitCode.usage;
    return files.some((f) => hasErrors(f.diagnostics)) ? ExitCode.findings : ExitCode.ok;
  },
};

function summary(files: readonly CheckedFile[]): string {
  const count = (severity: Diagnostic['severity']) => files.reduce((n, f) => n + f.diagnostics.filter((d) => d.severity === severity).length, 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const errors = count('error');
  const warnings = count('warning');
  const infos = count('info');
  if (errors + warnings + infos === 0) return `${plural(files.length, 'file')} checked: no problems\n`;
  return `${plural(files.length, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${infos} info\n`;
}
