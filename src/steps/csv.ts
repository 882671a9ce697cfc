import type { Json } from '../model/index.js';
import { TrellisError } from '../engine/errors.js';

/**
 * CSV (RFC 4180) reading and writing, streaming: text goes in by chunks, complete records come out, so a
 * file of any size is read with the memory of one chunk plus one record. Quoted fields may hold the
 * delimiter, doubled quotes and line breaks; records end with LF or CRLF.
 */

const QUOTE = '"';

export class CsvParser {
  private carry = '';
  /** records returned so far, for error messages */
  private count = 0;

  constructor(private readonly delimiter: string) {
    if (delimiter.length !== 1 || delimiter === QUOTE || delimiter === '\n' || delimiter === '\r') throw new TrellisError('BAD_VARIABLE', `the CSV delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`);
  }

  /** The complete records of `text` (appended to what was left over); an incomplete last one waits for more. */
  push(text: string): string[][] {
    return this.parse(this.carry.length ? this.carry + text : text, false);
  }

  /** The last record, when the text did not end with a line break. */
  end(): string[][] {
    const rest = this.carry;
    this.carry = '';
    return rest.length ? this.parse(rest, true) : [];
  }

  private parse(buf: string, final: boolean): string[][] {
    const out: string[][] = [];
    const d = this.delimiter;
    const len = buf.length;
    let pos = 0;
    // next delimiter / line feed at or after `pos`, found once and reused across fields
    let nextD = -2;
    let nextN = -2;
    records: while (pos < len) {
      const start = pos;
      const row: string[] = [];
      for (;;) {
        if (buf.charCodeAt(pos) === 34) {
          // quoted field
          let field = '';
          let p = pos + 1;
          for (;;) {
            const q = buf.indexOf(QUOTE, p);
            if (q < 0) {
              if (final) throw new TrellisError('BAD_RESPONSE', `CSV record ${this.count + out.length + 1}: a quoted field is not closed before the end of the file`);
              this.carry = buf.slice(start);
              this.count += out.length;
              return out;
            }
            field += buf.slice(p, q);
            if (q + 1 >= len && !final) {
              this.carry = buf.slice(start);
              this.count += out.length;
              return out;
            }
            if (buf.charCodeAt(q + 1) === 34) {
              field += QUOTE;
              p = q + 2;
              continue;
            }
            p = q + 1;
            break;
          }
          row.push(field);
          if (p >= len) {
            if (!final) {
              this.carry = buf.slice(start);
              this.count += out.length;
              return out;
            }
            out.push(row);
            pos = len;
            break;
          }
          const c = buf[p];
          if (c === d) {
            pos = p + 1;
            continue;
          }
          if (c === '\n') {
            out.push(row);
            pos = p + 1;
            continue records;
          }
          if (c === '\r') {
            if (p + 1 >= len && !final) {
              this.carry = buf.slice(start);
              this.count += out.length;
              return out;
            }
            out.push(row);
            pos = buf[p + 1] === '\n' ? p + 2 : p + 1;
            continue records;
          }
          throw new TrellisError('BAD_RESPONSE', `CSV record ${this.count + out.length + 1}: unexpected ${JSON.stringify(c)} after the closing quote of a field (quotes inside a field are written "")`);
        }
        if (nextD !== -1 && nextD < pos) nextD = buf.indexOf(d, pos);
        if (nextN !== -1 && nextN < pos) nextN = buf.indexOf('\n', pos);
        if (nextD >= 0 && (nextN < 0 || nextD < nextN)) {
          row.push(buf.slice(pos, nextD));
          pos = nextD + 1;
          continue;
        }
        if (nextN >= 0) {
          const end = nextN > pos && buf.charCodeAt(nextN - 1) === 13 ? nextN - 1 : nextN;
          row.push(buf.slice(pos, end));
          out.push(row);
          pos = nextN + 1;
          continue records;
        }
        if (!final) {
          this.carry = buf.slice(start);
          this.count += out.length;
          return out;
        }
        const tail = buf.charCodeAt(len - 1) === 13 ? len - 1 : len;
        row.push(buf.slice(pos, tail));
        out.push(row);
        pos = len;
        break;
      }
    }
    this.carry = '';
    this.count += out.length;
    return out;
  }
}

export type ColumnType = 'string' | 'integer' | 'number' | 'boolean';

const INTEGER = /^-?(0|[1-9]\d{0,14})$/;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function typeOfText(v: string): ColumnType | undefined {
  if (v === '') return undefined;
  if (INTEGER.test(v)) return 'integer';
  if (NUMBER.test(v)) return 'number';
  if (v === 'true' || v === 'false') return 'boolean';
  return 'string';
}

