// Every mounted property editor's "send what is pending and wait for what is in flight".
const flushers = new Set<() => Promise<void>>();

/** Registers a flusher; returns its removal. */
export function registerFlusher(flush: () => Promise<void>): () => void {
  flushers.add(flush);
  return () => {
    flushers.delete(flush);
  };
}

/**
 * Sends the property edits still waiting for their debounce and waits for every edit in flight. Call
 * it before project.save or transaction.execute (Ctrl+S, F5) so they see what was just typed.
 */
export async function flushPropertyEdits(): Promise<void> {
  await Promise.all([...flushers].map((flush) => flush()));
}
