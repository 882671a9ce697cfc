import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Cron } from 'croner';
import { toTrellisError } from '../engine/errors.js';
import type { Logger } from '../engine/logger.js';
import { executeSequence } from '../engine/sequence/index.js';
import { formatProblem, type Json, type ScheduleJob } from '../model/index.js';
import { writeFileAtomic } from '../project/atomic-write.js';
import { previousRun, readSchedules } from '../project/schedules.js';
import type { Deployment } from './deployments.js';
import { HttpError } from './errors.js';
import type { Registry } from './registry.js';

/**
 * Runs the jobs of each served project's schedules.yaml (cron in a time zone) and its autoStart sequences.
 * A job still running makes its next occurrence skip unless allowOverlap. The last occurrence handled per job
 * is kept in `<dataDir>/schedules-state.json`, so after a restart a missed occurrence runs once (catch-up) and
 * never twice. Deploys and removals are picked up by polling the registry; dispose() stops everything.
 */

export interface JobStatus {
  project: string;
  name: string;
  description?: string;
  cron: string;
  timeZone: string;
  sequence: string;
  enabled: boolean;
  allowOverlap: boolean;
  nextRun: string | null;
  lastRun?: string;
  lastStatus?: 'ok' | 'error' | 'skipped';
  lastError?: string;
  lastMs?: number;
  running: number;
}

export interface RunOutcome {
  status: 'ok' | 'error' | 'skipped';
  output?: Json;
  error?: { code: string; message: string };
  ms: number;
}

interface JobState {
  /** the occurrence (scheduled time) last handled: run, or skipped because a run was still going */
  lastScheduled?: string;
  lastRun?: string;
  lastStatus?: RunOutcome['status'];
  lastError?: string;
  lastMs?: number;
}

interface Job {
  def: ScheduleJob;
  dep: Deployment;
  cron: Cron | undefined;
  running: number;
}

export interface SchedulerOptions {
  registry: Registry;
  /** where the state file lives */
  dataDir: string;
  logger: Logger;
  /** how often deploys and removals are looked for (default 1 s) */
  pollMs?: number;
}

const STATE_FILE = 'schedules-state.json';

export function runtimeDataDir(given?: string): string {
  return given ?? process.env.TRELLIS_DATA_DIR ?? join(homedir(), '.trellis', 'runtime');
}

export class Scheduler {
  private readonly byProject = new Map<string, { dep: Deployment; jobs: Map<string, Job> }>();
  private state: Record<string, JobState> = {};
  private poller: NodeJS.Timeout | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private saving: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<Promise<unknown>>();
  private disposed = false;
  // cancels the runs in flight when the runtime shuts down
  private readonly stopping = new AbortController();

  constructor(private readonly options: SchedulerOptions) {}

  private get stateFile(): string {
    return join(this.options.dataDir, STATE_FILE);
  }

