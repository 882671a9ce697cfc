import { TrellisError } from '../engine/errors.js';
import { isObj, type Loc, type SpecDoc } from './refs.js';
import type { SpecFormat } from './schemas.js';
import type { ImportWarning } from './types.js';

/** Where a connector sends its requests. */
export interface Address {
  host: string;
  https: boolean;
  port?: number;
  basePath: string;
}

export interface ServerChoice {
  /** every server URL of the spec, variables substituted */
  urls: string[];
  /** index into urls (-1 when the spec names none) */
  index: number;
  address: Address;
}

type Warn = (w: ImportWarning) => void;

/**
 * The connector address from OAS 3 `servers` (variables replaced by their defaults) or Swagger 2
 * `host`/`basePath`/`schemes`. `requested` picks a server by index; by default the first one
 * (Swagger 2: https when the spec lists it).
 */
export function chooseServer(doc: SpecDoc, format: SpecFormat, source: string, requested: number | undefined, warn: Warn): ServerChoice {
  const root = doc.root;
  if (format === 'swagger-2.0') return swaggerServer(doc, source, requested, warn);
  const urls = serverUrls(doc, doc.child(root, 'servers'), warn, true);
  if (!urls.length) {
    const address: Address = { host: 'localhost', https: false, basePath: '/' };
    const fromUrl = httpSource(source);
    if (fromUrl) {
      address.host = fromUrl.hostname;
      address.https = fromUrl.protocol === 'https:';
      if (fromUrl.port) address.port = Number(fromUrl.port);
      warn({ code: 'no-servers', message: `${doc.where(root)}: the spec names no server; requests go to ${fromUrl.origin}, where the spec was read (OpenAPI: the default server is "/")`, file: doc.file(root), pointer: '/servers' });
    } else {
      warn({ code: 'no-servers', message: `${doc.file(root)}#/servers: the spec names no server; the connector's host is set to localhost, edit it before running`, file: doc.file(root), pointer: '/servers' });
    }
    if (requested !== undefined) checkIndex(requested, 0);
    return { urls, index: -1, address };
  }
  const index = requested ?? 0;
  checkIndex(index, urls.length);
  return { urls, index, address: parseServerUrl(urls[index]!, source, doc.file(root), `/servers/${index}`, warn) };
}

function checkIndex(index: number, count: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new TrellisError('INVALID_CONFIG', `server ${index}: the spec has ${count === 0 ? 'no servers' : `${count} server${count === 1 ? '' : 's'} (0 to ${count - 1})`}`);
  }
}

/** Server URLs of a `servers` value (root, path item or operation), variables substituted. */
export function serverUrls(doc: SpecDoc, loc: Loc, warn: Warn, report: boolean): string[] {
  if (loc.v === undefined || loc.v === null) return [];
  let list: Loc[];
  if (Array.isArray(loc.v)) list = doc.items(loc);
  else if (isObj(loc.v) || typeof loc.v === 'string') {
    if (report) {
      warn({
        code: 'servers-not-array',
        message: `${doc.where(loc)}: servers is ${typeof loc.v === 'string' ? 'a string' : 'a single Server Object'}, not a list; read as a list of one (OpenAPI: servers is an array of Server Objects)`,
        file: doc.file(loc),
        pointer: loc.p,
        rule: 'OpenAPI: servers is an array of Server Objects',
      });
    }
    list = [typeof loc.v === 'string' ? { v: { url: loc.v }, f: loc.f, p: loc.p } : loc];
  } else {
    if (report) warn({ code: 'servers-invalid', message: `${doc.where(loc)}: servers is not a list of Server Objects; ignored`, file: doc.file(loc), pointer: loc.p, rule: 'OpenAPI: servers is an array of Server Objects' });
    return [];
  }
  const urls: string[] = [];
  for (const item of list) {
    const s = doc.tryDeref(item);
    if (s instanceof Error || !isObj(s.v) || typeof s.v.url !== 'string') {
      if (report) warn({ code: 'server-invalid', message: `${doc.where(item)}: a Server Object needs a url; ignored`, file: doc.file(item), pointer: item.p, rule: 'OpenAPI: Server Object url is required' });
      continue;
    }
    urls.push(substitute(doc, s as Loc<Record<string, unknown>>, warn, report));
  }
  return urls;
}

