import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, test } from 'vitest';
import { compileModel, compilePolicy, emitModule } from '@claimc/compiler';
import { compiledOrThrow } from '../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

test('emitted TypeScript modules type-check under the project\'s strict settings', () => {
  const work = mkdtempSync(join(tmpdir(), 'claimc-aot-ts-'));
  try {
    mkdirSync(join(work, 'node_modules', '@claimc'), { recursive: true });
    symlinkSync(join(root, 'packages', 'runtime'), join(work, 'node_modules', '@claimc', 'runtime'), 'dir');
    writeFileSync(join(work, 'package.json'), JSON.stringify({ type: 'module' }));
    mkdirSync(join(work, 'node_modules', '@types'), { recursive: true });
    symlinkSync(join(root, 'node_modules', '@types', 'node'), join(work, 'node_modules', '@types', 'node'), 'dir');
    const files = ['joined-data.json', 'contoso-erp.json', 'omit-basic-claims.json', 'evaluate/methods.json'].map((name, i) => {
      const { plan } = compiledOrThrow(compilePolicy(readFileSync(join(root, 'docs/examples', name), 'utf8')));
      const file = join(work, `plan${i}.ts`);
      writeFileSync(file, emitModule(plan, { language: 'ts' }));
      return file;
    });
    // Duplicate claim types (D14) and TreatAsMultiValue exercise the remaining code shapes.
    const duplicates = compiledOrThrow(compileModel(
      {
        Version: 1,
        ClaimsSchema: [
          { Value: 'default', JwtClaimType: 'tier' },
          { Source: 'user', ID: 'proxyaddresses' },
          { Source: 'transformation', ID: 'o', TransformationId: 't', JwtClaimType: 'tier' },
        ],
        ClaimsTransformation: [
          {
            ID: 't',
            TransformationMethod: 'RegexReplace',
            InputClaims: [{ ClaimTypeReferenceId: 'proxyaddresses', TransformationClaimType: 'sourceClaim', TreatAsMultiValue: true }],
            InputParameters: [
              { ID: 'regex', Value: '^smtp:' },
              { ID: 'replacement', Value: '' },
            ],
            OutputClaims: [{ ClaimTypeReferenceId: 'o', TransformationClaimType: 'outputClaim' }],
          },
        ],
      },
      new Map(),
    ));
    files.push(join(work, 'duplicates.ts'));
    writeFileSync(join(work, 'duplicates.ts'), emitModule(duplicates.plan, { language: 'ts' }));
    const base = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    const { options, errors } = ts.convertCompilerOptionsFromJson({ ...base.compilerOptions, composite: false, declaration: false, declarationMap: false, sourceMap: false, noEmit: true, customConditions: ['@claimc/source'] }, work);
    expect(errors).toEqual([]);
    const program = ts.createProgram(files, options);
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file === undefined || files.includes(resolve(d.file.fileName)));
    expect(diagnostics.map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toEqual([]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}, 120_000);