  async start(): Promise<void> {
    try {
      const parsed = JSON.parse(await readFile(this.stateFile, 'utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) this.state = parsed as Record<string, JobState>;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.options.logger.warn({ err: e, file: this.stateFile }, 'the schedule state file cannot be read: missed runs will not be caught up');
    }
    await this.sync();
    this.poller = setInterval(() => void this.sync(), this.options.pollMs ?? 1000);
    this.poller.unref();
  }

  /** Starts the jobs of new or replaced deployments and stops those of removed ones. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.syncNow()).catch((e: unknown) => this.options.logger.error({ err: e }, 'the scheduler could not sync with the served projects'));
    return this.syncing;
  }

  private async syncNow(): Promise<void> {
    if (this.disposed) return;
    const current = new Map(this.options.registry.list().map((d) => [d.name, d]));
    for (const [name, entry] of this.byProject) {
      if (current.get(name) === entry.dep) continue;
      for (const job of entry.jobs.values()) job.cron?.stop();
      this.byProject.delete(name);
    }
    for (const dep of current.values()) if (!this.byProject.has(dep.name)) await this.load(dep);
  }

  private async load(dep: Deployment): Promise<void> {
    const jobs = new Map<string, Job>();
    this.byProject.set(dep.name, { dep, jobs });
    const { schedules, problems } = await readSchedules(dep.project.dir, dep.project);
    for (const p of problems) this.options.logger.error({ project: dep.name }, `schedules: ${formatProblem(p)}`);
    if (!schedules || this.disposed) return;
    for (const def of schedules.jobs) {
      const job: Job = { def, dep, cron: undefined, running: 0 };
      jobs.set(def.name, job);
      if (!def.enabled) continue;
      job.cron = new Cron(def.cron, { timezone: def.timeZone, name: `${dep.name}/${def.name}` }, (self: Cron) => {
        void this.track(this.fire(job, self.currentRun() ?? new Date(), 'cron'));
      });
      this.catchUp(job);
    }
    for (const a of schedules.autoStart) void this.track(this.execute(dep, a.sequence, a.variables, `autoStart ${a.sequence}`));
  }

  /** After a restart: the occurrence missed while the runtime was down runs once, however many were missed. */
  private catchUp(job: Job): void {
    const last = this.state[this.key(job)]?.lastScheduled;
    if (!last) return; // never ran here: nothing was missed
    const due = previousRun(job.def.cron, job.def.timeZone, new Date());
    if (due && due.getTime() > Date.parse(last)) void this.track(this.fire(job, due, 'catch-up'));
  }

  private key(job: Job): string {
    return `${job.dep.name}/${job.def.name}`;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return p;
  }

  private async fire(job: Job, scheduled: Date, reason: 'cron' | 'catch-up' | 'manual'): Promise<RunOutcome> {
    const key = this.key(job);
    const state = (this.state[key] ??= {});
    if (reason !== 'manual') {
      // an occurrence is marked handled before it runs: a crash during the run does not replay it
      if (state.lastScheduled && Date.parse(state.lastScheduled) >= scheduled.getTime()) return { status: 'skipped', ms: 0 };
      state.lastScheduled = scheduled.toISOString();
    }
    if (job.running > 0 && !job.def.allowOverlap) {
      this.options.logger.warn({ project: job.dep.name, job: job.def.name }, `job ${job.def.name} skipped its ${scheduled.toISOString()} run: the previous run is still going (allowOverlap is off)`);
      state.lastStatus = 'skipped';
      await this.save();
      return { status: 'skipped', ms: 0 };
    }
    job.running++;
    state.lastRun = new Date().toISOString();
    await this.save();
    try {
      const outcome = await this.execute(job.dep, job.def.sequence, job.def.variables, `job ${job.def.name} (${reason})`);
      state.lastStatus = outcome.status;
      state.lastMs = Math.round(outcome.ms);
      if (outcome.error) state.lastError = `${outcome.error.code}: ${outcome.error.message}`;
      else delete state.lastError;
      return outcome;
    } finally {
      job.running--;
      await this.save();
    }
  }

  private async execute(dep: Deployment, sequence: string, variables: Record<string, Json>, what: string): Promise<RunOutcome> {
    const started = performance.now();
    dep.drain.enter();
    try {
      const result = await executeSequence(dep.project, sequence, variables, {
        env: dep.env,
        pool: dep.pool,
        logger: dep.loggers.sequence,
        timeoutMs: dep.timeoutMs,
        signal: this.stopping.signal,
        io: { filesDir: join(dep.project.dir, 'files') },
      });
      this.options.logger.info({ project: dep.name, sequence, ms: Math.round(result.ms) }, `${what} ran`);
      return { status: 'ok', output: result.output, ms: result.ms };
    } catch (e) {
      const err = toTrellisError(e);
      this.options.logger.error({ project: dep.name, sequence, code: err.code }, `${what} failed: ${err.message}`);
      return { status: 'error', error: { code: String(err.code), message: err.message }, ms: performance.now() - started };
    } finally {
      dep.drain.leave();
    }
  }

  private save(): Promise<void> {
    // writes queue behind each other; each writes the latest state
    // the data dir is made on the first write: a runtime without jobs leaves nothing on disk
    this.saving = this.saving
      .then(() => mkdir(this.options.dataDir, { recursive: true }))
      .then(() => writeFileAtomic(this.stateFile, `${JSON.stringify(this.state, null, 2)}\n`)).catch((e: unknown) => this.options.logger.warn({ err: e }, 'the schedule state file cannot be written'));
    return this.saving;
  }

  list(project?: string): JobStatus[] {
    const out: JobStatus[] = [];
    for (const [name, entry] of [...this.byProject].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (project !== undefined && name !== project) continue;
      for (const job of entry.jobs.values()) {
        const s = this.state[this.key(job)] ?? {};
        const d = job.def;
        const next = job.cron?.nextRun() ?? null;
        out.push({
          project: name,
          name: d.name,
          ...(d.description ? { description: d.description } : {}),
          cron: d.cron,
          timeZone: d.timeZone,
          sequence: d.sequence,
          enabled: d.enabled,
          allowOverlap: d.allowOverlap,
          nextRun: next ? next.toISOString() : null,
          ...(s.lastRun ? { lastRun: s.lastRun } : {}),
          ...(s.lastStatus ? { lastStatus: s.lastStatus } : {}),
          ...(s.lastError ? { lastError: s.lastError } : {}),
          ...(s.lastMs !== undefined ? { lastMs: s.lastMs } : {}),
          running: job.running,
        });
      }
    }
    return out;
  }

  /** Runs a job now (whatever its schedule, even disabled), with the same no-overlap rule. */
  async runNow(project: string, name: string): Promise<RunOutcome> {
    await this.syncing;
    const job = this.byProject.get(project)?.jobs.get(name);
    if (!job) throw new HttpError(404, 'NOT_FOUND', `project ${project} has no scheduled job "${name.slice(0, 128)}"`);
    if (job.running > 0 && !job.def.allowOverlap) throw new HttpError(409, 'CONFLICT', `job ${name} is running (allowOverlap is off): try again when it ends`);
    return this.track(this.fire(job, new Date(), 'manual'));
  }

  /** Stops every cron and waits for the runs in flight (their deployments' drains hold the shutdown otherwise). */
  async dispose(): Promise<void> {
    this.disposed = true;
    clearInterval(this.poller);
    this.stopping.abort();
    for (const entry of this.byProject.values()) for (const job of entry.jobs.values()) job.cron?.stop();
    await this.syncing;
    await Promise.allSettled([...this.inFlight]);
    await this.saving;
  }
}
