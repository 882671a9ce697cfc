import type { EventName, EventPayload } from '../contract/index.js';

export interface Disposable {
  dispose(): void;
}

export type StudioEventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** The service's event stream; transports subscribe once per client (an IPC window, a WebSocket). */
export class EventHub {
  private readonly listeners = new Set<StudioEventListener>();

  on(listener: StudioEventListener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(name, payload);
      } catch {
        // A broken subscriber (a closed socket, a destroyed window) must not stop the others or the edit that emitted.
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
