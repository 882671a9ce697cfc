/**
 * The subset of JSON Schema (2020-12) the engine writes and reads: inferred from real executions, stored in
 * the project's schemas/ folder, derived for step outputs and drawn by the source picker. Unknown keywords
 * (from imported OpenAPI documents) are kept as they are.
 */
export interface JSONSchema {
  type?: JSONType | JSONType[];
  properties?: Record<string, JSONSchema>;
  required?: string[];
  items?: JSONSchema;
  anyOf?: JSONSchema[];
  format?: string;
  description?: string;
  title?: string;
  [keyword: string]: unknown;
}

export type JSONType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

/** The types a schema allows, as a list; an empty list means "anything". */
export function typesOf(schema: JSONSchema): JSONType[] {
  if (schema.type === undefined) return [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** A schema that says nothing (`{}`): merging with it keeps the other side. */
export function isEmptySchema(schema: JSONSchema): boolean {
  for (const _ in schema) return false;
  return true;
}
