import { readFileSync } from 'node:fs';
import { dirname, relative, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TrellisError } from '../engine/errors.js';
import { parseSpecText, parseSpecTextSliced, takeOutcome } from './parse.js';
import { ParsePool } from './parse-pool.js';
import { cancelled, TimeSlicer } from './slice.js';
import type { ImportProgress, ImportWarning } from './types.js';

/**
 * Reads a spec and every file or URL its `$ref`s reach, each parsed once (JSON with JSON.parse, anything
 * else with the `yaml` package, which reads YAML that js-yaml 5 refuses). References are not resolved
 * here: the mapping follows them lazily (refs.ts), so a file that cannot be read only matters when the
 * mapping needs it (a broken `$ref` inside an `x-` extension is harmless).
 */

export interface LoadedDoc {
  /** canonical URL (file: or http(s):), no fragment; the key of the document */
  url: string;
  /** URL relative references resolve against (differs from `url` after an HTTP redirect) */
  base: string;
  value: unknown;
}

export interface LoadedSpec {
  entry: LoadedDoc;
  docs: Map<string, LoadedDoc>;
  /** documents that could not be read or parsed: URL → reason (with the place that referenced them) */
  failures: Map<string, string>;
  /** how to name a document URL in messages */
  display(url: string): string;
  warnings: ImportWarning[];
  bytes: number;
  /**
   * Local specs only: reads and parses a document the first pass did not reach (it skips `x-` extensions,
   * which the mapping never reads, so DigitalOcean's 1,379 code-sample files are never parsed); undefined
   * when it cannot be read (the reason is then in `failures`).
   */
  loadSync?: (url: string, from: string) => LoadedDoc | undefined;
}

export interface LoadOptions {
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** per-request timeout for http(s) documents */
  timeoutMs?: number;
}

const HTTP = /^https?:\/\//i;
/** number of documents from which YAML parsing moves to worker threads (with at least 2 cores to spare) */
const POOL_THRESHOLD = ParsePool.defaultSize() >= 2 ? 24 : Infinity;

