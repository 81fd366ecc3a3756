import type { Span } from '@claimc/model';
import { toPointer } from '@claimc/model';

/** A JSON value with the span it covers in the text it was parsed from. */
export type JsonNode = JsonObjectNode | JsonArrayNode | JsonStringNode | JsonNumberNode | JsonBooleanNode | JsonNullNode;

export interface JsonObjectNode {
  readonly kind: 'object';
  span: Span;
  readonly members: JsonMember[];
  /** False when the closing brace was never seen (error recovery); missing members are then not reported. */
  closed: boolean;
}

export interface JsonMember {
  readonly key: JsonStringNode;
  /** Undefined when the value could not be parsed (already reported). */
  value: JsonNode | undefined;
}

export interface JsonArrayNode {
  readonly kind: 'array';
  span: Span;
  readonly items: JsonNode[];
  closed: boolean;
}

export interface JsonStringNode {
  readonly kind: 'string';
  readonly span: Span;
  /** Decoded value (escapes resolved). */
  readonly value: string;
}

export interface JsonNumberNode {
  readonly kind: 'number';
  readonly span: Span;
  /** The number as written. */
  readonly text: string;
  readonly value: number;
}

export interface JsonBooleanNode {
  readonly kind: 'boolean';
  readonly span: Span;
  readonly value: boolean;
}

export interface JsonNullNode {
  readonly kind: 'null';
  readonly span: Span;
}

/** How a node is named in messages: `an object`, `the number 3`. */
export function describeNode(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return `the string "${node.value.length > 40 ? node.value.slice(0, 40) + '…' : node.value}"`;
    case 'number':
      return `the number ${node.text}`;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
  }
}

/**
 * The file-spelled JSON Pointer of the innermost value under `root` that contains `offset`
 * (used to give syntax errors a pointer). Depth is bounded by the nesting guard.
 */
export function pointerAt(root: JsonNode, offset: number): string {
  const segments: (string | number)[] = [];
  let node: JsonNode | undefined = root;
  while (node !== undefined) {
    let next: JsonNode | undefined;
    if (node.kind === 'object') {
      for (const member of node.members) {
        const end = member.value?.span.end ?? member.key.span.end;
        if (member.key.span.start <= offset && offset < Math.max(end, member.key.span.end + 1) && member.value !== undefined) {
          if (offset >= member.value.span.start) {
            segments.push(member.key.value);
            next = member.value;
          }
          break;
        }
      }
    } else if (node.kind === 'array') {
      for (let i = 0; i < node.items.length; i++) {
        const item: JsonNode | undefined = node.items[i];
        if (item !== undefined && item.span.start <= offset && offset < item.span.end) {
          segments.push(i);
          next = item;
          break;
        }
      }
    }
    node = next;
  }
  return toPointer(segments);
}
