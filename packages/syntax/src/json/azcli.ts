import type { Span } from '@claimc/model';
import type { Finding } from './parser.js';
import type { MappedText } from './strings.js';

/** What an `az rest … --body '…'` line holds: the body (a Graph request body) decoded with its offset map. */
export interface AzRestEnvelope {
  readonly body: MappedText | undefined;
  readonly findings: Finding[];
}

/**
 * Decodes one shell word starting at `at` (adjacent quoted and bare parts join, as in `'…'\''…'`): single
 * quotes literal, double quotes with `\"` `\\` `\$` `` \` `` escapes. `$` expansions and `@file` are reported.
 */
function shellWord(text: string, at: number, findings: Finding[]): { value: MappedText; end: number } | undefined {
  let out = '';
  const map: number[] = [];
  let i = at;
  const n = text.length;
  while (i < n && !/\s/.test(text.charAt(i))) {
    const c = text.charAt(i);
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) {
        findings.push({ code: 'CM1406', args: {}, span: { start: i, end: n } });
        return undefined;
      }
      for (let k = i + 1; k < close; k++) {
        out += text.charAt(k);
        map.push(k);
      }
      i = close + 1;
    } else if (c === '"') {
      let k = i + 1;
      for (; k < n && text.charAt(k) !== '"'; k++) {
        const ch = text.charAt(k);
        if (ch === '\\' && /["\\$`\n]/.test(text.charAt(k + 1))) {
          k++;
          if (text.charAt(k) !== '\n') {
            out += text.charAt(k);
            map.push(k);
          }
        } else if (ch === '$' || ch === '`') {
          findings.push({ code: 'CM1405', args: { found: 'a shell expansion' }, span: { start: k, end: k + 1 } });
          return undefined;
        } else {
          out += ch;
          map.push(k);
        }
      }
      if (k >= n) {
        findings.push({ code: 'CM1406', args: {}, span: { start: i, end: n } });
        return undefined;
      }
      i = k + 1;
    } else if (c === '\\' && text.charAt(i + 1) === '\n') {
      i += 2;
    } else if (c === '$' || c === '`') {
      findings.push({ code: 'CM1405', args: { found: 'a shell expansion' }, span: { start: i, end: i + 1 } });
      return undefined;
    } else {
      if (c === '\\') i++;
      out += text.charAt(i);
      map.push(i);
      i++;
    }
  }
  map.push(i);
  return { value: { text: out, map }, end: i };
}

/**
 * Reads an Azure CLI `az rest --method post --url …/policies/claimsMappingPolicies --body '…'` line without
 * running it: the `--body` word, decoded with shell quoting rules and mapped back to the file.
 *
 * @example
 * readAzRestEnvelope(`az rest --method post --url https://graph.microsoft.com/v1.0/policies/claimsMappingPolicies --body '{"definition":["{}"],"displayName":"X"}'`).body?.text
 * // '{"definition":["{}"],"displayName":"X"}'
 */
export function readAzRestEnvelope(text: string): AzRestEnvelope {
  const findings: Finding[] = [];
  // the command starts at `az rest`: comment lines before it may mention --body
  const line = /(?:^|\n)\s*(az\s+rest)\b/.exec(text);
  const from = line === null ? 0 : line.index + line[0].length - line[1]!.length;
  const flag = /\s(--body|-b)(?:\s+|=)/.exec(text.slice(from));
  if (flag === null) {
    const span: Span = line === null ? { start: 0, end: 0 } : { start: from, end: from + line[1]!.length };
    findings.push({ code: 'CM1407', args: {}, span });
    return { body: undefined, findings };
  }
  const at = from + flag.index + flag[0].length;
  if (text.charAt(at) === '@') {
    const end = /\s|$/.exec(text.slice(at))!.index + at;
    findings.push({ code: 'CM1405', args: { found: `the file reference ${text.slice(at, end)}` }, span: { start: at, end } });
    return { body: undefined, findings };
  }
  const word = shellWord(text, at, findings);
  return { body: word?.value, findings };
}

/** Whether a text is an `az rest` command line. */
export function looksLikeAzRest(text: string): boolean {
  return /^[\s\uFEFF]*(?:#[^\n]*\n\s*)*az\s+rest\b/.test(text);
}
