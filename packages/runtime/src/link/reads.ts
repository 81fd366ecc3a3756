// Linking leaf nodes: constants, slots, reads of the context, the documented derivations.
import { limits } from '@claimc/model';
import { absenceReasons, fromDirectory, netbiosFromDomain, readPath, Reason, reasonCode } from '../lib/values.js';
import type { AbsenceReason, Computed } from '../lib/values.js';
import type { NodeFn } from './node.js';
import type { EvaluationContext } from '../context.js';

const valueLength = limits.valueLength;

// Closures are made in small factories so each captures only what it uses, not the linker's whole scope.
export function slotReader(index: number): NodeFn {
  const fn: NodeFn = (_c, slots) => slots[index] as Computed;
  slotIndexes.set(fn, index);
  return fn;
}

// Link-time facts about linked closures, so a consumer can do their work inline instead of calling them.
const slotIndexes = new WeakMap<NodeFn, number>();
const ownReads = new WeakMap<NodeFn, OwnRead>();
const constants = new WeakMap<NodeFn, Computed>();

/** A one- or two-segment read of a context object's own property: what a fused consumer needs to do it inline. */
export interface OwnRead {
  /** Index into {@link readSources}. */
  readonly source: number;
  /** The first segment of a two-segment path, else undefined. */
  readonly outer: string | undefined;
  readonly key: string;
}

/** A context object a read can look in. */
export type ReadSource = 'user' | 'tenant' | 'client' | 'resource' | 'audience';

/** The context objects a read can look in, in the order of {@link OwnRead.source}. */
export const readSources: readonly ReadSource[] = ['user', 'tenant', 'client', 'resource', 'audience'];

/** The context object a fused read looks in, by its index in {@link readSources}. */
export function sourceObject(context: EvaluationContext, source: number): unknown {
  switch (source) {
    case 0:
      return context.user;
    case 1:
      return context.tenant;
    case 2:
      return context.client;
    case 3:
      return context.resource;
    default:
      return context.audience ?? context.resource ?? context.client;
  }
}

/** Does a fused read: the same as the closure {@link readFn} made for it. */
export function ownRead(context: EvaluationContext, read: OwnRead): Computed {
  const object = sourceObject(context, read.source);
  return readOwn(read.outer === undefined ? object : ownObject(object, read.outer), read.key);
}

/** The slot a closure made by {@link slotReader} reads, else -1. */
export function slotIndexOf(fn: NodeFn): number {
  return slotIndexes.get(fn) ?? -1;
}

/** The read a closure made by {@link readFn} for a one- or two-segment path does, else undefined. */
export function ownReadOf(fn: NodeFn): OwnRead | undefined {
  return ownReads.get(fn);
}

export function constant(value: Computed): NodeFn {
  const fn: NodeFn = () => value;
  constants.set(fn, value);
  return fn;
}

/** The value a closure made by {@link constant} returns; undefined for any other closure. */
export function constantOf(fn: NodeFn): Computed | undefined {
  return constants.get(fn);
}

export function firstOf(of: NodeFn): NodeFn {
  return (c, s) => {
    const v = of(c, s);
    return typeof v === 'object' ? (v[0] ?? Reason.sourceEmpty) : v;
  };
}

// One closure per reason, shared by every plan: a plan with thousands of entries past the limit allocates none.
const staticAbsences: readonly NodeFn[] = Object.freeze(absenceReasons.map((_, code) => constant(code)));

/** An entry that can never emit: a constant absence code, so {@link constantOf} finds it. */
export function staticAbsence(reason: AbsenceReason): NodeFn {
  return staticAbsences[reasonCode(reason)] as NodeFn;
}

const domainPath = ['onPremisesDomainName'];

/** The documented derivations (docs/evaluate.md). */
export function deriveFn(derivation: 'netbiosname' | 'assignedroles' | 'groups'): NodeFn {
  switch (derivation) {
    case 'netbiosname':
      return (c) => netbiosFromDomain(readPath(c.user, domainPath));
    case 'assignedroles':
      return (c) => fromDirectory(c.assignedRoles);
    case 'groups':
      return (c) => fromDirectory(c.groups);
  }
}

/** Reads one own property and converts it; the string case is inlined because it is by far the most common. */
function readOwn(object: unknown, key: string): Computed {
  if (object === null || typeof object !== 'object' || !Object.hasOwn(object, key)) return Reason.sourceEmpty;
  const raw = (object as Record<string, unknown>)[key];
  if (typeof raw === 'string') return raw.length > valueLength ? Reason.valueTooLong : raw;
  return fromDirectory(raw);
}

/** An own property that is a (non-array) object, else undefined: the middle step of a two-segment path. */
function ownObject(object: unknown, key: string): unknown {
  if (object === null || typeof object !== 'object' || !Object.hasOwn(object, key)) return undefined;
  const value = (object as Record<string, unknown>)[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/** A directory read as a closure specialised on the source and the path length (the common case is one segment). */
export function readFn(source: ReadSource, path: readonly string[]): NodeFn {
  if (path.length === 1) {
    const fn = oneSegmentRead(source, path[0] as string);
    ownReads.set(fn, Object.freeze({ source: readSources.indexOf(source), outer: undefined, key: path[0] as string }));
    return fn;
  }
  const fn = pathRead(source, path);
  if (path.length === 2) ownReads.set(fn, Object.freeze({ source: readSources.indexOf(source), outer: path[0] as string, key: path[1] as string }));
  return fn;
}

// One closure per source (not one reading `sourceObject`): each read site then sees one context field.
function oneSegmentRead(source: ReadSource, key: string): NodeFn {
  switch (source) {
    case 'user':
      return (c) => readOwn(c.user, key);
    case 'tenant':
      return (c) => readOwn(c.tenant, key);
    case 'client':
      return (c) => readOwn(c.client, key);
    case 'resource':
      return (c) => readOwn(c.resource, key);
    case 'audience':
      return (c) => readOwn(c.audience ?? c.resource ?? c.client, key);
  }
}

function pathRead(source: ReadSource, path: readonly string[]): NodeFn {
  if (path.length === 2) {
    const [outer, inner] = path as readonly [string, string];
    switch (source) {
      case 'user':
        return (c) => readOwn(ownObject(c.user, outer), inner);
      case 'tenant':
        return (c) => readOwn(ownObject(c.tenant, outer), inner);
      case 'client':
        return (c) => readOwn(ownObject(c.client, outer), inner);
      case 'resource':
        return (c) => readOwn(ownObject(c.resource, outer), inner);
      case 'audience':
        return (c) => readOwn(ownObject(c.audience ?? c.resource ?? c.client, outer), inner);
    }
  }
  const head = path.slice(0, -1);
  const last = path[path.length - 1] as string;
  switch (source) {
    case 'user':
      return (c) => readOwn(readPath(c.user, head), last);
    case 'tenant':
      return (c) => readOwn(readPath(c.tenant, head), last);
    case 'client':
      return (c) => readOwn(readPath(c.client, head), last);
    case 'resource':
      return (c) => readOwn(readPath(c.resource, head), last);
    case 'audience':
      return (c) => readOwn(readPath(c.audience ?? c.resource ?? c.client, head), last);
  }
}
