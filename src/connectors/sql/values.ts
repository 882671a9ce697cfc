import type { Json } from '../../model/index.js';

/**
 * Type mapping between variables and database values, one rule set for every driver:
 *
 * | database value                         | JSON result                                        |
 * | -------------------------------------- | -------------------------------------------------- |
 * | integer (any width)                    | number; beyond ±(2^53 - 1) a string of the digits  |
 * | decimal / numeric / money              | string ("0.99"; SQLite: formatted to the declared scale) |
 * | real / double                          | number                                             |
 * | boolean                                | true / false (SQLite: declared BOOLEAN 0/1)        |
 * | date                                   | "YYYY-MM-DD"                                       |
 * | timestamp (no zone), SQLite DATETIME   | "YYYY-MM-DDTHH:MM:SS[.ffffff]" (no zone: it has none) |
 * | timestamp with time zone               | "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC)                    |
 * | time, interval, uuid, inet, ...        | the database's text                                |
 * | blob / bytea                           | base64 string                                      |
 * | json / jsonb (SQLite: declared JSON)   | the JSON value                                     |
 * | NULL                                   | null                                               |
 *
 * Variables become parameters as: string, number → themselves; boolean → true/false (SQLite 1/0); json
 * objects and arrays → their JSON text; a missing optional variable → NULL.
 */

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** An integer as a number when it is exact, else as a string of its digits. */
export function integerToJson(v: bigint): number | string {
  return v <= MAX_SAFE && v >= MIN_SAFE ? Number(v) : v.toString();
}

/** Any driver value to JSON, by its JavaScript type. */
export function toJson(v: unknown): Json {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'bigint':
      return integerToJson(v);
    case 'object':
      if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
      if (Array.isArray(v)) return v.map(toJson);
      {
        const out: Record<string, Json> = {};
        for (const [k, x] of Object.entries(v)) out[k] = toJson(x);
        return out;
      }
    default:
      return String(v);
  }
}

/** A variable value as a bound parameter. */
export function toParameter(v: unknown, booleansAsIntegers: boolean): unknown {
  if (v === undefined || v === null) return null;
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'bigint':
      return v;
    case 'boolean':
      return booleansAsIntegers ? (v ? 1 : 0) : v;
    case 'object':
      if (v instanceof Uint8Array) return v;
      if (v instanceof Date) return v.toISOString();
      return JSON.stringify(v);
    default:
      return String(v);
  }
}

// ---------------------------------------------------------------------------------------------------------
// SQLite: results converted by the column's declared type (SQLite stores what it is given; the declared type
// tells what the column means).

export type ValueConverter = (v: unknown) => Json;

function datetimeText(v: unknown): Json {
  if (typeof v === 'string' && v.length > 10 && v[10] === ' ' && /^\d{4}-\d{2}-\d{2} \d/.test(v)) return `${v.slice(0, 10)}T${v.slice(11)}`;
  return toJson(v);
}

function booleanValue(v: unknown): Json {
  if (v === 0 || v === 0n) return false;
  if (v === 1 || v === 1n) return true;
  return toJson(v);
}

function jsonText(v: unknown): Json {
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as Json;
    } catch {
      return v;
    }
  }
  return toJson(v);
}

function decimalValue(scale: number | undefined): ValueConverter {
  return (v) => {
    if (typeof v === 'bigint') return scale ? `${v.toString()}.${'0'.repeat(scale)}` : v.toString();
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return String(v);
      if (scale !== undefined && Math.abs(v) < 1e21) return v.toFixed(scale);
      return String(v);
    }
    return toJson(v);
  };
}

/** The converter for a SQLite column from its declared type (undefined/empty for expressions). */
export function sqliteConverter(declared: string | null | undefined): ValueConverter {
  const t = (declared ?? '').toUpperCase();
  if (!t) return toJson;
  if (t.includes('BOOL')) return booleanValue;
  if (t.includes('INT')) return toJson;
  if (/DECIMAL|NUMERIC|MONEY/.test(t)) {
    const m = /\(\s*\d+\s*,\s*(\d+)\s*\)/.exec(t);
    return decimalValue(m ? Number(m[1]) : undefined);
  }
  if (/DATETIME|TIMESTAMP/.test(t)) return datetimeText;
  if (/JSON/.test(t)) return jsonText;
  return toJson;
}

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL: results converted while parsing the text protocol (pg type parsers).

/** Names of the built-in PostgreSQL types by OID (for result column metadata). */
export const PG_TYPE_NAMES: Readonly<Record<number, string>> = {
  16: 'bool', 17: 'bytea', 18: 'char', 19: 'name', 20: 'int8', 21: 'int2', 23: 'int4', 24: 'regproc', 25: 'text', 26: 'oid',
  114: 'json', 142: 'xml', 600: 'point', 650: 'cidr', 700: 'float4', 701: 'float8', 705: 'unknown', 790: 'money', 829: 'macaddr',
  869: 'inet', 1042: 'bpchar', 1043: 'varchar', 1082: 'date', 1083: 'time', 1114: 'timestamp', 1184: 'timestamptz', 1186: 'interval',
  1266: 'timetz', 1560: 'bit', 1562: 'varbit', 1700: 'numeric', 2249: 'record', 2278: 'void', 2950: 'uuid', 3614: 'tsvector', 3802: 'jsonb',
  1000: 'bool[]', 1001: 'bytea[]', 1005: 'int2[]', 1007: 'int4[]', 1009: 'text[]', 1015: 'varchar[]', 1016: 'int8[]', 1021: 'float4[]',
  1022: 'float8[]', 1115: 'timestamp[]', 1182: 'date[]', 1183: 'time[]', 1185: 'timestamptz[]', 1187: 'interval[]', 1231: 'numeric[]',
  2951: 'uuid[]', 199: 'json[]', 3807: 'jsonb[]',
};

type TextParser = (text: string) => unknown;
type ArrayParse = (source: string, transform: (entry: string) => unknown) => unknown;

const int8: TextParser = (t) => integerToJson(BigInt(t));
const float: TextParser = (t) => {
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
};
const raw: TextParser = (t) => t;
const timestamp: TextParser = (t) => (t.length > 10 && t[10] === ' ' ? `${t.slice(0, 10)}T${t.slice(11)}` : t);
const timestamptz: TextParser = (t) => {
  // 2021-01-01 00:00:00.123456+02 or +05:30 or +01:02:03; infinity and BC dates stay text
  const m = /^(\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(t);
  if (!m) return t;
  const zone = `${m[3]}:${m[4] ?? '00'}`;
  if (m[5] && m[5] !== '00') return t;
  const d = new Date(`${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(d.getTime()) ? t : d.toISOString();
};
const bytea: TextParser = (t) => (t.startsWith('\\x') ? Buffer.from(t.slice(2), 'hex').toString('base64') : Buffer.from(t, 'latin1').toString('base64'));

/** Type parsers by OID that implement the mapping above; other types keep pg's defaults. */
export function pgTypeParsers(arrayParse: ArrayParse): Record<number, TextParser> {
  const array = (element: TextParser): TextParser => (t) => arrayParse(t, element);
  return {
    20: int8,
    700: float,
    701: float,
    1082: raw,
    1083: raw,
    1114: timestamp,
    1184: timestamptz,
    1186: raw,
    1266: raw,
    17: bytea,
    1016: array(int8),
    1021: array(float),
    1022: array(float),
    1182: array(raw),
    1183: array(raw),
    1115: array(timestamp),
    1185: array(timestamptz),
    1187: array(raw),
    1001: array(bytea),
  };
}
