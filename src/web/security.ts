import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** Equal-length digests make the comparison constant-time whatever the caller sent. */
export function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** The token from `Authorization: Bearer ...` or, for the WebSocket a browser cannot add headers to, `?token=`. */
export function requestToken(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  return query.get('token') ?? undefined;
}

/** `host:port` spellings a browser uses for a server it reached directly; anything else is DNS rebinding. */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (host && host !== '0.0.0.0' && host !== '::') names.add(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  return new Set([...names].map((n) => `${n.toLowerCase()}:${port}`));
}

export function hostAllowed(req: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const host = req.headers.host?.toLowerCase();
  return !!host && allowed.has(host);
}

/** A browser sends Origin on cross-site fetches and WebSockets; ours is http://<the Host it used>. */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return origin.toLowerCase() === `http://${req.headers.host?.toLowerCase()}`;
}
