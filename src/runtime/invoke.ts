import type { FastifyReply, FastifyRequest } from 'fastify';
import { TrellisError, toTrellisError } from '../engine/errors.js';
import { executeTransaction } from '../engine/execute-transaction.js';
import { executeSequence } from '../engine/sequence/index.js';
import type { Json, MappingRoute, Sequence } from '../model/index.js';
import { checkRoles } from './auth.js';
import type { Deployment } from './deployments.js';
import { HttpError, sendError } from './errors.js';
import type { Metrics } from './metrics.js';
import { loadSession, saveSession, type SessionContext } from './session-run.js';
import type { SessionStore } from './sessions.js';

/** What every handler shares: metrics and the session store. */
export interface ServeContext {
  metrics: Metrics;
  sessions: SessionStore;
  secureCookies: boolean;
}

export type Target = { kind: 'sequence'; name: string; sequence: Sequence } | { kind: 'transaction'; name: string };

const JSON_TYPE = 'application/json; charset=utf-8';

function isEmpty(v: Json | undefined): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/** Writes a result: JSON with the route's status and headers; the route's emptyStatus for an empty one. */
function sendResult(request: FastifyRequest, reply: FastifyReply, output: Json | undefined, response: MappingRoute['response']): void {
  if (response?.headers) reply.headers(response.headers);
  if (response?.emptyStatus !== undefined && isEmpty(output)) {
    const status = response.emptyStatus;
    if (status === 204) return void reply.code(204).send();
    const code = status === 404 ? 'NOT_FOUND' : 'EMPTY_RESULT';
    return void reply.code(status).type(JSON_TYPE).send(JSON.stringify({ error: { code, message: `no result for ${request.method} ${request.url.split('?')[0]}`, requestId: String(request.id) } }));
  }
  reply.code(response?.status ?? 200).type(JSON_TYPE).send(JSON.stringify(output ?? null));
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
  let timer: NodeJS.Timeout | undefined;
  let hardTimer: NodeJS.Timeout | undefined;
  const controller = new AbortController();
  let late = false;
  const onClose = () => {
    if (!reply.raw.writableFinished) controller.abort();
  };
  try {
    const caller = await dep.auth.authenticate(request.headers);
    if (target.kind === 'sequence') checkRoles(caller, target.sequence.roles, `sequence ${target.name}`);
    release = dep.limiter.acquire(`${target.kind} ${target.name}`);
    let session: SessionContext | undefined;
    if (target.kind === 'sequence' && target.sequence.stateful) {
      session = await loadSession(ctx.sessions, dep, target.sequence, request.headers.cookie, given);
      given = session.variables;
    }
    reply.raw.once('close', onClose);
    const hard = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        late = true;
        controller.abort();
        // the engine honours the signal; this only answers if something below it does not
        hardTimer = setTimeout(() => reject(new TrellisError('TIMEOUT', `no result within the ${dep.timeoutMs} ms deadline`)), 1000);
      }, dep.timeoutMs);
    });
    const common = { env: dep.env, pool: dep.pool, signal: controller.signal, timeoutMs: dep.timeoutMs, runId: String(request.id) };
    if (target.kind === 'sequence') {
      const run = executeSequence(dep.project, target.name, given, { ...common, logger: dep.loggers.sequence, session: session?.data });
      const result = await Promise.race([run, hard]);
      if (session) await saveSession(ctx, dep, session, reply);
      return sendResult(request, reply, result.output, response);
    }
    const run = executeTransaction(dep.project, target.name, given, { ...common, logger: dep.loggers.transaction, connectorLogger: dep.loggers.connector });
    const result = await Promise.race([run, hard]);
    const status = result.meta.status;
    if (status !== undefined && status >= 400)
      throw new HttpError(502, 'BACKEND_STATUS', `${target.name} answered ${status}${result.meta.statusText ? ` ${result.meta.statusText}` : ''}`, { upstream: { status, body: result.data } });
    return sendResult(request, reply, result.data, response);
  } catch (e) {
    let error = e;
    if (late && !(e instanceof HttpError) && toTrellisError(e).code !== 'TIMEOUT')
      error = new TrellisError('TIMEOUT', `${target.kind} ${target.name}: no result within the ${dep.timeoutMs} ms deadline`);
    const code = error instanceof HttpError ? error.code : toTrellisError(error).code;
    if (code !== 'UNAUTHORIZED' && code !== 'FORBIDDEN' && code !== 'TOO_BUSY') ctx.metrics.error(dep.name, target.name, code);
    // the client went away: nobody reads the answer, but the status tells the logs and metrics what happened
    if (controller.signal.aborted && !late) error = new HttpError(499, 'CLIENT_CLOSED', 'the client closed the connection before the result');
    sendError(request, reply, error);
  } finally {
    clearTimeout(timer);
    clearTimeout(hardTimer);
    release?.();
    reply.raw.off('close', onClose);
    dep.drain.leave();
  }
}
