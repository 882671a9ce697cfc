import type { DestinationStream } from 'pino';
import type { LogEntry } from '../contract/index.js';

const LEVEL_NAMES: Record<number, LogEntry['level']> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

function levelName(level: unknown): LogEntry['level'] {
  if (typeof level === 'string' && Object.values(LEVEL_NAMES).includes(level as LogEntry['level'])) return level as LogEntry['level'];
  const n = typeof level === 'number' ? level : 30;
  const key = Object.keys(LEVEL_NAMES).map(Number).filter((k) => k <= n).pop() ?? 10;
  return LEVEL_NAMES[key]!;
}

/** Turns one pino JSON line into the Output panel's entry; a line that is not JSON is kept as text. */
export function toLogEntry(line: string): LogEntry {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { time: new Date().toISOString(), level: 'info', category: 'engine', message: line.trimEnd() };
  }
  const { level, time, msg, category, ...data } = record;
  const entry: LogEntry = {
    time: typeof time === 'string' ? time : new Date(typeof time === 'number' ? time : Date.now()).toISOString(),
    level: levelName(level),
    category: typeof category === 'string' ? category : 'engine',
    message: typeof msg === 'string' ? msg : '',
  };
  if (Object.keys(data).length) entry.data = data;
  return entry;
}

/**
 * The pino destination of the studio's logs: every line becomes a `log.entry` event; in web mode it
 * also goes to stderr, where the person who started `trellis studio` looks.
 */
export function logEventStream(onEntry: (entry: LogEntry) => void, options: { stderr?: boolean } = {}): DestinationStream {
  return {
    write(line: string) {
      if (options.stderr) process.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
      for (const one of line.split('\n')) if (one.trim()) onEntry(toLogEntry(one));
    },
  };
}
