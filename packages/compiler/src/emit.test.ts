import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { PlanDocumentSchema } from '@claimc/runtime/internal';
import { compilePolicy } from './compile.js';

test('docs/plan-format.md shows exactly what joined-data.json compiles to', () => {
  const page = readFileSync('docs/plan-format.md', 'utf8');
  const documented = /## The document\n\n```json\n([\s\S]*?)\n```/.exec(page)?.[1];
  expect(documented).toBeDefined();
  const { plan, diagnostics } = compilePolicy(readFileSync('docs/examples/joined-data.json', 'utf8'));
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(plan).toStrictEqual(JSON.parse(documented as string));
  expect(PlanDocumentSchema.safeParse(plan).success).toBe(true);
});