function substitute(doc: SpecDoc, server: Loc<Record<string, unknown>>, warn: Warn, report: boolean): string {
  const url = server.v.url as string;
  const vars = isObj(server.v.variables) ? server.v.variables : {};
  return url.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const def = vars[name];
    if (isObj(def)) {
      if (def.default !== undefined && def.default !== null) return String(def.default);
      if (Array.isArray(def.enum) && def.enum.length) {
        if (report) warn({ code: 'server-variable-default', message: `${doc.where(server)}/variables/${name}: no default; the first enum value "${String(def.enum[0])}" is used (OpenAPI: a server variable has a default)`, file: doc.file(server), pointer: `${server.p}/variables/${name}`, rule: 'OpenAPI: server variable default is required' });
        return String(def.enum[0]);
      }
    }
    if (report) warn({ code: 'server-variable-undefined', message: `${doc.where(server)}: the URL uses {${name}} but variables has no default for it; it is left empty (OpenAPI: every server URL variable is declared with a default)`, file: doc.file(server), pointer: `${server.p}/url`, rule: 'OpenAPI: server variables are declared' });
    return '';
  });
}

function httpSource(source: string): URL | undefined {
  return /^https?:\/\//i.test(source) ? new URL(source) : undefined;
}

/** Splits a (substituted) server URL into the connector's host/https/port/basePath. */
export function parseServerUrl(raw: string, source: string, file: string, pointer: string, warn: Warn): Address {
  let text = raw.trim();
  let url: URL | undefined;
  const fromUrl = httpSource(source);
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) url = new URL(text);
    else if (text.startsWith('//')) url = new URL(`https:${text}`);
    else if (fromUrl) url = new URL(text, fromUrl);
    else if (/^[^/]+\.[^/]+/.test(text) && !text.startsWith('.')) {
      url = new URL(`https://${text}`);
      warn({ code: 'server-no-scheme', message: `${file}#${pointer}: server URL "${raw}" has no scheme; https is assumed`, file, pointer });
    }
  } catch {
    warn({ code: 'server-invalid-url', message: `${file}#${pointer}: server URL "${raw}" is not a valid URL; the connector's host is set to localhost, edit it before running`, file, pointer, rule: 'OpenAPI: server url is a URL' });
    return { host: 'localhost', https: false, basePath: '/' };
  }
  if (!url) {
    if (!text.startsWith('/')) text = `/${text}`;
    const basePath = trimBase(text.split(/[?#]/)[0]!);
    warn({
      code: 'relative-server',
      message: `${file}#${pointer}: server URL "${raw}" is relative and the spec was read from a file; the connector's host is set to localhost, edit it before running`,
      file,
      pointer,
    });
    return { host: 'localhost', https: false, basePath };
  }
  let https = url.protocol === 'https:' || url.protocol === 'wss:';
  if (!['http:', 'https:'].includes(url.protocol)) {
    if (!['ws:', 'wss:'].includes(url.protocol)) https = true;
    warn({ code: 'server-scheme', message: `${file}#${pointer}: server URL "${raw}" is not http(s); ${https ? 'https' : 'http'} is used`, file, pointer });
  }
  if (url.search) warn({ code: 'server-query', message: `${file}#${pointer}: the query string of server URL "${raw}" is dropped (a connector has a host and a base path)`, file, pointer });
  const address: Address = { host: url.hostname, https, basePath: trimBase(url.pathname) };
  if (url.port) address.port = Number(url.port);
  if (!address.host) {
    address.host = 'localhost';
    warn({ code: 'server-no-host', message: `${file}#${pointer}: server URL "${raw}" has no host; localhost is used`, file, pointer });
  }
  return address;
}

function trimBase(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed || '/';
}

export function addressUrl(a: Address): string {
  const scheme = a.https ? 'https' : 'http';
  return `${scheme}://${a.host}${a.port ? `:${a.port}` : ''}${a.basePath === '/' ? '' : a.basePath}`;
}

function swaggerServer(doc: SpecDoc, source: string, requested: number | undefined, warn: Warn): ServerChoice {
  const root = doc.root.v;
  const file = doc.file(doc.root);
  const fromUrl = httpSource(source);
  let hostText = typeof root.host === 'string' ? root.host.trim() : '';
  if (root.host !== undefined && typeof root.host !== 'string') warn({ code: 'host-invalid', message: `${file}#/host: host is not a string; ignored`, file, pointer: '/host', rule: 'Swagger 2.0: host is a string' });
  if (/^[a-z]+:\/\//i.test(hostText)) {
    warn({ code: 'host-scheme', message: `${file}#/host: host "${hostText}" holds a scheme; it is dropped (Swagger 2.0: host is a name or IP, with an optional port)`, file, pointer: '/host', rule: 'Swagger 2.0: host has no scheme' });
    hostText = hostText.replace(/^[a-z]+:\/\//i, '');
  }
  if (hostText.includes('/')) {
    warn({ code: 'host-path', message: `${file}#/host: host "${hostText}" holds a path; it is dropped (Swagger 2.0: the path goes in basePath)`, file, pointer: '/host', rule: 'Swagger 2.0: host has no path' });
    hostText = hostText.slice(0, hostText.indexOf('/'));
  }
  let host = 'localhost';
  let port: number | undefined;
  if (hostText) {
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostText);
    host = m?.[1] ?? hostText;
    if (m?.[2]) port = Number(m[2]);
  } else if (fromUrl) {
    host = fromUrl.hostname;
    if (fromUrl.port) port = Number(fromUrl.port);
    warn({ code: 'no-host', message: `${file}#/host: no host; requests go to ${fromUrl.host}, where the spec was read (Swagger 2.0: host defaults to the host serving the spec)`, file, pointer: '/host' });
  } else {
    warn({ code: 'no-host', message: `${file}#/host: no host and the spec was read from a file; the connector's host is set to localhost, edit it before running`, file, pointer: '/host' });
  }
  let basePath = typeof root.basePath === 'string' ? root.basePath.trim() : '/';
  if (basePath && !basePath.startsWith('/')) {
    warn({ code: 'basepath-slash', message: `${file}#/basePath: "${basePath}" does not start with "/"; read as "/${basePath}" (Swagger 2.0: basePath starts with a slash)`, file, pointer: '/basePath', rule: 'Swagger 2.0: basePath starts with /' });
    basePath = `/${basePath}`;
  }
  basePath = trimBase(basePath || '/');
  let schemes = Array.isArray(root.schemes) ? root.schemes.filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase()) : [];
  schemes = schemes.filter((s) => ['http', 'https', 'ws', 'wss'].includes(s));
  if (!schemes.length) {
    if (fromUrl) schemes = [fromUrl.protocol.replace(':', '')];
    else {
      schemes = [hostText ? 'https' : 'http'];
      if (hostText) warn({ code: 'no-schemes', message: `${file}#/schemes: no schemes; https is assumed (Swagger 2.0: the scheme defaults to the one the spec was read with)`, file, pointer: '/schemes' });
    }
  }
  const urls = schemes.map((s) => addressUrl({ host, port, https: s === 'https' || s === 'wss', basePath }).replace(/^https?/, s));
  const index = requested ?? Math.max(0, schemes.findIndex((s) => s === 'https'));
  checkIndex(index, urls.length);
  const scheme = schemes[index]!;
  const address: Address = { host, https: scheme === 'https' || scheme === 'wss', basePath };
  if (port !== undefined) address.port = port;
  return { urls, index, address };
}
