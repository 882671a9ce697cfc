import { extname, resolve, sep } from 'node:path';

/** The types the renderer build holds; anything else is served as bytes and never sniffed. */
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeType(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The studio page's Content-Security-Policy: only our own scripts, no plugins, no framing; `connect`
 * adds the event socket's ws:// origin in web mode (`'self'` does not cover ws: in every browser).
 */
export function contentSecurityPolicy(connect: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const SECURITY_HEADERS: Record<string, string> = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };

export type StaticPath = { ok: true; file: string; relative: string } | { ok: false; reason: string };

/**
 * Maps a request path (raw, still percent-encoded, without query) to a file under `root`. Each
 * segment is decoded on its own, so `%2e%2e` or an encoded `/` cannot climb out, and the resolved
 * path must still lie inside `root`.
 */
export function resolveStaticPath(root: string, rawPath: string): StaticPath {
  const base = resolve(root);
  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, reason: 'malformed percent-encoding' };
    }
    if (segment === '' || segment === '.') continue;
    if (segment === '..' || /[\\/\0]/.test(segment) || /^[A-Za-z]:/.test(segment)) return { ok: false, reason: `path segment "${raw}" is not allowed` };
    segments.push(segment);
  }
  const file = resolve(base, ...segments);
  if (file !== base && !file.startsWith(base + sep)) return { ok: false, reason: 'outside the served folder' };
  return { ok: true, file, relative: segments.join('/') };
}
