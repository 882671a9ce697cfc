import { createContext, useContext } from 'react';

/** Which sequence a canvas shows, for the breakpoint gutters and the paused-step highlight of its nodes. */
export interface DebugCanvasValue {
  project: string;
  sequence: string;
}

export const DebugCanvasContext = createContext<DebugCanvasValue | null>(null);

export function useDebugCanvas(): DebugCanvasValue | null {
  return useContext(DebugCanvasContext);
}
