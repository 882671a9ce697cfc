import { z } from 'zod';
import { transactionBaseSchema } from '../../model/connector.js';
import { nameSchema } from '../../model/names.js';
import { ENV_REF_PATTERN } from '../../model/project.js';

export const DEFAULT_COUCH_TIMEOUT_MS = 30_000;

/** CouchDB's own rule for database names (lowercase; `_` starts only system databases). */
export const COUCH_DB_NAME = /^[a-z][a-z0-9_$()+/-]*$/;

export const listenerSchema = z
  .object({
    name: nameSchema.describe('names the listener in logs and its checkpoint'),
    on: z.enum(['update', 'delete']).describe('update: documents created or changed; delete: documents deleted'),
    sequence: nameSchema.describe('the sequence called with each chunk of changed documents'),
    variable: nameSchema.default('docs').describe('the sequence variable that receives the chunk (an array of documents)'),
    view: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'write the view as <design>/<view>')
      .optional()
      .describe('only documents this view emits at least one row for (fullsync/<database>/<design>/<view>.js)'),
    filter: z.string().min(1).optional().describe('a JavaScript expression on `doc`; only documents for which it is true'),
    chunkSize: z.number().int().min(1).max(10_000).default(100).describe('documents per sequence call'),
  })
  .strict();
export type Listener = z.infer<typeof listenerSchema>;

export const couchConfigSchema = z
  .object({
    url: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('a CouchDB server (http[s]://host:5984), without credentials; absent: the embedded store in the project (data/fullsync/<database>), which works offline'),
    database: z.string().regex(COUCH_DB_NAME, 'a database name is lowercase: a letter, then letters, digits or _$()+/-').describe('the database name'),
    user: z.string().optional().describe('CouchDB user'),
    password: z.string().regex(ENV_REF_PATTERN, 'write the password as ${env:NAME}: secrets stay out of the project files').optional().describe('CouchDB password, as ${env:NAME}'),
    fullsync: z.boolean().default(false).describe('served by the runtime at /fullsync/<project>/<database> for PouchDB/CouchDB replication, with per-user access'),
    anonymous: z.boolean().default(false).describe('fullsync: allow replication without authentication (anonymous documents only)'),
    timeoutMs: z.number().int().positive().default(DEFAULT_COUCH_TIMEOUT_MS).describe('a request to CouchDB still running after this many milliseconds fails (TIMEOUT)'),
    listeners: z.array(listenerSchema).default([]).describe('sequences called by the runtime when documents change'),
  })
  .strict()
  .describe('CouchDB database or embedded FullSync store');
export type CouchConfig = z.infer<typeof couchConfigSchema>;

export const COUCH_OPERATIONS = ['get', 'put', 'delete', 'bulkPost', 'allDocs', 'view', 'find', 'changes'] as const;
export type CouchOperation = (typeof COUCH_OPERATIONS)[number];
export const POST_POLICIES = ['none', 'create', 'override', 'merge'] as const;
export type PostPolicy = (typeof POST_POLICIES)[number];

export const COUCH_TRANSACTION_TYPES = ['couch'] as const;

export const couchTransactionSchema = transactionBaseSchema.extend({
  type: z.enum(COUCH_TRANSACTION_TYPES).default('couch').describe('always couch'),
  operation: z
    .enum(COUCH_OPERATIONS)
    .describe('get / put / delete one document; bulkPost several; allDocs; view (map/reduce query); find (Mango selector); changes'),
  policy: z
    .enum(POST_POLICIES)
    .default('none')
    .describe(
      'put and bulkPost: none (the document carries its _rev, a conflict is an error), create (always a new document, a given _id is dropped), override (replace whatever is stored), merge (deep-merge into what is stored)',
    ),
  updateOnlyIfChanged: z.boolean().default(false).describe('bulkPost: skip documents whose content equals what is stored (no new revision)'),
  view: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'write the view as <design>/<view>')
    .optional()
    .describe('operation view: <design>/<view>, the file fullsync/<database>/<design>/<view>.js'),
});
export type CouchTransaction = z.infer<typeof couchTransactionSchema>;
