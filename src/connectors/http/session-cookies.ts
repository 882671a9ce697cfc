import type { AxiosResponse } from 'axios';
import type { CookieJar } from '../connector-kind.js';

/**
 * A stateful session's backend cookies on one HTTP call: the jar's matching cookies join the Cookie header the
 * transaction builds (its own cookie variables first), and the response's Set-Cookie headers go back to the jar.
 */

export function withSessionCookies(jar: CookieJar, url: string, headers: Record<string, string>): Record<string, string> {
  const kept = jar.cookieHeader(url);
  if (!kept) return headers;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === 'cookie');
  const own = key === undefined ? '' : headers[key]!;
  const out = { ...headers };
  if (key !== undefined) delete out[key];
  out.Cookie = own ? `${own}; ${kept}` : kept;
  return out;
}

export function keepSessionCookies(jar: CookieJar, url: string, headers: AxiosResponse['headers']): void {
  const raw = (headers as Record<string, unknown>)['set-cookie'];
  const values = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
  if (values.length) jar.store(url, values);
}
