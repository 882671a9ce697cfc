import type { Reader } from '../../connectors/couch/access.js';
import { canSee, stamp } from '../../connectors/couch/access.js';
import type { PouchChange, PouchDB, PouchDoc } from '../../connectors/couch/pouch.js';
import { badRequest, CouchError, forbidden, notFound } from './couch-errors.js';

const revKey = (id: string, rev: string) => JSON.stringify([id, rev]);

type Attachments = Record<string, { stub?: unknown; digest?: unknown } | null> | undefined;

/**
 * The name of a stub attachment whose digest the stored document does not hold. The store keeps attachment
 * bodies by digest for all documents, so an unchecked stub would copy any user's attachment into one's own.
 */
function borrowedStub(doc: PouchDoc, stored: PouchDoc | undefined): string | undefined {
  const atts = doc._attachments as Attachments;
  if (!atts || typeof atts !== 'object') return undefined;
  const held = new Set(Object.values((stored?._attachments as Attachments) ?? {}).map((a) => a?.digest));
  return Object.entries(atts).find(([, a]) => a?.stub && !held.has(a.digest))?.[0];
}

/** Why the store cannot take this document's reserved fields, or undefined: some shapes make PouchDB throw outside its promise. */
function malformed(doc: PouchDoc): string | undefined {
  const atts = doc._attachments;
  if (atts !== undefined) {
    if (!atts || typeof atts !== 'object' || Array.isArray(atts)) return '_attachments is an object of attachments';
    for (const [name, a] of Object.entries(atts)) {
      const { stub, data } = (a && typeof a === 'object' ? a : {}) as { stub?: unknown; data?: unknown };
      if (stub !== true && typeof data !== 'string') return `attachment ${name} needs its data as base64 text (or stub: true)`;
    }
  }
  const revs = doc._revisions as { start?: unknown; ids?: unknown } | undefined;
  if (revs !== undefined && (!revs || typeof revs.start !== 'number' || !Array.isArray(revs.ids) || !revs.ids.every((id) => typeof id === 'string')))
    return '_revisions is {"start": <number>, "ids": ["<hash>", ...]}';
  return undefined;
}

/**
 * The CouchDB replication protocol over one database, as one reader may see it. Every handler filters what
 * leaves and checks what comes in: a client receives, and may change, only the documents its reader may see
 * (access.ts). Checkpoints (_local documents) are kept per reader so two users never share or read them.
 */
export class ReplicationView {
  constructor(
    readonly db: PouchDB,
    readonly name: string,
    readonly reader: Reader,
  ) {}

  private localId(id: string): string {
    const who = this.reader.authenticated ? `u:${this.reader.subject ?? ''}` : 'anon';
    return `_local/${Buffer.from(who).toString('base64url')}~${id}`;
  }

  async info(): Promise<Record<string, unknown>> {
    const info = await this.db.info();
    return { db_name: this.name, doc_count: info.doc_count, update_seq: info.update_seq, instance_start_time: '0', purge_seq: 0, compact_running: false, disk_format_version: 8 };
  }

  async getLocal(id: string): Promise<PouchDoc> {
    const doc = await this.db.get(this.localId(id));
    return { ...doc, _id: `_local/${id}` };
  }

  async putLocal(id: string, body: PouchDoc): Promise<Record<string, unknown>> {
    const r = await this.db.put({ ...body, _id: this.localId(id) });
    return { ok: true, id: `_local/${id}`, rev: r.rev };
  }

  async deleteLocal(id: string, rev: string | undefined): Promise<Record<string, unknown>> {
    const current = await this.db.get(this.localId(id));
    const r = await this.db.remove({ _id: this.localId(id), _rev: rev ?? current._rev });
    return { ok: true, id: `_local/${id}`, rev: r.rev };
  }

  revsDiff(body: unknown): Promise<Record<string, unknown>> {
    // PouchDB throws outside its promise on a non-array value: unchecked, one request would end the process
    if (!body || typeof body !== 'object' || Array.isArray(body) || !Object.values(body).every((revs) => Array.isArray(revs) && revs.every((r) => typeof r === 'string')))
      throw badRequest('_revs_diff takes {"<docid>": ["<rev>", ...]}');
    return this.db.revsDiff(body as Record<string, string[]>);
  }

  /** What is stored now for these ids (winning revisions, tombstones included): owners come from there. */
  private async stored(ids: string[]): Promise<Map<string, PouchDoc>> {
    const out = new Map<string, PouchDoc>();
    if (!ids.length) return out;
    const found = await this.db.allDocs({ keys: ids, include_docs: true });
    for (const r of found.rows) {
      if (r.doc) out.set(r.id, r.doc);
      else if (r.value?.deleted) {
        const tomb = await this.db.get(r.id, { rev: r.value.rev }).catch(() => undefined);
        if (tomb) out.set(r.id, tomb);
      }
    }
    return out;
  }

