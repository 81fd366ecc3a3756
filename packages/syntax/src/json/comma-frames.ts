// The parser's per-bracket state: commas between elements and, in objects, the case-insensitive duplicate-key index.
import { EOF, type IToken } from 'chevrotain';
import type { Span } from '@claimc/model';
import type { Finding } from './parser.js';
import type { JsonArrayNode, JsonMember, JsonObjectNode, JsonStringNode } from './tree.js';

/** Renders a token for a message: its text (shortened) or "the end of the input". */
export function describeToken(token: IToken): string {
  if (token.tokenType === EOF) return 'the end of the input';
  const image = token.image.length > 30 ? token.image.slice(0, 30) + '…' : token.image;
  return `'${image}'`;
}

/** Tracks commas between elements: missing (CM1204), doubled (CM1205) and trailing (CM1206). */
class CommaTracker {
  private afterElement = false;
  private started = false;
  private pendingTrailing: IToken | undefined = undefined;
  private tokenAfterComma: IToken | undefined = undefined;
  constructor(private readonly findings: Finding[]) {}
  comma(token: IToken, next: IToken): void {
    if (!this.afterElement) this.findings.push({ code: 'CM1205', args: {}, span: spanOf(token), syntax: true });
    else {
      this.pendingTrailing = token;
      this.tokenAfterComma = next;
    }
    this.afterElement = false;
  }
  element(next: IToken): void {
    if (this.afterElement) this.findings.push({ code: 'CM1204', args: { found: describeToken(next) }, span: spanOf(next), syntax: true });
    this.afterElement = true;
    this.started = true;
    this.pendingTrailing = undefined;
  }
  /** A comma directly followed by the closing bracket is trailing; one followed by a recovered error is not. */
  close(closing: IToken, hasElements: boolean): void {
    if (this.pendingTrailing !== undefined && this.started && hasElements && this.tokenAfterComma === closing) {
      this.findings.push({ code: 'CM1206', args: {}, span: spanOf(this.pendingTrailing), syntax: true });
    }
  }
}

export class ArrayFrame extends CommaTracker {
  constructor(
    findings: Finding[],
    readonly node: JsonArrayNode,
  ) {
    super(findings);
  }
}

/** Objects up to this many members find duplicate keys by a linear scan; larger ones build a map once. */
const linearKeyLimit = 12;

export class ObjectFrame extends CommaTracker {
  /** Lower-cased keys of `node.members`, index for index (duplicates are not members). */
  private readonly lowered: string[] = [];
  private index: Map<string, JsonStringNode> | undefined = undefined;
  constructor(
    findings: Finding[],
    readonly node: JsonObjectNode,
  ) {
    super(findings);
  }
  /** Attaches the member unless its key (case-insensitively) is taken; returns the first key when it is. */
  claimKey(key: JsonStringNode, lower: string, member: JsonMember): JsonStringNode | undefined {
    const members = this.node.members;
    if (this.index !== undefined) {
      const first = this.index.get(lower);
      if (first !== undefined) return first;
      this.index.set(lower, key);
    } else {
      const at = this.lowered.indexOf(lower);
      if (at >= 0) return members[at]?.key;
      this.lowered.push(lower);
      if (this.lowered.length > linearKeyLimit) {
        this.index = new Map();
        for (let i = 0; i < this.lowered.length - 1; i++) {
          const known = members[i];
          if (known !== undefined) this.index.set(this.lowered[i] ?? '', known.key);
        }
        this.index.set(lower, key);
      }
    }
    members.push(member);
    return undefined;
  }
}

/** The span of a token in the text. */
export function spanOf(token: IToken): Span {
  return { start: token.startOffset, end: token.startOffset + token.image.length };
}
