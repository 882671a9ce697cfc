import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Json } from '../../model/index.js';
import { TrellisError } from '../../engine/errors.js';
import type { Vars } from '../connector-kind.js';
import { stamp, type Reader } from './access.js';
import type { CouchOperation, CouchTransaction, PostPolicy } from './config.js';
import type { PouchDB, PouchDoc, PouchWriteResult } from './pouch.js';
import type { ViewQuery } from './view-index.js';

/** What an operation needs besides the database: views (by `design/view`) and the writer stamped on documents. */
export interface OperationHost {
  db: PouchDB;
  query(view: string, q: ViewQuery): Promise<Json>;
  writer: Reader | undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function docVar(value: unknown, name: string): PouchDoc {
  if (!isObject(value)) throw new TrellisError('BAD_VARIABLE', `variable ${name}: a document is a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  if (value._id !== undefined && (typeof value._id !== 'string' || value._id === '')) throw new TrellisError('BAD_VARIABLE', `variable ${name}: _id must be a non-empty string`);
  if (typeof value._id === 'string' && value._id.startsWith('_') && !value._id.startsWith('_design/'))
    throw new TrellisError('BAD_VARIABLE', `variable ${name}: _id "${value._id}" starts with _, which CouchDB reserves`);
  return value as PouchDoc;
}

function idVar(vars: Vars, name = 'docid'): string {
  const id = vars[name];
  if (typeof id !== 'string' || id === '') throw new TrellisError('BAD_VARIABLE', `variable ${name}: the document id is a non-empty string`);
  return id;
}

/** Objects merge key by key, recursively; anything else (arrays too) from `patch` replaces. */
export function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

function content(doc: Record<string, unknown>): Record<string, unknown> {
  const { _rev: _r, _revisions: _rs, ...rest } = doc;
  return rest;
}

/** A CouchDB error as a Trellis error naming the document. */
function writeError(result: PouchWriteResult, id: string | undefined): TrellisError {
  const status = result.status ?? 500;
  const what = id ? `document ${id}` : 'the document';
  if (status === 409) return new TrellisError('CONFLICT', `${what}: update conflict (its _rev is not the stored one; use the override or merge policy, or read it first)`, { details: result });
  if (status === 403 || status === 401) return new TrellisError('FORBIDDEN', `${what}: ${result.reason ?? result.message ?? 'forbidden'}`, { details: result });
  return new TrellisError('BAD_RESPONSE', `${what}: ${result.reason ?? result.message ?? result.error ?? 'write failed'}`, { details: result });
}

function couchError(e: unknown, what: string): unknown {
  const err = e as { status?: number; reason?: string; message?: string; name?: string };
  if (err?.status === 404) return new TrellisError('NOT_FOUND', `${what}: ${err.reason ?? err.message ?? 'not found'}`);
  if (err?.status === 401 || err?.status === 403) return new TrellisError('FORBIDDEN', `${what}: ${err.reason ?? err.message}`);
  if (err?.status === 400) return new TrellisError('BAD_VARIABLE', `${what}: ${err.reason ?? err.message}`);
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return new TrellisError('TIMEOUT', `${what}: no answer from CouchDB in time`);
  if (typeof err?.status === 'number') return new TrellisError('BAD_RESPONSE', `${what}: CouchDB answered ${err.status}: ${err.reason ?? err.message}`);
  if (e instanceof TrellisError) return e;
  const cause = (e as { cause?: { code?: string } })?.cause?.code;
  if (cause === 'ECONNREFUSED') return new TrellisError('CONNECTION_REFUSED', `${what}: CouchDB refused the connection`, { cause: e });
  return new TrellisError('NETWORK', `${what}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

export type Planned = { write: boolean; doc: PouchDoc };

/** Plans the documents to write under a policy, given what is stored now (by id). */
export function applyPolicy(docs: PouchDoc[], stored: Map<string, PouchDoc>, policy: PostPolicy, onlyIfChanged: boolean, writer: Reader | undefined): Planned[] {
  return docs.map((doc) => {
    let next: PouchDoc;
    const current = doc._id !== undefined ? stored.get(doc._id) : undefined;
    switch (policy) {
      case 'none':
        next = { ...doc, _id: doc._id ?? randomUUID() };
        break;
      case 'create': {
        const { _id: _i, _rev: _r, ...rest } = doc;
        next = { ...rest, _id: randomUUID() };
        break;
      }
      case 'override':
        next = { ...doc, _id: doc._id ?? randomUUID(), ...(current?._rev ? { _rev: current._rev } : {}) };
        if (!current) delete next._rev;
        break;
      case 'merge':
        next = current ? ({ ...(deepMerge(current, doc) as PouchDoc), _rev: current._rev } as PouchDoc) : { ...doc, _id: doc._id ?? randomUUID() };
        if (!current) delete next._rev;
        break;
    }
    next = stamp(next, current, writer);
    if (onlyIfChanged && current && isDeepStrictEqual(content(next), content(current))) return { write: false, doc: current };
    return { write: true, doc: next };
  });
}

async function storedDocs(db: PouchDB, ids: string[]): Promise<Map<string, PouchDoc>> {
  const out = new Map<string, PouchDoc>();
  if (!ids.length) return out;
  const found = await db.allDocs({ keys: ids, include_docs: true });
  for (const r of found.rows) if (r.doc) out.set(r.id, r.doc);
  return out;
}

async function write(host: OperationHost, docs: PouchDoc[], tx: CouchTransaction): Promise<Json[]> {
  const ids = docs.map((d) => d._id).filter((id): id is string => typeof id === 'string');
  const needStored = tx.policy !== 'none' && tx.policy !== 'create';
  const stored = needStored || tx.updateOnlyIfChanged || host.writer ? await storedDocs(host.db, [...new Set(ids)]) : new Map<string, PouchDoc>();
  const planned = applyPolicy(docs, stored, tx.policy, tx.updateOnlyIfChanged, host.writer);
  const toWrite = planned.filter((p) => p.write).map((p) => p.doc);
  const results = toWrite.length ? await host.db.bulkDocs(toWrite) : [];
  let i = 0;
  return planned.map((p): Json => {
    if (!p.write) return { ok: true, id: p.doc._id, rev: p.doc._rev ?? null, unchanged: true };
    const r = results[i++]!;
    if (r.error) return { ok: false, id: r.id ?? p.doc._id, error: String(r.name ?? r.error), reason: r.reason ?? r.message ?? null, status: r.status ?? null };
    return { ok: true, id: r.id ?? p.doc._id, rev: r.rev ?? null };
  });
}

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
const bool = (v: unknown) => (typeof v === 'boolean' ? v : undefined);

/** Query options from variables, with CouchDB's names (key, keys, startkey, endkey, limit, skip, ...). */
function queryOptions(vars: Vars): ViewQuery & Record<string, unknown> {
  const q: ViewQuery & Record<string, unknown> = {};
  for (const k of ['key', 'startkey', 'endkey'] as const) if (vars[k] !== undefined && vars[k] !== null) q[k] = vars[k] as Json;
  if (Array.isArray(vars.keys)) q.keys = vars.keys as Json[];
  for (const k of ['limit', 'skip', 'group_level'] as const) if (num(vars[k]) !== undefined) q[k] = num(vars[k]);
  for (const k of ['descending', 'include_docs', 'reduce', 'group', 'inclusive_end'] as const) if (bool(vars[k]) !== undefined) q[k] = bool(vars[k]);
  return q;
}

export async function runOperation(host: OperationHost, tx: CouchTransaction, vars: Vars): Promise<Json> {
  const op: CouchOperation = tx.operation;
  const db = host.db;
  try {
    switch (op) {
      case 'get': {
        const id = idVar(vars);
        const rev = typeof vars.rev === 'string' && vars.rev ? { rev: vars.rev } : {};
        return (await db.get(id, rev)) as Json;
      }
      case 'put': {
        const [result] = await write(host, [docVar(vars.doc, 'doc')], tx);
        const r = result as { ok: boolean; id: string };
        if (!r.ok) throw writeError(result as PouchWriteResult, r.id);
        return result!;
      }
      case 'delete': {
        const id = idVar(vars);
        const rev = typeof vars.rev === 'string' && vars.rev ? vars.rev : (await db.get(id))._rev;
        const stored = await db.get(id, { rev }).catch(() => undefined);
        const tombstone = stamp({ _id: id, _rev: rev, _deleted: true }, stored, host.writer);
        const [r] = await db.bulkDocs([tombstone]);
        if (r?.error) throw writeError(r, id);
        return { ok: true, id, rev: r?.rev ?? null };
      }
      case 'bulkPost': {
        const docs = vars.docs;
        if (!Array.isArray(docs)) throw new TrellisError('BAD_VARIABLE', 'variable docs: an array of documents');
        return write(host, docs.map((d, i) => docVar(d, `docs[${i}]`)), tx);
      }
      case 'allDocs': {
        const q = queryOptions(vars);
        const all = await db.allDocs({ ...q, ...(q.keys ? { keys: q.keys } : {}) });
        return { total_rows: all.total_rows, offset: all.offset ?? 0, rows: all.rows.filter((r) => !r.id.startsWith('_design/')) as unknown as Json[] };
      }
      case 'view': {
        if (!tx.view) throw new TrellisError('INVALID_CONFIG', `transaction ${tx.name}: operation view needs view: <design>/<view>`);
        return await host.query(tx.view, queryOptions(vars));
      }
      case 'find': {
        if (!db.find) throw new TrellisError('INVALID_CONFIG', 'this store has no Mango find');
        const selector = vars.selector ?? {};
        if (!isObject(selector)) throw new TrellisError('BAD_VARIABLE', 'variable selector: a Mango selector is a JSON object, e.g. {"type": "order"}');
        const request: Record<string, unknown> = { selector };
        for (const k of ['fields', 'sort'] as const) if (Array.isArray(vars[k])) request[k] = vars[k];
        for (const k of ['limit', 'skip'] as const) if (num(vars[k]) !== undefined) request[k] = num(vars[k]);
        const found = await db.find(request);
        return { docs: found.docs as unknown as Json[], ...(found.warning ? { warning: found.warning } : {}) };
      }
      case 'changes': {
        const since = vars.since === undefined || vars.since === null ? 0 : (vars.since as string | number);
        const limit = num(vars.limit) ?? 1000;
        const changes = await db.changes({ since, limit, include_docs: bool(vars.include_docs) ?? false });
        return { results: changes.results as unknown as Json[], last_seq: changes.last_seq };
      }
    }
  } catch (e) {
    throw couchError(e, `${op} on ${db.name.replace(/\/\/[^@/]*@/, '//')}`);
  }
}
