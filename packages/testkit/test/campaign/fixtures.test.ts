import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { campaignDefects, hostileClocks, knownOpenDefects, runHostileInput, type DefectTag, type HostileFront, type HostileInput } from '@claimc/testkit';

// Every failure the hostile-input campaign found, kept as a fixture: `<name>.<ext>` is the input file,
// `<name>.expect.json` says which front end reads it, the clock, and the defect it shows.
const dir = fileURLToPath(new URL('./fixtures', import.meta.url));

interface Expectation {
  readonly front: HostileFront;
  readonly clock?: number;
  readonly prototypeKey?: boolean;
  readonly defect: DefectTag;
  readonly note: string;
}

const fixtures = readdirSync(dir)
  .filter((name) => name.endsWith('.expect.json'))
  .sort()
  .map((expectName) => {
    const stem = expectName.slice(0, -'.expect.json'.length);
    const file = readdirSync(dir).find((name) => name !== expectName && name.startsWith(stem + '.') && !name.endsWith('.expect.json'))!;
    return { file, expected: JSON.parse(readFileSync(join(dir, expectName), 'utf8')) as Expectation };
  });

/** A fixture as a campaign input (its clock is one of the campaign's clocks). */
function inputOf(file: string, expected: Expectation): HostileInput {
  const clock = hostileClocks.indexOf(expected.clock ?? hostileClocks[0]!);
  expect(clock, `${file}: the clock must be one of hostileClocks`).toBeGreaterThanOrEqual(0);
  return {
    recipe: { front: expected.front, base: 0, structural: [], bytes: [], encoding: 'utf8', clock },
    front: expected.front,
    fileName: file,
    bytes: new Uint8Array(readFileSync(join(dir, file))),
    insertsPrototypeKey: expected.prototypeKey === true,
  };
}

describe('hostile-input campaign fixtures (every failure found, as a regression test)', () => {
  it('has a fixture for every defect the campaign classifies, and only known defects', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
    for (const { expected } of fixtures) expect(Object.keys(campaignDefects)).toContain(expected.defect);
  });

  it.each(fixtures)('$file', ({ file, expected }) => {
    const run = runHostileInput(inputOf(file, expected));
    // nothing but the fixture's own defect may fail
    expect(run.findings.filter((f) => f.defect !== expected.defect)).toEqual([]);
    const shown = run.findings.filter((f) => f.defect === expected.defect);
    if (knownOpenDefects.has(expected.defect)) {
      // still open: the fixture must still show it (otherwise the fix has landed: delete the line in knownOpenDefects)
      expect(shown.length, `${file} no longer shows ${expected.defect}; remove it from knownOpenDefects`).toBeGreaterThan(0);
    } else {
      expect(shown, `${file}: ${expected.note}`).toEqual([]);
    }
  });
});
