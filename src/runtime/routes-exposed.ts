import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NAME_PATTERN } from '../model/index.js';
import { HttpError, sendError } from './errors.js';
import { invoke, type ServeContext } from './invoke.js';
import type { Registry } from './registry.js';
import { mappingVariables, rpcVariables } from './request-vars.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the metrics label of what the request reached (a template, never the raw URL) */
    routeLabel: string;
  }
}

type Params = Record<string, string>;

/** Names in URLs are checked against the name rule: `..`, slashes (even encoded) and odd characters never match. */
export function validName(name: string | undefined): name is string {
  return typeof name === 'string' && name.length <= 128 && NAME_PATTERN.test(name);
}

function notFound(what: string): HttpError {
  return new HttpError(404, 'NOT_FOUND', what);
}

/** The deployment of `/projects/<project>/...`, or 404. */
export function deploymentOf(registry: Registry, project: string | undefined) {
  const dep = validName(project) ? registry.get(project) : undefined;
  if (!dep) throw notFound(`no project "${String(project).slice(0, 128)}" is served here`);
  return dep;
}

/**
 * `GET|POST /projects/<project>/sequences/<name>` for exposed sequences (exposed: true, the default) and
 * `GET|POST /projects/<project>/transactions/<connector>/<name>` for exposed transactions (exposed: true).
 */
export function registerExposedRoutes(app: FastifyInstance, registry: Registry, ctx: ServeContext): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/projects/:project/sequences/:name',
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const { project, name } = request.params as Params;
      try {
        const dep = deploymentOf(registry, project);
        const sequence = validName(name) ? dep.project.sequences.find((s) => s.name === name && s.exposed) : undefined;
        if (!sequence) throw notFound(`project ${dep.name} exposes no sequence "${String(name).slice(0, 128)}"`);
        request.routeLabel = `/projects/${dep.name}/sequences/${sequence.name}`;
        await invoke(ctx, dep, { kind: 'sequence', name: sequence.name, key: `sequence ${sequence.name}`, sequence }, rpcVariables(request), request, reply);
      } catch (e) {
        sendError(request, reply, e);
      }
      return reply;
    },
  });
  app.route({
    method: ['GET', 'POST'],
    url: '/projects/:project/transactions/:connector/:name',
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const { project, connector, name } = request.params as Params;
      try {
        const dep = deploymentOf(registry, project);
        const c = validName(connector) ? dep.project.connectors.find((x) => x.name === connector) : undefined;
        const tx = c && validName(name) ? c.transactions.find((t) => t.name === name && t.exposed === true) : undefined;
        if (!c || !tx) throw notFound(`project ${dep.name} exposes no transaction "${String(connector).slice(0, 128)}.${String(name).slice(0, 128)}"`);
        request.routeLabel = `/projects/${dep.name}/transactions/${c.name}/${tx.name}`;
        await invoke(ctx, dep, { kind: 'transaction', name: `${c.name}.${tx.name}`, key: `transaction ${c.name}.${tx.name}` }, rpcVariables(request), request, reply);
      } catch (e) {
        sendError(request, reply, e);
      }
      return reply;
    },
  });
}

/** Every other URL: the mapping table of the moment, else a JSON 404 (405 with Allow when only the method differs). */
export function registerMappedRoutes(app: FastifyInstance, registry: Registry, ctx: ServeContext): void {
  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/*',
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        const path = request.url.split('?', 1)[0]!;
        const found = registry.table.match(request.method, path);
        if (!found) throw notFound(`no route for ${request.method} ${path.slice(0, 200)}`);
        if ('allowed' in found) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${path.slice(0, 200)} answers ${found.allowed.join(', ')}`, { headers: { Allow: found.allowed.join(', ') } });
        const { route, params } = found;
        request.routeLabel = route.label;
        // the target was resolved when the table was built (a deployment's project never changes)
        if (!route.target) throw new Error(`mapping ${route.label}: project ${route.deployment.name} has no sequence ${JSON.stringify(route.route.target)}`);
        await invoke(ctx, route.deployment, route.target, mappingVariables(route, request, params), request, reply, route.route.response);
      } catch (e) {
        sendError(request, reply, e);
      }
      return reply;
    },
  });
}
