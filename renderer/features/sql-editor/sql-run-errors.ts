import { useSyncExternalStore } from 'react';
import type { ExecutionResult } from '../../../src/contract/index.js';

/**
 * Where the last execution of each SQL transaction failed, so its editor can underline the spot. The run
 * panel reports every finished run; only errors that carry a position (details.position, an offset in the
 * transaction's SQL) are kept.
 */
export interface SqlRunError {
  runId: string;
  message: string;
  /** 0-based offset in the statement */
  position: number;
}

const errors = new Map<string, SqlRunError>();
const listeners = new Set<() => void>();

const keyOf = (project: string, target: string) => `${project}\u0001${target}`;

/** The position of a failed run's error in the SQL, when the driver gave one. */
export function errorPosition(result: ExecutionResult): number | null {
  if (result.ok) return null;
  const details = result.error.details as { position?: unknown } | undefined;
  return typeof details?.position === 'number' && details.position >= 0 ? details.position : null;
}

export function reportSqlRun(project: string, target: string, result: ExecutionResult): void {
  const key = keyOf(project, target);
  const position = errorPosition(result);
  const had = errors.has(key);
  if (position === null || result.ok) {
    if (!had) return;
    errors.delete(key);
  } else errors.set(key, { runId: result.runId, message: result.error.message, position });
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSqlRunError(project: string, target: string): SqlRunError | null {
  return useSyncExternalStore(subscribe, () => errors.get(keyOf(project, target)) ?? null);
}
