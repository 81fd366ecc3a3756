// Barrel: every export named explicitly; helpers append their lines below.
export { arbitraryPolicy, writePolicyVariant } from './arbitraries/policy.js';
export type { PolicyArbitraryOptions, EnvelopeKind } from './arbitraries/policy.js';
export { where } from './where.js';
export type { Where } from './where.js';
export { evaluationContext, graphUser, claimText, extensionAppId, extensionNames } from './arbitraries/context.js';
export { evaluationPolicy } from './arbitraries/evaluation-policy.js';
export type { AotModule, EngineResults } from './engines.js';
export { loadAotModule, writeAotModule, evaluateThreeWays, compiledOrThrow } from './engines.js';
export { joinTheData } from './fixtures.js';
export type { XsdName, XsdResult } from './xml-schema.js';
export { validateWithXsd } from './xml-schema.js';
export { verifyWithXmlsec, samlIdAttributes } from './xmlsec.js';
export type { HostileFront, HostileMutation, HostileEncoding, HostileRecipe, HostileInput } from './hostile/generator.js';
export { hostileFronts, hostileNames, hostileClocks, hostileRecipe, renderHostileInput } from './hostile/generator.js';
export type { HostileFinding, HostileRun } from './hostile/pipeline.js';
export { runHostileInput, disguisedReserved, inputBudgetMs, maxRenderedLine } from './hostile/pipeline.js';
export type { DefectTag } from './hostile/known-defects.js';
export { campaignDefects, knownOpenDefects } from './hostile/known-defects.js';
