import { isAbsolute, resolve } from 'node:path';
import { BasicAuthSecurity, createClientAsync, WSSecurity, type Client } from 'soap';
import type { Env } from '../../engine/env.js';
import { resolveEnv } from '../../engine/env.js';
import { TrellisError } from '../../engine/errors.js';
import type { Logger } from '../../engine/logger.js';
import type { Transaction } from '../../model/connector.js';
import type { Variable } from '../../model/variable.js';
import type { ConnectorHandle, ExecContext, TxResult, Vars } from '../connector-kind.js';
import { CallSignal, CancelWatch } from '../http/call-signal.js';
import { networkError, type CallInfo } from '../http/errors.js';
import { soapConfigSchema, soapTransactionSchema, type SoapConfig, type SoapTransaction } from './config.js';
import { replaceBody, resolveOperation, type ResolvedOperation } from './operation.js';
import { readExchange } from './response.js';
import { ObservedHttpClient, RequestWriteError, type Exchange } from './transport.js';
import { headerXml, isHeader, soapArgs, wireOf } from './values.js';

/**
 * One opened SOAP connector: settings validated and secrets resolved once, the WSDL parsed once by the `soap`
 * package into one client, operations looked up once per transaction. Released by close().
 */

export interface OpenOptions {
  projectDir: string;
  logger: Logger;
  name?: string;
}

const HTTP = /^https?:\/\//i;

function invalidConfig(where: string, issues: Array<{ path: PropertyKey[]; message: string }>): TrellisError {
  const text = issues.map((i) => `${i.path.map(String).join('.') || 'config'}: ${i.message}`).join('; ');
  return new TrellisError('INVALID_CONFIG', `${where}: ${text}`, { path: where, details: issues });
}

function settle(raw: unknown, env: Env, where: string): SoapConfig {
  const first = soapConfigSchema.safeParse(raw);
  if (!first.success) throw invalidConfig(where, first.error.issues);
  const second = soapConfigSchema.safeParse(resolveEnv(first.data, env, where));
  if (!second.success) throw invalidConfig(where, second.error.issues);
  return second.data;
}

/** Where the WSDL is: a URL as given, a path resolved against the project folder. */
export function wsdlLocation(wsdl: string, projectDir: string): string {
  return HTTP.test(wsdl) ? wsdl : isAbsolute(wsdl) ? wsdl : resolve(projectDir, wsdl);
}

function wsdlError(e: unknown, where: string, location: string, timeoutMs: number): TrellisError {
  const code = (e as { code?: unknown })?.code;
  if (code === 'ENOENT') return new TrellisError('INVALID_CONFIG', `${where}: the WSDL ${location} does not exist; check config.wsdl (relative to the project folder)`, { path: where });
  if (HTTP.test(location) && typeof code === 'string' && code !== 'ERR_BAD_RESPONSE') {
    const net = networkError(e, { method: 'GET', url: location, timeoutMs, timeoutBy: 'connector', maxRedirects: 5 });
    return new TrellisError(net.code, `${where}: cannot fetch the WSDL: ${net.message}`, { path: where, cause: net });
  }
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return new TrellisError('INVALID_CONFIG', `${where}: the WSDL ${location} cannot be read by the soap package: ${message}`, { path: where, cause: e });
}

interface Prepared {
  tx: SoapTransaction;
  op: ResolvedOperation;
  arrays: ReadonlySet<string>;
}

export class SoapHandle implements ConnectorHandle {
  private readonly operations = new WeakMap<object, Prepared>();
  private readonly cancelWatch = new CancelWatch();
  /** the SOAP header blocks of the call being sent (the package asks for them synchronously while it builds the envelope) */
  private currentHeaders = '';
  private closed = false;

  private constructor(
    private readonly config: SoapConfig,
    private readonly client: Client,
    private readonly http: ObservedHttpClient,
    private readonly where: string,
  ) {
    client.addSoapHeader(() => this.currentHeaders);
    const auth = config.auth;
    if (auth.type === 'basic') client.setSecurity(new BasicAuthSecurity(auth.username, auth.password));
    else if (auth.type === 'wsSecurity')
      client.setSecurity(new WSSecurity(auth.username, auth.password, { passwordType: auth.passwordType, hasTimeStamp: auth.timestamp, hasNonce: auth.passwordType === 'PasswordDigest', hasTokenCreated: true }));
    if (config.endpoint) client.setEndpoint(config.endpoint);
  }

