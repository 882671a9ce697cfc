import { TrellisError } from '../engine/errors.js';

/** How long the import works on the calling thread before it gives the event loop a turn. */
export const SLICE_MS = 12;

export function cancelled(): TrellisError {
  return new TrellisError('CANCELLED', 'the import was cancelled');
}

/**
 * Cooperative time slicing. The import runs in the process of the studio's web server / Electron main,
 * so it gives the event loop a turn (setImmediate: IPC, sockets and timers run) whenever it has worked
 * `budgetMs` since the last turn: time-sliced, not per item, so small items keep their throughput.
 * Cancellation is checked at every turn.
 *
 * Concurrent tasks share one slicer and go through `run`: the budget is checked right before the work, in
 * the same synchronous stretch. (Checking it with `await pass()` and then working lets every task resumed
 * by one turn pass the check before any of them has worked: 32 concurrent reads held the loop for 0.5-1 s.)
 */
export class TimeSlicer {
  private start = performance.now();
  private turn: Promise<void> | undefined;

  constructor(
    private readonly signal?: AbortSignal,
    private readonly budgetMs = SLICE_MS,
  ) {}

  /** True when the slice is used up. */
  due(): boolean {
    return performance.now() - this.start > this.budgetMs;
  }

  /** Runs `work` (synchronous) once the event loop had its turn, if the slice is used up. */
  async run<T>(work: () => T): Promise<T> {
    if (this.signal?.aborted) throw cancelled();
    while (this.due()) await this.next();
    return work();
  }

  /**
   * For one sequential loop (nothing else shares the slicer): waits for a turn of the event loop when the
   * slice is used up; checks cancellation either way.
   */
  async pass(): Promise<void> {
    if (this.signal?.aborted) throw cancelled();
    while (this.due()) await this.next();
  }

  /** One turn of the event loop, shared by every task waiting now; then cancellation. */
  private async next(): Promise<void> {
    this.turn ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.start = performance.now();
      this.turn = undefined;
    });
    await this.turn;
    if (this.signal?.aborted) throw cancelled();
  }
}
