import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JSONSchema } from '../schema/index.js';

/**
 * Conformance to a stored output schema, with a real JSON Schema validator (Ajv, draft 2020-12, the
 * dialect of OpenAPI 3.1 and of the schemas Trellis infers). Ajv and ajv-formats come with
 * @apidevtools/swagger-parser and fastify.
 */
export interface SchemaProblem {
  /** JSON Pointer into the result: '' for the whole result, '/items/0/id' */
  at: string;
  message: string;
}

let ajv: Ajv2020 | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

function validator(schema: JSONSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (fn) return fn;
  if (!ajv) {
    // strict off: OpenAPI keywords (nullable, discriminator, example, …) in imported schemas are ignored, not errors
    ajv = new Ajv2020({ strict: false, allErrors: true, logger: false, validateSchema: false });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  }
  // a $schema of another draft (draft-07 from an import) must not make Ajv look for its meta-schema
  const { $schema: _dialect, $id: _id, ...rest } = schema as Record<string, unknown>;
  fn = ajv.compile(rest);
  compiled.set(schema, fn);
  return fn;
}

/** The problems of `value` against `schema`: empty when it conforms. At most 20, the first ones found. */
export function checkSchema(schema: JSONSchema, value: unknown): SchemaProblem[] {
  const validate = validator(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}"` : '';
    return { at: e.instancePath, message: `${e.message ?? e.keyword}${extra}` };
  });
}
