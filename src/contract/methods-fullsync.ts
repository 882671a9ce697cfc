import { z } from 'zod';
import { fullsyncDatabaseSchema, fullsyncDocPageSchema, fullsyncDocSchema, fullsyncListenersSchema, fullsyncViewRowsSchema, fullsyncViewSchema } from './dto-fullsync.js';

const project = z.string().min(1).describe('the project folder (absolute path), its id in the studio');
const connector = z.string().min(1).describe('a couch connector of the project');
const view = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'write the view as <design>/<view>').describe('<design>/<view>: the file fullsync/<database>/<design>/<view>.js');
/** key ranges travel as JSON text, as typed in the studio: "\"a\"", "[1, 2]", "null" */
const jsonText = z.string().optional();

/** The FullSync view's methods (spread into the method table of methods.ts). */
export const fullsyncMethods = {
  'fullsync.databases': {
    description: "The databases of the project's couch connectors: where they live, their document count, view files and listeners.",
    params: z.object({ project }),
    result: z.object({ databases: z.array(fullsyncDatabaseSchema) }),
  },
  'fullsync.docs': {
    description: 'A page of the documents of a couch connector\'s database in id order, from `startkey` (an id prefix when `prefix` is true).',
    params: z.object({ project, connector, startkey: z.string().optional(), prefix: z.boolean().default(true), limit: z.number().int().min(1).max(1000).default(100), skip: z.number().int().min(0).default(0) }),
    result: fullsyncDocPageSchema,
  },
  'fullsync.doc.get': {
    description: 'One document as JSON text, with its current _rev.',
    params: z.object({ project, connector, id: z.string().min(1) }),
    result: fullsyncDocSchema,
  },
  'fullsync.doc.put': {
    description: 'Writes a document given as JSON text (an object; without _id the store picks one). A stale _rev is a CONFLICT: reload the document.',
    params: z.object({ project, connector, json: z.string() }),
    result: fullsyncDocSchema,
  },
  'fullsync.doc.delete': {
    description: 'Deletes a document at the revision the studio showed (a newer one is a CONFLICT).',
    params: z.object({ project, connector, id: z.string().min(1), rev: z.string().min(1) }),
    result: z.object({ id: z.string(), rev: z.string() }),
  },
  'fullsync.view.query': {
    description: 'Runs a view of the database, with or without its reduce; keys are JSON text.',
    params: z.object({
      project,
      connector,
      view,
      reduce: z.boolean().optional(),
      group: z.boolean().optional(),
      group_level: z.number().int().min(0).optional(),
      key: jsonText,
      startkey: jsonText,
      endkey: jsonText,
      descending: z.boolean().optional(),
      limit: z.number().int().min(1).max(10_000).default(100),
      skip: z.number().int().min(0).default(0),
    }),
    result: fullsyncViewRowsSchema,
  },
  'fullsync.view.get': {
    description: 'The JavaScript of a view file.',
    params: z.object({ project, connector, view }),
    result: fullsyncViewSchema,
  },
  'fullsync.view.save': {
    description: 'Writes a view file (creating it and its design folder when new), atomically.',
    params: z.object({ project, connector, view, code: z.string() }),
    result: fullsyncViewSchema.extend({ created: z.boolean() }),
  },
  'fullsync.listeners.start': {
    description: "Runs the project's couch listeners in the studio (they call their sequences as the runtime would) until stopped.",
    params: z.object({ project }),
    result: fullsyncListenersSchema,
  },
  'fullsync.listeners.stop': {
    description: 'Stops the listeners the studio runs for the project, after the chunk in hand.',
    params: z.object({ project }),
    result: fullsyncListenersSchema,
  },
  'fullsync.listeners.activity': {
    description: 'Whether the studio runs the project\'s listeners, and their recent activity (newest last).',
    params: z.object({ project }),
    result: fullsyncListenersSchema,
  },
} as const;
