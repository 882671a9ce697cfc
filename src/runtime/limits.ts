import { HttpError } from './errors.js';

/** Server-wide defaults; a project may lower or raise the deadline and the concurrency (trellis.yaml runtime.limits). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_CONCURRENCY = 256;
/** Bundles uploaded to the admin API may be larger than a request body. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/**
 * Executions in flight per target (a sequence or a transaction of one deployment). Past the limit a request is
 * refused at once with 503 and Retry-After, never queued: a saturated service sheds load instead of piling
 * up deadlines.
 */
export class ConcurrencyLimiter {
  private readonly running = new Map<string, number>();

  constructor(readonly limit: number) {}

  acquire(target: string): () => void {
    const n = this.running.get(target) ?? 0;
    if (n >= this.limit)
      throw new HttpError(503, 'TOO_BUSY', `${target} is already running ${this.limit} times at once; retry shortly`, { headers: { 'Retry-After': '1' } });
    this.running.set(target, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(target) ?? 1) - 1;
      if (left <= 0) this.running.delete(target);
      else this.running.set(target, left);
    };
  }

  inUse(target: string): number {
    return this.running.get(target) ?? 0;
  }
}

/** Requests running on one deployment: a replaced deployment is disposed once they are all done. */
export class Drain {
  private count = 0;
  private waiters: Array<() => void> = [];

  enter(): void {
    this.count++;
  }

  leave(): void {
    if (--this.count === 0) for (const w of this.waiters.splice(0)) w();
  }

  get inFlight(): number {
    return this.count;
  }

  /** Resolves when nothing runs any more (at once if nothing runs now). */
  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}
