import http from 'node:http';
import https from 'node:https';
import type { Result } from '../contract/index.js';
import { TrellisError } from '../engine/errors.js';

/**
 * Uploads a bundle to a runtime's admin API (src/runtime/admin.ts): POST <origin>/admin/bundles, the bytes as
 * the body, `Authorization: Bearer <token>`. Every failure becomes one message saying what to fix: the server
 * cannot be reached, the token is refused, the admin API is off, or the server refused the bundle (its reason).
 */

export interface UploadOptions {
  /** the runtime's URL (http://host:port, optionally with a path prefix), or its /admin/bundles URL */
  url: string;
  token: string;
  bytes: Buffer;
  signal?: AbortSignal;
  onProgress?: (p: { phase: 'upload' | 'deploy'; done?: number; total?: number }) => void;
  /** how long to wait for the server's answer once the upload is sent (it verifies and loads the bundle) */
  timeoutMs?: number;
}

const CHUNK = 64 * 1024;
/** The runtime answers with a small JSON: anything longer is not it, and reading on would exhaust the studio's memory. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/** The admin endpoint and the runtime's origin of what the user typed. */
export function adminEndpoint(raw: string): { endpoint: URL; server: string } {
  let url: URL;
  const text = raw.trim();
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new TrellisError('INVALID_CONFIG', `"${raw}" is not a server URL: write it as http://host:port (the runtime's address)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TrellisError('INVALID_CONFIG', `"${raw}": the server URL must start with http:// or https://`);
  if (url.username || url.password) throw new TrellisError('INVALID_CONFIG', `"${raw}": put no credentials in the URL; the admin token goes in the token field`);
  const base = url.pathname.replace(/\/+$/, '').replace(/\/admin\/bundles$/, '');
  const server = `${url.origin}${base}`;
  return { endpoint: new URL(`${server}/admin/bundles`), server };
}

interface Answer {
  status: number;
  body: unknown;
  text: string;
}

function serverMessage(answer: Answer): string {
  const error = (answer.body as { error?: { message?: unknown } } | undefined)?.error;
  if (typeof error?.message === 'string') return error.message;
  return answer.text.trim().slice(0, 300) || `HTTP ${answer.status}`;
}

function networkFailure(e: NodeJS.ErrnoException, server: string): TrellisError {
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED') return new TrellisError('CONNECTION_REFUSED', `cannot reach ${server}: the connection was refused (is the runtime started, on this host and port?)`, { cause: e });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new TrellisError('DNS', `cannot reach ${server}: the host name does not resolve (${code})`, { cause: e });
  if (code === 'ETIMEDOUT' || code === 'TIMEOUT') return new TrellisError('TIMEOUT', `cannot reach ${server}: no answer in time`, { cause: e });
  if (/CERT|SSL|TLS/i.test(code)) return new TrellisError('TLS', `cannot reach ${server}: TLS failed (${code}: ${e.message})`, { cause: e });
  return new TrellisError('NETWORK', `cannot reach ${server}: ${e.message}${code ? ` (${code})` : ''}`, { cause: e });
}

function send(endpoint: URL, server: string, options: UploadOptions): Promise<Answer> {
  const { bytes, onProgress, signal } = options;
  const client = endpoint.protocol === 'https:' ? https : http;
  return new Promise<Answer>((done, fail) => {
    const request = client.request(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/vnd.trellis.bundle', 'content-length': String(bytes.length), accept: 'application/json' },
      signal,
      timeout: options.timeoutMs ?? 120_000,
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('no answer in time'), { code: 'TIMEOUT' })));
    request.on('error', (e: NodeJS.ErrnoException) => {
      if (signal?.aborted) fail(new TrellisError('CANCELLED', `deploy to ${server} cancelled`));
      else fail(networkFailure(e, server));
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_ANSWER_BYTES) return void chunks.push(c);
        fail(new TrellisError('BAD_RESPONSE', `${server} answered, but its answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MB: is this the runtime's URL?`, { path: endpoint.href }));
        request.destroy();
      });
      response.on('error', (e: NodeJS.ErrnoException) => fail(networkFailure(e, server)));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        done({ status: response.statusCode ?? 0, body, text });
      });
    });
    // written in chunks so the studio can show how much is sent; the server verifies once it has it all
    let offset = 0;
    const pump = (): void => {
      while (offset < bytes.length) {
        const end = Math.min(offset + CHUNK, bytes.length);
        const more = request.write(bytes.subarray(offset, end));
        offset = end;
        onProgress?.({ phase: 'upload', done: offset, total: bytes.length });
        if (!more) return void request.once('drain', pump);
      }
      onProgress?.({ phase: 'deploy' });
      request.end();
    };
    pump();
  });
}

interface Described {
  name: string;
  version: string;
  sequences?: string[];
  transactions?: string[];
  mappings?: number;
  mappingBase?: string;
  missingEnv?: string[];
}

export async function uploadBundle(options: UploadOptions): Promise<Result<'bundle.deploy'>> {
  const { endpoint, server } = adminEndpoint(options.url);
  const answer = await send(endpoint, server, options);
  const { status } = answer;
  if (status === 401 || status === 403)
    throw new TrellisError('UNAUTHORIZED', `${server} refused the admin token (${status}): check the token, it is the runtime's TRELLIS_ADMIN_TOKEN`, { path: endpoint.href });
  if (status === 404)
    throw new TrellisError('NOT_FOUND', `${server} has no admin API (404 on /admin/bundles): start the runtime with TRELLIS_ADMIN_TOKEN set, or check the URL`, { path: endpoint.href });
  if (status === 413) throw new TrellisError('INVALID_BUNDLE', `${server} refused the bundle: it is larger than the server accepts (413)`, { path: endpoint.href });
  if (status === 415 || status === 422) throw new TrellisError('INVALID_BUNDLE', `${server} refused the bundle: ${serverMessage(answer)}`, { path: endpoint.href, details: answer.body });
  if (status !== 200 && status !== 201) throw new TrellisError('DEPLOY_FAILED', `${server} could not deploy the bundle (${status}): ${serverMessage(answer)}`, { path: endpoint.href, details: answer.body });
  const body = answer.body as { deployed?: Described; replaced?: { version?: string } | null } | undefined;
  const d = body?.deployed;
  if (!d || typeof d.name !== 'string' || typeof d.version !== 'string')
    throw new TrellisError('BAD_RESPONSE', `${server} answered ${status} but not as a Trellis runtime (no "deployed" in the body): is this the runtime's URL?`, { path: endpoint.href });
  return {
    deployed: d.name,
    version: d.version,
    replaced: typeof body.replaced?.version === 'string' ? body.replaced.version : null,
    server,
    sequences: d.sequences ?? [],
    transactions: d.transactions ?? [],
    mappings: d.mappings ?? 0,
    mappingBase: d.mappingBase ?? '/',
    openapi: `${server}/projects/${encodeURIComponent(d.name)}/openapi.json`,
    missingEnv: d.missingEnv ?? [],
  };
}
