import type { Location, LocationIndex, Span } from '@claimc/model';

/** Answers {@link LocationIndex.locateWithin}: a position inside the string value at a pointer. */
export type LocateWithin = (pointer: string, offset: number, length: number) => Location | undefined;

const escapeSegment = (segment: string | number): string => {
  const text = String(segment);
  return text.includes('~') || text.includes('/') ? '/' + text.replace(/~/g, '~0').replace(/\//g, '~1') : '/' + text;
};
const unescapeSegment = (segment: string): string => (segment.includes('~') ? segment.replace(/~1/g, '/').replace(/~0/g, '~') : segment);
const arrayIndex = /^(?:0|[1-9][0-9]*)$/;
const keySuffix = '#key';

// Fields of one path in PathTable's int32 rows (typed, so the table holds no pointers for the GC to trace).
const PARENT = 0;
const VALUE_START = 1;
const VALUE_END = 2;
const KEY_START = 3;
const KEY_END = 4;
const FIRST_CHILD = 5;
const LAST_CHILD = 6;
const NEXT_SIBLING = 7;
const EARLIER_SAME = 8;
const STRIDE = 9;

/**
 * Every place the mapper visits, recorded as flat rows (parent, canonical segment, file segment, the spans
 * found there). No pointer string is built while reading: a lookup walks the rows from the root, and only
 * iterating the whole index builds every pointer. Building ~2 strings and 2 map entries per property
 * eagerly was the largest cost of reading (bench/json.md).
 *
 * @example
 * const paths = new PathTable();
 * const schema = paths.child(PathTable.root, 'ClaimsSchema', 'claimsSchema');
 * paths.locate(schema, { start: 20, end: 42 });
 * paths.lookup('/ClaimsSchema'); // { span: { start: 20, end: 42 }, pointer: '/claimsSchema' }
 */
export class PathTable {
  /** STRIDE int32 fields per path; a span start of -1 means "not located". */
  private fields: Int32Array;
  private count = 0;
  /** Canonical segment: a model property name, or an array index counting only the items that mapped. */
  private readonly canonicalSegments: (string | number)[] = [];
  /** The segment as the file spells it: the key as written, or the index in the file's array. */
  private readonly fileSegments: (string | number)[] = [];
  /** Item children of an array path by canonical index: the latest item given that index (then EARLIER_SAME: items that failed to map share it). */
  private readonly items = new Map<number, number[]>();
  /** Locations in the order recorded: path × 2, + 1 for a property-name location. Only iteration reads them. */
  private readonly rows: number[] = [];

  /** The root path (the policy object): canonical and file pointer ''. */
  static readonly root = 0;

  /** `expectedPaths` sizes the rows up front: each growth allocates a new buffer and copies the old one. */
  constructor(expectedPaths = 64) {
    this.fields = new Int32Array(STRIDE * Math.max(1, expectedPaths));
    this.add(-1, '', '');
  }

  private add(parent: number, canonical: string | number, file: string | number): number {
    const path = this.count++;
    if (this.count * STRIDE > this.fields.length) {
      const grown = new Int32Array(this.fields.length * 2);
      grown.set(this.fields);
      this.fields = grown;
    }
    const at = path * STRIDE;
    const fields = this.fields;
    fields[at + PARENT] = parent;
    fields[at + VALUE_START] = -1;
    fields[at + VALUE_END] = -1;
    fields[at + KEY_START] = -1;
    fields[at + KEY_END] = -1;
    fields[at + FIRST_CHILD] = -1;
    fields[at + LAST_CHILD] = -1;
    fields[at + NEXT_SIBLING] = -1;
    fields[at + EARLIER_SAME] = -1;
    this.canonicalSegments.push(canonical);
    this.fileSegments.push(file);
    return path;
  }

  private field(path: number, field: number): number {
    return this.fields[path * STRIDE + field] ?? -1;
  }

  /** Adds the path of a property (string canonical) or an array item (numeric canonical) under `parent`; returns its index. */
  child(parent: number, canonical: string | number, file: string | number): number {
    const path = this.add(parent, canonical, file);
    const fields = this.fields;
    if (typeof canonical === 'number') {
      let slots = this.items.get(parent);
      if (slots === undefined) this.items.set(parent, (slots = []));
      fields[path * STRIDE + EARLIER_SAME] = slots[canonical] ?? -1;
      slots[canonical] = path;
    } else {
      const last = this.field(parent, LAST_CHILD);
      if (last < 0) fields[parent * STRIDE + FIRST_CHILD] = path;
      else fields[last * STRIDE + NEXT_SIBLING] = path;
      fields[parent * STRIDE + LAST_CHILD] = path;
    }
    return path;
  }

  /** Records where the value at `path` stands (or, with `key`, where its property name stands); the last record wins, as in a map. */
  locate(path: number, span: Span, key = false): void {
    const at = path * STRIDE + (key ? KEY_START : VALUE_START);
    this.fields[at] = span.start;
    this.fields[at + 1] = span.end;
    this.rows.push(path * 2 + (key ? 1 : 0));
  }

  private location(path: number, key: boolean, pointer: string): Location | undefined {
    const start = this.field(path, key ? KEY_START : VALUE_START);
    return start < 0 ? undefined : { span: { start, end: this.field(path, key ? KEY_END : VALUE_END) }, pointer };
  }

  /** The file-spelled JSON Pointer of a path (messages and diagnostics). */
  filePointer(path: number): string {
    let pointer = '';
    for (let at = path; at > PathTable.root; at = this.field(at, PARENT)) pointer = escapeSegment(this.fileSegments[at] ?? '') + pointer;
    return pointer;
  }

  /** How messages name a path: the property as spelled, `ClaimsSchema[2]` for an item, `ClaimsMappingPolicy` for the root. */
  label(path: number): string {
    if (path === PathTable.root) return 'ClaimsMappingPolicy';
    const file = this.fileSegments[path] ?? '';
    return typeof this.canonicalSegments[path] === 'number' ? `${this.label(this.field(path, PARENT))}[${file}]` : String(file);
  }

  /** The location of a canonical pointer (`…#key`: of its property name), as the built map would give it. */
  lookup(canonicalPointer: string): Location | undefined {
    const key = canonicalPointer.endsWith(keySuffix);
    const pointer = key ? canonicalPointer.slice(0, -keySuffix.length) : canonicalPointer;
    if (pointer !== '' && !pointer.startsWith('/')) return undefined;
    const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapeSegment);
    const path = this.resolve(PathTable.root, segments, 0, key);
    return path === undefined ? undefined : this.location(path, key, this.filePointer(path));
  }

  /** The latest path matching `segments` from `at` that has the location asked for; depth is the policy's (≤ 5). */
  private resolve(path: number, segments: readonly string[], at: number, key: boolean): number | undefined {
    const segment = segments[at];
    if (segment === undefined) return this.field(path, key ? KEY_START : VALUE_START) < 0 ? undefined : path;
    if (arrayIndex.test(segment)) {
      for (let item = this.items.get(path)?.[Number(segment)] ?? -1; item >= 0; item = this.field(item, EARLIER_SAME)) {
        const found = this.resolve(item, segments, at + 1, key);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    for (let property = this.field(path, FIRST_CHILD); property >= 0; property = this.field(property, NEXT_SIBLING)) {
      // an object's canonical names are unique (CM2004), so the first match is the only one
      if (this.canonicalSegments[property] === segment) return this.resolve(property, segments, at + 1, key);
    }
    return undefined;
  }

  /** Builds the whole canonical-pointer → location map, in the order the locations were first recorded. */
  build(): Map<string, Location> {
    const canonical: string[] = new Array<string>(this.count);
    const file: string[] = new Array<string>(this.count);
    canonical[0] = '';
    file[0] = '';
    // parents precede their children, so one forward pass builds every pointer from its parent's
    for (let path = 1; path < this.count; path++) {
      const parent = this.field(path, PARENT);
      canonical[path] = (canonical[parent] ?? '') + escapeSegment(this.canonicalSegments[path] ?? '');
      file[path] = (file[parent] ?? '') + escapeSegment(this.fileSegments[path] ?? '');
    }
    const locations = new Map<string, Location>();
    for (const row of this.rows) {
      const path = row >> 1;
      const key = (row & 1) === 1;
      // a path's spans never change once recorded again (the same node), so its final span is the one of every row
      const location = this.location(path, key, file[path] ?? '');
      if (location !== undefined) locations.set((canonical[path] ?? '') + (key ? keySuffix : ''), location);
    }
    return locations;
  }
}

/**
 * A LocationIndex answering `get`/`has` by a lookup function and building the full map only when iterated.
 * A clean policy is usually bound, checked and compiled with a few lookups or none, so reading it does not
 * pay for a map of every location.
 *
 * @example
 * const all = new Map([['', { span: { start: 0, end: 2 }, pointer: '' }]]);
 * const index = new LazyLocationIndex((key) => all.get(key), () => all);
 * index.get('')?.span; // { start: 0, end: 2 }
 */
export class LazyLocationIndex implements LocationIndex {
  private built: Map<string, Location> | undefined = undefined;
  /** Positions inside a string value; without a `within` function, the whole value. */
  readonly locateWithin: LocateWithin;
  constructor(
    private readonly lookup: (key: string) => Location | undefined,
    private readonly buildAll: () => Map<string, Location>,
    within?: LocateWithin,
  ) {
    this.locateWithin = within ?? ((pointer) => this.get(pointer));
  }
  private get map(): Map<string, Location> {
    this.built ??= this.buildAll();
    return this.built;
  }
  get size(): number {
    return this.map.size;
  }
  get(key: string): Location | undefined {
    return this.built === undefined ? this.lookup(key) : this.built.get(key);
  }
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
  forEach(callback: (value: Location, key: string, map: ReadonlyMap<string, Location>) => void, thisArg?: unknown): void {
    this.map.forEach((value, key) => callback.call(thisArg, value, key, this));
  }
  entries(): MapIterator<[string, Location]> {
    return this.map.entries();
  }
  keys(): MapIterator<string> {
    return this.map.keys();
  }
  values(): MapIterator<Location> {
    return this.map.values();
  }
  [Symbol.iterator](): MapIterator<[string, Location]> {
    return this.map[Symbol.iterator]();
  }
}
