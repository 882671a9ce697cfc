import type { CookieJar } from '../connectors/connector-kind.js';

/**
 * The backend cookies of a stateful session (RFC 6265, the parts a server-side client needs): what HTTP backends
 * set with Set-Cookie is kept per domain and path, with its expiry, and sent back to the matching URLs. It lives
 * in the session store as plain JSON, so another runtime process sharing the store continues the conversation.
 */

export interface StoredCookie {
  name: string;
  value: string;
  /** the host it was set by (hostOnly) or the Domain attribute, lower case, no leading dot */
  domain: string;
  hostOnly: boolean;
  path: string;
  /** epoch ms; absent: until the session ends */
  expires?: number;
  secure: boolean;
}

/** Bounds that keep one chatty backend from filling the session store. */
export const MAX_COOKIES = 100;
export const MAX_COOKIE_BYTES = 4096;

function defaultPath(url: URL): string {
  const p = url.pathname;
  if (!p.startsWith('/') || p.lastIndexOf('/') === 0) return '/';
  return p.slice(0, p.lastIndexOf('/'));
}

function domainMatch(host: string, domain: string): boolean {
  return host === domain || (host.endsWith(`.${domain}`) && !/^[\d.]+$|:/.test(host));
}

function pathMatch(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** One Set-Cookie header value as seen from `url`; undefined when it is malformed or not for this host. */
export function parseSetCookie(header: string, url: URL, now: number): StoredCookie | undefined {
  if (header.length > MAX_COOKIE_BYTES) return undefined;
  const [pair, ...attributes] = header.split(';');
  const eq = pair!.indexOf('=');
  if (eq <= 0) return undefined;
  const name = pair!.slice(0, eq).trim();
  const value = pair!.slice(eq + 1).trim();
  if (!name || /[\s,;]/.test(name)) return undefined;
  const host = url.hostname.toLowerCase();
  const cookie: StoredCookie = { name, value, domain: host, hostOnly: true, path: defaultPath(url), secure: false };
  let maxAge: number | undefined;
  for (const attribute of attributes) {
    const i = attribute.indexOf('=');
    const key = (i < 0 ? attribute : attribute.slice(0, i)).trim().toLowerCase();
    const arg = i < 0 ? '' : attribute.slice(i + 1).trim();
    if (key === 'domain' && arg) {
      const domain = arg.replace(/^\./, '').toLowerCase();
      // a backend may widen a cookie to its own parent domain, never to another host
      if (!domainMatch(host, domain)) return undefined;
      // a bare label (com, localhost) would reach every host under it: treated as a public suffix, as browsers do
      if (domain !== host && !domain.includes('.')) return undefined;
      cookie.domain = domain;
      cookie.hostOnly = false;
    } else if (key === 'path' && arg.startsWith('/')) cookie.path = arg;
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'max-age' && /^-?\d+$/.test(arg)) maxAge = Number(arg);
    else if (key === 'expires' && maxAge === undefined) {
      const at = Date.parse(arg);
      if (!Number.isNaN(at)) cookie.expires = at;
    }
  }
  if (maxAge !== undefined) cookie.expires = maxAge <= 0 ? 0 : now + maxAge * 1000;
  return cookie;
}

export class SessionCookieJar implements CookieJar {
  private cookies: StoredCookie[];
  /** true once a call stored or removed a cookie: the session is written back only then */
  changed = false;

  constructor(
    stored: unknown = [],
    private readonly now: () => number = Date.now,
  ) {
    this.cookies = Array.isArray(stored) ? stored.filter(isStoredCookie) : [];
  }

  cookieHeader(url: string): string | undefined {
    const u = new URL(url);
    const host = u.hostname.toLowerCase();
    const now = this.now();
    const matching = this.cookies
      .filter((c) => (c.expires === undefined || c.expires > now) && (c.hostOnly ? c.domain === host : domainMatch(host, c.domain)) && pathMatch(u.pathname || '/', c.path) && (!c.secure || u.protocol === 'https:'))
      // longer paths first, as browsers send them
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  store(url: string, setCookie: readonly string[]): void {
    const u = new URL(url);
    const now = this.now();
    for (const header of setCookie) {
      const cookie = parseSetCookie(header, u, now);
      if (!cookie) continue;
      if (cookie.secure && u.protocol !== 'https:') continue;
      const before = this.cookies.length;
      this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path));
      const expired = cookie.expires !== undefined && cookie.expires <= now;
      if (!expired) this.cookies.push(cookie);
      if (!expired || this.cookies.length !== before) this.changed = true;
    }
    this.cookies = this.cookies.filter((c) => c.expires === undefined || c.expires > now);
    if (this.cookies.length > MAX_COOKIES) this.cookies.splice(0, this.cookies.length - MAX_COOKIES);
  }

  toJSON(): StoredCookie[] {
    return this.cookies.map((c) => ({ ...c }));
  }
}

function isStoredCookie(v: unknown): v is StoredCookie {
  const c = v as StoredCookie;
  return !!c && typeof c === 'object' && typeof c.name === 'string' && typeof c.value === 'string' && typeof c.domain === 'string' && typeof c.path === 'string' && typeof c.hostOnly === 'boolean' && typeof c.secure === 'boolean';
}
