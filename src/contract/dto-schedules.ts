import { z } from 'zod';
import { problemSchema } from './dto.js';

/** A job of the project's schedules.yaml as the studio lists it. */
export const scheduleJobInfoSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  cron: z.string(),
  timeZone: z.string(),
  sequence: z.string(),
  variables: z.record(z.string(), z.unknown()),
  enabled: z.boolean(),
  allowOverlap: z.boolean(),
  /** ISO time of the next run in the job's time zone rules; null when disabled */
  nextRun: z.string().nullable(),
  /** the next few runs, for the tooltip */
  nextRuns: z.array(z.string()),
});
export type ScheduleJobInfo = z.infer<typeof scheduleJobInfoSchema>;

export const scheduleListSchema = z.object({
  /** false when the project has no schedules.yaml */
  exists: z.boolean(),
  jobs: z.array(scheduleJobInfoSchema),
  autoStart: z.array(z.object({ sequence: z.string(), variables: z.record(z.string(), z.unknown()) })),
  /** problems of schedules.yaml with their lines; when there are errors, jobs is empty */
  problems: z.array(problemSchema),
});
export type ScheduleList = z.infer<typeof scheduleListSchema>;
