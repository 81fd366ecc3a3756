// Linking `call` nodes: a method's shape checked once, its constants bound, positional getters per token.
import { Reason, tooLong } from '../lib/values.js';
import { join, mailPrefix, toLowercase, toUppercase } from '../lib/strings.js';
import type { Computed } from '../lib/values.js';
import { methodShape } from '../plan/methods.js';
import type { MethodFn } from '../plan/methods.js';
import type { PlanArg } from '../plan/schema.js';
import { fail, type NodeFn } from './node.js';
import { ownRead, ownReadOf, slotIndexOf } from './reads.js';
import type { OwnRead } from './reads.js';

/** A node argument of a call: its position, its closure, and its slot when it is a shared node (read inline). */
type CallInput = { readonly at: number; readonly fn: NodeFn; readonly slot: number; readonly required: boolean };

type ArgGetter = { readonly constant: string } | { readonly fn: NodeFn };

export function linkCall(method: string, args: readonly PlanArg[], multi: string | undefined, ref: (i: number) => NodeFn, pointer: string): NodeFn {
  const shape = methodShape(method);
  if (shape === undefined) return fail('ERR_PLAN_INVALID', `unknown method ${method}`, pointer);
  const byName = new Map<string, ArgGetter>();
  const constants = new Map<string, string>();
  for (const arg of args) {
    if (byName.has(arg.name)) fail('ERR_PLAN_FORGED', `argument ${arg.name} given twice`, pointer);
    if ('node' in arg) byName.set(arg.name, { fn: ref(arg.node) });
    else {
      byName.set(arg.name, { constant: arg.value });
      constants.set(arg.name, arg.value);
    }
  }
  for (const name of shape.constant) {
    const arg = byName.get(name);
    if (arg !== undefined && 'fn' in arg) fail('ERR_PLAN_FORGED', `argument ${name} of ${method} must be a constant parameter`, pointer);
  }
  const anyName = shape.params[0] === '*';
  const firstNodeArg = anyName ? args.find((a) => 'node' in a) : undefined;
  const getters: (ArgGetter | undefined)[] = anyName ? [firstNodeArg === undefined ? undefined : byName.get(firstNodeArg.name)] : shape.params.map((p) => byName.get(p));
  getters.forEach((g, i) => {
    if (g === undefined && shape.required[i] === true) fail('ERR_PLAN_FORGED', `method ${method} lacks its required argument ${shape.params[i] ?? '?'}`, pointer);
  });
  let apply: MethodFn;
  try {
    apply = shape.prepare(constants);
  } catch (error) {
    return fail('ERR_PLAN_FORGED', `method ${method}: ${(error as Error).message}`, pointer);
  }
  const multiIndex = multi === undefined ? -1 : anyName ? 0 : shape.params.indexOf(multi);
  if (multi !== undefined) {
    const g = getters[multiIndex];
    if (g === undefined || !('fn' in g)) fail('ERR_PLAN_FORGED', `TreatAsMultiValue argument ${multi} is not an input claim of ${method}`, pointer);
  }
  const required = shape.required;
  const base = getters.map((g) => (g !== undefined && 'constant' in g ? g.constant : undefined));
  // Only the node arguments are read per token; their positions and requiredness are fixed at link time.
  const inputs: CallInput[] = [];
  getters.forEach((g, i) => {
    if (g !== undefined && 'fn' in g && i !== multiIndex) inputs.push({ at: i, fn: g.fn, slot: slotIndexOf(g.fn), required: required[i] === true });
  });
  const multiFn = multiIndex < 0 ? undefined : (getters[multiIndex] as { fn: NodeFn }).fn;

  if (multiFn === undefined && inputs.length === 1) return oneInputCall(base, inputs[0] as CallInput, apply, directMethod(method, inputs[0] as CallInput));
  return callFn(base, inputs, multiFn, multiIndex, apply);
}

function callFn(base: readonly (string | undefined)[], inputs: readonly CallInput[], multiFn: NodeFn | undefined, multiIndex: number, apply: MethodFn): NodeFn {
  const [b0, b1, b2] = base;
  return (c, s) => {
    // At most three positional values: kept in locals so a call allocates nothing.
    let v0 = b0;
    let v1 = b1;
    let v2 = b2;
    for (let k = 0; k < inputs.length; k++) {
      const input = inputs[k] as CallInput;
      const v = input.slot >= 0 ? (s[input.slot] as Computed) : input.fn(c, s);
      if (typeof v === 'number') {
        if (input.required) return Reason.inputAbsent;
        continue;
      }
      const text = typeof v === 'string' ? v : v[0];
      if (input.at === 0) v0 = text;
      else if (input.at === 1) v1 = text;
      else v2 = text;
    }
    if (multiFn === undefined) {
      const out = apply(v0, v1, v2);
      if (out === undefined) return Reason.noMatch;
      return tooLong(out) ? Reason.valueTooLong : out;
    }
    const m = multiFn(c, s);
    if (typeof m === 'number') return Reason.inputAbsent;
    const list = typeof m === 'string' ? [m] : m;
    const outs: string[] = [];
    for (const item of list) {
      const out = multiIndex === 0 ? apply(item, v1, v2) : multiIndex === 1 ? apply(v0, item, v2) : apply(v0, v1, item);
      if (out === undefined) continue;
      if (tooLong(out)) return Reason.valueTooLong;
      outs.push(out);
    }
    return outs.length === 0 ? Reason.noMatch : outs;
  };
}

