import type { ClaimsTransformation, MethodInput, MethodSignature } from '@claimc/model';
import { findMethodInput, suggest } from '@claimc/model';
import type { CheckContext } from './context.js';
import { didYouMean, ptr, relatedAt } from './locate.js';

const kindWords: Record<MethodInput['kind'], string> = {
  claim: 'an input claim',
  parameter: 'a parameter',
  either: 'an input claim or a parameter',
};

/** Method signatures (§1.4, §3, D11, D12): input names and kinds, required inputs, enums, integers, outputs. */
export function checkSignatures(ctx: CheckContext): void {
  ctx.bound.transformations.forEach((bound) => {
    const t = ctx.bound.policy.ClaimsTransformation?.[bound.index];
    if (t === undefined || bound.method === undefined) return;
    checkTransformation(ctx, bound.index, t, bound.method);
  });
}

function checkTransformation(ctx: CheckContext, index: number, t: ClaimsTransformation, method: MethodSignature): void {
  const base = (...rest: (string | number)[]): string => ptr('ClaimsTransformation', index, ...rest);
  if (method.extension) ctx.report('CM4201', { method: method.name }, ctx.at(base('TransformationMethod'), base()));

  const claims = t.InputClaims ?? [];
  const parameters = t.InputParameters ?? [];
  // Where each input was first given: [InputClaims | InputParameters, item index, property].
  type Place = readonly [string, number, string];
  const given = new Map<string, Place>();
  const placePointer = (place: Place): string => base(...place);
  const noteGiven = (name: string, place: Place): void => {
    const key = name.toLowerCase();
    const first = given.get(key);
    if (first !== undefined) {
      ctx.report('CM4211', { name, id: t.ID }, ctx.at(placePointer(place)), { related: relatedAt(ctx.at(placePointer(first)), 'first given here') });
    } else given.set(key, place);
  };
  const inputNamed = (name: string): MethodInput | undefined => findMethodInput(method, name);
  const unknown = (name: string, pointer: string): void => {
    const at = ctx.at(pointer);
    ctx.report('CM4202', { name, method: method.name }, at, didYouMean(at, name, suggest(name, method.inputs.map((i) => i.name))));
  };

  if (method.singleInputAnyName === true) {
    if (claims.length !== 1) ctx.report('CM4208', { method: method.name, count: claims.length }, ctx.at(base('InputClaims'), base()));
    parameters.forEach((p, k) => unknown(p.ID, base('InputParameters', k, 'ID')));
  } else {
    claims.forEach((c, k) => {
      const place: Place = ['InputClaims', k, 'TransformationClaimType'];
      const input = inputNamed(c.TransformationClaimType);
      if (input === undefined) {
        if (method.extraInputClaims === true) noteGiven(c.TransformationClaimType, place);
        else unknown(c.TransformationClaimType, placePointer(place));
        return;
      }
      if (input.kind === 'parameter') ctx.report('CM4204', { name: input.name, method: method.name }, ctx.at(placePointer(place)));
      noteGiven(input.name, place);
    });
    parameters.forEach((p, k) => {
      const place: Place = ['InputParameters', k, 'ID'];
      const input = inputNamed(p.ID);
      if (input === undefined) {
        unknown(p.ID, placePointer(place));
        return;
      }
      if (input.kind === 'claim') ctx.report('CM4205', { name: input.name, method: method.name }, ctx.at(placePointer(place)));
      noteGiven(input.name, place);
      const valueLocation = (): ReturnType<CheckContext['at']> => ctx.at(base('InputParameters', k, 'Value'), placePointer(place));
      if (input.values !== undefined && !input.values.some((v) => v.toLowerCase() === p.Value.toLowerCase())) {
        const at = valueLocation();
        ctx.report('CM4206', { name: input.name, method: method.name, value: p.Value, values: input.values.join(', ') }, at, didYouMean(at, p.Value, suggest(p.Value, input.values)));
      }
      if (input.integer === true && !/^\d{1,9}$/.test(p.Value)) ctx.report('CM4207', { name: input.name, method: method.name, value: p.Value }, valueLocation());
    });
    for (const input of method.inputs) {
      if (input.required && !given.has(input.name.toLowerCase())) {
        ctx.report('CM4203', { method: method.name, name: input.name, kind: kindWords[input.kind] }, ctx.at(input.kind === 'parameter' ? base('InputParameters') : base('InputClaims'), base()));
      }
    }
  }

  // D12: at most one TreatAsMultiValue input.
  let multi = 0;
  claims.forEach((c, k) => {
    if (c.TreatAsMultiValue !== true) return;
    multi++;
    if (multi === 2) ctx.report('CM4209', { id: t.ID }, ctx.at(base('InputClaims', k, 'TreatAsMultiValue'), base('InputClaims', k)));
  });

  (t.OutputClaims ?? []).forEach((o, k) => {
    if (method.outputs.some((name) => name.toLowerCase() === o.TransformationClaimType.toLowerCase())) return;
    ctx.report('CM4210', { name: o.TransformationClaimType, method: method.name, output: method.outputs.join(', ') }, ctx.at(base('OutputClaims', k, 'TransformationClaimType'), base('OutputClaims', k)));
  });
}
