import { randomUUID } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FullsyncDatabase, FullsyncListeners, ParsedParams } from '../contract/index.js';
import { isCouchHandle, type CouchHandle } from '../connectors/couch.connector.js';
import { couchConfigSchema } from '../connectors/couch/config.js';
import { declaredReduce, listViews, readView, viewFile } from '../connectors/couch/view-files.js';
import type { ViewQuery } from '../connectors/couch/view-index.js';
import { TrellisError } from '../engine/errors.js';
import type { Logger } from '../engine/logger.js';
import type { ConnectionPool } from '../engine/pool.js';
import type { Connector, Json, Project } from '../model/index.js';
import { writeFileAtomic } from '../project/index.js';
import { startListeners, type ListenerSet } from '../runtime/fullsync/listeners.js';
import { projectEnv } from './execution.js';
import { checkDocument, parseJsonText, preview } from './fullsync-json.js';

export interface FullsyncDeps {
  pool: ConnectionPool;
  loggers: { connector: Logger; sequence: Logger };
  /** the deadline of each sequence call a listener makes in the studio */
  timeoutMs?: number;
}

const LISTENER_TIMEOUT_MS = 120_000;

interface PouchError {
  status?: number;
  name?: string;
  message?: string;
  reason?: string;
}

function couchConnector(project: Project, name: string): Connector {
  const connector = project.connectors.find((c) => c.name === name);
  if (!connector) throw new TrellisError('NOT_FOUND', `project ${project.name} has no connector "${name}"`, { path: `connectors/${name}` });
  if (connector.kind !== 'couch') throw new TrellisError('INVALID_CONFIG', `connector ${name} is of kind ${connector.kind}: the FullSync view shows couch connectors`, { path: `connectors/${name}` });
  return connector;
}

/**
 * The studio's side of the FullSync view: documents and views of couch connectors through the studio's pooled
 * handles, view files in the project, and the project's listeners run on demand.
 */
export class FullsyncService {
  private readonly listeners = new Map<string, ListenerSet>();

  constructor(private readonly deps: FullsyncDeps) {}

  private async handle(project: Project, name: string): Promise<CouchHandle> {
    const connector = couchConnector(project, name);
    const h = await this.deps.pool.get(project.dir, connector, await projectEnv(project), this.deps.loggers.connector);
    if (!isCouchHandle(h)) throw new TrellisError('INTERNAL', `connector ${name} did not open as a couch connector`);
    return h;
  }

  /** Maps PouchDB's errors to ones that say what happened to which document and what to do. */
  private failure(e: unknown, connector: string, id: string): never {
    if (e instanceof TrellisError) throw e;
    const err = e as PouchError;
    if (err.status === 409)
      throw new TrellisError(
        'CONFLICT',
        `document "${id}" (connector ${connector}) was changed since you read it (or already exists): its _rev is not the current one. Reload the document, apply your change again and save.`,
        { path: `connectors/${connector}` },
      );
    if (err.status === 404) throw new TrellisError('NOT_FOUND', `document "${id}" is not in connector ${connector}'s database${err.reason === 'deleted' ? ' (it was deleted)' : ''}`, { path: `connectors/${connector}` });
    throw new TrellisError('BAD_RESPONSE', `connector ${connector}, document "${id}": ${err.message ?? err.reason ?? String(e)}`, { path: `connectors/${connector}` });
  }

