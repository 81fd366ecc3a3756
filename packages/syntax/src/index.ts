export type { PolicyReadResult, PolicyEnvelope, ReadOptions } from './read.js';
export { readPolicy } from './read.js';
