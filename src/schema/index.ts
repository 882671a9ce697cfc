// JSON Schema inference and merge, step output schemas, and the source-picker tree.
export type { JSONSchema, JSONType } from './types.js';
export { typesOf, isEmptySchema } from './types.js';
export { inferSchema, inferFromSamples } from './infer.js';
export { mergeSchemas } from './merge.js';
export { detectFormat } from './formats.js';
export { deriveStepSchemas, deriveSequenceOutputSchema, variablesSchema, walk as schemaAtPath, type TransactionSchemas } from './derive.js';
export { sourceTree, type SourceNode } from './source-tree.js';
