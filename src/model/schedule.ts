import { z } from 'zod';
import { jsonSchema } from './json.js';
import { nameSchema } from './names.js';

/**
 * schedules.yaml: sequences the runtime runs by itself.
 *
 *   jobs:
 *     - name: nightlyExport              # unique in the file
 *       cron: "0 30 2 * * *"             # 5 fields (minute first) or 6 (seconds first)
 *       timeZone: Europe/Paris           # IANA name; default UTC
 *       sequence: exportOrders
 *       variables: { format: csv }       # the sequence's variable values
 *       allowOverlap: false              # default: a run still going makes the next one skip
 *       enabled: true
 *   autoStart:                           # run once each time the runtime starts serving the project
 *     - sequence: warmCache
 *       variables: {}
 */

export const SCHEDULES_FILE = 'schedules.yaml';

export const scheduleJobSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  cron: z.string().trim().min(1, 'write a cron expression: "*/5 * * * *" (minute first) or "0 */5 * * * *" (seconds first)'),
  timeZone: z.string().min(1).default('UTC'),
  sequence: nameSchema,
  variables: z.record(z.string(), jsonSchema).default({}),
  allowOverlap: z.boolean().default(false),
  enabled: z.boolean().default(true),
});
export type ScheduleJob = z.infer<typeof scheduleJobSchema>;

export const autoStartSchema = z.strictObject({
  sequence: nameSchema,
  variables: z.record(z.string(), jsonSchema).default({}),
});
export type AutoStart = z.infer<typeof autoStartSchema>;

export const schedulesFileSchema = z.strictObject({
  jobs: z.array(scheduleJobSchema).default([]),
  autoStart: z.array(autoStartSchema).default([]),
});
export type Schedules = z.infer<typeof schedulesFileSchema>;
