import { z } from 'zod';
import { nameSchema } from './names.js';

/**
 * mappings.yaml: REST routes the runtime serves for a project, each bound to a sequence or a transaction.
 *
 *   basePath: /shop                      # default /<project>; "/" serves the routes at the root
 *   routes:
 *     - method: GET
 *       path: /users/{id}
 *       target: { sequence: userCard }   # or { transaction: crm.getUser }
 *       params: { id: { from: path, variable: userId } }
 *       response: { status: 200, emptyStatus: 404, headers: { Cache-Control: max-age=60 } }
 */

export const MAPPING_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type MappingMethod = (typeof MAPPING_METHODS)[number];
export const PARAM_SOURCES = ['path', 'query', 'header', 'body'] as const;
export type ParamSource = (typeof PARAM_SOURCES)[number];

const PARAM_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const LITERAL_SEGMENT = /^[A-Za-z0-9._~-]+$/;

/** The segments of a path template; `{name}` segments are parameters. */
export function templateSegments(path: string): Array<{ literal: string } | { param: string }> {
  return path
    .split('/')
    .filter(Boolean)
    .map((seg) => {
      const m = PARAM_SEGMENT.exec(seg);
      return m ? { param: m[1]! } : { literal: seg };
    });
}

function pathProblem(path: string, allowParams: boolean): string | undefined {
  if (!path.startsWith('/')) return `"${path}" must start with /`;
  if (path === '/') return undefined;
  if (path.endsWith('/')) return `"${path}" must not end with /`;
  const seen = new Set<string>();
  for (const seg of path.slice(1).split('/')) {
    if (seg === '') return `"${path}" has an empty segment (//)`;
    if (seg === '.' || seg === '..') return `"${path}" must not hold . or .. segments`;
    const m = PARAM_SEGMENT.exec(seg);
    if (m) {
      if (!allowParams) return `"${path}" is a fixed path: no {parameters}`;
      if (seen.has(m[1]!)) return `"${path}" names the parameter {${m[1]}} twice`;
      seen.add(m[1]!);
    } else if (!LITERAL_SEGMENT.test(seg)) {
      return `segment "${seg}" of "${path}": write letters, digits, . _ ~ - or a whole-segment {parameter}`;
    }
  }
  return undefined;
}

export const mappingPathSchema = z.string().superRefine((p, ctx) => {
  const problem = pathProblem(p, true);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const mappingBasePathSchema = z.string().superRefine((p, ctx) => {
  const problem = pathProblem(p, false);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const mappingTargetSchema = z.union([
  z.strictObject({ sequence: nameSchema }),
  z.strictObject({ transaction: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*\.[A-Za-z_][A-Za-z0-9_.-]*$/, 'write the transaction as <connector>.<transaction>') }),
]);
export type MappingTarget = z.infer<typeof mappingTargetSchema>;

export const paramBindingSchema = z.strictObject({
  from: z.enum(PARAM_SOURCES),
  /** the variable it sets; defaults to the parameter's own name */
  variable: nameSchema.optional(),
});
export type ParamBinding = z.infer<typeof paramBindingSchema>;

const status = z.number().int().min(200).max(599);

export const mappingRouteSchema = z.strictObject({
  method: z.preprocess((m) => (typeof m === 'string' ? m.toUpperCase() : m), z.enum(MAPPING_METHODS)),
  path: mappingPathSchema,
  target: mappingTargetSchema,
  description: z.string().optional(),
  /** where each variable comes from, keyed by the name on the wire (path parameter, query key, header, body key) */
  params: z.record(z.string().min(1), paramBindingSchema).optional(),
  response: z
    .strictObject({
      /** status of a result (default 200) */
      status: status.optional(),
      /** status when the result is empty (null, "", [] or {}), e.g. 404 */
      emptyStatus: status.optional(),
      headers: z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'not a valid header name'), z.string()).optional(),
    })
    .optional(),
});
export type MappingRoute = z.infer<typeof mappingRouteSchema>;

export const mappingsFileSchema = z.strictObject({
  /** where the routes are served: "/<project>" by default, "/" for the root */
  basePath: mappingBasePathSchema.optional(),
  routes: z.array(mappingRouteSchema).default([]),
});
export type Mappings = z.infer<typeof mappingsFileSchema>;

export const MAPPINGS_FILE = 'mappings.yaml';

/** One variable of a route and where its value comes from; `wire` is the name on the wire (`$` with from: body = the whole body). */
export interface RouteBinding {
  variable: string;
  from: ParamSource;
  wire: string;
}

/** The explicit bindings of a route, then its {path} parameters not bound explicitly (each sets the variable of its name). */
export function routeBindings(route: MappingRoute): RouteBinding[] {
  const out: RouteBinding[] = Object.entries(route.params ?? {}).map(([wire, b]) => ({ wire, from: b.from, variable: b.variable ?? wire }));
  for (const seg of templateSegments(route.path)) if ('param' in seg && !route.params?.[seg.param]) out.push({ wire: seg.param, from: 'path', variable: seg.param });
  return out;
}

/** Where a route reads variables it does not bind: the JSON body for POST, PUT and PATCH, the query otherwise. */
export function unboundSource(method: MappingMethod): 'query' | 'body' {
  return method === 'GET' || method === 'DELETE' ? 'query' : 'body';
}
