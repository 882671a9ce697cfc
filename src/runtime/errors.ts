import type { FastifyReply, FastifyRequest } from 'fastify';
import { TrellisError } from '../engine/errors.js';

/**
 * Every error the runtime answers has one JSON shape, never a stack trace:
 *   { "error": { "code", "message", "details"?, "upstream"?, "requestId" } }
 */

/** An error with its HTTP status, raised by the runtime itself (auth, limits, routing, bodies). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { details?: unknown; upstream?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Engine error codes → HTTP statuses; a code not listed is a 500. */
const STATUS_BY_CODE: Record<string, number> = {
  BAD_VARIABLE: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  // a file step asked for a path outside the project's files/ folder
  FILE_ACCESS: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CONNECTION_REFUSED: 502,
  NETWORK: 502,
  DNS: 502,
  TLS: 502,
  BAD_RESPONSE: 502,
  BACKEND_STATUS: 502,
  TIMEOUT: 504,
};

/** Codes whose message is written for people; an INTERNAL error's message may hold anything and is not shown. */
const HIDDEN = new Set(['INTERNAL']);

export function statusOf(code: string): number {
  return STATUS_BY_CODE[code] ?? 500;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; upstream?: unknown; requestId: string };
}

/** Upstream status (and, for an exposed transaction, body) of a BACKEND_STATUS error raised in a sequence. */
function upstreamOf(e: TrellisError): unknown {
  const d = e.details as { status?: unknown } | undefined;
  return d && typeof d === 'object' && typeof d.status === 'number' ? { status: d.status } : undefined;
}

/** The status and body for anything thrown while serving a request. */
export function errorResponse(e: unknown, requestId: string): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (e instanceof HttpError) {
    const body: ErrorBody = { error: { code: e.code, message: e.message, requestId } };
    if (e.extra.details !== undefined) body.error.details = e.extra.details;
    if (e.extra.upstream !== undefined) body.error.upstream = e.extra.upstream;
    return { status: e.status, body, headers: e.extra.headers };
  }
  if (e instanceof TrellisError) {
    const status = statusOf(e.code);
    const message = HIDDEN.has(e.code) ? `internal error (request ${requestId}; the server log has the details)` : e.message;
    const body: ErrorBody = { error: { code: e.code, message, requestId } };
    if (e.code === 'BAD_VARIABLE' && Array.isArray(e.details)) body.error.details = e.details;
    if (e.code === 'BACKEND_STATUS') body.error.upstream = upstreamOf(e);
    return { status, body };
  }
  const fastifyStatus = (e as { statusCode?: unknown })?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) return { status: fastifyStatus, body: { error: { ...frameworkError(e as Error, fastifyStatus), requestId } } };
  return { status: 500, body: { error: { code: 'INTERNAL', message: `internal error (request ${requestId}; the server log has the details)`, requestId } } };
}

/** Fastify's own 4xx errors (body parsing, limits) in words a caller understands. */
function frameworkError(e: Error, status: number): { code: string; message: string } {
  const code = (e as { code?: string }).code ?? '';
  if (status === 413) return { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is larger than this server accepts' };
  if (status === 415) return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send variables as application/json, application/x-www-form-urlencoded or in the query string' };
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e instanceof SyntaxError || /JSON/.test(e.message)) return { code: 'BAD_REQUEST', message: 'the body is not valid JSON' };
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return { code: 'BAD_REQUEST', message: 'the body is empty but Content-Type says application/json' };
  return { code: 'BAD_REQUEST', message: e.message };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, e: unknown): FastifyReply {
  const { status, body, headers } = errorResponse(e, String(request.id));
  if (status >= 500) request.log.error({ err: e, reqId: request.id }, body.error.message);
  if (headers) reply.headers(headers);
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}
