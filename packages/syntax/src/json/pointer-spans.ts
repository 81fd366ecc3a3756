import type { Diagnostic, Span } from '@claimc/model';

/** The wanted pointers as a tree of segments; `span` is filled when the walk reaches the value. */
interface Wanted {
  readonly children: Map<string, Wanted>;
  span?: Span;
}

/**
 * Finds where JSON Pointers stand in a JSON text (a directory snapshot, a data file) in one linear pass: values on a
 * wanted path are entered, every other value is skipped by a flat bracket count, so the cost is the text's length
 * whatever the number of pointers. A pointer whose value is missing gets the span of its deepest existing ancestor
 * (a missing property points at its object); a repeated key resolves to its last occurrence, as `JSON.parse` reads it.
 * Text that is not JSON ends the walk early with what was found; never throws.
 *
 * @example
 * locateJsonPointers('{"users":[{"id":1}]}', ['/users/0/id']).get('/users/0/id') // { start: 17, end: 18 }
 */
export function locateJsonPointers(text: string, pointers: Iterable<string>): Map<string, Span> {
  const root: Wanted = { children: new Map() };
  const wanted = [...new Set(pointers)];
  const paths = wanted.map((pointer) => {
    const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node = root;
    for (const segment of segments) {
      let child = node.children.get(segment);
      if (child === undefined) node.children.set(segment, (child = { children: new Map() }));
      node = child;
    }
    return segments;
  });
  new PointerWalk(text).value(root);
  const found = new Map<string, Span>();
  wanted.forEach((pointer, index) => {
    let node: Wanted | undefined = root;
    let span = root.span;
    for (const segment of paths[index]!) {
      node = node.children.get(segment);
      if (node?.span === undefined) break;
      span = node.span;
    }
    if (span !== undefined) found.set(pointer, span);
  });
  return found;
}

/**
 * Gives each diagnostic that has a JSON Pointer but no span the span of that pointer in `text`, so a snapshot's
 * problems print with file:line:column and a code frame.
 *
 * @example
 * const located = locateByPointer(snapshotText, prepareDirectory(JSON.parse(snapshotText)).diagnostics);
 */
export function locateByPointer(text: string, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const pointers = diagnostics.filter((d) => d.span === undefined && d.pointer !== undefined).map((d) => d.pointer!);
  if (pointers.length === 0 || text === '') return [...diagnostics];
  const spans = locateJsonPointers(text, pointers);
  return diagnostics.map((d) => {
    const span = d.span === undefined && d.pointer !== undefined ? spans.get(d.pointer) : undefined;
    return span === undefined ? d : { ...d, span };
  });
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** A cursor over the text; entering only wanted values keeps recursion as deep as the longest pointer. */
class PointerWalk {
  private at = 0;
  constructor(private readonly text: string) {}

  /** Reads the value at the cursor, recording its span when wanted; false when the text stops being JSON. */
  value(wanted: Wanted | undefined): boolean {
    this.skipSpace();
    const start = this.at;
    const code = this.text.charCodeAt(start);
    let ok: boolean;
    if (wanted === undefined || wanted.children.size === 0) ok = this.skipValue();
    else if (code === 0x7b) ok = this.object(wanted);
    else if (code === 0x5b) ok = this.array(wanted);
    else ok = this.skipValue();
    if (ok && wanted !== undefined) wanted.span = { start, end: this.at };
    return ok;
  }

  private object(wanted: Wanted): boolean {
    this.at++;
    this.skipSpace();
    if (this.text.charCodeAt(this.at) === 0x7d) return this.step();
    for (;;) {
      this.skipSpace();
      const keyStart = this.at;
      if (this.text.charCodeAt(keyStart) !== QUOTE || !this.skipString()) return false;
      const key = this.decodeKey(keyStart, this.at);
      this.skipSpace();
      if (this.text.charCodeAt(this.at) !== 0x3a) return false;
      this.at++;
      if (key === undefined || !this.value(wanted.children.get(key))) return false;
      this.skipSpace();
      const next = this.text.charCodeAt(this.at);
      if (next === 0x2c) this.at++;
      else if (next === 0x7d) return this.step();
      else return false;
    }
  }

  private array(wanted: Wanted): boolean {
    this.at++;
    this.skipSpace();
    if (this.text.charCodeAt(this.at) === 0x5d) return this.step();
    for (let index = 0; ; index++) {
      if (!this.value(wanted.children.get(String(index)))) return false;
      this.skipSpace();
      const next = this.text.charCodeAt(this.at);
      if (next === 0x2c) this.at++;
      else if (next === 0x5d) return this.step();
      else return false;
    }
  }

  /** Skips one value of any size with a bracket count (strings skipped whole, so brackets inside them do not count). */
  private skipValue(): boolean {
    let depth = 0;
    const start = this.at;
    while (this.at < this.text.length) {
      const code = this.text.charCodeAt(this.at);
      if (code === QUOTE) {
        if (!this.skipString()) return false;
        if (depth === 0) return true;
        continue;
      }
      if (code === 0x7b || code === 0x5b) depth++;
      else if (code === 0x7d || code === 0x5d) {
        if (depth === 0) return this.at > start;
        depth--;
        if (depth === 0) return this.step();
      } else if (depth === 0 && (code === 0x2c || code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09)) return this.at > start;
      this.at++;
    }
    return depth === 0 && this.at > start;
  }

  /** Moves past a string starting at the cursor; false when it never closes. */
  private skipString(): boolean {
    for (let i = this.at + 1; i < this.text.length; i++) {
      const code = this.text.charCodeAt(i);
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) {
        this.at = i + 1;
        return true;
      }
    }
    return false;
  }

  private decodeKey(start: number, end: number): string | undefined {
    const raw = this.text.slice(start + 1, end - 1);
    if (!raw.includes('\\')) return raw;
    try {
      return JSON.parse(this.text.slice(start, end)) as string;
    } catch {
      return undefined;
    }
  }

  private skipSpace(): void {
    for (;;) {
      const code = this.text.charCodeAt(this.at);
      if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) this.at++;
      else return;
    }
  }

  private step(): boolean {
    this.at++;
    return true;
  }
}