  async databases(project: Project): Promise<{ databases: FullsyncDatabase[] }> {
    const databases: FullsyncDatabase[] = [];
    for (const c of project.connectors) {
      if (c.kind !== 'couch') continue;
      const parsed = couchConfigSchema.safeParse(c.config);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const database = typeof c.config.database === 'string' ? c.config.database : '';
        databases.push({ connector: c.name, database, embedded: !c.config.url, location: '', fullsync: false, anonymous: false, docCount: null, views: [], listeners: [], error: `connectors/${c.name}.yaml: ${issue.path.join('.') || 'config'}: ${issue.message}` });
        continue;
      }
      const config = parsed.data;
      const base: FullsyncDatabase = {
        connector: c.name,
        database: config.database,
        embedded: !config.url,
        location: config.url ? `${config.url.replace(/\/+$/, '')}/${config.database}` : `data/fullsync/${config.database}`,
        fullsync: config.fullsync,
        anonymous: config.anonymous,
        docCount: null,
        views: await listViews(project.dir, config.database),
        listeners: config.listeners.map((l) => ({ name: l.name, on: l.on, sequence: l.sequence })),
      };
      try {
        const info = await (await this.handle(project, c.name)).db.info();
        databases.push({ ...base, docCount: info.doc_count });
      } catch (e) {
        databases.push({ ...base, error: (e as Error).message });
      }
    }
    return { databases };
  }

  async docs(project: Project, p: ParsedParams<'fullsync.docs'>) {
    const { db } = await this.handle(project, p.connector);
    const range = p.startkey ? { startkey: p.startkey, ...(p.prefix ? { endkey: `${p.startkey}\ufff0` } : {}) } : {};
    const page = await db.allDocs({ ...range, include_docs: true, limit: p.limit + 1, skip: p.skip });
    const rows = page.rows.slice(0, p.limit).map((r) => ({ id: r.id, rev: r.value.rev, preview: preview(r.doc as Record<string, unknown> | null) }));
    return { rows, total: page.total_rows, skip: p.skip, more: page.rows.length > p.limit };
  }

  async getDoc(project: Project, connector: string, id: string) {
    const { db } = await this.handle(project, connector);
    try {
      const doc = await db.get(id);
      return { id: doc._id, rev: String(doc._rev), json: JSON.stringify(doc, null, 2) };
    } catch (e) {
      this.failure(e, connector, id);
    }
  }

  async putDoc(project: Project, connector: string, json: string) {
    const doc = checkDocument(parseJsonText(json, 'the document is not valid JSON'));
    const { db } = await this.handle(project, connector);
    const id = doc._id ?? randomUUID().replaceAll('-', '');
    try {
      await db.put({ ...doc, _id: id } as Parameters<typeof db.put>[0]);
    } catch (e) {
      this.failure(e, connector, id);
    }
    return this.getDoc(project, connector, id);
  }

  async deleteDoc(project: Project, connector: string, id: string, rev: string) {
    const { db } = await this.handle(project, connector);
    try {
      const r = await db.remove({ _id: id, _rev: rev });
      return { id, rev: String(r.rev) };
    } catch (e) {
      this.failure(e, connector, id);
    }
  }

  async queryView(project: Project, p: ParsedParams<'fullsync.view.query'>) {
    const key = (name: 'key' | 'startkey' | 'endkey') => (p[name] === undefined || p[name]!.trim() === '' ? {} : { [name]: parseJsonText(p[name]!, `${name} is not JSON (write strings in quotes: "a")`) as Json });
    const handle = await this.handle(project, p.connector);
    const q: ViewQuery = {
      ...key('key'),
      ...key('startkey'),
      ...key('endkey'),
      ...(p.reduce !== undefined ? { reduce: p.reduce } : {}),
      ...(p.group ? { group: true } : {}),
      ...(p.group_level !== undefined ? { group_level: p.group_level } : {}),
      ...(p.descending ? { descending: true } : {}),
      limit: p.limit,
      skip: p.skip,
    };
    const started = performance.now();
    const result = (await handle.query(p.view, q)) as { rows: Array<{ id?: string; key: unknown; value: unknown }>; total_rows?: number };
    const reduced = result.rows.every((r) => r.id === undefined) && result.total_rows === undefined;
    return { rows: result.rows.map((r) => ({ ...(r.id !== undefined ? { id: r.id } : {}), key: r.key, value: r.value })), ...(result.total_rows !== undefined ? { total: result.total_rows } : {}), reduced, ms: performance.now() - started };
  }

  private database(project: Project, connector: string): string {
    const parsed = couchConfigSchema.safeParse(couchConnector(project, connector).config);
    if (!parsed.success) throw new TrellisError('INVALID_CONFIG', `connectors/${connector}.yaml: ${parsed.error.issues[0]!.message}`, { path: `connectors/${connector}` });
    return parsed.data.database;
  }

  async getView(project: Project, connector: string, view: string) {
    const source = await readView(project.dir, this.database(project, connector), view);
    const reduce = declaredReduce(source.code);
    return { view, code: source.code, ...(reduce ? { reduce } : {}) };
  }

  /** Writes the view file atomically (a query in flight reads the old or the new text, never half of it). */
  async saveView(project: Project, connector: string, view: string, code: string) {
    const [design, name] = view.split('/') as [string, string];
    const file = viewFile(project.dir, this.database(project, connector), design, name);
    const created = !(await stat(file).catch(() => undefined));
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, code);
    const reduce = declaredReduce(code);
    return { view, code, created, ...(reduce ? { reduce } : {}) };
  }

  private listenerNames(project: Project): string[] {
    const names: string[] = [];
    for (const c of project.connectors) {
      if (c.kind !== 'couch') continue;
      const parsed = couchConfigSchema.safeParse(c.config);
      if (parsed.success) for (const l of parsed.data.listeners) names.push(`${c.name}.${l.name}`);
    }
    return names;
  }

  activity(project: Project): FullsyncListeners {
    const set = this.listeners.get(project.dir);
    return { running: set !== undefined, listeners: this.listenerNames(project), activity: set?.activity() ?? [] };
  }

  async startListeners(project: Project): Promise<FullsyncListeners> {
    if (!this.listeners.has(project.dir)) {
      const names = this.listenerNames(project);
      if (!names.length) throw new TrellisError('NOT_FOUND', `project ${project.name} has no listeners: add them under listeners: in a couch connector's settings`);
      const env = await projectEnv(project);
      this.listeners.set(project.dir, startListeners({ project, env, pool: this.deps.pool, timeoutMs: this.deps.timeoutMs ?? LISTENER_TIMEOUT_MS, loggers: this.deps.loggers }));
    }
    return this.activity(project);
  }

  async stopListeners(project: Project): Promise<FullsyncListeners> {
    const set = this.listeners.get(project.dir);
    this.listeners.delete(project.dir);
    await set?.stop();
    return { running: false, listeners: this.listenerNames(project), activity: set?.activity() ?? [] };
  }

  /** A closed project's listeners stop (after the chunk in hand). */
  async forget(dir: string): Promise<void> {
    const set = this.listeners.get(dir);
    this.listeners.delete(dir);
    await set?.stop();
  }

  async dispose(): Promise<void> {
    const sets = [...this.listeners.values()];
    this.listeners.clear();
    await Promise.all(sets.map((s) => s.stop()));
  }
}
