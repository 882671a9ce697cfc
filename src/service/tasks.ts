import type { EventPayload } from '../contract/index.js';
import { TrellisError } from '../engine/errors.js';

/** Progress of one phase is sent at most this often (a 2,900-file spec reports per file). */
export const PROGRESS_INTERVAL_MS = 100;

export interface TaskProgress {
  phase: string;
  done?: number;
  total?: number;
}

/** What a long task gets: its cancellation, and a progress callback that becomes task.progress events. */
export interface TaskHandle {
  signal: AbortSignal;
  progress(p: TaskProgress): void;
}

/**
 * Long tasks (OpenAPI previews and imports) by the taskId the client gave them: task.cancel aborts one;
 * its progress streams as `task.progress`, throttled, every phase change and phase end included.
 */
export class Tasks {
  private readonly running = new Map<string, AbortController>();
  private readonly anonymous = new Set<AbortController>();

  constructor(private readonly emit: (payload: EventPayload<'task.progress'>) => void) {}

  async run<T>(taskId: string | undefined, body: (task: TaskHandle) => Promise<T>): Promise<T> {
    if (taskId !== undefined && this.running.has(taskId)) throw new TrellisError('INVALID_CONFIG', `task ${taskId} is already running; give each task its own taskId`);
    const controller = new AbortController();
    if (taskId === undefined) this.anonymous.add(controller);
    else this.running.set(taskId, controller);
    let phase = '';
    let last = 0;
    const progress = (p: TaskProgress): void => {
      if (taskId === undefined) return;
      const now = performance.now();
      const ends = p.total !== undefined && p.done === p.total;
      if (p.phase === phase && !ends && now - last < PROGRESS_INTERVAL_MS) return;
      phase = p.phase;
      last = now;
      const payload: EventPayload<'task.progress'> = { taskId, phase: p.phase };
      if (p.done !== undefined) payload.done = p.done;
      if (p.total !== undefined) payload.total = p.total;
      this.emit(payload);
    };
    try {
      return await body({ signal: controller.signal, progress });
    } finally {
      if (taskId === undefined) this.anonymous.delete(controller);
      else this.running.delete(taskId);
    }
  }

  cancel(taskId: string): boolean {
    const controller = this.running.get(taskId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  dispose(): void {
    for (const c of [...this.running.values(), ...this.anonymous]) c.abort();
    this.running.clear();
    this.anonymous.clear();
  }
}
