import { stat } from 'node:fs/promises';
import type { Json, Variable } from '../model/index.js';
import type { Env } from '../engine/env.js';
import { TrellisError } from '../engine/errors.js';
import type { Logger } from '../engine/logger.js';
import type { ConnectorHandle, ConnectorKind, ExecContext, TxResult, Vars } from './connector-kind.js';
import type { Reader } from './couch/access.js';
import { COUCH_TRANSACTION_TYPES, couchConfigSchema, couchTransactionSchema, type CouchConfig, type CouchOperation, type CouchTransaction } from './couch/config.js';
import { runOperation } from './couch/operations.js';
import type { PouchDB } from './couch/pouch.js';
import { openStore, type StoreLease } from './couch/store.js';
import { designDocument, listViews, readView, viewFile, type ViewSource } from './couch/view-files.js';
import { ViewIndex, type ViewQuery } from './couch/view-index.js';

export type { CouchConfig, CouchTransaction, Listener } from './couch/config.js';

/**
 * The `couch` connector kind: a CouchDB database (url set) or the embedded store (PouchDB on LevelDB under the
 * project's data folder, the default: it works offline). Transactions: get, put, delete, bulkPost (with post
 * policies), allDocs, view (map/reduce from fullsync/<database>/<design>/<view>.js), find (Mango), changes.
 * A connector marked `fullsync` is also served by the runtime for PouchDB replication (src/runtime/fullsync).
 */

/** What the runtime's FullSync endpoint and listeners need of an open couch connector. */
export interface CouchHandle extends ConnectorHandle {
  readonly couch: true;
  readonly db: PouchDB;
  readonly config: CouchConfig;
  readonly embedded: boolean;
  query(view: string, q: ViewQuery): Promise<Json>;
  /** writes each view folder as a design document (CouchDB runs them; devices get them by replication) */
  syncDesignDocuments(): Promise<string[]>;
  /** runs an operation as a given user (FullSync stamping) outside a transaction */
  operation(tx: CouchTransaction, vars: Vars, writer?: Reader): Promise<Json>;
}

export function isCouchHandle(h: ConnectorHandle): h is CouchHandle {
  return (h as Partial<CouchHandle>).couch === true;
}

const str = (name: string, description: string, required = false): Variable => ({ name, type: 'string', ...(required ? { required: true } : {}), description });
const json = (name: string, description: string, required = false): Variable => ({ name, type: 'json', ...(required ? { required: true } : {}), description });
const int = (name: string, description: string): Variable => ({ name, type: 'integer', description });
const flag = (name: string, description: string): Variable => ({ name, type: 'boolean', description });

const RANGE: Variable[] = [
  json('key', 'only rows with this key'),
  json('keys', 'only rows with these keys (an array)'),
  json('startkey', 'first key of the range'),
  json('endkey', 'last key of the range'),
  int('limit', 'at most this many rows'),
  int('skip', 'rows to skip first'),
  flag('descending', 'reverse order'),
  flag('include_docs', 'add each row\'s document'),
];

/** The variables each operation reads, unless the transaction declares them itself. */
const IMPLIED: Record<CouchOperation, Variable[]> = {
  get: [str('docid', 'the document id', true), str('rev', 'a revision (default: the current one)')],
  put: [json('doc', 'the document (an object; _id and _rev as the policy needs)', true)],
  delete: [str('docid', 'the document id', true), str('rev', 'the revision to delete (default: the current one)')],
  bulkPost: [json('docs', 'the documents (an array of objects)', true)],
  allDocs: RANGE,
  view: [...RANGE, flag('reduce', 'reduce the rows (default: when the view has a reduce)'), flag('group', 'one row per key'), int('group_level', 'group by the first N items of array keys')],
  find: [json('selector', 'a Mango selector, e.g. {"type": "order"}', true), json('fields', 'fields to return'), json('sort', 'sort order, e.g. [{"date": "desc"}]'), int('limit', 'at most this many documents'), int('skip', 'documents to skip first')],
  changes: [str('since', 'the sequence to start after (default: from the beginning)'), int('limit', 'at most this many changes'), flag('include_docs', 'add each changed document')],
};

