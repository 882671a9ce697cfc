import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isCouchHandle, type CouchHandle } from '../../connectors/couch.connector.js';
import type { Reader } from '../../connectors/couch/access.js';
import { ANONYMOUS } from '../auth.js';
import type { Deployment } from '../deployments.js';
import { HttpError } from '../errors.js';
import type { Registry } from '../registry.js';
import { validName } from '../routes-exposed.js';
import { asCouchError, CouchError, notFound } from './couch-errors.js';
import { ReplicationView } from './replication.js';

/** Replication moves documents in batches: bodies larger than the API's default limit are normal here. */
const FULLSYNC_BODY_LIMIT = 64 * 1024 * 1024;
const LONGPOLL_DEFAULT_MS = 60_000;
const LONGPOLL_MAX_MS = 300_000;

type Params = { project: string; database: string; '*'?: string; id?: string };

function has(headers: FastifyRequest['headers'], name: string): boolean {
  return headers[name] !== undefined;
}

/** The caller: authenticated through the project's auth, or anonymous where the database allows it. */
async function readerOf(dep: Deployment, handle: CouchHandle, request: FastifyRequest): Promise<Reader> {
  const anonymousAllowed = handle.config.anonymous;
  const sendsCredentials = has(request.headers, 'authorization') || (dep.project.runtime?.auth?.type === 'apiKey' && has(request.headers, dep.project.runtime.auth.header.toLowerCase()));
  if (dep.auth.type === 'none' || (!sendsCredentials && anonymousAllowed)) {
    if (!anonymousAllowed)
      throw new CouchError(401, 'unauthorized', `replication of ${handle.config.database} needs an authenticated user: set runtime.auth in trellis.yaml (or anonymous: true on the connector to allow anonymous replication)`);
    return ANONYMOUS;
  }
  let reader: Reader;
  try {
    reader = await dep.auth.authenticate(request.headers);
  } catch (e) {
    if (e instanceof HttpError) throw new CouchError(e.status, 'unauthorized', e.message);
    throw e;
  }
  // documents belong to the subject: callers without one would all share a single owner, and so each other's documents
  if (reader.authenticated && !reader.subject)
    throw new CouchError(403, 'forbidden', `replication of ${handle.config.database} needs a user: the JWT has no "sub" claim, or the API key entry has no user:`);
  return reader;
}

async function openView(registry: Registry, params: Params, request: FastifyRequest): Promise<{ view: ReplicationView; dep: Deployment }> {
  const dep = validName(params.project) ? registry.get(params.project) : undefined;
  if (!dep) throw notFound(`no project "${String(params.project).slice(0, 128)}" is served here`);
  const connector = dep.project.connectors.find((c) => c.kind === 'couch' && (c.config as { database?: string; fullsync?: boolean }).database === params.database && (c.config as { fullsync?: boolean }).fullsync === true);
  if (!connector) throw notFound(`project ${dep.name} has no FullSync database "${String(params.database).slice(0, 128)}"`);
  const handle = await dep.pool.get(dep.project.dir, connector, dep.env, dep.loggers.connector);
  if (!isCouchHandle(handle)) throw new CouchError(500, 'internal_server_error', `connector ${connector.name} is not a couch connector`);
  const reader = await readerOf(dep, handle, request);
  return { view: new ReplicationView(handle.db, params.database, reader), dep };
}

function query(request: FastifyRequest): Record<string, string> {
  return request.query as Record<string, string>;
}

/** CouchDB's query parameters are JSON (keys, booleans, numbers); a value that is not JSON stays a string. */
function jsonParam(v: string | undefined): unknown {
  if (v === undefined) return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function intParam(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return v !== undefined && Number.isFinite(n) && n >= 0 ? Math.floor(n) : fallback;
}

function docOptions(q: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['rev'] as const) if (q[k]) out[k] = q[k];
  for (const k of ['revs', 'revs_info', 'conflicts', 'latest', 'attachments', 'deleted_conflicts'] as const) if (q[k] !== undefined) out[k] = q[k] === 'true';
  if (q.open_revs !== undefined) out.open_revs = q.open_revs === 'all' ? 'all' : jsonParam(q.open_revs);
  return out;
}

/**
 * `/fullsync/<project>/<database>`: the CouchDB replication protocol over a connector marked `fullsync`, so an
 * unmodified PouchDB (or CouchDB) replicator can sync with it, with per-user access (replication.ts).
 */
