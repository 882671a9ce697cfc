import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TrellisError, toTrellisError } from '../engine/errors.js';
import { executeTransaction } from '../engine/execute-transaction.js';
import { executeSequence, type SequenceOptions } from '../engine/sequence/index.js';
import type { Json, MappingRoute, Sequence } from '../model/index.js';
import type { ResponseDraft } from '../steps/io.js';
import { ANONYMOUS, checkRoles } from './auth.js';
import type { Deployment } from './deployments.js';
import { HttpError, sendError } from './errors.js';
import type { Metrics } from './metrics.js';
import { runIO, sessionCaller } from './run-io.js';
import { loadSession, saveSession, type SessionContext } from './session-run.js';
import type { SessionStore } from './sessions.js';

/** What every handler shares: metrics and the session store. */
export interface ServeContext {
  metrics: Metrics;
  sessions: SessionStore;
  secureCookies: boolean;
}

/** What a request runs; `key` names it for the concurrency limit (`sequence x`, `transaction c.t`). */
export type Target = { kind: 'sequence'; name: string; key: string; sequence: Sequence } | { kind: 'transaction'; name: string; key: string };

const JSON_TYPE = 'application/json; charset=utf-8';

function isEmpty(v: Json | undefined): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/** Writes a result: JSON with the route's status and headers; the route's emptyStatus for an empty one. */
function sendResult(request: FastifyRequest, reply: FastifyReply, output: Json | undefined, response: MappingRoute['response'], draft?: ResponseDraft): void {
  if (response?.headers) reply.headers(response.headers);
  // what the sequence's Set Response Header / Status steps asked for wins over the mapping
  if (draft) for (const name in draft.headers) reply.header(name, draft.headers[name]);
  if (draft?.status !== undefined) {
    if (draft.status === 204 || draft.status === 304) return void reply.code(draft.status).send();
    return void reply.code(draft.status).type(JSON_TYPE).send(JSON.stringify(output ?? null));
  }
  if (response?.emptyStatus !== undefined && isEmpty(output)) {
    const status = response.emptyStatus;
    if (status === 204) return void reply.code(204).send();
    const code = status === 404 ? 'NOT_FOUND' : 'EMPTY_RESULT';
    return void reply.code(status).type(JSON_TYPE).send(JSON.stringify({ error: { code, message: `no result for ${request.method} ${request.url.split('?')[0]}`, requestId: String(request.id) } }));
  }
  reply.code(response?.status ?? 200).type(JSON_TYPE).send(JSON.stringify(output ?? null));
}

const kRun = Symbol('trellis.run');

/** What a request's timers and listeners need, passed as arguments rather than captured (no closures per request). */
interface RunWatch {
  controller: AbortController;
  late: boolean;
  request: FastifyRequest;
  reply: FastifyReply;
  timeoutMs: number;
}

/** The response closed: when it was not finished, the client went away and the execution is cancelled. */
function onResponseClose(this: ServerResponse & { [kRun]?: RunWatch }): void {
  if (!this.writableFinished) this[kRun]?.controller.abort();
}

/** The engine honours its deadline (timeoutMs) itself; this only answers if something below it does not. */
function watchdog(w: RunWatch): void {
  w.late = true;
  w.controller.abort();
  if (!w.reply.sent) sendError(w.request, w.reply, new TrellisError('TIMEOUT', `no result within the ${w.timeoutMs} ms deadline`));
}

/**
 * Runs a sequence or a transaction for one request: auth and roles, the concurrency limit, the session of a
 * stateful sequence, the deadline (504) and cancellation when the client goes away, then the result or a
 * clean JSON error. The deployment is the one the request started on, even if a deploy replaces it meanwhile.
 */
export async function invoke(
  ctx: ServeContext,
  dep: Deployment,
  target: Target,
  given: Record<string, unknown>,
  request: FastifyRequest,
  reply: FastifyReply,
  response?: MappingRoute['response'],
): Promise<void> {
  dep.drain.enter();
  let release: (() => void) | undefined;
  const watch: RunWatch = { controller: new AbortController(), late: false, request, reply, timeoutMs: dep.timeoutMs };
  const timer = setTimeout(watchdog, dep.timeoutMs + 1000, watch);
  const raw = reply.raw as ServerResponse & { [kRun]?: RunWatch };
  raw[kRun] = watch;
  raw.once('close', onResponseClose);
  try {
    let caller = dep.auth.type === 'none' ? ANONYMOUS : await dep.auth.authenticate(request.headers);
    // a stateful sequence's session is read before the role check: a Set Authenticated User step may have logged the client in
    const early = target.kind === 'sequence' && target.sequence.stateful ? await loadSession(ctx.sessions, dep, target.sequence, request.headers.cookie, given) : undefined;
    if (early) caller = sessionCaller(caller, early.data);
    if (target.kind === 'sequence') checkRoles(caller, target.sequence.roles, `sequence ${target.name}`);
    release = dep.limiter.acquire(target.key);
    const common = { env: dep.env, pool: dep.pool, signal: watch.controller.signal, timeoutMs: dep.timeoutMs, runId: String(request.id) };
    if (target.kind === 'sequence') {
      let session: SessionContext | undefined;
      let left: Record<string, Json> | undefined;
      const draft: ResponseDraft = { headers: {} };
      const options: SequenceOptions = { ...common, logger: dep.loggers.sequence, io: runIO(dep, request, draft, caller) };
      if (target.sequence.stateful) {
        session = early!;
        given = session.variables;
        options.session = session.data;
        options.cookies = session.cookies;
        options.onFinish = (snapshot) => (left = snapshot.variables);
      }
      const result = await executeSequence(dep.project, target.name, given, options);
      if (reply.sent) return;
      if (session) await saveSession(ctx, dep, session, left ?? {}, reply);
      return sendResult(request, reply, result.output, response, draft);
    }
    const result = await executeTransaction(dep.project, target.name, given, { ...common, logger: dep.loggers.transaction, connectorLogger: dep.loggers.connector });
    if (reply.sent) return;
    const status = result.meta.status;
    if (status !== undefined && status >= 400)
      throw new HttpError(502, 'BACKEND_STATUS', `${target.name} answered ${status}${result.meta.statusText ? ` ${result.meta.statusText}` : ''}`, { upstream: { status, body: result.data } });
    return sendResult(request, reply, result.data, response);
  } catch (e) {
    let error = e;
    const code = error instanceof HttpError ? error.code : toTrellisError(error).code;
    if (code !== 'UNAUTHORIZED' && code !== 'FORBIDDEN' && code !== 'TOO_BUSY') ctx.metrics.error(dep.name, target.name, code);
    if (reply.sent) return;
    // the client went away: nobody reads the answer, but the status tells the logs and metrics what happened
    if (watch.controller.signal.aborted && !watch.late) error = new HttpError(499, 'CLIENT_CLOSED', 'the client closed the connection before the result');
    sendError(request, reply, error);
  } finally {
    clearTimeout(timer);
    release?.();
    raw[kRun] = undefined;
    dep.drain.leave();
  }
}