  /** The refusal for a write, or undefined when the reader may write this document. */
  private refusal(doc: PouchDoc, stored: PouchDoc | undefined): string | undefined {
    if (typeof doc._id !== 'string' || doc._id === '') return 'a document needs an _id';
    if (doc._id.startsWith('_design/')) return 'design documents are managed by the server (the project\'s fullsync/ views)';
    if (doc._id.startsWith('_')) return `document ids starting with _ are reserved (${doc._id})`;
    if (stored && !canSee(stored, this.reader)) return `document ${doc._id} belongs to another user`;
    const borrowed = borrowedStub(doc, stored);
    if (borrowed) return `attachment ${borrowed} of ${doc._id} is a stub of an attachment this document does not have: send its data`;
    return undefined;
  }

  async bulkDocs(body: unknown): Promise<unknown[]> {
    const b = body as { docs?: unknown; new_edits?: boolean } | undefined;
    if (!b || !Array.isArray(b.docs)) throw badRequest('_bulk_docs takes {"docs": [...]}');
    const docs = b.docs as PouchDoc[];
    const newEdits = b.new_edits !== false;
    const stored = await this.stored([...new Set(docs.map((d) => d?._id).filter((id): id is string => typeof id === 'string' && !id.startsWith('_')))]);
    const allowed: PouchDoc[] = [];
    const refused = new Map<number, Record<string, unknown>>();
    docs.forEach((doc, i) => {
      if (!doc || typeof doc !== 'object') return void refused.set(i, { error: 'bad_request', reason: 'a document is a JSON object', status: 400, name: 'bad_request' });
      const bad = malformed(doc);
      if (bad) return void refused.set(i, { id: doc._id, error: 'bad_request', reason: bad, status: 400, name: 'bad_request' });
      const current = stored.get(doc._id);
      const why = this.refusal(doc, current);
      if (why) return void refused.set(i, { id: doc._id, error: 'forbidden', reason: why, status: 403, name: 'forbidden' });
      allowed.push(stamp(doc, current, this.reader));
    });
    const written = allowed.length ? await this.db.bulkDocs(allowed, { new_edits: newEdits }) : [];
    const out: unknown[] = [];
    let w = 0;
    docs.forEach((doc, i) => {
      const r = refused.get(i);
      if (r) return void out.push(r);
      const result = written[w++];
      // new_edits=false: CouchDB lists only failures
      if (!newEdits && result && !result.error) return;
      out.push(result?.error ? { id: doc._id, error: result.name ?? result.error, reason: result.reason ?? result.message, status: result.status } : { ok: true, id: result?.id ?? doc._id, rev: result?.rev });
    });
    return out;
  }

  async bulkGet(body: unknown, query: Record<string, unknown>): Promise<unknown> {
    const b = body as { docs?: unknown } | undefined;
    if (!b || !Array.isArray(b.docs)) throw badRequest('_bulk_get takes {"docs": [{"id": ..., "rev": ...}]}');
    if (!b.docs.every((d) => d && typeof d === 'object' && typeof (d as { id?: unknown }).id === 'string' && ['undefined', 'string'].includes(typeof (d as { rev?: unknown }).rev)))
      throw badRequest('_bulk_get takes {"docs": [{"id": ..., "rev": ...}]}: every entry needs a string id (and rev, when given, is a string)');
    const requested = b.docs as Array<{ id: string; rev?: string }>;
    const latest = query.latest === 'true';
    const unknown = latest ? await this.unknownRevs(requested) : new Set<string>();
    const isUnknown = (d: { id: string; rev?: string }) => d.rev !== undefined && unknown.has(revKey(d.id, d.rev));
    const known = requested.filter((d) => !isUnknown(d));
    const result = known.length ? await this.db.bulkGet({ docs: known, revs: query.revs === 'true' || query.revs === true, latest, attachments: query.attachments === 'true', binary: false }) : { results: [] };
    const missing = (id: string, rev: unknown) => ({ error: { id, rev, error: 'not_found', reason: 'missing' } });
    return {
      results: [
        ...result.results.map((r) => ({
          id: r.id,
          // PouchDB's errors carry their stack (the server's paths): only CouchDB's fields leave
          docs: r.docs.map((d) => (d.ok ? (this.visible(d.ok) ? d : missing(r.id, d.ok._rev)) : { error: { id: r.id, rev: d.error?.rev, error: String(d.error?.error ?? d.error?.name ?? 'not_found'), reason: String(d.error?.reason ?? d.error?.message ?? 'missing') } })),
        })),
        ...requested.filter(isUnknown).map((d) => ({ id: d.id, docs: [missing(d.id, d.rev)] })),
      ],
    };
  }

  /** The requested revisions the store does not have: asking PouchDB for the `latest` of one throws outside its promise. */
  private async unknownRevs(asked: Array<{ id: string; rev?: unknown }>): Promise<Set<string>> {
    const byId = new Map<string, string[]>();
    for (const a of asked) if (typeof a.rev === 'string') byId.set(a.id, [...(byId.get(a.id) ?? []), a.rev]);
    const diff = byId.size ? await this.db.revsDiff(Object.fromEntries(byId)) : {};
    return new Set(Object.entries(diff).flatMap(([id, d]) => d.missing.map((rev) => revKey(id, rev))));
  }