class CouchConnection implements CouchHandle {
  readonly couch = true as const;
  private readonly views = new Map<string, ViewIndex>();

  constructor(
    private readonly lease: StoreLease,
    readonly config: CouchConfig,
    private readonly projectDir: string,
    private readonly logger: Logger,
  ) {}

  get db(): PouchDB {
    return this.lease.db;
  }

  get embedded(): boolean {
    return this.lease.embedded;
  }

  async query(view: string, q: ViewQuery): Promise<Json> {
    if (!this.lease.embedded) {
      // CouchDB runs the view from the synced design document
      const { keys, ...rest } = q;
      return (await (this.db as unknown as { query(v: string, o: object): Promise<Json> }).query(view, { ...rest, ...(keys ? { keys } : {}) })) as Json;
    }
    const [design, name] = view.split('/') as [string, string];
    const info = await stat(viewFile(this.projectDir, this.config.database, design, name ?? '')).catch(() => undefined);
    let index = this.views.get(view);
    if (!index || !info || index.source.mtimeMs !== info.mtimeMs) {
      const source = await readView(this.projectDir, this.config.database, view);
      index = new ViewIndex(source, (level, text) => this.logger[level === 'warn' ? 'warn' : 'debug']({ view }, text));
      this.views.set(view, index);
    }
    return index.query(this.db, q);
  }

  async syncDesignDocuments(): Promise<string[]> {
    const names = await listViews(this.projectDir, this.config.database);
    const byDesign = new Map<string, ViewSource[]>();
    for (const n of names) {
      const v = await readView(this.projectDir, this.config.database, n);
      byDesign.set(v.design, [...(byDesign.get(v.design) ?? []), v]);
    }
    const written: string[] = [];
    for (const [design, views] of byDesign) {
      const doc = designDocument(design, views);
      const current = await this.db.get(doc._id).catch(() => undefined);
      if (current && JSON.stringify(current.views) === JSON.stringify(doc.views)) continue;
      await this.db.put({ ...doc, ...(current?._rev ? { _rev: current._rev } : {}) });
      written.push(doc._id);
    }
    return written;
  }

  operation(tx: CouchTransaction, vars: Vars, writer?: Reader): Promise<Json> {
    return runOperation({ db: this.db, query: (v, q) => this.query(v, q), writer }, tx, vars);
  }

  async execute(transaction: CouchTransaction, vars: Vars, _ctx: ExecContext): Promise<TxResult> {
    const started = performance.now();
    const data = await this.operation(transaction, vars, undefined);
    return { data, meta: { ms: performance.now() - started, ...(Array.isArray(data) ? { rows: data.length } : {}) } };
  }

  close(): Promise<void> {
    return this.lease.release();
  }
}

export const couchConnector: ConnectorKind<CouchConfig, CouchTransaction> = {
  kind: 'couch',
  title: 'CouchDB / FullSync',
  description: 'Documents in CouchDB or in the embedded store (PouchDB, offline): get, put, delete, bulk post with policies, all docs, map/reduce views, Mango find, changes.',
  config: couchConfigSchema,
  transaction: couchTransactionSchema,
  transactionTypes: COUCH_TRANSACTION_TYPES,

  impliedVariables(tx: CouchTransaction): Variable[] {
    return IMPLIED[tx.operation as CouchOperation] ?? [];
  },

  async open(config: CouchConfig, env: Env, options: { projectDir: string; logger: Logger; name?: string }) {
    const where = options.name ? `connector ${options.name}` : 'couch connector';
    if (config.password && !config.user) throw new TrellisError('INVALID_CONFIG', `${where}: a password needs a user`);
    const lease = await openStore(config, options.projectDir, env, where);
    return new CouchConnection(lease, config, options.projectDir, options.logger);
  },
};
