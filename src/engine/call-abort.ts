/**
 * The signal a connector gets for one call: aborted at the call's deadline, or when the caller's signal aborts
 * (with its reason). A listener on the caller's signal, removed when the call ends, costs a fraction of
 * AbortSignal.any, which allocates weak references and a new signal per call: the runtime makes a call per
 * Call Transaction step of every request.
 */
export class CallAbort {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  /** the deadline passed (rather than the caller cancelling) */
  timedOut = false;

  constructor(
    timeoutMs: number,
    private readonly parent: AbortSignal | undefined,
  ) {
    this.timer = setTimeout(expire, timeoutMs, this);
    if (parent?.aborted) this.controller.abort(parent.reason);
    else parent?.addEventListener('abort', this.onParentAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The deadline passed. */
  expire(): void {
    this.timedOut = true;
    this.controller.abort();
  }

  private readonly onParentAbort = (): void => {
    this.controller.abort(this.parent!.reason);
  };

  /** The call ended: no timer, no listener left behind. */
  done(): void {
    clearTimeout(this.timer);
    this.parent?.removeEventListener('abort', this.onParentAbort);
  }
}

function expire(call: CallAbort): void {
  call.expire();
}