/** The canonical URL of a source given on the command line or in the studio: a path or a URL. */
export function sourceUrl(source: string): string {
  if (HTTP.test(source)) return stripHash(new URL(source).href);
  if (/^file:\/\//i.test(source)) return stripHash(new URL(source).href);
  return pathToFileURL(resolvePath(source)).href;
}

export function stripHash(url: string): string {
  const i = url.indexOf('#');
  return i < 0 ? url : url.slice(0, i);
}

export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export async function loadSpec(source: string, opts: LoadOptions = {}): Promise<LoadedSpec> {
  const entryUrl = sourceUrl(source);
  const entryDir = entryUrl.startsWith('file:') ? dirname(fileURLToPath(entryUrl)) : undefined;
  const display = (url: string): string => {
    if (url === entryUrl) return source;
    if (url.startsWith('file:') && entryDir) {
      const p = fileURLToPath(url);
      const rel = relative(entryDir, p);
      return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : p;
    }
    return url;
  };
  const docs = new Map<string, LoadedDoc>();
  const failures = new Map<string, string>();
  const warnings: ImportWarning[] = [];
  let bytes = 0;
  const { signal, onProgress } = opts;
  // Reading and parsing on this thread: give the event loop a turn every few ms (see slice.ts).
  const slicer = new TimeSlicer(signal);
  const queued = new Set<string>([entryUrl]);
  const pending: Array<{ url: string; from: string }> = [];
  const local = entryUrl.startsWith('file:');
  // Many YAML files (and cores to spare): parse them on worker threads.
  let pool: ParsePool | undefined;

  let entry: LoadedDoc;
  try {
    const first = await fetchText(entryUrl, display(entryUrl), opts);
    bytes += first.text.length;
    // Parsed here, in time slices: a worker would first have to start and compile the parser (Docker
    // Engine's 473 KB entry: 0.5 s more to read on 2 cores), and the import has nothing else to do meanwhile.
    const entryValue = await parseSpecTextSliced(first.text, display(entryUrl), warnings, slicer);
    checkEntry(entryValue, display(entryUrl));
    entry = { url: entryUrl, base: first.finalUrl, value: entryValue };
    docs.set(entryUrl, entry);

    // Breadth-first over external references, a few reads at a time.
    const crawlDoc = (doc: LoadedDoc): void => {
      crawl(doc.value, local, (ref, pointer) => {
        const target = refTarget(ref, doc.base);
        if (target === undefined) return;
        if (target === doc.url || target === doc.base || queued.has(target)) return;
        queued.add(target);
        pending.push({ url: target, from: `${display(doc.url)}#${pointer}` });
      });
    };
    crawlDoc(entry);

    let done = 1;
    onProgress?.({ phase: 'load', done, total: queued.size });
    const limit = local ? 32 : 6;
    const running = new Set<Promise<void>>();
    const loadOne = async ({ url, from }: { url: string; from: string }): Promise<void> => {
      try {
        if (!/^(file|https?):/i.test(url)) throw new Error(`unsupported URL scheme in ${url}`);
        if (url.startsWith('file:') && !local) throw new Error('a spec read over HTTP cannot reference local files');
        const name = display(url);
        // Work on this thread goes through the slicer (time slices); a worker's or the network's answer is awaited.
        let value: unknown;
        let base = url;
        if (url.startsWith('file:') && queued.size >= POOL_THRESHOLD) {
          // Many local files: each is read and parsed on a worker thread.
          pool ??= new ParsePool();
          const out = await unlessCancelled(pool.parseFile(fileURLToPath(url)), signal);
          if (out.readError) throw readError(out.readError, name);
          bytes += out.bytes ?? 0;
          value = takeOutcome(out, name, warnings);
        } else {
          const { text, finalUrl } = url.startsWith('file:') ? { text: await slicer.run(() => readLocal(url, name, signal)), finalUrl: url } : await fetchText(url, name, opts);
          bytes += text.length;
          base = finalUrl;
          if (queued.size >= POOL_THRESHOLD && !/^\s*[{[]/.test(text)) {
            pool ??= new ParsePool();
            value = takeOutcome(await unlessCancelled(pool.parse(text), signal), name, warnings);
          } else {
            value = await parseSpecTextSliced(text, name, warnings, slicer);
          }
        }
        const doc: LoadedDoc = { url, base, value };
        await slicer.run(() => {
          docs.set(url, doc);
          crawlDoc(doc);
        });
      } catch (e) {
        if (signal?.aborted) throw cancelled();
        failures.set(url, `${e instanceof Error ? e.message : String(e)} (referenced from ${from})`);
      }
      done++;
      onProgress?.({ phase: 'load', done, total: queued.size });
    };
    while (pending.length || running.size) {
      if (signal?.aborted) throw cancelled();
      while (pending.length && running.size < limit) {
        const p = loadOne(pending.shift()!).finally(() => running.delete(p));
        p.catch(() => undefined); // only a cancellation rejects; the race below reports it once
        running.add(p);
      }
      if (running.size) await Promise.race(running);
    }
  } finally {
    await pool?.close();
  }
  const spec: LoadedSpec = { entry, docs, failures, display, warnings, bytes };
  if (local) {
    spec.loadSync = (url, from) => {
      if (failures.has(url) || !url.startsWith('file:')) return undefined;
      try {
        const text = decode(readFileSync(fileURLToPath(url)));
        spec.bytes += text.length;
        const doc: LoadedDoc = { url, base: url, value: parseSpecText(text, display(url), warnings) };
        docs.set(url, doc);
        return doc;
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        const reason = err instanceof TrellisError ? err.message : readError({ code: err.code, message: err.message }, display(url)).message;
        failures.set(url, `${reason} (referenced from ${from})`);
        return undefined;
      }
    };
  }
  return spec;
}

export { cancelled };

/** A worker's answer, or CANCELLED as soon as the signal aborts (the pool is closed, so the worker stops). */
function unlessCancelled<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(cancelled());
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** The document URL a `$ref` points into, or undefined for a local (`#...`) reference. */
export function refTarget(ref: string, base: string): string | undefined {
  const hash = ref.indexOf('#');
  const file = hash < 0 ? ref : ref.slice(0, hash);
  if (!file) return undefined;
  try {
    return stripHash(new URL(file, base).href);
  } catch {
    return undefined;
  }
}

/**
 * Calls `found` for every `$ref` string in `value`, with the JSON pointer of the object holding it.
 * `skipExtensions`: not under `x-` keys (a user-named key such as a header `x-rate-limit` may be skipped
 * too: what it references is then read on first use, see LoadedSpec.loadSync).
 */
function crawl(value: unknown, skipExtensions: boolean, found: (ref: string, pointer: string) => void): void {
  const path: string[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item = v[i];
        if (item !== null && typeof item === 'object') {
          path.push(String(i));
          walk(item);
          path.pop();
        }
      }
      return;
    }
    const ref = (v as Record<string, unknown>).$ref;
    if (typeof ref === 'string' && ref[0] !== '#') found(ref, path.length ? `/${path.map(escapePointer).join('/')}` : '');
    for (const key in v) {
      if (skipExtensions && key.startsWith('x-')) continue;
      const child = (v as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') {
        path.push(key);
        walk(child);
        path.pop();
      }
    }
  };
  walk(value);
}

async function fetchText(url: string, name: string, opts: LoadOptions): Promise<{ text: string; finalUrl: string }> {
  if (opts.signal?.aborted) throw cancelled();
  if (url.startsWith('file:')) return { text: readLocal(url, name, opts.signal), finalUrl: url };
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 30_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, { signal, redirect: 'follow', headers: { accept: 'application/json, application/yaml, text/yaml, */*;q=0.5' } });
  } catch (e) {
    if (opts.signal?.aborted) throw cancelled();
    if (timeout.aborted) throw new TrellisError('TIMEOUT', `${name}: no answer within ${Math.round((opts.timeoutMs ?? 30_000) / 1000)} s`);
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new TrellisError('NETWORK', `${name}: cannot be fetched (${cause?.code ?? cause?.message ?? (e as Error).message})`);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new TrellisError(res.status === 404 ? 'NOT_FOUND' : 'NETWORK', `${name}: HTTP ${res.status} ${res.statusText}`.trim());
  }
  const buf = Buffer.from(await res.arrayBuffer());
  return { text: decode(buf), finalUrl: stripHash(res.url || url) };
}

