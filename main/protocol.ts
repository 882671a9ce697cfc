import { readFile, stat } from 'node:fs/promises';
import { protocol } from 'electron';
import { contentSecurityPolicy, mimeType, resolveStaticPath, SECURITY_HEADERS } from '../src/web/static-files.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Module scripts do not run from file://, so the renderer build is served from a privileged
 * `app://studio` origin. Must run before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

/** Whether a URL (a navigation, an IPC sender's frame) belongs to the studio page itself. */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** Serves `rendererDir` at app://studio/ with the same traversal guard and CSP as web mode. */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return textResponse(404, 'Not Found');
    const target = resolveStaticPath(rendererDir, url.pathname);
    if (!target.ok) return textResponse(403, `Forbidden: ${target.reason}`);
    let file = target.file;
    const info = await stat(file).catch(() => undefined);
    // Client-side routes have no file and get the app; a missing asset stays a 404.
    if (!info?.isFile()) {
      if (target.relative.split('/').pop()?.includes('.')) return textResponse(404, 'Not Found');
      file = `${rendererDir}/index.html`;
    }
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch {
      return textResponse(404, `Not Found: run npm run build to build the studio's user interface`);
    }
    const type = mimeType(file);
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'Content-Type': type };
    if (type.startsWith('text/html')) headers['Content-Security-Policy'] = contentSecurityPolicy();
    return new Response(new Uint8Array(data), { status: 200, headers });
  });
}
