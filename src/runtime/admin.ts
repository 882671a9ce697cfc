import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sameSecret } from './auth.js';
import { loadDeployment, type DeploySettings, type Deployment } from './deployments.js';
import { HttpError, sendError } from './errors.js';
import { MAX_UPLOAD_BYTES } from './limits.js';
import type { Registry } from './registry.js';
import { validName } from './routes-exposed.js';
import type { Logs } from '../engine/logger.js';
import { LevelOverrides } from './log-levels.js';

/**
 * The admin API, registered only when an admin token is configured (TRELLIS_ADMIN_TOKEN):
 *   POST   /admin/bundles            body: a .trellis file → verify, load, hot-swap (201, or 200 when it replaced one)
 *   GET    /admin/projects           what is served
 *   DELETE /admin/projects/<name>    stop serving a project (204)
 *   GET    /admin/log-levels         the levels in force, the server's and each project's
 *   PUT    /admin/log-levels         body {"levels": {"connector": "debug", "default": "info"}, "project"?: name}: applied at once, no restart
 * Every call needs `Authorization: Bearer <token>`, checked in constant time before the body is read.
 */

const BUNDLE_TYPES = ['application/octet-stream', 'application/gzip', 'application/x-gzip', 'application/vnd.trellis.bundle'];

export function describe(d: Deployment) {
  return {
    name: d.name,
    version: d.version,
    source: d.source.kind,
    deployedAt: d.deployedAt,
    sequences: d.project.sequences.filter((s) => s.exposed).map((s) => s.name),
    transactions: d.project.connectors.flatMap((c) => c.transactions.filter((t) => t.exposed).map((t) => `${c.name}.${t.name}`)),
    mappings: d.mappings?.routes.length ?? 0,
    mappingBase: d.mappingBase || '/',
    auth: d.auth.type,
    inFlight: d.drain.inFlight,
    missingEnv: d.missingEnv,
  };
}

export function registerAdmin(app: FastifyInstance, registry: Registry, token: string, settings: DeploySettings, serverLogs?: Logs): void {
  const levels = new LevelOverrides(registry, serverLogs);
  void app.register(async (admin) => {
    admin.addContentTypeParser(BUNDLE_TYPES, { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_req, body, done) => done(null, body));
    admin.addHook('onRequest', async (request, reply) => {
      request.routeLabel = `/admin`;
      const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
      if (!m || !sameSecret(m[1]!, token)) {
        sendError(request, reply, new HttpError(401, 'UNAUTHORIZED', 'the admin API needs Authorization: Bearer <TRELLIS_ADMIN_TOKEN>', { headers: { 'WWW-Authenticate': 'Bearer' } }));
        return reply;
      }
    });
    const handle = (fn: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        await fn(request, reply);
      } catch (e) {
        sendError(request, reply, e);
      }
      return reply;
    };

    admin.post(
      '/admin/bundles',
      { bodyLimit: MAX_UPLOAD_BYTES },
      handle(async (request, reply) => {
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0)
          throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `send the .trellis file as the body with Content-Type ${BUNDLE_TYPES[0]}`);
        let next: Deployment;
        try {
          next = await loadDeployment({ kind: 'bundle', path: 'upload', bytes: body }, settings);
        } catch (e) {
          const err = e as { code?: string; message: string; details?: unknown };
          throw new HttpError(422, err.code ?? 'INVALID_BUNDLE', err.message, { details: Array.isArray(err.details) && typeof err.details[0] === 'string' ? err.details : undefined });
        }
        levels.onDeploy(next.logs, next.name);
        let previous: Deployment | undefined;
        try {
          previous = registry.swap(next);
        } catch (e) {
          await next.retire();
          throw e;
        }
        request.log.info({ project: next.name, version: next.version, replaced: previous?.version }, `deployed ${next.name} ${next.version}`);
        reply.code(previous ? 200 : 201).send({ deployed: describe(next), replaced: previous ? { version: previous.version, inFlight: previous.drain.inFlight } : null });
      }),
    );
    admin.get(
      '/admin/projects',
      handle(async (_request, reply) => reply.send({ projects: registry.list().map(describe) })),
    );
    admin.get(
      '/admin/log-levels',
      handle(async (_request, reply) => reply.send(levels.describe())),
    );
    admin.put(
      '/admin/log-levels',
      handle(async (request, reply) => {
        const body = (request.body ?? {}) as { levels?: unknown; project?: unknown };
        levels.apply(body.levels, body.project);
        request.log.info({ levels: body.levels, project: body.project }, 'log levels changed');
        reply.send(levels.describe());
      }),
    );
    admin.delete(
      '/admin/projects/:name',
      handle(async (request, reply) => {
        const name = (request.params as Record<string, string>).name;
        const removed = validName(name) ? registry.remove(name) : undefined;
        if (!removed) throw new HttpError(404, 'NOT_FOUND', `no project "${String(name).slice(0, 128)}" is served here`);
        request.log.info({ project: name }, `undeployed ${name}`);
        reply.code(204).send();
      }),
    );
  });
}
