import type { IrProgram, OptimizedIrProgram } from '../ir.js';
import { dropUnemitted } from './drop-unemitted.js';
import { foldConstants } from './fold-constants.js';
import { hoistRegex } from './hoist-regex.js';
import { shareReads } from './share-reads.js';
import { specializeFormats } from './specialize-format.js';

/**
 * One optimizer pass: a pure function from IR to IR that says how much it changed.
 *
 * @example
 * const pass: OptimizerPass = { name: 'fold-constants', run: foldConstants };
 */
export interface OptimizerPass {
  readonly name: string;
  readonly run: (program: IrProgram) => { program: IrProgram; changes: number };
}

/** The passes that rewrite the lowered IR into the lowered IR, in order. Folding first lets sharing merge the folded constants. */
const rewritePasses: readonly OptimizerPass[] = [
  { name: 'fold-constants', run: foldConstants },
  { name: 'share-reads', run: shareReads },
  { name: 'drop-unemitted', run: dropUnemitted },
];

/**
 * Every pass by name, in the order they run: the rewrites, then hoist-regex (lowered → hoisted IR) and
 * specialize-format (hoisted → optimized IR), which change the IR's type.
 *
 * @example
 * optimizerPasses.map((p) => p.name)
 */
export const optimizerPasses: readonly { readonly name: string }[] = [...rewritePasses, { name: 'hoist-regex' }, { name: 'specialize-format' }];

/**
 * What the optimizer did; a test asserts these so a silent fallback would fail it.
 *
 * @example
 * compilePolicy(text).stats?.entriesPruned // 0
 */
export interface OptimizerStats {
  /** Every pass that ran, in order, with its count of changes (nodes folded, merged, dropped, patterns hoisted). */
  readonly passes: readonly { readonly name: string; readonly changes: number }[];
  /** Nodes lowered from the policy. */
  readonly nodesLowered: number;
  /** Nodes in each format's program. */
  readonly nodesEmitted: { readonly jwt: number; readonly saml: number };
  /** ClaimsSchema entries that left nothing in the plan (input-only entries nothing needs, values folded away). */
  readonly entriesPruned: number;
  /** Transformations that left no node in the plan (nothing emitted uses them). */
  readonly transformationsPruned: number;
}

/**
 * Runs every pass in order.
 *
 * @example
 * const { program, stats } = optimize(lowered);
 * stats.passes.map((p) => p.name) // ['fold-constants', 'share-reads', 'drop-unemitted', 'hoist-regex', 'specialize-format']
 */
export function optimize(lowered: IrProgram, entryCount: number, transformationCount: number): { program: OptimizedIrProgram; stats: OptimizerStats } {
  let rewritten = lowered;
  const passes: { name: string; changes: number }[] = [];
  for (const pass of rewritePasses) {
    const result = pass.run(rewritten);
    rewritten = result.program;
    passes.push({ name: pass.name, changes: result.changes });
  }
  const hoisted = hoistRegex(rewritten);
  passes.push({ name: 'hoist-regex', changes: hoisted.changes });
  const specialized = specializeFormats(hoisted.program);
  passes.push({ name: 'specialize-format', changes: specialized.changes });
  const program = specialized.program;
  const formats = program.formats;
  const ownedEntries = new Set(program.owners.flat());
  const usedTransformations = new Set(program.transformationOf.filter((t) => t >= 0));
  let entriesPruned = 0;
  for (let i = 0; i < entryCount; i++) if (!ownedEntries.has(i)) entriesPruned++;
  let transformationsPruned = 0;
  for (let i = 0; i < transformationCount; i++) if (!usedTransformations.has(i)) transformationsPruned++;
  return {
    program,
    stats: {
      passes,
      nodesLowered: lowered.nodes.length,
      nodesEmitted: { jwt: formats.jwt.nodes.length, saml: formats.saml.nodes.length },
      entriesPruned,
      transformationsPruned,
    },
  };
}