// The methods whose primitive a one-input call runs directly (the input first, constants after): one call fewer per
// token than going through the method's bound function, each in its own closure literal so the primitive inlines.
const enum Direct {
  none,
  lowercase,
  uppercase,
  mailPrefix,
  join,
}

function directMethod(method: string, input: CallInput): Direct {
  if (input.at !== 0 || !input.required) return Direct.none;
  switch (method) {
    case 'ToLowercase':
      return Direct.lowercase;
    case 'ToUppercase':
      return Direct.uppercase;
    case 'ExtractMailPrefix':
      return Direct.mailPrefix;
    case 'Join':
      return Direct.join;
    default:
      return Direct.none;
  }
}

/** The common call (one node argument, the rest constants, no multi-value): no loop, the shared input read inline. */
function oneInputCall(base: readonly (string | undefined)[], input: CallInput, apply: MethodFn, direct: Direct): NodeFn {
  const [b0, b1, b2] = base;
  const { at, fn, slot, required } = input;
  const read = ownReadOf(fn);
  switch (direct) {
    case Direct.lowercase:
      return lowercaseCall(read, slot, fn);
    case Direct.uppercase:
      return uppercaseCall(read, slot, fn);
    case Direct.mailPrefix:
      return mailPrefixCall(read, slot, fn);
    case Direct.join:
      return joinCall(read, slot, fn, b1 ?? '', b2 ?? '');
    case Direct.none:
      break;
  }
  return (c, s) => {
    const v = read !== undefined ? ownRead(c, read) : slot >= 0 ? (s[slot] as Computed) : fn(c, s);
    let out: string | undefined;
    if (typeof v === 'number') {
      if (required) return Reason.inputAbsent;
      out = apply(b0, b1, b2);
    } else {
      const text = typeof v === 'string' ? v : (v[0] as string);
      out = at === 0 ? apply(text, b1, b2) : at === 1 ? apply(b0, text, b2) : apply(b0, b1, text);
    }
    if (out === undefined) return Reason.noMatch;
    return tooLong(out) ? Reason.valueTooLong : out;
  };
}

// One closure literal per direct method (its own feedback, the string primitive inlined); the input is required.
function lowercaseCall(read: OwnRead | undefined, slot: number, fn: NodeFn): NodeFn {
  return (c, s) => {
    const v = read !== undefined ? ownRead(c, read) : slot >= 0 ? (s[slot] as Computed) : fn(c, s);
    if (typeof v === 'number') return Reason.inputAbsent;
    const out = toLowercase(typeof v === 'string' ? v : (v[0] as string));
    return tooLong(out) ? Reason.valueTooLong : out;
  };
}

function uppercaseCall(read: OwnRead | undefined, slot: number, fn: NodeFn): NodeFn {
  return (c, s) => {
    const v = read !== undefined ? ownRead(c, read) : slot >= 0 ? (s[slot] as Computed) : fn(c, s);
    if (typeof v === 'number') return Reason.inputAbsent;
    const out = toUppercase(typeof v === 'string' ? v : (v[0] as string));
    return tooLong(out) ? Reason.valueTooLong : out;
  };
}

function mailPrefixCall(read: OwnRead | undefined, slot: number, fn: NodeFn): NodeFn {
  return (c, s) => {
    const v = read !== undefined ? ownRead(c, read) : slot >= 0 ? (s[slot] as Computed) : fn(c, s);
    if (typeof v === 'number') return Reason.inputAbsent;
    const out = mailPrefix(typeof v === 'string' ? v : (v[0] as string));
    return tooLong(out) ? Reason.valueTooLong : out;
  };
}

function joinCall(read: OwnRead | undefined, slot: number, fn: NodeFn, separator: string, string2: string): NodeFn {
  return (c, s) => {
    const v = read !== undefined ? ownRead(c, read) : slot >= 0 ? (s[slot] as Computed) : fn(c, s);
    if (typeof v === 'number') return Reason.inputAbsent;
    const out = join(typeof v === 'string' ? v : (v[0] as string), separator, string2);
    return tooLong(out) ? Reason.valueTooLong : out;
  };
}