/** Spec files are small and many (DigitalOcean: 2,850): one synchronous read costs less than four async steps. */
function readLocal(url: string, name: string, signal: AbortSignal | undefined): string {
  try {
    return decode(readFileSync(fileURLToPath(url)));
  } catch (e) {
    if (signal?.aborted) throw cancelled();
    throw readError({ code: (e as NodeJS.ErrnoException).code, message: (e as Error).message }, name);
  }
}

function readError(e: { code?: string; message: string }, name: string): TrellisError {
  if (e.code === 'ENOENT') return new TrellisError('NOT_FOUND', `${name}: no such file`);
  if (e.code === 'EISDIR') return new TrellisError('INVALID_SPEC', `${name}: is a folder, not a spec file`);
  return new TrellisError('INVALID_SPEC', `${name}: cannot be read (${e.message})`);
}

function decode(buf: Buffer): string {
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    const le = buf[0] === 0xff;
    const body = buf.subarray(2);
    if (!le) body.swap16();
    return body.toString('utf16le');
  }
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function checkEntry(value: unknown, name: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const got = value === null || value === undefined ? 'an empty document' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    throw new TrellisError('INVALID_SPEC', `${name}: not an OpenAPI or Swagger document: the top level is ${got}, not an object`, {
      path: name,
      details: { file: name, pointer: '' },
    });
  }
}
