import { useSyncExternalStore } from 'react';
import { useStudio } from '../../state/context.js';
import { debuggerOf, type DebugState, type DebugStore } from './debug-store.js';

export function useDebugger(): DebugStore {
  return debuggerOf(useStudio());
}

/** Reads a slice of the debugger's state; the component re-renders when that slice changes. */
export function useDebugState<T>(select: (state: DebugState) => T): T {
  const store = useDebugger().store;
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
