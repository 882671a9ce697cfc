import { uniqueName, type Connector, type Transaction, type Variable } from '../model/index.js';
import type { ImportDiff, ImportWarning } from './types.js';

/**
 * Re-import: merges the connector mapped from the spec (`incoming`) into the one in the project
 * (`existing`), using the connector mapped at the previous import (`base`, from imports/<connector>.openapi.json)
 * to tell the developer's edits from the spec's changes. docs/openapi-import.md states the rules:
 *
 * - transactions match by method + path (placeholder names ignored), then by name; a matched one keeps the
 *   developer's name and order; new ones are appended; unmatched ones are kept with `removed: true`;
 * - every field is merged three-way: unchanged by the developer → the spec's new value; unchanged in the
 *   spec → the developer's value; changed by both → the developer's value and a `merge-conflict` warning;
 * - without a base (first re-import of a connector imported otherwise): connector settings, descriptions
 *   and variable defaults stay as the developer has them; everything else the spec says wins;
 * - variables match by location + wire name, then by name; a variable the developer renamed keeps its name
 *   and gets `wireName` so the request still uses the spec's name; fields the importer never writes
 *   (notes, body templates, `exposed`, ...) are always kept.
 */

export interface MergeInput {
  existing?: Connector;
  incoming: Connector;
  base?: Connector;
  /** only some operations were imported: do not mark the others removed */
  partial?: boolean;
}

export interface MergeResult {
  connector: Connector;
  diff: ImportDiff;
  warnings: ImportWarning[];
  /** incoming transaction name → name in the merged connector */
  names: Map<string, string>;
}

type Rec = Record<string, unknown>;

const TX_FIELDS = ['type', 'summary', 'description', 'tags', 'deprecated', 'method', 'path', 'headers', 'contentType'];
const TX_DEV_OWNED = new Set(['description']);
const VAR_DEV_OWNED = new Set(['default', 'description']);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as Rec).filter((k) => (a as Rec)[k] !== undefined);
  const kb = Object.keys(b as Rec).filter((k) => (b as Rec)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Rec)[k], (b as Rec)[k]));
}

export function matchKey(method: unknown, path: unknown): string {
  return `${String(method ?? 'GET').toUpperCase()} ${String(path ?? '').replace(/\{[^{}]*\}/g, '{}')}`;
}

function wireOf(v: Variable): string {
  return `${v.in ?? ''}:${v.wireName ?? v.name}`;
}

interface FieldMerge {
  value: unknown;
  conflict: boolean;
}

/**
 * Three-way merge of one field. `devOwned` decides when there is no base: the developer's value (if any)
 * for dev-owned fields, else the spec's.
 */
function mergeField(e: unknown, i: unknown, b: unknown, hasBase: boolean, devOwned: boolean, importerWrites: boolean): FieldMerge {
  if (!hasBase) {
    if (devOwned) return { value: e !== undefined ? e : i, conflict: false };
    if (i !== undefined) return { value: i, conflict: false };
    return { value: importerWrites ? undefined : e, conflict: false };
  }
  if (deepEqual(e, b)) return { value: i, conflict: false };
  if (deepEqual(i, b) || deepEqual(i, e)) return { value: e, conflict: false };
  return { value: e, conflict: true };
}

