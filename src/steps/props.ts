import { z } from 'zod';
import { jsonSchema } from '../model/json.js';

/**
 * Property values (DESIGN.md): a constant, `{ source: { from, path } }` or `{ js: "expression" }`.
 * These schemas validate them and draw the property form; the engine compiles sources and expressions
 * once per sequence (src/engine/sources.ts). A constant object may also hold sources and expressions
 * anywhere inside: it is then built afresh on each use.
 */

export const sourceSchema = z
  .strictObject({
    from: z
      .string()
      .min(1, 'a source needs `from`: a step id, variables or session')
      .describe('Where the data comes from: the id of a step that ran before, `variables` or `session`'),
    path: z
      .string()
      .default('$')
      .describe(
        'JSONPath (RFC 9535) into that data: `$.name`, `$.items[0].price`. Paths with wildcards, slices, filters or `..` give an array of every match. On outputs that came from XML, a path not starting with `$` is XPath 1.0: `/s:Envelope/s:Body//price`',
      ),
    meta: z
      .boolean()
      .optional()
      .describe('Read the call\'s meta ({status, headers, ms}) instead of its data (Call Transaction steps)'),
  })
  .describe('Data produced earlier');

export const sourceRefSchema = z.strictObject({ source: sourceSchema }).describe('A source');
export const jsRefSchema = z
  .strictObject({
    js: z.string().min(1, 'the expression is empty').describe('A JavaScript expression; variables, steps.<id>, item and index are in scope'),
  })
  .describe('A JavaScript expression');

export type SourceSpec = z.output<typeof sourceSchema>;

const DYNAMIC = 'a constant, a source {source: {from, path}} or an expression {js: "..."}';

/** A property that takes a constant of `inner`'s type, a source or an expression. */
export function dyn<T extends z.ZodType>(inner: T, expected = 'a value') {
  return z.union([sourceRefSchema, jsRefSchema, inner], { error: `expected ${expected}: ${DYNAMIC}` });
}

/** Any JSON constant, a source or an expression. */
export const anyValue = () => dyn(jsonSchema, 'a JSON value');

/** A condition: its truthiness (JavaScript rules) decides. */
export const condition = () =>
  dyn(jsonSchema, 'a condition').describe('The condition: usually an expression {js: "..."}; a source or a constant is tested for truthiness');

/** Variables passed to a call, by name. */
export const callVariables = () =>
  z
    .record(z.string(), anyValue())
    .default({})
    .describe('Variable values of the call, by name: constants, sources or expressions');

/** JavaScript truthiness, the rule every condition follows. */
export function truthy(v: unknown): boolean {
  return !!v;
}
