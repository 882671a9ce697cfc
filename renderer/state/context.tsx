import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import type { Studio, StudioState } from './studio.js';

const StudioContext = createContext<Studio | null>(null);

export function StudioProvider(props: { studio: Studio; children: ReactNode }) {
  return <StudioContext.Provider value={props.studio}>{props.children}</StudioContext.Provider>;
}

export function useStudio(): Studio {
  const studio = useContext(StudioContext);
  if (!studio) throw new Error('useStudio outside <StudioProvider>');
  return studio;
}

/** Reads a slice of the studio state; the component re-renders when that slice changes. */
export function useStudioState<T>(select: (state: StudioState) => T): T {
  const studio = useStudio();
  return useSyncExternalStore(studio.store.subscribe, () => select(studio.store.getState()));
}
