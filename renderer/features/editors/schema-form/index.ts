export { SchemaForm } from './SchemaForm.js';
export type { SchemaFormProps } from './SchemaForm.js';
export { SchemaField } from './SchemaField.js';
export { buildFieldModel, collectFieldPaths, getAt, jsonEqual, pathKey, setAt } from './schema.js';
export type { FieldModel, JsonSchema, Path } from './schema.js';
export { humanize } from './humanize.js';
export { envReferences, isEnvReference, isSecretField, isSecretKey } from './secrets.js';
export { assignIssues, issuesFromDetails } from './issues.js';
export type { Issue } from './issues.js';
