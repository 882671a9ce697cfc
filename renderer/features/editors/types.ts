import type { Result } from '../../../src/contract/index.js';

/** The result of kinds.list: connector kinds with the JSON Schemas of their settings and transactions, and the variable schema. */
export type KindsList = Result<'kinds.list'>;
