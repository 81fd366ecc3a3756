import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { PlanDocumentSchema } from '@claimc/runtime/internal';
import { compilePolicy } from './compile.js';

test('docs/plan-format.md shows exactly what joined-data.json compiles to', () => {
  const page = readFileSync('docs/plan-format.md', 'utf8');
  const documented = /## The document\n\n```json\n([\s\S]*?)\n```/.exec(page)?.[1];
  expect(documented).toBeDefined();
  const result = compilePolicy(readFileSync('docs/examples/joined-data.json', 'utf8'));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!result.ok) throw new Error('joined-data.json must compile');
  const plan = result.plan;
  expect(plan).toStrictEqual(JSON.parse(documented as string));
  expect(PlanDocumentSchema.safeParse(plan).success).toBe(true);
});
