import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import { TrellisError } from '../engine/errors.js';
import { stripDoctype } from '../connectors/http/xml-to-json.js';
import { NS, isXsd, lineOf } from './names.js';
import type { WsdlWarning } from './types.js';

/**
 * Reads a WSDL and every document it reaches: `wsdl:import` (location), `xsd:import`, `xsd:include` and
 * `xsd:redefine` (schemaLocation), across files and http(s) URLs. XML is parsed with no DTD: the DOCTYPE is
 * blanked before parsing, so no entity it declares is expanded and nothing external is fetched (no XXE);
 * a document fetched over http may not reach local files. An unreadable entry document is an error naming
 * the file, line and reason; an unreadable imported document is a warning (what needed it is reported later).
 */

export interface XmlDoc {
  /** canonical URL (file: or http(s):) */
  url: string;
  /** how messages name it: relative to the entry's folder, or the URL */
  name: string;
  root: Element;
  kind: 'wsdl' | 'xsd';
  /** a schema included without targetNamespace takes the includer's (chameleon include) */
  chameleon?: string;
}

export interface LoadedWsdl {
  entry: XmlDoc;
  docs: XmlDoc[];
  warnings: WsdlWarning[];
}

export interface LoadOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  onProgress?: (p: { phase: 'load'; done: number; total: number }) => void;
}

const HTTP = /^https?:\/\//i;
const MAX_DOCS = 1000;
const MAX_BYTES = 64 * 1024 * 1024;

export function sourceUrl(source: string): string {
  if (HTTP.test(source) || /^file:\/\//i.test(source)) return new URL(source).href.replace(/#.*$/, '');
  return pathToFileURL(resolvePath(source)).href;
}

export function cancelled(): TrellisError {
  return new TrellisError('CANCELLED', 'the import was cancelled');
}

function invalid(name: string, reason: string, line?: number, col?: number): TrellisError {
  const where = line ? `${name}:${line}${col ? `:${col}` : ''}` : name;
  return new TrellisError('INVALID_SPEC', `${where}: ${reason}`, { path: where, details: { file: name, line, column: col, reason } });
}

async function fetchText(url: string, name: string, opts: LoadOptions): Promise<string> {
  if (opts.signal?.aborted) throw cancelled();
  if (url.startsWith('file:')) {
    let buf: Buffer;
    try {
      buf = await readFile(fileURLToPath(url));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new TrellisError('NOT_FOUND', `${name}: no such file`, { path: name });
      if (code === 'EISDIR') throw invalid(name, 'is a folder, not a WSDL file');
      throw invalid(name, `cannot be read (${(e as Error).message})`);
    }
    return decode(buf);
  }
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, { signal, redirect: 'follow', headers: { accept: 'text/xml, application/xml, application/wsdl+xml, */*;q=0.5' } });
  } catch (e) {
    if (opts.signal?.aborted) throw cancelled();
    if (timeout.aborted) throw new TrellisError('TIMEOUT', `${name}: no answer within ${Math.round(timeoutMs / 1000)} s`, { path: name });
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new TrellisError(cause?.code === 'ECONNREFUSED' ? 'CONNECTION_REFUSED' : 'NETWORK', `${name}: cannot be fetched (${cause?.code ?? cause?.message ?? (e as Error).message})`, { path: name });
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new TrellisError(res.status === 404 ? 'NOT_FOUND' : 'NETWORK', `${name}: HTTP ${res.status} ${res.statusText}`.trim(), { path: name });
  }
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > MAX_BYTES) throw invalid(name, `is larger than ${MAX_BYTES / 1024 / 1024} MB`);
  return decode(buf);
}

function decode(buf: Buffer): string {
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    const body = Buffer.from(buf.subarray(2));
    if (buf[0] === 0xfe) body.swap16();
    return body.toString('utf16le');
  }
  const head = buf.subarray(0, 200).toString('latin1');
  const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  const text = declared && /^(iso-8859-1|latin1|us-ascii|windows-1252)$/.test(declared) ? buf.toString('latin1') : buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses XML into a DOM, DTD blanked; a malformed document is an INVALID_SPEC error with its line and column. */
export function parseXml(text: string, name: string, warn: (w: WsdlWarning) => void): Document {
  const stripped = stripDoctype(text);
  if (stripped !== text) warn({ code: 'dtd-ignored', message: `${name}: the DOCTYPE is ignored (no entity is expanded, nothing external is read)`, file: name });
  let unknownEntity = false;
  let fatal: TrellisError | undefined;
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message, context) => {
        const at = (context as { locator?: { lineNumber?: number; columnNumber?: number } } | undefined)?.locator;
        if (level === 'fatalError') fatal ??= invalid(name, `malformed XML: ${message}`, at?.lineNumber, at?.columnNumber);
        else if (/entity/i.test(message) && !unknownEntity) {
          unknownEntity = true;
          warn({ code: 'xml-entity', message: `${name}:${at?.lineNumber ?? '?'}: ${message} (kept as written)`, file: name, line: at?.lineNumber });
        }
      },
    }).parseFromString(stripped, 'text/xml') as unknown as Document;
  } catch (e) {
    const at = (e as { locator?: { lineNumber?: number; columnNumber?: number } }).locator;
    throw fatal ?? invalid(name, `malformed XML: ${(e as Error).message}`, at?.lineNumber, at?.columnNumber);
  }
  if (fatal) throw fatal;
  if (!doc.documentElement) throw invalid(name, 'malformed XML: no root element');
  return doc;
}

