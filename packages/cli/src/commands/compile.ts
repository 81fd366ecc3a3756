import { compilePolicy, emitModule, renderDiagnostics } from '@claimc/compiler';
import { oneOf, parseCommandArgs } from '../args.js';
import { wantsColor } from '../color.js';
import { ExitCode, UsageError } from '../command.js';
import type { Command } from '../command.js';
import { readTextFile, writeTextFile } from '../files.js';
import { outputOption } from '../output.js';

const usage = `Usage: claimc compile <policy> -o <file.ts|file.js|file.json> [options]

Compiles a claims-mapping policy ahead of time. A .ts or .js output is a module that imports only
@claimc/runtime and exports the plan document, the linked \`plan\`, and \`evaluateJwt\` / \`evaluateSaml\`;
a .json output is the plan document itself (load it with linkPlan).

Options:
  -o, --output <file>        where to write (.ts, .js, .mjs or .json), required
  --target <lenient|entra>   checking strictness (default lenient)
  --custom-signing-key       the application has a custom signing key (unlocks some SAML names)
  -h, --help                 show this help

Exit codes: 0 written, 1 the policy has errors (diagnostics on stderr), 2 usage error or an unreadable file.
`;

/** `claimc compile <policy> -o <file>.ts|.js|.json`. */
export const compileCommand: Command = {
  name: 'compile',
  summary: 'compile a policy ahead of time into a module (imports only @claimc/runtime) or a plan document',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...outputOption,
      target: { type: 'string' },
      'custom-signing-key': { type: 'boolean' },
    });
    const target = oneOf(values.target ?? 'lenient', ['lenient', 'entra'], '--target');
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'no policy file given' : 'give exactly one policy file');
    if (values.output === undefined) throw new UsageError('-o, --output <file> is required');
    const out = values.output;
    const kind = /\.(m?js)$/i.test(out) ? 'js' : /\.ts$/i.test(out) ? 'ts' : /\.json$/i.test(out) ? 'json' : undefined;
    if (kind === undefined) throw new UsageError('--output must end in .ts, .js, .mjs or .json');
    const policyPath = positionals[0] as string;
    const read = await readTextFile(policyPath, io);
    if (!read.ok) {
      io.stderr.write(`claimc compile: ${read.message}\n`);
      return ExitCode.usage;
    }
    const compiled = compilePolicy(read.text, { fileName: policyPath, target, hasCustomSigningKey: values['custom-signing-key'] === true });
    if (!compiled.ok) {
      io.stderr.write(renderDiagnostics([{ file: policyPath, text: read.text, diagnostics: compiled.diagnostics }], 'text', { color: wantsColor(io.stderr, io) }));
      return ExitCode.findings;
    }
    const content = kind === 'json' ? JSON.stringify(compiled.plan, null, 2) + '\n' : emitModule(compiled.plan, { language: kind });
    const written = await writeTextFile(out, content, io);
    if (!written.ok) {
      io.stderr.write(`claimc compile: ${written.message}\n`);
      return ExitCode.usage;
    }
    const stats = compiled.stats;
    const passes = stats === undefined ? '' : stats.passes.map((p) => `${p.name} ${p.changes}`).join(', ');
    io.stdout.write(`wrote ${out}: ${compiled.plan.jwt.emits.length} JWT and ${compiled.plan.saml.emits.length} SAML emissions; passes: ${passes}\n`);
    return ExitCode.ok;
  },
};
