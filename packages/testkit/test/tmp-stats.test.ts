import fc from 'fast-check';
import { test } from 'vitest';
import { evaluateJwt, evaluateSaml, linkPlan } from '@claimc/runtime';
import { compileModel } from '@claimc/compiler';
import { evaluationContext, evaluationPolicy } from '../src/index.js';
test('stats', () => {
  const reasons = new Map<string, number>(); let present = 0, arrays = 0, nameIds = 0; const methods = new Map<string, number>(); let warnings = new Map<string, number>();
  const passes = new Map<string, number>(); let pruned = 0;
  for (const [policy, ctx] of fc.sample(fc.tuple(evaluationPolicy, evaluationContext), { numRuns: 1000, seed: 1 })) {
    const r = compileModel(policy, new Map());
    for (const d of r.diagnostics) warnings.set(d.code + d.severity, (warnings.get(d.code + d.severity) ?? 0) + 1);
    if (!r.plan) continue;
    for (const p of r.stats!.passes) if (p.changes > 0) passes.set(p.name, (passes.get(p.name) ?? 0) + 1);
    pruned += r.stats!.entriesPruned;
    for (const t of policy.ClaimsTransformation ?? []) methods.set(t.TransformationMethod, (methods.get(t.TransformationMethod) ?? 0) + 1);
    const p = linkPlan(r.plan);
    const j = evaluateJwt(p, ctx); const s = evaluateSaml(p, ctx);
    for (const a of [...j.absent, ...s.absent]) reasons.set(a.reason, (reasons.get(a.reason) ?? 0) + 1);
    for (const v of Object.values(j.policy)) { present++; if (Array.isArray(v)) arrays++; }
    if (s.nameId) nameIds++;
  }
  console.log({ reasons, present, arrays, nameIds, methods, warnings, passes, pruned });
});
