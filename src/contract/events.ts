import { z } from 'zod';
import { logEntrySchema, traceEventSchema } from './dto.js';
import { debugCommandSchema, debugSnapshotSchema } from './dto-debug.js';

export const STUDIO_COMMANDS = ['execute', 'stop', 'save', 'newProject', 'open', 'undo', 'redo', 'quickOpen', 'exportBundle', 'deployToServer', 'debug', 'continue', 'stepOver', 'stepInto', 'stepOut', 'toggleBreakpoint'] as const;
export type StudioCommand = (typeof STUDIO_COMMANDS)[number];

/** Every event stream the studio receives. */
export const events = {
  /** a project changed: an edit, a save, undo/redo, or its files changed on disk */
  'project.changed': z.object({
    project: z.string(),
    reason: z.enum(['edit', 'save', 'undo', 'redo', 'disk', 'open', 'close']),
    version: z.number(),
    dirty: z.boolean(),
    /** with reason 'disk': files changed while there were unsaved edits, which were kept */
    conflict: z.boolean().optional(),
  }),
  'run.event': traceEventSchema,
  'log.entry': logEntrySchema,
  /** a command from the desktop shell's native menus (F5, Ctrl+S, ...); the renderer runs it like its own shortcut */
  'studio.command': z.object({ command: z.enum(STUDIO_COMMANDS) }),
  /** a debug run (sequence.debug) paused before a step; it waits for debug.command */
  'debug.paused': z.object({ runId: z.string(), snapshot: debugSnapshotSchema }),
  /** a paused debug run resumed with this command */
  'debug.resumed': z.object({ runId: z.string(), command: debugCommandSchema }),
  /** progress of a long task (an import): `done` of `total` when known */
  'task.progress': z.object({ taskId: z.string(), phase: z.string(), done: z.number().optional(), total: z.number().optional() }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export const eventNames = Object.keys(events) as EventName[];
export type EventPayload<E extends EventName> = z.output<Events[E]>;