  /** One page of visible changes after `since`: scans the feed until `limit` visible ones or its end. */
  async changes(options: { since: string | number; limit: number; includeDocs: boolean; styleAll: boolean; docIds?: string[]; descending?: boolean }): Promise<{ results: unknown[]; last_seq: string | number; pending?: number }> {
    const results: unknown[] = [];
    let since = options.since;
    const batch = Math.max(50, Math.min(options.limit, 1000));
    for (;;) {
      const page = await this.db.changes({ since, limit: batch, include_docs: true, style: options.styleAll ? 'all_docs' : 'main_only', ...(options.docIds ? { doc_ids: options.docIds } : {}) });
      for (const c of page.results) {
        since = c.seq;
        if (!this.visibleChange(c)) continue;
        const { doc, ...rest } = c;
        results.push(options.includeDocs ? { ...rest, doc } : rest);
        if (results.length >= options.limit) return { results, last_seq: since };
      }
      if (page.results.length < batch) return { results, last_seq: page.last_seq ?? since };
      since = page.last_seq;
    }
  }

  /** A document this reader may receive: never a raw _local document (checkpoints are read through getLocal only). */
  private visible(doc: PouchDoc): boolean {
    return !doc._id.startsWith('_local/') && canSee(doc, this.reader);
  }

  private visibleChange(c: PouchChange): boolean {
    if (c.id.startsWith('_local/')) return false;
    return c.doc ? canSee(c.doc, this.reader) : false;
  }

  /** Waits for the next change after `since` (longpoll), up to `timeoutMs`; resolves either way. */
  waitForChange(since: string | number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((done) => {
      const feed = this.db.changes({ since, live: true, limit: 1 });
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        feed.cancel();
        done();
      };
      const timer = setTimeout(finish, timeoutMs);
      signal.addEventListener('abort', finish, { once: true });
      feed.on('change', finish).on('error', finish);
    });
  }

  async allDocs(options: Record<string, unknown>): Promise<unknown> {
    const { include_docs, ...rest } = options;
    const found = await this.db.allDocs({ ...rest, include_docs: true });
    // a key with no document has a row with no id; a key naming another user's document answers like a missing one
    const keyed = options.keys !== undefined;
    const rows = found.rows.flatMap((r) => {
      if (r.doc) return this.visible(r.doc) ? [r] : keyed ? [{ key: r.key, error: 'not_found' } as typeof r] : [];
      return keyed && r.error !== undefined ? [r] : [];
    });
    return {
      total_rows: rows.length,
      offset: found.offset ?? 0,
      rows: rows.map((r) => (include_docs === true ? r : { id: r.id, key: r.key, value: r.value, ...(r.error ? { error: r.error } : {}) })),
    };
  }

  async get(id: string, options: Record<string, unknown>): Promise<unknown> {
    const openRevs = Array.isArray(options.open_revs) ? (options.open_revs as unknown[]) : undefined;
    let gone: unknown[] = [];
    if (options.latest === true) {
      const unknown = await this.unknownRevs((openRevs ?? [options.rev]).map((rev) => ({ id, rev })));
      if (typeof options.rev === 'string' && unknown.has(revKey(id, options.rev))) throw notFound();
      if (openRevs) {
        gone = openRevs.filter((rev) => typeof rev === 'string' && unknown.has(revKey(id, rev)));
        options = { ...options, open_revs: openRevs.filter((rev) => !gone.includes(rev)) };
      }
    }
    const got = (await this.db.get(id, options)) as unknown;
    if (Array.isArray(got)) return [...got.filter((x: { ok?: PouchDoc }) => !x.ok || this.visible(x.ok)), ...gone.map((rev) => ({ missing: rev }))];
    if (!this.visible(got as PouchDoc)) throw notFound();
    return got;
  }

  /** One attachment of a document the reader may see (of `rev`, or of the current revision). */
  async attachment(id: string, name: string, rev: string | undefined): Promise<{ data: Buffer; contentType: string }> {
    const doc = (await this.get(id, rev ? { rev } : {})) as PouchDoc & { _attachments?: Record<string, { content_type?: string }> };
    const meta = doc._attachments?.[name];
    if (!meta) throw notFound(`document ${id} has no attachment ${name}`);
    const data = await this.db.getAttachment(id, name, rev ? { rev } : {});
    return { data, contentType: meta.content_type ?? 'application/octet-stream' };
  }

  async put(doc: PouchDoc, newEdits: boolean): Promise<Record<string, unknown>> {
    const [result] = (await this.bulkDocs({ docs: [doc], new_edits: newEdits })) as Array<Record<string, unknown> | undefined>;
    if (result?.error) {
      if (result.status === 403) throw forbidden(String(result.reason));
      throw Object.assign(new Error(String(result.reason)), { status: result.status ?? 500, name: result.error });
    }
    return result ?? { ok: true, id: doc._id, rev: doc._rev };
  }

  async remove(id: string, rev: string | undefined): Promise<Record<string, unknown>> {
    if (!rev) throw new CouchError(409, 'conflict', 'Document update conflict: give the rev to delete (?rev=...)');
    return this.put({ _id: id, _rev: rev, _deleted: true }, true);
  }
}
