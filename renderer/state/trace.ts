import type { ExecutionResult } from '../../src/contract/index.js';

/**
 * The live trace of sequence executions, drawn on the canvas: each step's state, duration, passes,
 * last output and error, by step path ('card/title'; '' is the sequence itself). Fed by the engine's
 * run.event stream; kept per sequence so a canvas shows its last run until the next one.
 */

export type StepRunState = 'running' | 'done' | 'error' | 'stopped';

export interface TraceError {
  code: string;
  message: string;
  path?: string;
}

export interface StepTrace {
  state: StepRunState;
  /** total time over every pass */
  ms: number;
  /** finished passes (a step inside an Iterate runs once per item) */
  passes: number;
  /** the output of the last pass, when the engine sent one */
  output?: unknown;
  hasOutput: boolean;
  error?: TraceError;
}

export interface SequenceTrace {
  project: string;
  sequence: string;
  runId: string;
  running: boolean;
  startedAt: number;
  steps: Readonly<Record<string, StepTrace>>;
  result?: { ok: boolean; ms: number; error?: TraceError };
}

interface TracePayload {
  run?: unknown;
  step?: unknown;
  phase?: unknown;
  ms?: unknown;
  output?: unknown;
  error?: unknown;
}

/** How often a burst of trace events repaints the canvas. */
const FLUSH_MS = 60;

function traceKey(project: string, sequence: string): string {
  return `${project}\u0001${sequence}`;
}

export class TraceStore {
  private snapshots = new Map<string, SequenceTrace>();
  /** runs in flight: their working (mutable) trace */
  private readonly working = new Map<string, { key: string; trace: SequenceTrace; steps: Record<string, StepTrace> }>();
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private dirty = new Set<string>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get(project: string, sequence: string): SequenceTrace | undefined {
    return this.snapshots.get(traceKey(project, sequence));
  }

  /** A run starts: the sequence's previous trace is cleared. */
  begin(project: string, sequence: string, runId: string): void {
    const key = traceKey(project, sequence);
    const trace: SequenceTrace = { project, sequence, runId, running: true, startedAt: Date.now(), steps: {} };
    this.working.set(runId, { key, trace, steps: {} });
    this.snapshots.set(key, trace);
    this.notify();
  }

  /** A run.event payload (events of other runs are ignored). */
  event(payload: unknown): void {
    const p = (payload ?? {}) as TracePayload;
    if (typeof p.run !== 'string' || typeof p.step !== 'string') return;
    const run = this.working.get(p.run);
    if (!run || p.step === '') return;
    const ms = typeof p.ms === 'number' ? p.ms : 0;
    const current = run.steps[p.step] ?? { state: 'running' as StepRunState, ms: 0, passes: 0, hasOutput: false };
    const next: StepTrace = { ...current };
    if (p.phase === 'start') {
      next.state = 'running';
    } else if (p.phase === 'end') {
      next.state = 'done';
      next.ms += ms;
      next.passes += 1;
      if ('output' in p) {
        next.output = p.output;
        next.hasOutput = true;
      }
    } else if (p.phase === 'error') {
      next.state = 'error';
      next.ms += ms;
      next.passes += 1;
      const e = (p.error ?? {}) as { code?: unknown; message?: unknown; path?: unknown };
      next.error = {
        code: typeof e.code === 'string' ? e.code : 'ERROR',
        message: typeof e.message === 'string' ? e.message : 'the step failed',
        path: typeof e.path === 'string' ? e.path : undefined,
      };
    } else return;
    run.steps[p.step] = next;
    this.dirty.add(p.run);
    this.schedule();
  }

  /** The execution returned (or failed to start). */
  end(runId: string, result: ExecutionResult): void {
    const run = this.working.get(runId);
    if (!run) return;
    this.working.delete(runId);
    this.dirty.delete(runId);
    for (const [path, s] of Object.entries(run.steps)) if (s.state === 'running') run.steps[path] = { ...s, state: 'stopped' };
    const trace: SequenceTrace = {
      ...run.trace,
      running: false,
      steps: { ...run.steps },
      result: result.ok ? { ok: true, ms: result.ms } : { ok: false, ms: result.ms, error: { code: result.error.code, message: result.error.message, path: result.error.path } },
    };
    if (this.snapshots.get(run.key)?.runId === runId) this.snapshots.set(run.key, trace);
    this.notify();
  }

  /** Forgets a sequence's trace (the canvas's "Clear trace"). */
  clear(project: string, sequence: string): void {
    const key = traceKey(project, sequence);
    const trace = this.snapshots.get(key);
    if (!trace || trace.running) return;
    this.snapshots.delete(key);
    this.notify();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      for (const runId of this.dirty) {
        const run = this.working.get(runId);
        if (!run) continue;
        if (this.snapshots.get(run.key)?.runId !== runId) continue;
        this.snapshots.set(run.key, { ...run.trace, steps: { ...run.steps } });
      }
      this.dirty = new Set();
      this.notify();
    }, FLUSH_MS);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
