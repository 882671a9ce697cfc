import type { ScheduleList } from '../contract/index.js';
import { TrellisError } from '../engine/errors.js';
import type { Project } from '../model/index.js';
import { nextRuns, readSchedules } from '../project/schedules.js';

/** schedule.list: what schedules.yaml says, with next run times computed now (the studio runs no scheduler). */
export async function listSchedules(project: Project): Promise<ScheduleList> {
  const { schedules, problems } = await readSchedules(project.dir, project);
  const absent = problems.length === 0 && schedules === undefined;
  const jobs = (schedules?.jobs ?? []).map((j) => {
    const runs = j.enabled ? nextRuns(j.cron, j.timeZone, 3).map((d) => d.toISOString()) : [];
    return {
      name: j.name,
      ...(j.description ? { description: j.description } : {}),
      cron: j.cron,
      timeZone: j.timeZone,
      sequence: j.sequence,
      variables: j.variables,
      enabled: j.enabled,
      allowOverlap: j.allowOverlap,
      nextRun: runs[0] ?? null,
      nextRuns: runs,
    };
  });
  return { exists: !absent, jobs, autoStart: schedules?.autoStart ?? [], problems };
}

/** The sequence and variables of a job, for schedule.runNow. */
export async function scheduledRun(project: Project, job: string): Promise<{ sequence: string; variables: Record<string, unknown> }> {
  const { schedules, problems } = await readSchedules(project.dir, project);
  if (!schedules) {
    const first = problems[0];
    throw new TrellisError('INVALID_PROJECT', first ? `schedules.yaml:${first.line}:${first.col}: ${first.message}` : `project ${project.name} has no schedules.yaml`);
  }
  const found = schedules.jobs.find((j) => j.name === job);
  if (!found) throw new TrellisError('NOT_FOUND', `schedules.yaml has no job "${job}"${schedules.jobs.length ? ` (jobs: ${schedules.jobs.map((j) => j.name).join(', ')})` : ''}`);
  return { sequence: found.sequence, variables: found.variables };
}
