import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { isAbsolute, resolve } from 'node:path';
import { rootCertificates } from 'node:tls';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Env } from '../../engine/env.js';
import { resolveEnv } from '../../engine/env.js';
import { TrellisError } from '../../engine/errors.js';
import type { Logger } from '../../engine/logger.js';
import type { Transaction } from '../../model/connector.js';
import type { ConnectorHandle, ExecContext, TxResult, Vars } from '../connector-kind.js';
import { CallSignal, CancelWatch } from './call-signal.js';
import { httpConfigSchema, type HttpConfig } from './config.js';
import { networkError, type CallInfo } from './errors.js';
import { buildFileBody, buildRequest, compileTransaction, type CompiledTransaction, type RequestDefaults } from './request.js';
import { readResponse } from './response.js';
import { keepSessionCookies, withSessionCookies } from './session-cookies.js';

/**
 * One opened HTTP connector: settings validated and secrets resolved once, one axios instance over keep-alive
 * agents, and a cache of compiled transactions. Released by close().
 */

export interface OpenOptions {
  projectDir: string;
  logger: Logger;
  /** the connector's name, for messages ("connector catalog: ...") */
  name?: string;
}

function invalidConfig(where: string, issues: Array<{ path: PropertyKey[]; message: string }>): TrellisError {
  const text = issues.map((i) => `${i.path.map(String).join('.') || 'config'}: ${i.message}`).join('; ');
  return new TrellisError('INVALID_CONFIG', `${where}: ${text}`, { path: where, details: issues });
}

/** Validates the settings (defaults applied), resolves `${env:NAME}` references, then validates again. */
function settle(raw: unknown, env: Env, where: string): HttpConfig {
  const first = httpConfigSchema.safeParse(raw);
  if (!first.success) throw invalidConfig(where, first.error.issues);
  const resolved = resolveEnv(first.data, env, where);
  const second = httpConfigSchema.safeParse(resolved);
  if (!second.success) throw invalidConfig(where, second.error.issues);
  return second.data;
}

function requestDefaults(config: HttpConfig): RequestDefaults {
  const scheme = config.https ? 'https' : 'http';
  const port = config.port !== undefined && !/:\d+$/.test(config.host) ? `:${config.port}` : '';
  let basePath = config.basePath.trim().replace(/\/+$/, '');
  if (basePath && !basePath.startsWith('/')) basePath = `/${basePath}`;
  const headers: Record<string, string> = { ...config.headers };
  let queryKey: RequestDefaults['queryKey'];
  const auth = config.auth;
  if (auth.type === 'basic') headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
  else if (auth.type === 'bearer') headers.Authorization = `Bearer ${auth.token}`;
  else if (auth.type === 'apiKey') {
    if (auth.in === 'query') queryKey = { name: auth.name, value: auth.value };
    else headers[auth.name] = auth.value;
  }
  const sensitiveHeaders = auth.type === 'apiKey' && auth.in === 'header' ? [auth.name] : undefined;
  return { origin: `${scheme}://${config.host}${port}`, basePath, headers, queryKey, sensitiveHeaders };
}

function flatHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || v === null || typeof v === 'function') continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

export class HttpClient implements ConnectorHandle {
  private readonly compiled = new WeakMap<object, CompiledTransaction>();
  private readonly cancelWatch = new CancelWatch();
  private closed = false;

  private constructor(
    private readonly config: HttpConfig,
    private readonly defaults: RequestDefaults,
    private readonly agents: { http: http.Agent; https: https.Agent },
    private readonly client: AxiosInstance,
  ) {}

