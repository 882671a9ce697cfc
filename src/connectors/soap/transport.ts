import http from 'node:http';
import https from 'node:https';
import type { AxiosResponse } from 'axios';
import { HttpClient } from 'soap';
import { decodeText } from '../http/charset.js';

/**
 * The HTTP side of the `soap` package, kept but observed: the package builds the envelope and the headers
 * (SOAPAction, Content-Type, security) and sends them with its own HttpClient over our keep-alive agents;
 * for a call, the response (status, headers, raw bytes) comes back to the connector, which reads it with the
 * shared XML → JSON mapping instead of the package's parser. A call is recognized by the options object the
 * connector handed to the package (the package passes it through as `exoptions`).
 */

export interface Exchange {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer;
  /** the envelope sent */
  request: string;
  url: string;
}

interface Sink {
  request?: string;
  url?: string;
  settle(error: unknown, exchange?: Exchange): void;
}

type Loose = Record<string, any>;

/** Thrown by the package while it wrote the request (before anything was sent): the values do not fit the message. */
export class RequestWriteError extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = 'RequestWriteError';
  }
}

function flatHeaders(headers: AxiosResponse['headers'] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined || v === null || typeof v === 'function') continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return Buffer.alloc(0);
}

export class ObservedHttpClient extends HttpClient {
  private readonly sinks = new WeakMap<object, Sink>();
  readonly agents: { http: http.Agent; https: https.Agent };

  /** per-request options that replace an axios instance of our own (see request) */
  private readonly transportOptions: Loose;

  constructor(keepAlive: boolean) {
    // The package's own axios instance, given our agents and raw bytes per request: an instance of our own
    // (another copy of axios, ESM) made each call measurably slower (bench/soap.bench.ts).
    super({});
    this.agents = { http: new http.Agent({ keepAlive }), https: new https.Agent({ keepAlive }) };
    this.transportOptions = { httpAgent: this.agents.http, httpsAgent: this.agents.https, responseType: 'arraybuffer', maxContentLength: -1, maxBodyLength: -1, decompress: true };
  }

  /** Runs `send` (which calls a method of the package's client with `options`) and resolves with what came back. */
  exchange(options: object, send: () => void): Promise<Exchange> {
    return new Promise<Exchange>((resolve, reject) => {
      let done = false;
      const sink: Sink = {
        settle: (error, exchange) => {
          if (done) return;
          done = true;
          this.sinks.delete(options);
          if (exchange) resolve(exchange);
          else reject(error);
        },
      };
      this.sinks.set(options, sink);
      try {
        send();
      } catch (e) {
        sink.settle(new RequestWriteError(e));
      }
    });
  }

  override request(rurl: string, data: any, callback: (error: any, res?: any, body?: any) => any, exheaders?: Loose, exoptions?: Loose): any {
    const sink = exoptions ? this.sinks.get(exoptions) : undefined;
    const options = { ...exoptions, ...this.transportOptions };
    if (!sink) {
      // the WSDL and its imports, fetched by the package: it wants text
      return super.request(rurl, data, (error, res, body) => callback(error, res, Buffer.isBuffer(body) ? decodeText(body, res?.headers?.['content-type'], true).text : body), exheaders, options);
    }
    sink.request = typeof data === 'string' ? data : String(data ?? '');
    sink.url = rurl;
    return super.request(
      rurl,
      data,
      (error, res: AxiosResponse | undefined) => {
        if (error || !res) return sink.settle(error ?? new Error('no response'));
        sink.settle(undefined, {
          status: res.status,
          statusText: res.statusText ?? '',
          headers: flatHeaders(res.headers),
          body: toBuffer(res.data),
          request: sink.request ?? '',
          url: rurl,
        });
      },
      exheaders,
      options,
    );
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