function kindOf(root: Element, name: string, entry: boolean): 'wsdl' | 'xsd' {
  if (root.namespaceURI === NS.WSDL && root.localName === 'definitions') return 'wsdl';
  if (isXsd(root.namespaceURI) && root.localName === 'schema') return 'xsd';
  if (root.namespaceURI === NS.WSDL20) throw invalid(name, 'a WSDL 2.0 description: Trellis imports WSDL 1.1', lineOf(root));
  const what = `<${root.nodeName}>${root.namespaceURI ? ` in namespace ${root.namespaceURI}` : ''}`;
  throw invalid(name, entry ? `not a WSDL 1.1 document: the root element is ${what}, not wsdl:definitions` : `neither WSDL nor XML Schema: the root element is ${what}`, lineOf(root));
}

interface Ref {
  location: string;
  from: XmlDoc;
  line: number;
  chameleon?: string;
}

function refsOf(doc: XmlDoc): Ref[] {
  const out: Ref[] = [];
  const all = doc.root.getElementsByTagName('*');
  for (let i = -1; i < all.length; i++) {
    const el = i < 0 ? doc.root : all[i]!;
    const ns = el.namespaceURI;
    const local = el.localName;
    let location: string | null = null;
    if (ns === NS.WSDL && local === 'import') location = el.getAttribute('location');
    else if (isXsd(ns) && (local === 'import' || local === 'include' || local === 'redefine')) location = el.getAttribute('schemaLocation');
    if (!location?.trim()) continue;
    let chameleon: string | undefined;
    if (local !== 'import') {
      const schema = el.parentNode as Element | null;
      chameleon = schema?.getAttribute?.('targetNamespace') ?? doc.chameleon ?? undefined;
    }
    out.push({ location: location.trim(), from: doc, line: lineOf(el) ?? 0, chameleon });
  }
  return out;
}

export async function loadWsdl(source: string, opts: LoadOptions = {}): Promise<LoadedWsdl> {
  const entryUrl = sourceUrl(source);
  const entryDir = entryUrl.startsWith('file:') ? dirname(fileURLToPath(entryUrl)) : undefined;
  const display = (url: string): string => {
    if (url === entryUrl) return source;
    if (url.startsWith('file:') && entryDir) {
      const rel = relative(entryDir, fileURLToPath(url));
      return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : fileURLToPath(url);
    }
    return url;
  };
  const warnings: WsdlWarning[] = [];
  const warn = (w: WsdlWarning): void => void warnings.push(w);
  const read = async (url: string, entry: boolean, chameleon?: string): Promise<XmlDoc> => {
    const name = display(url);
    const text = await fetchText(url, name, opts);
    const root = parseXml(text, name, warn).documentElement as Element;
    return { url, name, root, kind: kindOf(root, name, entry), chameleon };
  };

  const entry = await read(entryUrl, true);
  const docs = [entry];
  const seen = new Set([entryUrl]);
  let level = refsOf(entry);
  while (level.length) {
    if (opts.signal?.aborted) throw cancelled();
    const next: Ref[] = [];
    const batch: Array<{ ref: Ref; url: string }> = [];
    for (const ref of level) {
      let url: string;
      try {
        url = new URL(ref.location, ref.from.url).href.replace(/#.*$/, '');
      } catch {
        warn({ code: 'import-unreadable', message: `${ref.from.name}:${ref.line}: "${ref.location}" is not a valid location; not read`, file: ref.from.name, line: ref.line });
        continue;
      }
      if (seen.has(url)) continue;
      seen.add(url);
      if (!ref.from.url.startsWith('file:') && url.startsWith('file:')) {
        warn({ code: 'import-refused', message: `${ref.from.name}:${ref.line}: a document fetched over http may not read the local file ${url}; not read`, file: ref.from.name, line: ref.line });
        continue;
      }
      if (!/^(file|https?):/.test(url)) {
        warn({ code: 'import-unreadable', message: `${ref.from.name}:${ref.line}: ${url}: only files and http(s) URLs are read`, file: ref.from.name, line: ref.line });
        continue;
      }
      if (seen.size > MAX_DOCS) throw invalid(entry.name, `reaches more than ${MAX_DOCS} documents through its imports`);
      batch.push({ ref, url });
    }
    const loaded = await Promise.all(
      batch.map(async ({ ref, url }) => {
        try {
          return await read(url, false, ref.chameleon);
        } catch (e) {
          if ((e as TrellisError).code === 'CANCELLED') throw e;
          warn({ code: 'import-unreadable', message: `${ref.from.name}:${ref.line}: imported document ${display(url)} cannot be read: ${(e as Error).message}`, file: ref.from.name, line: ref.line });
          return undefined;
        }
      }),
    );
    for (const doc of loaded) {
      if (!doc) continue;
      docs.push(doc);
      next.push(...refsOf(doc));
    }
    opts.onProgress?.({ phase: 'load', done: docs.length, total: seen.size });
    level = next;
  }
  return { entry, docs, warnings };
}
