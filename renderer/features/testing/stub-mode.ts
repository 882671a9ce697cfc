import { useSyncExternalStore } from 'react';

/**
 * Stub mode per project: when on, F5 asks the engine to answer transactions from stubs/ (the `stubs`
 * parameter of transaction.execute and sequence.execute). Remembered in localStorage, shared by the
 * run panel's toggle and the Tests panel.
 */
const KEY = 'trellis.stubMode';
const listeners = new Set<() => void>();
let modes: Record<string, boolean> = read();

function read(): Record<string, boolean> {
  try {
    return JSON.parse(window.localStorage.getItem(KEY) ?? '{}') as Record<string, boolean>;
  } catch {
    return {};
  }
}

export function stubModeOf(project: string | null | undefined): boolean {
  return project ? modes[project] === true : false;
}

export function setStubMode(project: string, on: boolean): void {
  modes = { ...modes, [project]: on };
  if (!on) delete modes[project];
  try {
    window.localStorage.setItem(KEY, JSON.stringify(modes));
  } catch {
    // private mode: the toggle still works for this session
  }
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

export function useStubMode(project: string | null | undefined): boolean {
  return useSyncExternalStore(subscribe, () => stubModeOf(project));
}
