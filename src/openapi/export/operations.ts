import type { Json, MappingRoute, Project, Variable } from '../../model/index.js';
import { routeBindings, unboundSource } from '../../model/index.js';
import { componentName, objectSchema, parameter, variableSchema, type Schema } from './schemas.js';

/** What every operation needs to know about the document being built. */
export interface OpContext {
  project: Project;
  /** owners with a stored output schema (components.schemas.<owner>) */
  schemas: ReadonlySet<string>;
  /** the security requirement name when the project has auth */
  security?: string;
  operationIds: Set<string>;
}

export function uniqueId(ctx: OpContext, wanted: string): string {
  const base = wanted.replace(/[^A-Za-z0-9_.-]/g, '_');
  let id = base;
  for (let i = 2; ctx.operationIds.has(id); i++) id = `${base}_${i}`;
  ctx.operationIds.add(id);
  return id;
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string): Schema => ({ description, content: { 'application/json': { schema: ref('Error') } } });

/** The answers of an operation: its result, then the errors the runtime may give. */
export function responses(ctx: OpContext, owner: string, success = 200, extra: Record<string, Schema> = {}, headers?: Record<string, string>): Schema {
  const schema: Schema = ctx.schemas.has(owner) ? ref(componentName(owner)) : {};
  const ok: Schema = { description: 'the result', content: { 'application/json': { schema } } };
  if (headers && Object.keys(headers).length) {
    const out: Record<string, Json> = {};
    for (const [name, value] of Object.entries(headers)) out[name] = { description: `always ${JSON.stringify(value)}`, schema: { type: 'string' } };
    ok.headers = out;
  }
  const all: Schema = { [String(success)]: ok, ...extra };
  all['400'] ??= errorResponse('a variable is missing or has the wrong type (BAD_VARIABLE), or the body is not valid JSON');
  if (ctx.security) {
    all['401'] = errorResponse('no or invalid credentials');
    all['403'] = errorResponse('the caller lacks a role this operation requires');
  }
  all['502'] = errorResponse('a backend failed or answered an error status');
  all['504'] = errorResponse('no result within the deadline');
  all.default = errorResponse('another error (code and message say which)');
  return all;
}

export function securityOf(ctx: OpContext, roles: readonly string[] | undefined): Json[] | undefined {
  return ctx.security ? [{ [ctx.security]: [...(roles ?? [])] }] : undefined;
}

/** POST with a JSON (or form) body, GET with query parameters: the two ways to call an exposed sequence or transaction. */
export function rpcOperations(ctx: OpContext, o: { id: string; owner: string; summary: string; description?: string; tag: string; variables: readonly Variable[]; roles?: string[] }): Schema {
  const body = objectSchema(o.variables);
  const security = securityOf(ctx, o.roles);
  const common = (): Schema => {
    const op: Schema = { tags: [o.tag], summary: o.summary };
    if (o.description) op.description = o.description;
    if (security) op.security = security;
    return op;
  };
  const post: Schema = {
    ...common(),
    operationId: uniqueId(ctx, o.id),
    requestBody: { required: false, content: { 'application/json': { schema: body }, 'application/x-www-form-urlencoded': { schema: body } } },
    responses: responses(ctx, o.owner),
  };
  const get: Schema = { ...common(), operationId: uniqueId(ctx, `${o.id}_get`), parameters: o.variables.map((v) => parameter(v, 'query')), responses: responses(ctx, o.owner) };
  return { post, get };
}

function variableNamed(variables: readonly Variable[], name: string): Variable {
  return variables.find((v) => v.name === name) ?? { name, type: 'string' };
}

/** One mapping route as an operation: its bindings become path/query/header parameters and body properties. */
export function mappingOperation(ctx: OpContext, route: MappingRoute, variables: readonly Variable[], roles: string[] | undefined): Schema {
  const target = 'sequence' in route.target ? route.target.sequence : route.target.transaction;
  const parameters: Json[] = [];
  const bodyVars: Variable[] = [];
  let wholeBody: Variable | undefined;
  const bound = new Set<string>();
  for (const b of routeBindings(route)) {
    bound.add(b.variable);
    const v = variableNamed(variables, b.variable);
    if (b.from === 'body') {
      if (b.wire === '$') wholeBody = v;
      else bodyVars.push({ ...v, name: b.wire });
    } else parameters.push(parameter(v, b.from, b.wire));
  }
  const rest = variables.filter((v) => !bound.has(v.name));
  if (unboundSource(route.method) === 'query') parameters.push(...rest.map((v) => parameter(v, 'query')));
  else bodyVars.push(...rest);
  const op: Schema = { tags: ['mappings'], summary: route.description ?? `${route.method} ${route.path} → ${target}`, operationId: uniqueId(ctx, `${route.method.toLowerCase()}_${target}`) };
  if (route.description) op.description = `Runs ${'sequence' in route.target ? 'sequence' : 'transaction'} ${target}.`;
  if (parameters.length) op.parameters = parameters;
  if (wholeBody) op.requestBody = { required: !!wholeBody.required, content: { 'application/json': { schema: variableSchema(wholeBody) } } };
  else if (bodyVars.length) op.requestBody = { required: bodyVars.some((v) => v.required && v.default === undefined), content: { 'application/json': { schema: objectSchema(bodyVars) } } };
  const extra: Record<string, Schema> = {};
  const empty = route.response?.emptyStatus;
  if (empty !== undefined) extra[String(empty)] = empty === 204 ? { description: 'the result is empty' } : errorResponse('the result is empty');
  op.responses = responses(ctx, target, route.response?.status ?? 200, extra, route.response?.headers);
  const security = securityOf(ctx, roles);
  if (security) op.security = security;
  return op;
}
