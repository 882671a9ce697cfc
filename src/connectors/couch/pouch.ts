import { createRequire } from 'node:module';

/**
 * The slice of PouchDB's API Trellis uses, typed here (PouchDB ships no types). PouchDB is the embedded store
 * (LevelDB on disk, or memory in tests) and, through its http adapter, the client of a real CouchDB: one API
 * for both targets, so every couch operation is written once.
 */
export interface PouchDoc {
  _id: string;
  _rev?: string;
  _deleted?: boolean;
  [key: string]: unknown;
}

export interface PouchWriteResult {
  ok?: boolean;
  id?: string;
  rev?: string;
  error?: string | boolean;
  reason?: string;
  message?: string;
  status?: number;
  name?: string;
}

export interface PouchChange {
  id: string;
  seq: number | string;
  changes: Array<{ rev: string }>;
  deleted?: boolean;
  doc?: PouchDoc;
}

export interface PouchChanges {
  results: PouchChange[];
  last_seq: number | string;
}

export interface PouchLiveChanges {
  on(event: 'change', listener: (change: PouchChange) => void): PouchLiveChanges;
  on(event: 'error' | 'complete', listener: (value: unknown) => void): PouchLiveChanges;
  cancel(): void;
}

export interface PouchInfo {
  db_name: string;
  doc_count: number;
  update_seq: number | string;
  [key: string]: unknown;
}

export interface PouchAllDocs {
  total_rows: number;
  offset?: number;
  rows: Array<{ id: string; key: unknown; value: { rev: string; deleted?: boolean }; doc?: PouchDoc | null; error?: string }>;
}

export interface PouchDB {
  readonly name: string;
  info(): Promise<PouchInfo>;
  get(id: string, options?: Record<string, unknown>): Promise<PouchDoc & Record<string, unknown>>;
  put(doc: PouchDoc, options?: Record<string, unknown>): Promise<PouchWriteResult>;
  remove(doc: PouchDoc): Promise<PouchWriteResult>;
  bulkDocs(docs: PouchDoc[], options?: Record<string, unknown>): Promise<PouchWriteResult[]>;
  allDocs(options?: Record<string, unknown>): Promise<PouchAllDocs>;
  changes(options: Record<string, unknown> & { live: true }): PouchLiveChanges;
  changes(options?: Record<string, unknown>): Promise<PouchChanges>;
  getAttachment(id: string, name: string, options?: Record<string, unknown>): Promise<Buffer>;
  revsDiff(diff: Record<string, string[]>): Promise<Record<string, { missing: string[]; possible_ancestors?: string[] }>>;
  bulkGet(options: Record<string, unknown>): Promise<{ results: Array<{ id: string; docs: Array<{ ok?: PouchDoc; error?: Record<string, unknown> }> }> }>;
  find?(request: Record<string, unknown>): Promise<{ docs: PouchDoc[]; warning?: string }>;
  createIndex?(index: Record<string, unknown>): Promise<unknown>;
  replicate: {
    to(target: PouchDB | string, options?: Record<string, unknown>): Promise<unknown> & { cancel(): void };
    from(source: PouchDB | string, options?: Record<string, unknown>): Promise<unknown> & { cancel(): void };
  };
  sync(target: PouchDB | string, options?: Record<string, unknown>): Promise<unknown> & { cancel(): void };
  close(): Promise<void>;
  destroy(): Promise<void>;
}

export interface PouchStatic {
  new (name: string, options?: Record<string, unknown>): PouchDB;
  plugin(plugin: unknown): PouchStatic;
}

const require = createRequire(import.meta.url);

let pouch: PouchStatic | undefined;

/**
 * PouchDB with every adapter Trellis uses (LevelDB on disk, memory, http), map/reduce, replication and Mango
 * find. pouchdb-core is one constructor per process and plugins change it in place, so they are added once.
 * Pass `adapter` explicitly: 'leveldb' for the embedded store, 'memory' for a device or a test, 'http' for CouchDB.
 */
export function pouchDB(): PouchStatic {
  pouch ??= (require('pouchdb-core') as PouchStatic)
    .plugin(require('pouchdb-adapter-leveldb'))
    .plugin(require('pouchdb-adapter-memory'))
    .plugin(require('pouchdb-adapter-http'))
    .plugin(require('pouchdb-mapreduce'))
    .plugin(require('pouchdb-replication'))
    .plugin(require('pouchdb-find'));
  return pouch;
}

/** CouchDB's collation order (pouchdb-collate), for view keys. */
export const collate: (a: unknown, b: unknown) => number = require('pouchdb-collate').collate;