  static async open(raw: unknown, env: Env, options: OpenOptions): Promise<SoapHandle> {
    const where = options.name ? `connector ${options.name}` : 'soap connector';
    const config = settle(raw, env, where);
    const location = wsdlLocation(config.wsdl, options.projectDir);
    const http = new ObservedHttpClient(config.keepAlive);
    const basic = config.auth.type === 'basic' ? { Authorization: `Basic ${Buffer.from(`${config.auth.username}:${config.auth.password}`, 'utf8').toString('base64')}` } : undefined;
    let client: Client;
    try {
      client = await createClientAsync(location, {
        httpClient: http,
        disableCache: true,
        forceSoap12Headers: config.binding === 'soap12',
        wsdl_options: { timeout: config.timeoutMs },
        ...(basic ? { wsdl_headers: basic } : {}),
      });
    } catch (e) {
      http.close();
      throw wsdlError(e, where, location, config.timeoutMs);
    }
    return new SoapHandle(config, client, http, where);
  }

  /** The transaction validated and its operation looked up, once per transaction object. */
  private operation(tx: Transaction): Prepared {
    let found = this.operations.get(tx);
    if (!found) {
      const parsed = soapTransactionSchema.safeParse(tx);
      if (!parsed.success) throw invalidConfig(`${this.where}, transaction ${tx.name}`, parsed.error.issues);
      const op = resolveOperation(this.client, parsed.data, { where: this.where, service: this.config.service, port: this.config.port });
      found = { tx: parsed.data, op, arrays: new Set(parsed.data.arrays ?? []) };
      this.operations.set(tx, found);
    }
    return found;
  }

  async execute(transaction: Transaction, vars: Vars, ctx: ExecContext): Promise<TxResult> {
    if (this.closed) throw new TrellisError('INTERNAL', `transaction ${transaction.name}: the connector was closed`);
    const { tx, op, arrays } = this.operation(transaction);
    const variables = tx.variables as Variable[];
    const args = op.noInput ? null : soapArgs(variables, vars, op.simple);
    let headers = '';
    try {
      for (const v of variables) if (isHeader(v) && vars[v.name] !== undefined) headers += headerXml(wireOf(v), vars[v.name], op.qualified.get(wireOf(v)) ?? false);
    } catch (e) {
      throw new TrellisError('BAD_VARIABLE', `transaction ${tx.name}: a SOAP header variable cannot be written as XML: ${(e as Error).message}`, { path: tx.name });
    }

    const url = this.config.endpoint ?? op.location;
    const remaining = ctx.deadline - ctx.now();
    const call: CallInfo = {
      method: 'POST',
      url,
      timeoutMs: Math.max(0, Math.min(this.config.timeoutMs, Math.round(remaining))),
      timeoutBy: remaining < this.config.timeoutMs ? 'deadline' : 'connector',
      maxRedirects: 5,
    };
    if (ctx.signal.aborted) throw networkError(ctx.signal.reason, call, 'cancel');
    if (call.timeoutMs <= 0) throw networkError(undefined, call, 'timeout');

    const abort = new CallSignal();
    const unwatch = this.cancelWatch.watch(ctx.signal, abort);
    const timer = setTimeout(() => abort.abort('timeout'), call.timeoutMs);
    const options: Record<string, unknown> = { signal: abort };
    const body = op.body;
    if (body) options.postProcess = (xml: string) => replaceBody(xml, body(args));
    const started = performance.now();
    let exchange: Exchange;
    try {
      exchange = await this.http.exchange(options, () => {
        this.currentHeaders = headers;
        try {
          op.method(args, () => undefined, options, this.config.headers);
        } finally {
          this.currentHeaders = '';
        }
      });
    } catch (e) {
      if (e instanceof RequestWriteError)
        throw new TrellisError('BAD_VARIABLE', `transaction ${tx.name}: the soap package cannot write the request for ${tx.operation}: ${e.message}`, { path: tx.name, cause: e.reason });
      const error = networkError(e, call, abort.cause);
      ctx.logger.debug({ url, operation: tx.operation, error: error.code, ms: Math.round(performance.now() - started) }, 'soap call failed');
      throw error;
    } finally {
      clearTimeout(timer);
      unwatch();
    }
    const ms = Math.round((performance.now() - started) * 100) / 100;
    if (ctx.logger.isLevelEnabled('debug')) ctx.logger.debug({ url, operation: tx.operation, status: exchange.status, ms }, 'soap call');
    return readExchange(exchange, { ms, oneWay: op.oneWay, arrays, what: `${tx.operation} (POST ${url})` });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.http.close();
  }
}
