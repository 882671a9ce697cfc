import { z } from 'zod';

/** The FullSync view's data: couch connectors' databases, their documents, views and listener activity. */

export const fullsyncDatabaseSchema = z.object({
  connector: z.string(),
  database: z.string(),
  /** true: the embedded store under the project's data folder; false: a CouchDB server */
  embedded: z.boolean(),
  /** data/fullsync/<database> or the server URL with the database */
  location: z.string(),
  fullsync: z.boolean(),
  anonymous: z.boolean(),
  /** null when the store could not be opened (see `error`) */
  docCount: z.number().nullable(),
  /** `design/view` names of the view files fullsync/<database>/<design>/<view>.js */
  views: z.array(z.string()),
  listeners: z.array(z.object({ name: z.string(), on: z.enum(['update', 'delete']), sequence: z.string() })),
  error: z.string().optional(),
});
export type FullsyncDatabase = z.infer<typeof fullsyncDatabaseSchema>;

export const fullsyncDocRowSchema = z.object({
  id: z.string(),
  rev: z.string(),
  /** the document's first fields on one line, cut short */
  preview: z.string(),
});
export type FullsyncDocRow = z.infer<typeof fullsyncDocRowSchema>;

export const fullsyncDocPageSchema = z.object({
  rows: z.array(fullsyncDocRowSchema),
  /** documents in the database (all ids, not only those of the prefix) */
  total: z.number(),
  skip: z.number(),
  /** more rows follow this page */
  more: z.boolean(),
});
export type FullsyncDocPage = z.infer<typeof fullsyncDocPageSchema>;

export const fullsyncDocSchema = z.object({
  id: z.string(),
  rev: z.string(),
  /** the document as pretty-printed JSON, with _id and _rev */
  json: z.string(),
});
export type FullsyncDoc = z.infer<typeof fullsyncDocSchema>;

export const fullsyncViewRowsSchema = z.object({
  rows: z.array(z.object({ id: z.string().optional(), key: z.unknown(), value: z.unknown() })),
  /** rows the map emitted in total (absent when reduced) */
  total: z.number().optional(),
  reduced: z.boolean(),
  ms: z.number(),
});
export type FullsyncViewRows = z.infer<typeof fullsyncViewRowsSchema>;

export const fullsyncViewSchema = z.object({
  view: z.string(),
  code: z.string(),
  /** the reduce the file declares: _count, _sum, _stats, js, or absent */
  reduce: z.string().optional(),
});

export const listenerActivitySchema = z.object({
  at: z.string(),
  connector: z.string(),
  listener: z.string(),
  docs: z.number(),
  ok: z.boolean(),
  error: z.string().optional(),
  lastSeq: z.union([z.string(), z.number()]),
});
export type ListenerActivityDto = z.infer<typeof listenerActivitySchema>;

export const fullsyncListenersSchema = z.object({
  running: z.boolean(),
  /** every listener of the project's couch connectors, as connector.listener */
  listeners: z.array(z.string()),
  activity: z.array(listenerActivitySchema),
});
export type FullsyncListeners = z.infer<typeof fullsyncListenersSchema>;
