import { TrellisError, type ErrorCode } from '../../engine/errors.js';

/**
 * A failed HTTP call (no response at all) into a TrellisError with a one-line message a person can act on.
 * An HTTP error status is not a failure: it is a result (see response.ts).
 */

export interface CallInfo {
  method: string;
  /** the URL to show (secrets masked) */
  url: string;
  timeoutMs: number;
  /** what set the time limit: the connector's timeoutMs or the run's deadline */
  timeoutBy: 'connector' | 'deadline';
  maxRedirects: number;
  maxResponseBytes?: number;
}

const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);
const UNKNOWN_CA = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED', 'INVALID_CA']);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const TLS_OTHER = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_REVOKED', 'CERT_SIGNATURE_FAILURE', 'CERT_REJECTED', 'ERR_TLS_HANDSHAKE_TIMEOUT', 'HOSTNAME_MISMATCH']);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);

interface ErrnoLike {
  code?: unknown;
  message?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  cause?: unknown;
}

/** The innermost useful error: axios wraps Node's, which may wrap another. */
function chain(e: unknown): ErrnoLike[] {
  const out: ErrnoLike[] = [];
  for (let x = e, n = 0; x && typeof x === 'object' && n < 5; x = (x as ErrnoLike).cause, n++) out.push(x as ErrnoLike);
  return out;
}

function pick<K extends keyof ErrnoLike>(errors: ErrnoLike[], key: K): string | undefined {
  for (const e of errors) {
    const v = e[key];
    if (v !== undefined && v !== null && v !== '') return String(v);
  }
  return undefined;
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return u.port ? u.host : `${u.host}:${u.protocol === 'https:' ? 443 : 80}`;
  } catch {
    return url;
  }
}

const DEV_ONLY = 'or tls.rejectUnauthorized: false for development only';

export function networkError(e: unknown, call: CallInfo, abortedBy?: 'timeout' | 'cancel'): TrellisError {
  const errors = chain(e);
  const code = errors.map((x) => (typeof x.code === 'string' ? x.code : undefined)).find((c) => c && c !== 'ERR_BAD_RESPONSE' && c !== 'ERR_BAD_REQUEST') ?? pick(errors, 'code');
  const message = pick(errors, 'message') ?? String(e);
  const what = `(${call.method} ${call.url})`;
  const address = pick(errors, 'address');
  const port = pick(errors, 'port');
  const peer = address ? (port ? `${address}:${port}` : address) : hostOf(call.url);
  // The cause is a plain copy: the client's error carries the request config, headers (secrets) included.
  const cause = Object.assign(new Error(message), { code });
  const make = (c: ErrorCode, text: string) => new TrellisError(c, text, { cause, details: { code, method: call.method, url: call.url } });

  if (abortedBy === 'cancel') return make('CANCELLED', `${call.method} ${call.url} was cancelled`);
  if (abortedBy === 'timeout' || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    const hint = call.timeoutBy === 'connector' ? 'raise timeoutMs on the connector if the server is just slow' : "the run's deadline was reached";
    return make('TIMEOUT', `no answer from ${hostOf(call.url)} within ${call.timeoutMs} ms ${what}; ${hint}`);
  }
  if (code === 'ERR_CANCELED') return make('CANCELLED', `${call.method} ${call.url} was cancelled`);
  if (code === 'ECONNREFUSED') return make('CONNECTION_REFUSED', `connection refused by ${peer} ${what}; is the server running, and are host and port right?`);
  if (code && DNS.has(code)) {
    const host = pick(errors, 'hostname') ?? hostOf(call.url).replace(/:\d+$/, '');
    return make('DNS', `cannot resolve host ${host} (${code}) ${what}; check the connector's host and the network`);
  }
  if (code && SELF_SIGNED.has(code))
    return make('TLS', `${hostOf(call.url)} presents a self-signed certificate (${code}) ${what}; if you trust it, set tls.caFile to its certificate, ${DEV_ONLY}`);
  if (code && UNKNOWN_CA.has(code))
    return make('TLS', `${hostOf(call.url)} presents a certificate from an unknown authority (${code}) ${what}; set tls.caFile to the PEM of that authority, ${DEV_ONLY}`);
  if (code && EXPIRED.has(code))
    return make('TLS', `${hostOf(call.url)} presents a certificate that is expired or not yet valid (${code}) ${what}; renew it on the server, ${DEV_ONLY}`);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH')
    return make('TLS', `the certificate of ${hostOf(call.url)} does not name this host (${code}: ${message}) ${what}; use a host name the certificate lists, ${DEV_ONLY}`);
  if ((code && (TLS_OTHER.has(code) || /^ERR_SSL_|^ERR_TLS_|CERT/.test(code))) || (code === 'EPROTO' && /ssl|tls/i.test(message))) {
    const plain = /wrong version number|packet length too long|http request/i.test(message) ? '; is the server speaking https on this port? check https and port' : `; check tls.caFile, ${DEV_ONLY}`;
    return make('TLS', `TLS handshake with ${hostOf(call.url)} failed (${code}: ${message}) ${what}${plain}`);
  }
  if (code === 'ERR_FR_TOO_MANY_REDIRECTS')
    return make('BAD_RESPONSE', `more than ${call.maxRedirects} redirects ${what}; raise maxRedirects on the connector or check where the server sends you`);
  if (/maxContentLength size of/.test(message))
    return make('BAD_RESPONSE', `the response is larger than maxResponseBytes (${call.maxResponseBytes} bytes) ${what}; raise maxResponseBytes on the connector`);
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(message))
    return make('NETWORK', `connection closed by ${peer} before the response was complete (${code ?? message}) ${what}`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return make('NETWORK', `${peer} is unreachable (${code}) ${what}; check the network, VPN or firewall`);
  return make('NETWORK', `request failed: ${message}${code && !message.includes(code) ? ` (${code})` : ''} ${what}`);
}
