import type { Json } from '../model/index.js';

/** One event of an execution's trace, drawn by the studio and printed by the CLI. */
export interface TraceEvent {
  run: string;
  step: string;
  phase: 'start' | 'end' | 'error';
  ms: number;
  output?: Json;
  error?: { code: string; message: string; path?: string };
}

export type TraceListener = (event: TraceEvent) => void;

let counter = 0;
export function newRunId(): string {
  counter = (counter + 1) % 1_000_000;
  return `run-${Date.now().toString(36)}-${counter.toString(36)}`;
}
