import type { CaseResultDto, CheckResultDto } from '../../../src/contract/index.js';

/** The Tests panel's pure parts: result keys, counts and the expected/actual rows of a diff. */

export function caseKey(file: string, name: string): string {
  return `${file}\u0000${name}`;
}

export function summary(results: readonly CaseResultDto[]): string {
  const passed = results.filter((r) => r.ok).length;
  return `${passed} passed, ${results.length - passed} failed`;
}

/** A value as the diff shows it: JSON, pretty when it is an object. */
export function show(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value, null, value !== null && typeof value === 'object' ? 2 : undefined) ?? String(value);
}

export interface DiffRow {
  check: string;
  ok: boolean;
  expected: string;
  actual: string;
  message?: string;
}

/** Failed checks first, then the passed ones, as rows of expected vs actual. */
export function diffRows(checks: readonly CheckResultDto[]): DiffRow[] {
  return [...checks.filter((c) => !c.ok), ...checks.filter((c) => c.ok)].map((c) => ({
    check: c.check,
    ok: c.ok,
    expected: show(c.expected),
    actual: show(c.actual),
    ...(c.message ? { message: c.message } : {}),
  }));
}

/** A test file name proposed for a target: `api.getItem` → `getItem`, a sequence → its name. */
export function proposedFileName(target: string): string {
  const last = target.includes('.') ? target.slice(target.lastIndexOf('.') + 1) : target;
  return last.replace(/[^A-Za-z0-9_.-]+/g, '_') || 'tests';
}
