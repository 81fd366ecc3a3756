import { isPrototypeKey } from '@claimc/model';

/**
 * Property names by token image, across reads: policies spell the same few dozen names again and again, so
 * a key costs one lookup instead of a slice and a lower-casing, and the mapper's lookups hit strings whose
 * hash is already computed. Only plain (escape-free) names are kept, at most `knownKeyLimit` of them, so the
 * cache is bounded and holds nothing of a policy but property names.
 */
export interface KnownKey {
  /** The key as written, quotes included. */
  readonly image: string;
  readonly value: string;
  readonly lower: string;
  /** The name is a prototype key (`__proto__`, `constructor`, …): computed once, not per occurrence. */
  readonly prototype: boolean;
}

// bucketed by length and three characters, so a lookup compares strings instead of hashing a fresh one
const knownKeys = new Map<number, KnownKey[]>();
let knownKeyCount = 0;
const knownKeyLimit = 2048;

/** The bucket of the quoted key `text[start, end)` (end - start ≥ 2). */
const bucketAt = (text: string, start: number, end: number): number => {
  const length = end - start;
  return length * 0x40000 + (text.charCodeAt(start + 1) & 0xff) * 0x400 + (text.charCodeAt(start + (length >> 1)) & 0xff) * 4 + (text.charCodeAt(end - 2) & 3);
};

/** The cached key whose image is `image`, if any. */
export function knownKey(image: string): KnownKey | undefined {
  return knownKeyAt(image, 0, image.length);
}

/** The cached key whose image is `text[start, end)`, found without slicing the text. */
export function knownKeyAt(text: string, start: number, end: number): KnownKey | undefined {
  const bucket = knownKeys.get(bucketAt(text, start, end));
  if (bucket === undefined) return undefined;
  for (const known of bucket) if (sameAt(text, start, known.image)) return known;
  return undefined;
}

/** Whether `text` holds `image` at `start` (same length: the bucket says so); a loop V8 inlines, unlike `startsWith`. */
function sameAt(text: string, start: number, image: string): boolean {
  for (let i = image.length - 1; i >= 0; i--) if (text.charCodeAt(start + i) !== image.charCodeAt(i)) return false;
  return true;
}

/** Remembers a plain key (copies: an image is often a slice of a whole text, which the cache must not keep alive). */
export function rememberKey(image: string, value: string, lower: string): void {
  if (knownKeyCount >= knownKeyLimit) return;
  const flatImage = copyOf(image);
  const flatValue = copyOf(value);
  const entry: KnownKey = { image: flatImage, value: flatValue, lower: value === lower ? flatValue : copyOf(lower), prototype: isPrototypeKey(lower) };
  const bucketKey = bucketAt(flatImage, 0, flatImage.length);
  const bucket = knownKeys.get(bucketKey);
  if (bucket === undefined) knownKeys.set(bucketKey, [entry]);
  else bucket.push(entry);
  knownKeyCount++;
}

/** A flat copy of a string that may be a slice of a large text. */
function copyOf(text: string): string {
  return text.split('').join('');
}