/** Column types that fit every non-empty value of the sample: integer < number; anything mixed is a string. */
export function inferTypes(sample: readonly string[][], columns: number): ColumnType[] {
  const types: Array<ColumnType | undefined> = new Array(columns).fill(undefined);
  for (const row of sample) {
    for (let i = 0; i < columns; i++) {
      const t = typeOfText(row[i] ?? '');
      const was = types[i];
      if (t === undefined || t === was) continue;
      if (was === undefined) types[i] = t;
      else if ((was === 'integer' && t === 'number') || (was === 'number' && t === 'integer')) types[i] = 'number';
      else types[i] = 'string';
    }
  }
  return types.map((t) => t ?? 'string');
}

/** A field as its column type; a value the sample did not foresee stays text rather than failing the read. */
export function convert(v: string, type: ColumnType): Json {
  switch (type) {
    case 'string':
      return v;
    case 'integer':
    case 'number':
      if (v === '') return null;
      return NUMBER.test(v) ? Number(v) : v;
    case 'boolean':
      if (v === '') return null;
      return v === 'true' ? true : v === 'false' ? false : v;
  }
}

/** Makes records into rows: objects keyed by the header, or arrays without one, with typed values. */
export class RowShaper {
  constructor(
    readonly columns: readonly string[] | undefined,
    readonly types: readonly ColumnType[],
  ) {}

  shape(record: readonly string[]): Json {
    const types = this.types;
    const names = this.columns;
    if (!names) {
      const row: Json[] = new Array(record.length);
      for (let i = 0; i < record.length; i++) row[i] = convert(record[i]!, types[i] ?? 'string');
      return row;
    }
    const row: Record<string, Json> = {};
    for (let i = 0; i < names.length; i++) row[names[i]!] = convert(record[i] ?? '', types[i]!);
    // extra fields past the header keep their position as a key rather than being dropped silently
    for (let i = names.length; i < record.length; i++) row[`_${i + 1}`] = record[i]!;
    return row;
  }
}

/** Header names: blanks and duplicates get a position-based name, so every field stays addressable. */
export function headerNames(record: readonly string[]): string[] {
  const seen = new Set<string>();
  return record.map((raw, i) => {
    let name = raw.trim() || `_${i + 1}`;
    if (seen.has(name)) name = `${name}_${i + 1}`;
    seen.add(name);
    return name;
  });
}

/** JSON Schema of the rows a shaper makes, for the source picker. */
export function rowSchema(columns: readonly string[] | undefined, types: readonly ColumnType[]): Record<string, unknown> {
  const of = (t: ColumnType) => (t === 'string' ? { type: 'string' } : { type: [t, 'null'] });
  if (!columns) return { type: 'array', items: types.length ? { anyOf: [...new Set(types)].map(of) } : {} };
  const properties: Record<string, unknown> = {};
  columns.forEach((c, i) => (properties[c] = of(types[i]!)));
  return { type: 'object', properties, required: [...columns] };
}

// --- writing -----------------------------------------------------------------------------------------

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function csvField(v: unknown, delimiter: string): string {
  const s = text(v);
  if (s.includes(delimiter) || s.includes(QUOTE) || s.includes('\n') || s.includes('\r') || s !== s.trim()) return `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** The columns of rows to write: the given ones, else every key of the object rows in first-seen order. */
export function columnsOf(rows: readonly Json[], given: readonly string[] | undefined): string[] | undefined {
  if (given?.length) return [...given];
  const keys = new Set<string>();
  for (const r of rows) if (r && typeof r === 'object' && !Array.isArray(r)) for (const k of Object.keys(r)) keys.add(k);
  return keys.size ? [...keys] : undefined;
}

/** CSV text of rows (objects by `columns`, or arrays), CRLF line ends as RFC 4180 says. */
export function csvText(rows: readonly Json[], columns: readonly string[] | undefined, delimiter: string, header: boolean): string {
  const lines: string[] = [];
  if (header && columns) lines.push(columns.map((c) => csvField(c, delimiter)).join(delimiter));
  for (const r of rows) {
    if (Array.isArray(r)) lines.push(r.map((v) => csvField(v, delimiter)).join(delimiter));
    else if (r && typeof r === 'object') lines.push((columns ?? []).map((c) => csvField(r[c], delimiter)).join(delimiter));
    else lines.push(csvField(r, delimiter));
  }
  return lines.length ? `${lines.join('\r\n')}\r\n` : '';
}