function set(target: Rec, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function findTx(list: Transaction[], tx: Transaction, used: Set<Transaction>): Transaction | undefined {
  const key = matchKey((tx as Rec).method, (tx as Rec).path);
  return (
    list.find((t) => !used.has(t) && matchKey((t as Rec).method, (t as Rec).path) === key) ??
    list.find((t) => !used.has(t) && t.name === tx.name && !list.some((o) => o !== t && matchKey((o as Rec).method, (o as Rec).path) === key))
  );
}

export function mergeConnector({ existing, incoming, base, partial }: MergeInput): MergeResult {
  const warnings: ImportWarning[] = [];
  const names = new Map<string, string>();
  const diff: ImportDiff = { added: [], updated: [], removed: [], unchanged: 0, config: [] };
  if (!existing) {
    for (const t of incoming.transactions) {
      names.set(t.name, t.name);
      diff.added.push(t.name);
    }
    return { connector: incoming, diff, warnings, names };
  }
  const hasBase = base !== undefined;
  const conflict = (where: string, field: string, mine: unknown, spec: unknown): void => {
    warnings.push({
      code: 'merge-conflict',
      message: `${where}: ${field} was changed both in the project and in the spec; the project's value ${short(mine)} is kept (the spec now says ${short(spec)})`,
    });
  };

  // Connector settings.
  const merged: Connector = { ...existing, config: { ...existing.config }, transactions: [] };
  const d = mergeField(existing.description, incoming.description, base?.description, hasBase, true, true);
  if (d.conflict) conflict(`connector ${existing.name}`, 'description', existing.description, incoming.description);
  set(merged as unknown as Rec, 'description', d.value);
  if (!deepEqual(d.value, existing.description)) diff.config.push('description');
  const configKeys = new Set([...Object.keys(existing.config), ...Object.keys(incoming.config), ...Object.keys(base?.config ?? {})]);
  for (const key of configKeys) {
    const e = existing.config[key];
    const i = incoming.config[key];
    const b = base?.config[key];
    let r: FieldMerge;
    if (key === 'headers' && (isRec(e) || isRec(i))) r = { value: mergeMap(e, i, b, hasBase, true, `connector ${existing.name}`, 'header', conflict), conflict: false };
    else r = mergeField(e, i, b, hasBase, true, false);
    if (r.conflict) conflict(`connector ${existing.name}`, `config.${key}`, e, i);
    if (!hasBase && e !== undefined && i !== undefined && !deepEqual(e, i) && key !== 'headers') {
      warnings.push({ code: 'config-kept', message: `connector ${existing.name}: config.${key} stays ${short(e)}; the spec says ${short(i)} (no record of the previous import to tell an edit from a spec change)` });
    }
    set(merged.config, key, r.value);
    if (!deepEqual(r.value, e)) diff.config.push(key);
  }

  // Transactions.
  const used = new Set<Transaction>();
  const baseUsed = new Set<Transaction>();
  const updates = new Map<Transaction, Transaction>();
  const added: Transaction[] = [];
  const taken = new Set(existing.transactions.map((t) => t.name));
  for (const inc of incoming.transactions) {
    const ex = findTx(existing.transactions, inc, used);
    const bt = base ? findTx(base.transactions, inc, baseUsed) : undefined;
    if (bt) baseUsed.add(bt);
    if (!ex) {
      const name = uniqueName(inc.name, taken);
      taken.add(name);
      names.set(inc.name, name);
      added.push(name === inc.name ? inc : { ...inc, name });
      diff.added.push(name);
      continue;
    }
    used.add(ex);
    names.set(inc.name, ex.name);
    const out = mergeTransaction(ex, inc, bt, hasBase, conflict, warnings);
    updates.set(ex, out);
    if (deepEqual(out, ex)) diff.unchanged++;
    else diff.updated.push(ex.name);
  }
  for (const ex of existing.transactions) {
    const up = updates.get(ex);
    if (up) {
      merged.transactions.push(up);
      continue;
    }
    const fromSpec = !hasBase || base!.transactions.some((b) => matchKey((b as Rec).method, (b as Rec).path) === matchKey((ex as Rec).method, (ex as Rec).path) || b.name === ex.name);
    if (partial || !fromSpec || (ex as Rec).removed === true) {
      merged.transactions.push(ex);
      diff.unchanged++;
      continue;
    }
    merged.transactions.push({ ...ex, removed: true } as Transaction);
    diff.removed.push(ex.name);
  }
  merged.transactions.push(...added);
  return { connector: merged, diff, warnings, names };
}

function isRec(v: unknown): v is Rec {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? 'nothing';
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function mergeMap(
  e: unknown,
  i: unknown,
  b: unknown,
  hasBase: boolean,
  devOwned: boolean,
  where: string,
  what: string,
  conflict: (where: string, field: string, mine: unknown, spec: unknown) => void,
): Rec | undefined {
  const em = isRec(e) ? e : {};
  const im = isRec(i) ? i : {};
  const bm = isRec(b) ? b : {};
  const out: Rec = {};
  for (const k of new Set([...Object.keys(em), ...Object.keys(im), ...Object.keys(bm)])) {
    const r = mergeField(em[k], im[k], bm[k], hasBase, devOwned, false);
    if (r.conflict) conflict(where, `${what} ${k}`, em[k], im[k]);
    if (r.value !== undefined) out[k] = r.value;
  }
  return Object.keys(out).length || e !== undefined ? out : undefined;
}

function mergeTransaction(
  ex: Transaction,
  inc: Transaction,
  bt: Transaction | undefined,
  hasBase: boolean,
  conflict: (where: string, field: string, mine: unknown, spec: unknown) => void,
  warnings: ImportWarning[],
): Transaction {
  const where = `transaction ${ex.name}`;
  const e = ex as Rec;
  const i = inc as Rec;
  const b = (bt ?? {}) as Rec;
  const useBase = hasBase && bt !== undefined;
  const out: Rec = { ...e };
  delete out.removed;
  for (const key of TX_FIELDS) {
    let value: unknown;
    if (key === 'headers') value = mergeMap(e.headers, i.headers, b.headers, useBase, false, where, 'header', conflict);
    else {
      const r = mergeField(e[key], i[key], b[key], useBase, TX_DEV_OWNED.has(key), true);
      if (r.conflict) conflict(where, key, e[key], i[key]);
      value = r.value;
    }
    set(out, key, value);
  }
  const { variables, renames } = mergeVariables(ex.variables, inc.variables, bt?.variables, useBase, where, conflict, warnings);
  out.variables = variables;
  // Placeholders follow the variables' names in the project.
  if (typeof out.path === 'string') {
    let path = out.path;
    for (const [from, to] of renames) if (from !== to && path.includes(`{${from}}`) && !path.includes(`{${to}}`)) path = path.split(`{${from}}`).join(`{${to}}`);
    out.path = path;
    // A path variable without its placeholder would break the request: it goes, with a word.
    const placeholders = new Set([...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!));
    out.variables = variables.filter((v) => {
      if (v.in !== 'path' || placeholders.has(v.name)) return true;
      warnings.push({ code: 'variable-dropped', message: `${where}: path variable ${v.name} is dropped: the path ${path} has no {${v.name}}` });
      return false;
    });
  }
  return out as Transaction;
}

function mergeVariables(
  existing: Variable[],
  incoming: Variable[],
  base: Variable[] | undefined,
  hasBase: boolean,
  where: string,
  conflict: (where: string, field: string, mine: unknown, spec: unknown) => void,
  warnings: ImportWarning[],
): { variables: Variable[]; renames: Map<string, string> } {
  const used = new Set<Variable>();
  const renames = new Map<string, string>();
  const out: Variable[] = [];
  const find = (list: Variable[], v: Variable, taken: Set<Variable>): Variable | undefined =>
    list.find((x) => !taken.has(x) && wireOf(x) === wireOf(v)) ?? list.find((x) => !taken.has(x) && x.name === v.name && (x.in ?? '') === (v.in ?? ''));
  const baseUsed = new Set<Variable>();
  const names = new Set(existing.map((v) => v.name));
  for (const inc of incoming) {
    const ex = find(existing, inc, used);
    const bv = base ? find(base, inc, baseUsed) : undefined;
    if (bv) baseUsed.add(bv);
    if (!ex) {
      let v = inc;
      if (names.has(inc.name)) {
        const name = uniqueName(inc.name, names);
        v = { ...inc, name, wireName: inc.wireName ?? inc.name };
      }
      names.add(v.name);
      renames.set(inc.name, v.name);
      out.push(v);
      continue;
    }
    used.add(ex);
    const useBase = hasBase && bv !== undefined;
    const merged: Rec = { name: ex.name };
    const keys = new Set([...Object.keys(ex), ...Object.keys(inc), ...Object.keys(bv ?? {})]);
    keys.delete('name');
    for (const key of keys) {
      const r = mergeField((ex as Rec)[key], (inc as Rec)[key], (bv as Rec | undefined)?.[key], useBase, VAR_DEV_OWNED.has(key), true);
      if (r.conflict) conflict(`${where}, variable ${ex.name}`, key, (ex as Rec)[key], (inc as Rec)[key]);
      set(merged, key, r.value);
    }
    const wire = inc.wireName ?? inc.name;
    if (ex.name !== wire && (ex.wireName === undefined || ex.wireName === wire)) merged.wireName = wire;
    if (ex.name === wire) delete merged.wireName;
    renames.set(inc.name, ex.name);
    out.push(orderVariable(merged as Variable));
  }
  for (const ex of existing) {
    if (used.has(ex)) continue;
    const bv = base?.find((x) => !baseUsed.has(x) && wireOf(x) === wireOf(ex));
    if (hasBase && bv && deepEqual(bv, ex)) continue; // the spec dropped it and the developer never touched it
    if (bv || !hasBase) {
      warnings.push({ code: 'variable-kept', message: `${where}: variable ${ex.name} is no longer in the spec; kept because ${bv ? 'you changed it' : 'there is no record of the previous import'}` });
    }
    out.push(ex);
  }
  return { variables: out, renames };
}

const VAR_ORDER = ['name', 'type', 'in', 'required', 'multivalued', 'style', 'explode', 'allowReserved', 'secret', 'default', 'enum', 'format', 'contentType', 'wireName', 'description'];

export function orderVariable(v: Variable): Variable {
  const out: Rec = {};
  for (const k of VAR_ORDER) if ((v as Rec)[k] !== undefined) out[k] = (v as Rec)[k];
  for (const k of Object.keys(v)) if (!(k in out) && (v as Rec)[k] !== undefined) out[k] = (v as Rec)[k];
  return out as Variable;
}
