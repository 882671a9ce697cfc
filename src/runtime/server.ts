import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import formbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino, { type DestinationStream } from 'pino';
import { TrellisError } from '../engine/errors.js';
import { Logs, parseLogSpec } from '../engine/logger.js';
import { registerAdmin } from './admin.js';
import { loadDeployment, type DeploySettings, type DeploySource, type Deployment } from './deployments.js';
import { registerDocs } from './docs.js';
import { sendError } from './errors.js';
import { DEFAULT_BODY_LIMIT } from './limits.js';
import { mappingConflicts } from './mappings.js';
import { Metrics } from './metrics.js';
import { Registry } from './registry.js';
import { registerExposedRoutes, registerMappedRoutes } from './routes-exposed.js';
import { registerFullSync } from './fullsync/endpoint.js';
import { registerScheduleAdmin } from './admin-schedules.js';
import { runtimeDataDir, Scheduler } from './scheduler.js';
import { createSessionStore, type SessionStore } from './sessions.js';

export interface RuntimeOptions extends DeploySettings {
  sources: DeploySource[];
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** largest request body in bytes (default 1 MB; 413 above) */
  bodyLimit?: number;
  /** enables the admin API; default TRELLIS_ADMIN_TOKEN */
  adminToken?: string;
  /** memory or redis://...; default TRELLIS_SESSION_STORE */
  sessionStore?: string;
  /** add Secure to the session cookie (behind https); default TRELLIS_COOKIE_SECURE=1 */
  secureCookies?: boolean;
  /** how long a shutdown waits for requests in flight before closing their connections (default 30 s) */
  shutdownGraceMs?: number;
  /** where the runtime keeps its state (the scheduler's last runs); default TRELLIS_DATA_DIR, else ~/.trellis/runtime */
  dataDir?: string;
  /** run schedules.yaml jobs and autoStart sequences (default true) */
  schedules?: boolean;
}

export interface Runtime {
  url: string;
  port: number;
  app: FastifyInstance;
  registry: Registry;
  sessions: SessionStore;
  /** the schedules.yaml jobs of the served projects (undefined when schedules is false) */
  scheduler: Scheduler | undefined;
  /** graceful: stops accepting, lets requests in flight finish (up to the grace period), then closes everything */
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Loads every source, refusing duplicate project names and overlapping mappings with one clear message. */
async function loadAll(sources: DeploySource[], settings: DeploySettings): Promise<Deployment[]> {
  const deployments: Deployment[] = [];
  try {
    for (const source of sources) {
      const d = await loadDeployment(source, settings);
      deployments.push(d);
      const twin = deployments.find((x) => x !== d && x.name === d.name);
      if (twin) throw new TrellisError('CONFLICT', `two projects are named ${d.name} (${twin.source.path} and ${d.source.path}): serve one of them`);
    }
    const conflicts = mappingConflicts(deployments);
    if (conflicts.length) throw new TrellisError('CONFLICT', `cannot serve these projects together: ${conflicts.join('; ')}`, { details: conflicts });
    return deployments;
  } catch (e) {
    await Promise.all(deployments.map((d) => d.retire()));
    throw e;
  }
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const destination: DestinationStream = options.logDestination ?? pino.destination(2);
  const settings: DeploySettings = { ...options, logDestination: destination };
  const deployments = await loadAll(options.sources, settings);
  const registry = new Registry();
  for (const d of deployments) registry.swap(d);
  const sessions = createSessionStore(options.sessionStore ?? process.env.TRELLIS_SESSION_STORE);
  const metrics = new Metrics();
  // request logs (category runtime) are on by default; a TRELLIS_LOG default level (e.g. warn) turns them off too
  const spec = options.logSpec ?? process.env.TRELLIS_LOG;
  const runtimeLogs = new Logs({ project: parseLogSpec(spec).default ? {} : { runtime: 'info' }, spec, destination });
  const logger = runtimeLogs.get('runtime');
  let closing = false;

  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    exposeHeadRoutes: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  app.decorateRequest('routeLabel', 'unmatched');
  await app.register(formbody);
  // hooks take callbacks, not async functions: one promise less per request on the hot path
  app.addHook('onRequest', (request, reply, done) => {
    metrics.inFlight++;
    reply.header('x-request-id', request.id);
    done();
  });
  // while shutting down, answers close their connection: keep-alive sockets do not hold the shutdown open
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    metrics.inFlight--;
    const ms = reply.elapsedTime;
    // before a handler named what it reached (a body that could not be parsed, say), fastify's route template stands in
    const template = request.routeOptions.url;
    const route = request.routeLabel !== 'unmatched' || !template || template === '/*' ? request.routeLabel : template;
    metrics.request(route, request.method, reply.statusCode, ms / 1000);
    if (logger.isLevelEnabled('info'))
      request.log.info({ method: request.method, url: request.url.slice(0, 300), route, status: reply.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    done();
  });
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  app.setNotFoundHandler((request, reply) => sendError(request, reply, Object.assign(new Error(`no route for ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}`), { statusCode: 404 })));

  const ctx = { metrics, sessions, secureCookies: options.secureCookies ?? process.env.TRELLIS_COOKIE_SECURE === '1' };
  app.get('/health', async (request, reply) => {
    request.routeLabel = '/health';
    const projects = registry.list().map((d) => d.name);
    return reply.code(closing ? 503 : 200).send({ status: closing ? 'stopping' : 'ok', projects });
  });
  app.get('/metrics', async (request, reply) => {
    request.routeLabel = '/metrics';
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render());
  });
  const adminToken = options.adminToken ?? process.env.TRELLIS_ADMIN_TOKEN;
  const scheduler = options.schedules === false ? undefined : new Scheduler({ registry, dataDir: runtimeDataDir(options.dataDir), logger });
  if (adminToken && scheduler) registerScheduleAdmin(app, scheduler, adminToken);
  if (adminToken) registerAdmin(app, registry, adminToken, settings, runtimeLogs);
  registerDocs(app, registry);
  registerFullSync(app, registry);
  registerExposedRoutes(app, registry, ctx);
  registerMappedRoutes(app, registry, ctx);

  try {
    await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  } catch (e) {
    await registry.clear();
    await sessions.close();
    throw e;
  }
  await scheduler?.start();
  const port = (app.server.address() as AddressInfo).port;
  // connections that never sent a byte (a client's pre-opened socket) are not idle to node, yet hold no request
  const silent = new Set<import('node:net').Socket>();
  app.server.on('connection', (socket) => {
    if (socket.bytesRead > 0) return;
    silent.add(socket);
    socket.once('data', () => silent.delete(socket)).once('close', () => silent.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    app,
    registry,
    sessions,
    scheduler,
    close: () =>
      (closed ??= (async () => {
        closing = true;
        const grace = setTimeout(() => app.server.closeAllConnections(), options.shutdownGraceMs ?? 30_000);
        const idle = setInterval(() => {
          app.server.closeIdleConnections();
          for (const socket of silent) if (socket.bytesRead === 0) socket.destroy();
        }, 100);
        try {
          await app.close();
        } finally {
          clearTimeout(grace);
          clearInterval(idle);
        }
        await scheduler?.dispose();
        await registry.clear();
        await sessions.close();
        try {
          (destination as { flushSync?: () => void }).flushSync?.();
        } catch {}
      })()),
  };
}
