import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ContractError } from '../contract/index.js';
import type { Dispatcher } from '../service/dispatch.js';
import { SECURITY_HEADERS } from './static-files.js';

export const MAX_BODY_BYTES = 20 * 1024 * 1024;

const STATUS_BY_CODE: Record<string, number> = {
  BAD_PARAMS: 400,
  BAD_JSON: 400,
  BAD_VARIABLE: 400,
  INVALID_CONFIG: 400,
  INVALID_PROJECT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_METHOD: 404,
  METHOD_NOT_ALLOWED: 405,
  TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

/** Client mistakes are 4xx, the engine's own failures 500; the JSON body says which exactly. */
export function httpStatus(code: string): number {
  return STATUS_BY_CODE[code] ?? 500;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ContractError, headers: Record<string, string> = {}): void {
  sendJson(res, httpStatus(error.code), { ok: false, error }, headers);
}

class TooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return reject(new TooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new TooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** `POST /api/<method>`: JSON params in, the dispatcher's `{ ok, result | error }` out. */
export async function handleApiCall(req: IncomingMessage, res: ServerResponse, method: string, dispatcher: Dispatcher, limit = MAX_BODY_BYTES): Promise<void> {
  if (req.method !== 'POST') return sendError(res, { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed: call ${method} with POST and a JSON body` }, { Allow: 'POST' });
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type))
    return sendError(res, { code: 'UNSUPPORTED_MEDIA_TYPE', message: `the body must be JSON sent as Content-Type: application/json (got ${type || 'no Content-Type'})` });
  let body: Buffer;
  try {
    body = await readBody(req, limit);
  } catch (e) {
    if (e instanceof TooLarge) return sendError(res, { code: 'TOO_LARGE', message: `the request body is larger than ${limit} bytes` }, { Connection: 'close' });
    throw e;
  }
  let params: unknown = {};
  const text = body.toString('utf8');
  if (text.trim()) {
    try {
      params = JSON.parse(text);
    } catch (e) {
      return sendError(res, { code: 'BAD_JSON', message: `the request body is not valid JSON: ${(e as Error).message}` });
    }
  }
  const response = await dispatcher.dispatch(method, params);
  if (response.ok) sendJson(res, 200, response);
  else sendError(res, response.error);
}
