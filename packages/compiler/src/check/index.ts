import type { Diagnostic } from '@claimc/model';
import type { BoundPolicy } from '../bind.js';
import { CheckContext } from './context.js';
import type { CheckOptions } from './context.js';
import { checkSettings } from './settings.js';
import { checkNames } from './names.js';
import { checkSignatures } from './signatures.js';
import { checkRegexReplace } from './regex.js';
import { checkGraph } from './graph.js';
import { checkTokenSize } from './token-size.js';

export type { CheckOptions } from './context.js';

/**
 * Checks a bound policy against every rule that can be judged from the policy alone (D6–D9, D11, D12,
 * entra-semantics §1–§4, §3.5, §8). Binding problems come from {@link bindPolicy}; this adds the semantic
 * ones. Never throws on user input. Diagnostics are in rule order; sort them with `sortDiagnostics`.
 *
 * @example
 * const { bound, diagnostics } = bindPolicy(policy, locations);
 * const all = sortDiagnostics([...diagnostics, ...checkPolicy(bound, { target: 'entra' })]);
 */
export function checkPolicy(bound: BoundPolicy, options: CheckOptions = {}): Diagnostic[] {
  const ctx = new CheckContext(bound, options);
  checkSettings(ctx);
  checkNames(ctx);
  checkSignatures(ctx);
  checkRegexReplace(ctx);
  checkGraph(ctx);
  checkTokenSize(ctx);
  return ctx.diagnostics;
}
