// Which files in docs/examples are policies: other inputs (evaluation contexts, snapshots) may sit next to them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Absolute paths of the policy files directly in `dir` (`.claims`, `.ps1`, and `.json` holding a policy or a Graph body), sorted. */
export function examplePolicies(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(dir, e.name))
    .filter((file) => file.endsWith('.claims') || file.endsWith('.ps1') || (file.endsWith('.json') && /"(ClaimsMappingPolicy|definition)"\s*:/i.test(readFileSync(file, 'utf8'))))
    .sort();
}
