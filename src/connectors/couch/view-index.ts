import type { Json } from '../../model/index.js';
import { TrellisError } from '../../engine/errors.js';
import { collate, type PouchDB, type PouchDoc } from './pouch.js';
import { runInSandbox } from './sandbox-run.js';
import { declaredReduce, type ViewSource } from './view-files.js';

export interface ViewRow {
  id: string;
  key: Json;
  value: Json;
}

export interface ViewQuery {
  key?: Json;
  keys?: Json[];
  startkey?: Json;
  endkey?: Json;
  inclusive_end?: boolean;
  descending?: boolean;
  limit?: number;
  skip?: number;
  include_docs?: boolean;
  reduce?: boolean;
  group?: boolean;
  group_level?: number;
}

const BATCH = 500;

/** Runs `map` over a batch of documents in the sandbox: [docId, key, value] triples, and per-document errors. */
function mapProgram(code: string): string {
  return `const __out = [], __errors = [];
let __id;
const emit = (k, v) => { __out.push([__id, k === undefined ? null : k, v === undefined ? null : v]); };
${code}
if (typeof map !== 'function') throw new Error('the view file defines no function map(doc)');
for (const __d of variables.input) {
  __id = __d._id;
  try { map(__d); } catch (e) { if (__errors.length < 5) __errors.push(__id + ': ' + String(e)); }
}
return [__out, __errors];`;
}

function reduceProgram(code: string): string {
  return `${code}
if (typeof reduce !== 'function') throw new Error('the view file defines no function reduce(keys, values, rereduce)');
return variables.input.map((g) => reduce(g[0], g[1], false));`;
}

function sum(values: Json[]): Json {
  let total: number | number[] = 0;
  for (const v of values) {
    if (typeof v === 'number') {
      if (Array.isArray(total)) total[0] = (total[0] ?? 0) + v;
      else total += v;
    } else if (Array.isArray(v)) {
      const t: number[] = Array.isArray(total) ? total : [total];
      v.forEach((x, i) => (t[i] = (t[i] ?? 0) + (typeof x === 'number' ? x : 0)));
      total = t;
    } else throw new TrellisError('BAD_VARIABLE', `_sum reduces numbers or arrays of numbers, and a row's value is ${JSON.stringify(v)}`);
  }
  return total;
}

function stats(values: Json[]): Json {
  const nums = values.filter((v): v is number => typeof v === 'number');
  if (nums.length !== values.length) throw new TrellisError('BAD_VARIABLE', '_stats reduces numbers only');
  return { sum: nums.reduce((a, b) => a + b, 0), count: nums.length, min: Math.min(...nums), max: Math.max(...nums), sumsqr: nums.reduce((a, b) => a + b * b, 0) };
}

/**
 * The embedded store's index of one view: rows kept per document and brought up to date from the changes feed
 * before each query (only documents changed since the last query are mapped again), in CouchDB's collation order.
 */
export class ViewIndex {
  private seq: number | string = 0;
  private readonly byDoc = new Map<string, ViewRow[]>();
  private sorted: ViewRow[] | undefined;
  private updating: Promise<void> | undefined;
  readonly reduce: string | undefined;

  constructor(
    readonly source: ViewSource,
    private readonly log: (level: string, text: string) => void = () => undefined,
  ) {
    this.reduce = declaredReduce(source.code);
  }

  /** Brings the index up to date (one update at a time; concurrent queries wait for the same one). */
  update(db: PouchDB): Promise<void> {
    this.updating ??= this.catchUp(db).finally(() => (this.updating = undefined));
    return this.updating;
  }

  private async catchUp(db: PouchDB): Promise<void> {
    const program = mapProgram(this.source.code);
    for (;;) {
      const page = await db.changes({ since: this.seq, limit: BATCH, include_docs: true });
      if (page.results.length === 0) break;
      const live: PouchDoc[] = [];
      for (const c of page.results) {
        if (c.id.startsWith('_design/')) continue;
        this.byDoc.delete(c.id);
        if (!c.deleted && c.doc) live.push(c.doc);
      }
      if (live.length) {
        const [rows, errors] = (await runInSandbox(program, live as unknown as Json, this.log)) as [Array<[string, Json, Json]>, string[]];
        for (const [id, key, value] of rows) {
          let list = this.byDoc.get(id);
          if (!list) this.byDoc.set(id, (list = []));
          list.push({ id, key, value });
        }
        for (const e of errors) this.log('warn', `view ${this.source.design}/${this.source.view}: map failed for ${e}`);
      }
      this.sorted = undefined;
      this.seq = page.last_seq;
      if (page.results.length < BATCH) break;
    }
  }

