import type { Json } from '../model/index.js';

/**
 * The studio's own session: what session steps read and write when a person runs a sequence with F5 (there is
 * no runtime client). One per open project, in memory, kept across executions until the studio closes.
 */
const sessions = new Map<string, Record<string, Json>>();

export function studioSession(projectDir: string): Record<string, Json> {
  let s = sessions.get(projectDir);
  if (!s) {
    s = {};
    sessions.set(projectDir, s);
  }
  return s;
}

export function clearStudioSession(projectDir: string): void {
  sessions.delete(projectDir);
}
