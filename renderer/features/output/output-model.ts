import type { LogEntry } from '../../../src/contract/index.js';

/** The Output panel's pure parts: levels, filtering, the capped buffer, the visible window. */

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The most lines kept; older ones are dropped. */
export const MAX_LINES = 5000;

export function levelRank(level: string): number {
  const i = (LOG_LEVELS as readonly string[]).indexOf(level);
  return i === -1 ? 2 : i;
}

/** A log entry from a 'log.entry' payload, or undefined when it is not one. */
export function toLogEntry(payload: unknown): LogEntry | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  if (typeof p.message !== 'string') return undefined;
  const level = typeof p.level === 'string' && (LOG_LEVELS as readonly string[]).includes(p.level) ? (p.level as LogLevel) : 'info';
  return {
    time: typeof p.time === 'string' ? p.time : new Date().toISOString(),
    level,
    category: typeof p.category === 'string' ? p.category : '',
    message: p.message,
    data: typeof p.data === 'object' && p.data !== null && !Array.isArray(p.data) ? (p.data as Record<string, unknown>) : undefined,
  };
}

/** Appends and keeps the last `max` items (a new array). */
export function appendCapped<T>(list: readonly T[], items: readonly T[], max = MAX_LINES): T[] {
  const all = list.length + items.length;
  if (all <= max) return [...list, ...items];
  if (items.length >= max) return items.slice(items.length - max);
  return [...list.slice(all - max), ...items];
}

/** Entries at `minLevel` or above, of `category` when given, whose text (message and data) holds `text` (case-insensitive). */
export function filterEntries(entries: readonly LogEntry[], minLevel: string, text: string, category = ''): LogEntry[] {
  const min = levelRank(minLevel);
  const needle = text.trim().toLowerCase();
  return entries.filter(
    (e) =>
      levelRank(e.level) >= min &&
      (!category || e.category === category) &&
      (!needle || `${e.category} ${e.message}`.toLowerCase().includes(needle) || (e.data !== undefined && JSON.stringify(e.data).toLowerCase().includes(needle))),
  );
}

/** The categories of the entries, sorted, for the category filter. */
export function categoriesOf(entries: readonly LogEntry[]): string[] {
  return [...new Set(entries.map((e) => e.category).filter(Boolean))].sort();
}

/** The rows to draw for a scroll position: [start, end) with some overscan. */
export function visibleWindow(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 20): { start: number; end: number } {
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  return { start: Math.max(0, first - overscan), end: Math.min(count, first + visible + overscan) };
}

/** Whether a scroller is at (or within a row of) its bottom: new lines then keep it there. */
export function isAtBottom(scrollTop: number, viewportHeight: number, scrollHeight: number, slack: number): boolean {
  return scrollTop + viewportHeight >= scrollHeight - slack;
}

/** HH:MM:SS.mmm of an ISO time (local), or the text as is. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** One line of text for an entry (copy, tooltips). */
export function entryText(e: LogEntry): string {
  const data = e.data && Object.keys(e.data).length ? ` ${JSON.stringify(e.data)}` : '';
  return `${e.time} ${e.level.toUpperCase()} [${e.category}] ${e.message}${data}`;
}