export function registerFullSync(app: FastifyInstance, registry: Registry): void {
  const base = '/fullsync/:project/:database';
  // longpoll waits end when the server shuts down: they must not hold a graceful shutdown open
  const shutdown = new AbortController();
  app.addHook('preClose', (done) => {
    shutdown.abort();
    done();
  });
  const fail = (request: FastifyRequest, reply: FastifyReply, e: unknown) => {
    const err = asCouchError(e);
    if (err.status >= 500) request.log.error({ err: e }, 'fullsync request failed');
    if (!reply.sent) reply.code(err.status).type('application/json').send(JSON.stringify({ error: err.error, reason: err.reason }));
    return reply;
  };
  // the caller is checked before its body is read: bodies may be large here, and a refused caller's are never parsed
  const views = new WeakMap<FastifyRequest, ReplicationView>();
  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = request.params as Params;
    request.routeLabel = `/fullsync/${validName(params.project) ? params.project : '?'}`;
    try {
      views.set(request, (await openView(registry, params, request)).view);
    } catch (e) {
      return fail(request, reply, e);
    }
  };
  const handle = (fn: (view: ReplicationView, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const view = views.get(request) ?? (await openView(registry, request.params as Params, request)).view;
      const result = await fn(view, request, reply);
      if (!reply.sent) reply.code(reply.statusCode === 200 ? 200 : reply.statusCode).type('application/json').send(JSON.stringify(result));
    } catch (e) {
      fail(request, reply, e);
    }
    return reply;
  };
  const opts = { bodyLimit: FULLSYNC_BODY_LIMIT, onRequest: authenticate };

  app.get(base, opts, handle((v) => v.info()));
  app.get(`${base}/`, opts, handle((v) => v.info()));
  // PouchDB creates a missing database; this one exists whenever the project declares it
  app.put(base, opts, handle(async () => { throw new CouchError(412, 'file_exists', 'The database could not be created, the file already exists.'); }));
  app.post(`${base}/_ensure_full_commit`, opts, handle(async (_v, _r, reply) => (reply.code(201), { ok: true, instance_start_time: '0' })));
  app.get(`${base}/_local/:id`, opts, handle((v, r) => v.getLocal((r.params as Params).id!)));
  app.put(`${base}/_local/:id`, opts, handle(async (v, r, reply) => (reply.code(201), v.putLocal((r.params as Params).id!, r.body as never))));
  app.delete(`${base}/_local/:id`, opts, handle((v, r) => v.deleteLocal((r.params as Params).id!, query(r).rev)));
  app.post(`${base}/_revs_diff`, opts, handle((v, r) => v.revsDiff(r.body)));
  app.post(`${base}/_bulk_docs`, opts, handle(async (v, r, reply) => (reply.code(201), v.bulkDocs(r.body))));
  app.post(`${base}/_bulk_get`, opts, handle((v, r) => v.bulkGet(r.body, query(r))));
  const changes = handle(async (v, r, reply) => {
    const q = query(r);
    const body = (r.body ?? {}) as { doc_ids?: unknown };
    const docIds = q.filter === '_doc_ids' ? (Array.isArray(body.doc_ids) ? body.doc_ids : (jsonParam(q.doc_ids) as unknown)) : undefined;
    if (q.filter && q.filter !== '_doc_ids') throw new CouchError(400, 'bad_request', `filter ${q.filter} is not supported here (only _doc_ids): FullSync filters by user on the server`);
    const options = {
      since: q.since === undefined || q.since === 'now' ? (q.since === 'now' ? (await v.db.info()).update_seq : 0) : (jsonParam(q.since) as string | number),
      limit: intParam(q.limit, Number.MAX_SAFE_INTEGER),
      includeDocs: q.include_docs === 'true',
      styleAll: q.style === 'all_docs',
      docIds: Array.isArray(docIds) ? (docIds as string[]) : undefined,
    };
    let page = await v.changes(options);
    if (page.results.length === 0 && (q.feed === 'longpoll' || q.feed === 'continuous')) {
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      await v.waitForChange(page.last_seq, Math.min(intParam(q.timeout, LONGPOLL_DEFAULT_MS), LONGPOLL_MAX_MS), AbortSignal.any([gone.signal, shutdown.signal]));
      if (gone.signal.aborted && !shutdown.signal.aborted) {
        // the client went away while waiting: nothing to answer, and an answer to a destroyed socket never finishes
        reply.hijack();
        reply.raw.destroy();
        return undefined;
      }
      page = await v.changes({ ...options, since: page.last_seq });
    }
    return page;
  });
  app.get(`${base}/_changes`, opts, changes);
  app.post(`${base}/_changes`, opts, changes);
  const allDocs = handle((v, r) => {
    const q = query(r);
    const body = (r.body ?? {}) as { keys?: unknown };
    const o: Record<string, unknown> = {};
    for (const k of ['startkey', 'endkey', 'key', 'start_key', 'end_key'] as const) if (q[k] !== undefined) o[k.replace('_key', 'key')] = jsonParam(q[k]);
    for (const k of ['limit', 'skip'] as const) if (q[k] !== undefined) o[k] = intParam(q[k], 0);
    for (const k of ['descending', 'include_docs', 'inclusive_end', 'conflicts'] as const) if (q[k] !== undefined) o[k] = q[k] === 'true';
    const keys = Array.isArray(body.keys) ? body.keys : q.keys !== undefined ? jsonParam(q.keys) : undefined;
    if (keys !== undefined) o.keys = keys;
    return v.allDocs(o);
  });
  app.get(`${base}/_all_docs`, opts, allDocs);
  app.post(`${base}/_all_docs`, opts, allDocs);
  app.get(`${base}/_design/:id`, opts, handle((v, r) => v.get(`_design/${(r.params as Params).id}`, docOptions(query(r)))));
  app.get(`${base}/:id`, opts, handle((v, r) => v.get((r.params as Params).id!, docOptions(query(r)))));
  // attachments are bytes, not JSON: answered here, with the same access check as the document
  app.get(`${base}/:id/:attachment`, opts, handle(async (v, r, reply) => {
    const { id, attachment } = r.params as Params & { attachment: string };
    const found = await v.attachment(id!, attachment, query(r).rev);
    reply.type(found.contentType).send(found.data);
    return undefined;
  }));
  app.put(`${base}/:id`, opts, handle(async (v, r, reply) => {
    const id = (r.params as Params).id!;
    const body = r.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new CouchError(400, 'bad_request', 'the document is a JSON object');
    const q = query(r);
    const result = await v.put({ ...body, _id: id, ...(q.rev ? { _rev: q.rev } : {}) } as never, q.new_edits !== 'false');
    reply.code(201);
    return result;
  }));
  app.delete(`${base}/:id`, opts, handle((v, r) => v.remove((r.params as Params).id!, query(r).rev)));
}
