import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';
import type { CompiledRoute } from './mappings.js';

type Values = Record<string, unknown>;

function bodyObject(request: FastifyRequest): Values | undefined {
  const body = request.body;
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body))
    throw new HttpError(400, 'BAD_REQUEST', 'the body must be a JSON object of variable values (or a form)');
  return body as Values;
}

/** An exposed sequence's or transaction's variables: the query, then (POST) the JSON or form body, which wins. */
export function rpcVariables(request: FastifyRequest): Values {
  const query = (request.query ?? {}) as Values;
  if (request.method !== 'POST') return query;
  const body = bodyObject(request);
  if (!body) return query;
  for (const _ in query) return { ...query, ...body };
  return body;
}

/**
 * A mapping route's variables: each binding (path, query, header, body key, or `$` for the whole body) sets
 * its variable; then what the route does not bind comes by name from the query and, for POST/PUT/PATCH, the
 * body.
 */
export function mappingVariables(route: CompiledRoute, request: FastifyRequest, params: Record<string, string>): Values {
  const query = (request.query ?? {}) as Values;
  const body = route.readsBody ? bodyObject(request) : undefined;
  const out: Values = {};
  for (const k in query) if (Object.hasOwn(query, k)) out[k] = query[k];
  if (route.unbound === 'body' && body) for (const k in body) if (Object.hasOwn(body, k)) out[k] = body[k];
  if (route.bindings.length === 0) return out;
  const consumed = { query: new Set<string>(), body: new Set<string>() };
  for (const b of route.bindings) {
    let value: unknown;
    switch (b.from) {
      case 'path':
        value = params[b.wire];
        break;
      case 'query':
        value = query[b.wire];
        consumed.query.add(b.wire);
        break;
      case 'header':
        value = request.headers[b.wire.toLowerCase()];
        break;
      case 'body':
        value = b.wire === '$' ? request.body : body?.[b.wire];
        consumed.body.add(b.wire);
        break;
    }
    // a bound wire name is not also a variable of its own name
    if (b.wire !== b.variable && (consumed.query.has(b.wire) || consumed.body.has(b.wire))) delete out[b.wire];
    if (value !== undefined) out[b.variable] = value;
  }
  return out;
}
