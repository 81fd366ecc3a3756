// Barrel: every export named explicitly; helpers append their lines below.
export type { CliIO, Command } from './command.js';
export { ExitCode, UsageError } from './command.js';
export { main } from './main.js';
export { commands } from './commands/index.js';
export { parseCommandArgs, oneOf } from './args.js';
export { wantsColor } from './color.js';
export { readTextFile, readJsonFile } from './files.js';
export type { ReadResult } from './files.js';
export type { InputLimit, ReadOptions } from './files.js';
export { dataInput, textInput } from './files.js';
export type { CheckedFile, CheckedPolicyText, CheckFilesOptions } from './commands/check.js';
export { checkCommand, checkPolicyText, checkFiles } from './commands/check.js';
export { defaultSnapshot, defaultIds, defaultUserIds, defaultGroupIds, defaultPolicyIds, demoSigningJwk, demoClientSecrets } from './demo/tenant.js';
