import type { PlanNode } from '@claimc/runtime/internal';

/** Where a `read` node reads from. */
export type ReadSource = Extract<PlanNode, { op: 'read' }>['source'];

const str = (text: string): string => JSON.stringify(text);

/**
 * The context object a source reads from (`audience` falls back to the resource, then the client).
 *
 * @example
 * sourceObject('user') // 'c.user'
 */
export const sourceObject = (source: ReadSource): string => (source === 'audience' ? '(c.audience ?? c.resource ?? c.client)' : `c.${source}`);

interface Holder {
  readonly object: string;
  readonly plain: string;
  /** A nested object (read from a property): arrays and primitives there hold no properties. */
  readonly nested: boolean;
}

/**
 * Own-property reads with constant keys, so each read site keeps its own inline cache (a shared helper taking the key
 * would make every read megamorphic). The objects read from are hoisted once per call with a flag saying whether
 * their prototype is `Object.prototype`: for such an object a key that `Object.prototype` does not have (V8 folds
 * that `in` test to a constant until the prototype changes) can only be found as an own property, so the read skips
 * `Object.hasOwn`; any other object (null or custom prototype, arrays, a polluted `Object.prototype`) goes through
 * `own`, which checks. Paths of one or two segments; longer ones use the runtime's `readPath`.
 *
 * @example
 * const reads = new OwnReads(false);
 * reads.own('user', ['mail']); // 'p0 && !("mail" in OP) ? o0["mail"] : own(o0, "mail")', with o0/p0 in reads.hoisted
 */
export class OwnReads {
  private readonly objects = new Map<string, Holder>();
  readonly hoisted: string[] = [];

  constructor(private readonly typed: boolean) {}

  /** The expression reading `path` (own properties only) from `source`, or undefined for paths of three or more segments. */
  own(source: ReadSource, path: readonly string[]): string | undefined {
    if (path.length > 2) return undefined;
    const holder = this.holder(source, path.slice(0, -1));
    return this.read(holder, path[path.length - 1] as string);
  }

  private read(holder: Holder, key: string): string {
    const k = str(key);
    const property = this.typed ? `(${holder.object} as Record<string, unknown>)[${k}]` : `${holder.object}[${k}]`;
    return `${holder.plain} && !(${k} in OP) ? ${property} : own(${holder.nested ? `objectOf(${holder.object})` : holder.object}, ${k})`;
  }

  private holder(source: ReadSource, prefix: readonly string[]): Holder {
    const id = JSON.stringify([source, ...prefix]);
    const known = this.objects.get(id);
    if (known !== undefined) return known;
    // The enclosing object first: its hoisted lines come before this one's.
    const value = prefix.length === 0 ? sourceObject(source) : this.read(this.holder(source, prefix.slice(0, -1)), prefix[prefix.length - 1] as string);
    const index = this.objects.size;
    const holder = { object: `o${index}`, plain: `p${index}`, nested: prefix.length > 0 };
    // `?.__proto__` is Object.prototype only for an object whose prototype it is (primitives give their wrapper's
    // prototype, arrays Array.prototype); a typeof/null test before it costs more than it saves.
    const proto = this.typed ? `(${holder.object} as { __proto__?: unknown } | null | undefined)?.__proto__` : `${holder.object}?.__proto__`;
    this.hoisted.push(`  const ${holder.object}${this.typed ? ': unknown' : ''} = ${value};`, `  const ${holder.plain} = ${proto} === OP;`);
    this.objects.set(id, holder);
    return holder;
  }
}