  private rows(): ViewRow[] {
    if (!this.sorted) {
      const all: ViewRow[] = [];
      for (const list of this.byDoc.values()) all.push(...list);
      all.sort((a, b) => collate(a.key, b.key) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      this.sorted = all;
    }
    return this.sorted;
  }

  /** The rows the query selects, before paging and reduce. */
  private select(q: ViewQuery): ViewRow[] {
    let rows = this.rows();
    if (q.keys) return q.keys.flatMap((k) => rows.filter((r) => collate(r.key, k) === 0));
    if (q.key !== undefined) return rows.filter((r) => collate(r.key, q.key) === 0);
    const desc = q.descending === true;
    const [low, high] = desc ? [q.endkey, q.startkey] : [q.startkey, q.endkey];
    const inclusiveEnd = q.inclusive_end !== false;
    rows = rows.filter((r) => {
      if (low !== undefined) {
        const c = collate(r.key, low);
        if (c < 0 || (c === 0 && desc && !inclusiveEnd)) return false;
      }
      if (high !== undefined) {
        const c = collate(r.key, high);
        if (c > 0 || (c === 0 && !desc && !inclusiveEnd)) return false;
      }
      return true;
    });
    return desc ? [...rows].reverse() : rows;
  }

  async query(db: PouchDB, q: ViewQuery): Promise<Json> {
    await this.update(db);
    const selected = this.select(q);
    const skip = q.skip ?? 0;
    const limit = q.limit ?? Infinity;
    const reduce = q.reduce ?? this.reduce !== undefined;
    if (reduce && this.reduce === undefined) throw new TrellisError('BAD_VARIABLE', `view ${this.source.design}/${this.source.view} has no reduce (reduce: false to read its rows)`);
    if (!reduce) {
      if (q.group || q.group_level !== undefined) throw new TrellisError('BAD_VARIABLE', 'group and group_level need reduce');
      const page = selected.slice(skip, skip + limit);
      const rows: Json[] = [];
      if (q.include_docs) {
        const found = await db.allDocs({ keys: [...new Set(page.map((r) => r.id))], include_docs: true });
        const docs = new Map(found.rows.map((r) => [r.id, r.doc ?? null]));
        for (const r of page) rows.push({ id: r.id, key: r.key, value: r.value, doc: (docs.get(r.id) ?? null) as Json });
      } else for (const r of page) rows.push({ id: r.id, key: r.key, value: r.value });
      return { total_rows: this.rows().length, offset: skip, rows };
    }
    const groups = this.group(selected, q);
    const values = await this.reduceGroups(groups);
    const rows = groups.map((g, i) => ({ key: g.key, value: values[i] ?? null })).slice(skip, skip + limit);
    return { rows } as Json;
  }

  private group(rows: ViewRow[], q: ViewQuery): Array<{ key: Json; rows: ViewRow[] }> {
    const level = q.group ? Infinity : q.group_level;
    if (level === undefined) return [{ key: null, rows }];
    const out: Array<{ key: Json; rows: ViewRow[] }> = [];
    for (const r of rows) {
      const key = Array.isArray(r.key) && level !== Infinity ? r.key.slice(0, level) : r.key;
      const last = out[out.length - 1];
      if (last && collate(last.key, key) === 0) last.rows.push(r);
      else out.push({ key, rows: [r] });
    }
    return out;
  }

  private async reduceGroups(groups: Array<{ key: Json; rows: ViewRow[] }>): Promise<Json[]> {
    switch (this.reduce) {
      case '_count':
        return groups.map((g) => g.rows.length);
      case '_sum':
        return groups.map((g) => sum(g.rows.map((r) => r.value)));
      case '_stats':
        return groups.map((g) => stats(g.rows.map((r) => r.value)));
      default: {
        const input = groups.map((g) => [g.rows.map((r) => [r.key, r.id]), g.rows.map((r) => r.value)]) as Json;
        return ((await runInSandbox(reduceProgram(this.source.code), input, this.log)) ?? []) as Json[];
      }
    }
  }
}
