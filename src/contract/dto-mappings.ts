import { z } from 'zod';
import { problemSchema } from './dto.js';

/** A route of mappings.yaml as the studio lists it. */
export const mappingRouteInfoSchema = z.object({
  method: z.string(),
  /** the path template as written, relative to the base path */
  path: z.string(),
  /** where the runtime serves it: the base path joined with the path */
  fullPath: z.string(),
  target: z.union([z.object({ sequence: z.string() }), z.object({ transaction: z.string() })]),
  /** status of a result (200 unless the route says otherwise) */
  status: z.number(),
  /** status when the result is empty, when the route sets one */
  emptyStatus: z.number().optional(),
  /** 1-based line of the route in the text */
  line: z.number(),
});
export type MappingRouteInfo = z.infer<typeof mappingRouteInfoSchema>;

export const mappingsStateSchema = z.object({
  /** the text of mappings.yaml; '' when the project has none */
  text: z.string(),
  /** the routes; empty while the text has errors (problems say where) */
  routes: z.array(mappingRouteInfoSchema),
  /** YAML and schema problems with their lines, and routes whose target the project lacks */
  problems: z.array(problemSchema),
  /** where the routes are served: the file's basePath, else /<project> */
  basePath: z.string(),
});
export type MappingsState = z.infer<typeof mappingsStateSchema>;
