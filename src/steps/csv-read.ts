import { createReadStream, closeSync, openSync, readSync } from 'node:fs';
import iconv from 'iconv-lite';
import type { Json } from '../model/index.js';
import { TrellisError } from '../engine/errors.js';
import { CsvParser, headerNames, inferTypes, RowShaper, type ColumnType } from './csv.js';
import { LAZY_ROWS, type LazyRows } from './lazy.js';

export interface CsvReadOptions {
  delimiter: string;
  header: boolean;
  /** infer: from the first SAMPLE_RECORDS records; text: every value a string; or a type per column name */
  types: 'infer' | 'text' | Record<string, ColumnType>;
  encoding: string;
}

/** Records the column types are inferred from. */
export const SAMPLE_RECORDS = 200;
const CHUNK = 64 * 1024;

function decoder(encoding: string): (chunk: Buffer | undefined) => string {
  const enc = encoding.toLowerCase().replace(/[-_]/g, '');
  if (!iconv.encodingExists(encoding)) throw new TrellisError('BAD_VARIABLE', `unknown encoding "${encoding}" (utf8, latin1, windows-1252, utf16le, …)`);
  if (enc === 'utf8') {
    // TextDecoder in stream mode keeps a multi-byte character cut by a chunk boundary for the next chunk
    const td = new TextDecoder('utf-8');
    return (chunk) => (chunk ? td.decode(chunk, { stream: true }) : td.decode());
  }
  const d = iconv.getDecoder(encoding);
  return (chunk) => (chunk ? d.write(chunk) : (d.end() ?? ''));
}

const blank = (r: readonly string[]) => r.length === 1 && r[0] === '';

/** Turns records into shaped rows once the header and the sample fixed the columns and their types. */
class Shaping {
  private shaper: RowShaper | undefined;
  private columns: string[] | undefined;
  private pending: string[][] = [];

  constructor(private readonly options: CsvReadOptions) {}

  /** Rows ready to hand out (none while the sample is still being gathered). */
  add(records: string[][], final: boolean): Json[] {
    const out: Json[] = [];
    for (const r of records) {
      if (blank(r)) continue;
      if (this.options.header && !this.columns) {
        this.columns = headerNames(r);
        continue;
      }
      if (this.shaper) out.push(this.shaper.shape(r));
      else this.pending.push(r);
    }
    if (!this.shaper && (this.pending.length >= SAMPLE_RECORDS || final)) {
      this.shaper = new RowShaper(this.columns, this.typesFor(this.pending));
      for (const r of this.pending) out.push(this.shaper.shape(r));
      this.pending = [];
    }
    return out;
  }

  private typesFor(sample: string[][]): ColumnType[] {
    const width = this.columns?.length ?? sample.reduce((m, r) => Math.max(m, r.length), 0);
    const t = this.options.types;
    if (t === 'text') return new Array<ColumnType>(width).fill('string');
    if (t === 'infer') return inferTypes(sample, width);
    return Array.from({ length: width }, (_, i) => t[this.columns?.[i] ?? String(i)] ?? 'string');
  }

  get shape(): { columns: string[] | undefined; types: readonly ColumnType[] } {
    return { columns: this.columns, types: this.shaper?.types ?? [] };
  }
}

/** Rows of a CSV file in batches (one per chunk read), reading as the consumer asks. */
export async function* csvBatches(abs: string, options: CsvReadOptions): AsyncGenerator<Json[]> {
  const parser = new CsvParser(options.delimiter);
  const decode = decoder(options.encoding);
  const shaping = new Shaping(options);
  const stream = createReadStream(abs, { highWaterMark: CHUNK });
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let text = decode(chunk);
      if (first) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM is not part of the first header name
        first = false;
      }
      const rows = shaping.add(parser.push(text), false);
      if (rows.length) yield rows;
    }
    const tail = decode(undefined);
    const rows = shaping.add([...(tail ? parser.push(tail) : []), ...parser.end()], true);
    if (rows.length) yield rows;
  } finally {
    stream.destroy();
  }
}

/** Every row of a (small) file. */
export async function readAllRows(abs: string, options: CsvReadOptions): Promise<Json[]> {
  const all: Json[] = [];
  for await (const batch of csvBatches(abs, options)) for (const r of batch) all.push(r);
  return all;
}

/** The first rows, reading no more than needed. */
export async function firstRows(abs: string, options: CsvReadOptions, n: number): Promise<Json[]> {
  const out: Json[] = [];
  for await (const batch of csvBatches(abs, options)) {
    for (const r of batch) {
      out.push(r);
      if (out.length >= n) return out;
    }
  }
  return out;
}

/** The rows of a file too large to hold: read again from the start each time an Iterate goes through them. */
export class CsvRows implements LazyRows {
  readonly [LAZY_ROWS] = true as const;
  readonly file: string;
  readonly streamed = true;
  readonly bytes: number;
  readonly preview: Json[];
  readonly #abs: string;
  readonly #options: CsvReadOptions;

  constructor(rel: string, abs: string, bytes: number, options: CsvReadOptions, preview: Json[]) {
    this.file = rel;
    this.bytes = bytes;
    this.preview = preview;
    this.#abs = abs;
    this.#options = options;
  }

  batches(): AsyncIterable<readonly Json[]> {
    return csvBatches(this.#abs, this.#options);
  }

  toJSON(): Json {
    return { file: this.file, streamed: true, bytes: this.bytes, preview: this.preview };
  }
}

/** Columns and types from the start of a sample file, synchronously (schema derivation is synchronous). */
export function sampleShape(abs: string, options: CsvReadOptions): { columns: string[] | undefined; types: readonly ColumnType[] } {
  const fd = openSync(abs, 'r');
  let buf: Buffer;
  let whole: boolean;
  try {
    const chunk = Buffer.alloc(64 * 1024);
    const n = readSync(fd, chunk, 0, chunk.length, 0);
    buf = chunk.subarray(0, n);
    whole = n < chunk.length;
  } finally {
    closeSync(fd);
  }
  const decode = decoder(options.encoding);
  let text = decode(buf);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parser = new CsvParser(options.delimiter);
  const shaping = new Shaping(options);
  shaping.add([...parser.push(text), ...(whole ? parser.end() : [])], true);
  return shaping.shape;
}
