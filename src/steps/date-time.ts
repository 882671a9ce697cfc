import { TrellisError } from '../engine/errors.js';

/**
 * Dates in a time zone with nothing but Intl: wall-clock parts of an instant in a zone, the instant of a
 * wall-clock time in a zone, and `yyyy-MM-dd HH:mm:ss.SSS` style patterns.
 */

export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    } catch {
      throw new TrellisError('BAD_VARIABLE', `unknown time zone "${timeZone}" (an IANA name such as Europe/Paris, America/New_York or UTC)`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

export function checkTimeZone(timeZone: string): void {
  formatter(timeZone);
}

export function wallOf(t: number, timeZone: string): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second!, ms: ((t % 1000) + 1000) % 1000 };
}

/** Offset of the zone at instant t, in ms (UTC+2 → 7_200_000). */
export function offsetAt(t: number, timeZone: string): number {
  const w = wallOf(t, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms) - t;
}

/** The instant a wall-clock time names in a zone (in a DST gap: the later offset; in an overlap: the earlier instant). */
export function instantOf(w: Wall, timeZone: string): number {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms);
  let t = asUtc - offsetAt(asUtc, timeZone);
  const again = asUtc - offsetAt(t, timeZone);
  if (again !== t) t = Math.min(t, again);
  return t;
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

function offsetText(ms: number): string {
  if (ms === 0) return 'Z';
  const m = Math.round(Math.abs(ms) / 60000);
  return `${ms < 0 ? '-' : '+'}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

const TOKENS = /yyyy|MM|dd|HH|mm|ss|SSS|XXX|'[^']*'/g;

/** `iso` (with the zone's offset), `epoch` (ms) or a pattern of yyyy MM dd HH mm ss SSS XXX and 'quoted text'. */
export function formatInstant(t: number, pattern: string, timeZone: string): string | number {
  if (pattern === 'epoch') return t;
  const w = wallOf(t, timeZone);
  const off = offsetAt(t, timeZone);
  if (pattern === 'iso') return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}.${pad(w.ms, 3)}${offsetText(off)}`;
  return pattern.replace(TOKENS, (tok) => {
    switch (tok) {
      case 'yyyy':
        return pad(w.year, 4);
      case 'MM':
        return pad(w.month);
      case 'dd':
        return pad(w.day);
      case 'HH':
        return pad(w.hour);
      case 'mm':
        return pad(w.minute);
      case 'ss':
        return pad(w.second);
      case 'SSS':
        return pad(w.ms, 3);
      case 'XXX':
        return offsetText(off);
      default:
        return tok.slice(1, -1);
    }
  });
}

/** An instant from a number (epoch ms), an ISO text, or a text in `pattern` read as wall-clock time of `timeZone`. */
export function parseInstant(v: unknown, pattern: string | undefined, timeZone: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') throw new TrellisError('BAD_VARIABLE', `a date must be a text or a number of milliseconds, got ${v === null ? 'null' : typeof v}`);
  if (!pattern || pattern === 'iso') {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v.trim());
    if (!m) throw new TrellisError('BAD_VARIABLE', `"${v.slice(0, 60)}" is not an ISO date (2024-05-31, 2024-05-31T14:30:00Z, 2024-05-31T14:30:00+02:00)`);
    const wall: Wall = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0), ms: m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0 };
    checkWall(wall, v);
    if (!m[8]) return instantOf(wall, timeZone);
    const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms);
    if (m[8] === 'Z') return asUtc;
    const om = /([+-])(\d{2}):?(\d{2})/.exec(m[8])!;
    return asUtc - (om[1] === '-' ? -1 : 1) * (+om[2]! * 60 + +om[3]!) * 60000;
  }
  const fields: Array<keyof Wall> = [];
  const source = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/yyyy|MM|dd|HH|mm|ss|SSS/g, (tok) => {
    fields.push(({ yyyy: 'year', MM: 'month', dd: 'day', HH: 'hour', mm: 'minute', ss: 'second', SSS: 'ms' } as const)[tok as 'yyyy']);
    return tok === 'yyyy' ? '(\\d{4})' : tok === 'SSS' ? '(\\d{3})' : '(\\d{2})';
  });
  const m = new RegExp(`^${source}$`).exec(v.trim());
  if (!m) throw new TrellisError('BAD_VARIABLE', `"${v.slice(0, 60)}" does not match the pattern ${pattern}`);
  const wall: Wall = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, ms: 0 };
  fields.forEach((f, i) => (wall[f] = Number(m[i + 1])));
  checkWall(wall, v);
  return instantOf(wall, timeZone);
}

function checkWall(w: Wall, text: string): void {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day));
  if (w.month < 1 || w.month > 12 || d.getUTCDate() !== w.day || w.hour > 23 || w.minute > 59 || w.second > 59)
    throw new TrellisError('BAD_VARIABLE', `"${text.slice(0, 60)}" is not a real date or time`);
}

export interface Amount {
  years?: number;
  months?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}

/** Calendar units move the wall clock of the zone (a day stays a day across DST); time units are exact durations. */
export function addTo(t: number, a: Amount, timeZone: string): number {
  let out = t;
  if (a.years || a.months || a.days) {
    const w = wallOf(t, timeZone);
    const months = w.month - 1 + (a.months ?? 0) + 12 * (a.years ?? 0);
    const year = w.year + Math.floor(months / 12);
    const month = (((months % 12) + 12) % 12) + 1;
    // the 31st plus one month is the last day of the next month, not the 3rd of the one after
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    let wall: Wall = { ...w, year, month, day: Math.min(w.day, last) };
    if (a.days) wall = shiftDays(wall, a.days);
    out = instantOf(wall, timeZone);
  }
  return out + (a.hours ?? 0) * 3_600_000 + (a.minutes ?? 0) * 60_000 + (a.seconds ?? 0) * 1000 + (a.milliseconds ?? 0);
}

function shiftDays(w: Wall, days: number): Wall {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
