/**
 * Aborting one HTTP call, on the run's cancellation or on its time limit, cheaply.
 *
 * An AbortController per call plus a listener on the run's AbortSignal costs more than the rest of the
 * connector's own work on a keep-alive call (EventTarget is slow to create and to (un)subscribe). So each call
 * gets a CallSignal, a minimal signal of the shape axios accepts (its GenericAbortSignal: `aborted`,
 * `addEventListener`, `removeEventListener`), and a CancelWatch subscribes once per run signal, not once per
 * call, and aborts the calls in flight under it.
 */

export type AbortCause = 'timeout' | 'cancel';

type Listener = (...args: unknown[]) => unknown;

export class CallSignal {
  aborted = false;
  /** why the call was aborted */
  cause?: AbortCause;
  private listeners: Listener[] = [];

  addEventListener(type: string, listener: Listener): void {
    if (type === 'abort') this.listeners.push(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    if (type !== 'abort') return;
    const i = this.listeners.indexOf(listener);
    if (i !== -1) this.listeners.splice(i, 1);
  }

  abort(cause: AbortCause): void {
    if (this.aborted) return;
    this.aborted = true;
    this.cause = cause;
    const listeners = this.listeners;
    this.listeners = [];
    for (const l of listeners) l();
  }
}

/** Aborts the calls in flight under a run signal when it aborts: one listener per run signal. */
export class CancelWatch {
  private readonly inFlight = new WeakMap<AbortSignal, Set<CallSignal>>();

  /** Watches `signal` for `call`; the returned function stops watching (call it when the call ends). */
  watch(signal: AbortSignal, call: CallSignal): () => void {
    let calls = this.inFlight.get(signal);
    if (!calls) {
      const set = new Set<CallSignal>();
      calls = set;
      this.inFlight.set(signal, set);
      signal.addEventListener(
        'abort',
        () => {
          for (const c of set) c.abort('cancel');
          set.clear();
        },
        { once: true },
      );
    }
    calls.add(call);
    const set = calls;
    return () => set.delete(call);
  }
}
