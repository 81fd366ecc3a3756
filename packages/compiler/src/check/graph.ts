import type { CheckContext } from './context.js';
import { ptr, relatedAt } from './locate.js';
import { referenceKey } from '../bind.js';

/** Reference graph rules (D8): transformation cycles, transformations nothing uses, input-only entries nothing reads. */
export function checkGraph(ctx: CheckContext): void {
  checkCycles(ctx);
  checkUnused(ctx);
}

/** Transformation u → v when u reads an entry that v produces. */
function dependencies(ctx: CheckContext): number[][] {
  const { entries, transformations } = ctx.bound;
  return transformations.map((t) => {
    const next: number[] = [];
    for (const input of t.inputs) {
      const value = entries[input.entry]?.value;
      if (value?.kind === 'transformation' && !next.includes(value.transformation)) next.push(value.transformation);
    }
    return next;
  });
}

function checkCycles(ctx: CheckContext): void {
  const edges = dependencies(ctx);
  for (const component of stronglyConnected(edges)) {
    const first = Math.min(...component);
    if (component.length === 1 && !(edges[first] ?? []).includes(first)) continue;
    const members = new Set(component);
    const path = cyclePath(first, edges, members);
    const names = path.map((i) => ctx.bound.transformations[i]?.id ?? String(i));
    const next = path[1] ?? first;
    const t = ctx.bound.transformations[first];
    const k = t?.inputs.findIndex((input) => {
      const value = ctx.bound.entries[input.entry]?.value;
      return value?.kind === 'transformation' && value.transformation === next;
    });
    const claimIndex = (ctx.bound.policy.ClaimsTransformation?.[first]?.InputClaims ?? []).findIndex(
      (c) => c.ClaimTypeReferenceId.toLowerCase() === referenceKey(ctx.bound.entries[t?.inputs[k ?? -1]?.entry ?? -1]?.entry ?? {}),
    );
    const location = ctx.at(ptr('ClaimsTransformation', first, 'InputClaims', claimIndex, 'ClaimTypeReferenceId'), ptr('ClaimsTransformation', first, 'ID'), ptr('ClaimsTransformation', first));
    const related = path.slice(1, -1).flatMap((i) => relatedAt(ctx.at(ptr('ClaimsTransformation', i, 'ID'), ptr('ClaimsTransformation', i)), `"${ctx.bound.transformations[i]?.id ?? ''}" is part of the cycle`));
    ctx.report('CM3018', { cycle: names.join(' → ') }, location, { related });
  }
}

/** A shortest path start → … → start inside one strongly connected component (breadth-first). */
function cyclePath(start: number, edges: readonly (readonly number[])[], members: ReadonlySet<number>): number[] {
  const previous = new Map<number, number>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q] ?? start;
    for (const v of edges[u] ?? []) {
      if (!members.has(v)) continue;
      if (v === start) {
        const path = [start];
        for (let w: number | undefined = u; w !== undefined && w !== start; w = previous.get(w)) path.unshift(w);
        path.unshift(start);
        return path;
      }
      if (!previous.has(v)) {
        previous.set(v, u);
        queue.push(v);
      }
    }
  }
  return [start, start];
}

/** Tarjan's algorithm, iterative so that 5,000 chained transformations don't exhaust the stack. */
function stronglyConnected(edges: readonly (readonly number[])[]): number[][] {
  const n = edges.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame === undefined) break;
      const [v, i] = frame;
      if (i === 0) {
        index[v] = low[v] = counter++;
        stack.push(v);
        onStack[v] = true;
      }
      const out = edges[v] ?? [];
      if (i < out.length) {
        frame[1] = i + 1;
        const w = out[i] ?? 0;
        if (index[w] === -1) work.push([w, 0]);
        else if (onStack[w] === true) low[v] = Math.min(low[v] ?? 0, index[w] ?? 0);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent[0]] = Math.min(low[parent[0]] ?? 0, low[v] ?? 0);
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number | undefined;
        do {
          w = stack.pop();
          if (w === undefined) break;
          onStack[w] = false;
          component.push(w);
        } while (w !== v);
        components.push(component);
      }
    }
  }
  return components;
}

function checkUnused(ctx: CheckContext): void {
  const { policy, entries, transformations } = ctx.bound;
  const readByTransformation = new Set<string>();
  for (const t of policy.ClaimsTransformation ?? []) for (const c of t.InputClaims ?? []) readByTransformation.add(c.ClaimTypeReferenceId.toLowerCase());
  const usedTransformations = new Set<string>();
  for (const { entry } of entries) {
    if (entry.Source?.toLowerCase() === 'transformation' && entry.TransformationId !== undefined) usedTransformations.add(entry.TransformationId.toLowerCase());
  }
  const firstIndex = new Map<string, number>();
  for (const t of transformations) {
    const key = t.id.toLowerCase();
    if (firstIndex.has(key)) continue;
    firstIndex.set(key, t.index);
    if (!usedTransformations.has(key)) ctx.report('CM3023', { id: t.id }, ctx.at(ptr('ClaimsTransformation', t.index, 'ID'), ptr('ClaimsTransformation', t.index)));
  }
  for (const { index, entry, value } of entries) {
    if (value.kind === 'unresolved' || entry.JwtClaimType !== undefined || entry.SamlClaimType !== undefined) continue;
    const key = referenceKey(entry);
    if (key !== undefined && readByTransformation.has(key)) continue;
    ctx.report('CM3024', { index }, ctx.at(ptr('ClaimsSchema', index)));
  }
}
