export type { TranslatedPattern, PatternFailure, TranslationResult } from './translate.js';
export { translateDotNetPattern } from './translate.js';
export type { TemplatePart } from './template.js';
export { parseReplacementTemplate, isNumberedReference } from './template.js';
export type { ResolvedReference, PatternGroups } from './resolve-template.js';
export { resolveTemplate } from './resolve-template.js';