  static async open(raw: unknown, env: Env, options: OpenOptions): Promise<HttpClient> {
    const where = options.name ? `connector ${options.name}` : 'http connector';
    const config = settle(raw, env, where);

    let ca: string[] | undefined;
    if (config.tls.caFile) {
      const file = isAbsolute(config.tls.caFile) ? config.tls.caFile : resolve(options.projectDir, config.tls.caFile);
      try {
        ca = [...rootCertificates, await readFile(file, 'utf8')];
      } catch (e) {
        throw new TrellisError('INVALID_CONFIG', `${where}: tls.caFile ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { path: where, cause: e });
      }
    }
    if (!config.tls.rejectUnauthorized) options.logger.warn({ host: config.host }, `${where}: TLS certificates are not verified (tls.rejectUnauthorized: false)`);

    const agents = {
      http: new http.Agent({ keepAlive: config.keepAlive }),
      https: new https.Agent({ keepAlive: config.keepAlive, rejectUnauthorized: config.tls.rejectUnauthorized, ca }),
    };
    const client = axios.create({
      httpAgent: agents.http,
      httpsAgent: agents.https,
      maxRedirects: config.maxRedirects,
      maxContentLength: config.maxResponseBytes ?? -1,
      maxBodyLength: -1,
      responseType: 'arraybuffer',
      decompress: true,
      validateStatus: () => true,
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
    });
    return new HttpClient(config, requestDefaults(config), agents, client);
  }

  /** The transaction validated and prepared, once per transaction object. */
  private compile(tx: Transaction): CompiledTransaction {
    let c = this.compiled.get(tx);
    if (!c) {
      c = compileTransaction(tx, this.defaults);
      this.compiled.set(tx, c);
    }
    return c;
  }

  async execute(tx: Transaction, vars: Vars, ctx: ExecContext): Promise<TxResult> {
    if (this.closed) throw new TrellisError('INTERNAL', `transaction ${tx.name}: the connector was closed`);
    const c = this.compile(tx);
    const request = buildRequest(c, vars);
    if (c.bodyFromFiles) await buildFileBody(c, vars, request, ctx.projectDir, ctx.signal);

    const remaining = ctx.deadline - ctx.now();
    const timeoutBy = remaining < this.config.timeoutMs ? 'deadline' : 'connector';
    const call: CallInfo = {
      method: request.method,
      url: request.displayUrl,
      timeoutMs: Math.max(0, Math.min(this.config.timeoutMs, Math.round(remaining))),
      timeoutBy,
      maxRedirects: this.config.maxRedirects,
      maxResponseBytes: this.config.maxResponseBytes,
    };
    if (ctx.signal.aborted) throw networkError(ctx.signal.reason, call, 'cancel');
    if (call.timeoutMs <= 0) throw networkError(undefined, call, 'timeout');

    const abort = new CallSignal();
    const unwatch = this.cancelWatch.watch(ctx.signal, abort);
    const timer = setTimeout(() => abort.abort('timeout'), call.timeoutMs);

    const started = performance.now();
    let res: AxiosResponse<Buffer>;
    try {
      res = await this.client.request<Buffer>({
        method: request.method,
        url: request.url,
        headers: ctx.cookies ? withSessionCookies(ctx.cookies, request.url, request.headers) : request.headers,
        data: request.data,
        signal: abort,
        sensitiveHeaders: c.sensitiveHeaders,
      });
    } catch (e) {
      const error = networkError(e, call, abort.cause);
      ctx.logger.debug({ method: call.method, url: call.url, error: error.code, ms: Math.round(performance.now() - started) }, 'http call failed');
      throw error;
    } finally {
      clearTimeout(timer);
      unwatch();
    }
    const ms = Math.round((performance.now() - started) * 100) / 100;
    // after redirects, the cookies belong to the URL that answered
    if (ctx.cookies) keepSessionCookies(ctx.cookies, (res.request as { res?: { responseUrl?: string } } | undefined)?.res?.responseUrl ?? request.url, res.headers);
    ctx.logger.debug({ method: call.method, url: call.url, status: res.status, ms }, 'http call');
    const body = Buffer.isBuffer(res.data) ? res.data : Buffer.from(res.data ?? []);
    // after redirects, the URL that answered (follow-redirects sets it on the last response); kept masked when the query holds secrets
    const finalUrl = c.maskQuery ? undefined : (res.request as { res?: { responseUrl?: string } } | undefined)?.res?.responseUrl;
    return readResponse(
      c.type,
      { status: res.status, statusText: res.statusText, headers: flatHeaders(res.headers), body, method: call.method, url: finalUrl ?? call.url, ms },
      ctx.logger,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
