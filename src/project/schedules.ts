import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Cron } from 'croner';
import { SCHEDULES_FILE, schedulesFileSchema, type Problem, type Project, type Schedules } from '../model/index.js';
import { issueFindings, toProblems, type Finding } from './issues.js';
import { formatPath, parseYaml } from './yaml-io.js';

export interface SchedulesResult {
  /** undefined when the project has no schedules.yaml, or when it cannot be used (problems say why) */
  schedules: Schedules | undefined;
  problems: Problem[];
}

/** Why a cron expression or time zone cannot run, or undefined. */
export function cronProblem(cron: string, timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return `unknown time zone "${timeZone}" (an IANA name such as Europe/Paris or UTC)`;
  }
  const fields = cron.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return `"${cron}" has ${fields} fields: write 5 (minute hour day month weekday) or 6 (second first)`;
  try {
    new Cron(cron, { timezone: timeZone, paused: true }).stop();
    return undefined;
  } catch (e) {
    return `"${cron}" is not a valid cron expression: ${(e as Error).message}`;
  }
}

/** Rules the schema cannot state: valid cron and zone, unique job names, sequences that exist (when the project is known). */
function scheduleFindings(s: Schedules, project: Project | undefined): Finding[] {
  const out: Finding[] = [];
  const names = new Map<string, number>();
  const sequenceNames = project ? new Set(project.sequences.map((x) => x.name)) : undefined;
  const missing = (name: string) => `project ${project!.name} has no sequence "${name}"${sequenceNames!.size ? ` (sequences: ${[...sequenceNames!].join(', ')})` : ''}`;
  s.jobs.forEach((job, i) => {
    const here = ['jobs', i];
    const first = names.get(job.name);
    if (first !== undefined) out.push({ path: [...here, 'name'], message: `${formatPath(here)}: a job named ${job.name} is already defined at jobs[${first}]` });
    else names.set(job.name, i);
    const problem = cronProblem(job.cron, job.timeZone);
    if (problem) out.push({ path: [...here, problem.startsWith('unknown time zone') ? 'timeZone' : 'cron'], message: `${formatPath(here)}: ${problem}` });
    if (sequenceNames && !sequenceNames.has(job.sequence)) out.push({ path: [...here, 'sequence'], message: `${formatPath(here)}: ${missing(job.sequence)}` });
  });
  s.autoStart.forEach((a, i) => {
    if (sequenceNames && !sequenceNames.has(a.sequence)) out.push({ path: ['autoStart', i, 'sequence'], message: `${formatPath(['autoStart', i])}: ${missing(a.sequence)}` });
  });
  return out;
}

/** Reads `<dir>/schedules.yaml` with positions: a broken file is a list of problems (file:line:col), never an exception. */
export async function readSchedules(dir: string, project?: Project): Promise<SchedulesResult> {
  let text: string;
  try {
    text = await readFile(join(dir, SCHEDULES_FILE), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { schedules: undefined, problems: [] };
    return { schedules: undefined, problems: [{ file: SCHEDULES_FILE, line: 0, col: 0, severity: 'error', message: `cannot be read (${code ?? String(e)})` }] };
  }
  const parsed = parseYaml(SCHEDULES_FILE, text, 'a map with jobs and autoStart');
  const problems = [...parsed.problems];
  if (!parsed.value) return { schedules: undefined, problems };
  const result = schedulesFileSchema.safeParse(parsed.value);
  const findings = result.success ? scheduleFindings(result.data, project) : issueFindings(result.error.issues, parsed.value, schedulesFileSchema);
  problems.push(...toProblems(parsed, findings));
  const ok = result.success && !findings.some((f) => (f.severity ?? 'error') === 'error');
  return { schedules: ok ? result.data : undefined, problems };
}

/** The next run times of a job (none when disabled), computed in its time zone. */
export function nextRuns(cron: string, timeZone: string, n: number, from?: Date): Date[] {
  const job = new Cron(cron, { timezone: timeZone, paused: true });
  try {
    return job.nextRuns(n, from);
  } finally {
    job.stop();
  }
}

/** The last scheduled time at or before `at` (for missed-run detection), or undefined. */
export function previousRun(cron: string, timeZone: string, at: Date): Date | undefined {
  const job = new Cron(cron, { timezone: timeZone, paused: true });
  try {
    return job.previousRuns(1, at)[0];
  } finally {
    job.stop();
  }
}
