import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Concurrent issuances must never share a mutable buffer: the evaluation path keeps no module-level mutables (each
// issuer owns its scratch). A source scan of the token and lib modules keeps it so.

const src = fileURLToPath(new URL('..', import.meta.url));
const modules = ['token', 'lib'].flatMap((dir) =>
  readdirSync(join(src, dir))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => ({ path: `${dir}/${name}`, text: readFileSync(join(src, dir, name), 'utf8') })),
);

/** Top-level constants whose initializer makes something writable (typed array, array, Map, Set) unless typed or frozen read-only. */
const containerInit = /^(?:new (?:\w*Array|Map|Set)\b|\[|Array\.from|\w+Array\.from)/;
const readOnlyMarks = /readonly |Readonly|ReadonlyMap|ReadonlySet|as const|Object\.freeze/;
/** Module-level tables that are built once and only ever read (checked below for writes anyway). */
const readOnlyTables = new Set(['K', 'alphabetCodes', 'personalAudiences']);

/** Whether `text` writes to or aliases `name` anywhere: element or length assignment, mutating calls, `= name;`. */
function writes(text: string, name: string): boolean {
  const n = name.replace(/[$]/g, '\\$');
  return new RegExp(`\\b${n}\\[[^\\]]*\\]\\s*(?:[-+*/|&^]|<<|>>>?)?=(?!=)|\\b${n}\\.(?:push|pop|shift|unshift|splice|fill|set|add|delete|clear|sort|reverse|copyWithin)\\(|\\b${n}\\.length\\s*=(?!=)|=\\s*${n}\\s*;`).test(text);
}

/** Top-level `let`/`var` declarations. */
function topLevelLets(text: string): string[] {
  return text.split('\n').filter((line) => /^(?:export )?(?:let|var)\s/.test(line));
}

/** Module-level global or sticky regexes used with test/exec/lastIndex: they keep `lastIndex` between calls (replace resets it). */
function statefulRegexes(text: string): string[] {
  return text
    .split('\n')
    .map((line) => /^(?:export )?const (\w+)[^=]*=\s*\/.*\/[a-z]*[gy][a-z]*;/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && new RegExp(`\\b${name}\\.(?:test|exec|lastIndex)\\b`).test(text));
}

/** Module-level arrays, typed arrays, Maps and Sets that are not read-only, or are written to anyway. */
function writableContainers(text: string): string[] {
  const lines = text.split('\n');
  const offenders: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = /^(?:export )?const (\w+)\s*(:[^=]*)?=\s*(.*)$/.exec(lines[i]!);
    if (match === null) continue;
    const [, name, type = '', init = ''] = match;
    if (!containerInit.test(init)) continue;
    // the whole declaration, up to the line that ends it
    let end = i;
    while (end < lines.length - 1 && !lines[end]!.trimEnd().endsWith(';')) end++;
    const declaration = type + lines.slice(i, end + 1).join('\n');
    if ((readOnlyMarks.test(declaration) || readOnlyTables.has(name!)) && !writes(text, name!)) continue;
    offenders.push(name!);
  }
  return offenders;
}

describe('no module-level mutable state in the token runtime', () => {
  it('scans the token and lib modules', () => {
    expect(modules.map((m) => m.path)).toEqual(expect.arrayContaining(['token/sha256.ts', 'token/payload-writer.ts', 'lib/strings.ts']));
  });
  for (const { path, text } of modules) {
    it(`${path}: no top-level let/var, no written module-level array, Map, Set or stateful regex`, () => {
      expect(topLevelLets(text)).toEqual([]);
      expect(statefulRegexes(text)).toEqual([]);
      expect(writableContainers(text)).toEqual([]);
    });
  }
  it('the scan catches module-level scratch', () => {
    expect(topLevelLets('const state = new Int32Array(8);\nlet fill = 0;\n')).toEqual(['let fill = 0;']);
    expect(writableContainers('const state = new Int32Array(8);\nfunction f(): void { state[0] = 1; }\n')).toEqual(['state']);
    expect(writableContainers('const parts: readonly string[] = [];\nfunction f(): void { const p = parts; }\n')).toEqual(['parts']);
    expect(writableContainers('const K = new Int32Array([1]);\nconst x = K[0]!;\n')).toEqual([]);
    expect(statefulRegexes('const escaped = /a/g;\nfunction f(t: string): boolean { return escaped.test(t); }\n')).toEqual(['escaped']);
    expect(statefulRegexes('const escaped = /a/g;\nfunction f(t: string): string { return t.replace(escaped, ""); }\n')).toEqual([]);
  });
});
