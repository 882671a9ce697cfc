import { uniqueName, type Connector, type Transaction, type Variable } from '../model/index.js';
import type { ImportDiff, WsdlWarning } from './types.js';

/**
 * Re-import of a WSDL into a connector that exists: the developer's edits stay (docs/wsdl-import.md,
 * "Importing again"). `base` is the connector the previous import wrote (imports/<connector>.wsdl.json):
 * - a setting or field the developer left as the import wrote it takes the WSDL's new value; one the
 *   developer changed keeps the developer's value (a `merge-conflict` warning when the WSDL changed it too);
 *   without a base, the developer's settings, names and descriptions stay and the WSDL's fields win;
 * - transactions match by operation (and service/port), then by name, and keep their name, position,
 *   `exposed` and any key the import never writes; new operations are appended; transactions whose
 *   operation is gone stay in the file with `removed: true`;
 * - variables match by location and wire name, then by name; a renamed one keeps its name and gets the
 *   wire name; `default`, `description` and `secret` stay as the developer set them.
 */

export interface SoapMergeInput {
  existing?: Connector;
  incoming: Connector;
  base?: Connector;
  /** only some operations were imported: transactions not among them are left as they are, not marked removed */
  partial?: boolean;
}

export interface SoapMergeResult {
  connector: Connector;
  diff: ImportDiff;
  warnings: WsdlWarning[];
  /** incoming transaction name → name in the merged connector */
  names: Map<string, string>;
}

type Rec = Record<string, unknown>;

const TX_FIELDS = ['type', 'operation', 'service', 'port', 'arrays', 'inputSchemas', 'description'];
const DEV_OWNED = new Set(['description', 'default', 'secret']);
const CONFIG_IMPORTED = new Set(['wsdl']);

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Three-way choice of one value: existing (developer), incoming (WSDL), base (previous import). */
function choose(e: unknown, i: unknown, b: unknown, hasBase: boolean, devOwned: boolean): { value: unknown; conflict: boolean } {
  if (!hasBase) return { value: devOwned && e !== undefined ? e : i, conflict: false };
  if (same(e, b)) return { value: i, conflict: false };
  if (same(i, b) || same(i, e)) return { value: e, conflict: false };
  return { value: e, conflict: true };
}

const txKey = (t: Transaction): string => `${String((t as Rec).operation ?? '')}@${String((t as Rec).service ?? '')}/${String((t as Rec).port ?? '')}`;
const varKey = (v: Variable): string => `${v.in ?? 'body'}:${v.wireName ?? v.name}`;

/** The fields of a variable that a developer's rename leaves as they were. */
function shape(v: Variable): Rec {
  const { name: _n, wireName: _w, default: _d, description: _s, secret: _x, ...rest } = v;
  return rest;
}

function mergeVariables(existing: Variable[], incoming: Variable[], base: Variable[] | undefined): Variable[] {
  const free = new Set(existing);
  const baseByKey = new Map((base ?? []).map((v) => [varKey(v), v]));
  const take = (v: Variable | undefined): Variable | undefined => {
    if (v && free.has(v)) free.delete(v);
    else return undefined;
    return v;
  };
  const matches = incoming.map((inc) => take(existing.find((e) => free.has(e) && varKey(e) === varKey(inc))));
  incoming.forEach((inc, i) => {
    matches[i] ??= take(existing.find((e) => free.has(e) && e.name === inc.name && (e.in ?? 'body') === (inc.in ?? 'body')));
  });
  // renamed by the developer: same shape as the variable the previous import wrote
  incoming.forEach((inc, i) => {
    const b = baseByKey.get(varKey(inc));
    if (!matches[i] && b) matches[i] = take(existing.find((e) => free.has(e) && same(shape(e), shape(b))));
  });
  const taken = new Set<string>();
  return incoming.map((inc, i) => {
    const ex = matches[i];
    if (!ex) return inc;
    const b = baseByKey.get(varKey(inc));
    const out: Rec = { ...inc };
    for (const k of new Set([...Object.keys(inc), ...Object.keys(ex)])) {
      if (k === 'name' || k === 'wireName') continue;
      const v = choose((ex as Rec)[k], (inc as Rec)[k], (b as Rec | undefined)?.[k], !!base, DEV_OWNED.has(k)).value;
      if (v === undefined) delete out[k];
      else out[k] = v;
    }
    const name = taken.has(ex.name) ? inc.name : ex.name;
    taken.add(name);
    out.name = name;
    const wire = inc.wireName ?? inc.name;
    if (wire !== name) out.wireName = wire;
    else delete out.wireName;
    return out as Variable;
  });
}

export function mergeSoapConnector({ existing, incoming, base, partial }: SoapMergeInput): SoapMergeResult {
  const warnings: WsdlWarning[] = [];
  const names = new Map<string, string>();
  const diff: ImportDiff = { added: [], updated: [], removed: [], unchanged: 0, config: [] };
  if (!existing) {
    for (const t of incoming.transactions) names.set(t.name, t.name);
    diff.added = incoming.transactions.map((t) => t.name);
    return { connector: incoming, diff, warnings, names };
  }
  const hasBase = !!base;
  const file = `connectors/${existing.name}.yaml`;
  const config: Rec = { ...existing.config };
  for (const k of new Set([...Object.keys(incoming.config), ...Object.keys(base?.config ?? {})])) {
    const { value, conflict } = CONFIG_IMPORTED.has(k) ? { value: incoming.config[k], conflict: false } : choose(existing.config[k], incoming.config[k], base?.config[k], hasBase, !hasBase);
    if (conflict) warnings.push({ code: 'merge-conflict', message: `${file}: config.${k} was changed in the project and in the WSDL; the project's value is kept`, file });
    if (value === undefined) delete config[k];
    else config[k] = value;
    if (!same(value, existing.config[k])) diff.config.push(k);
  }

  const baseTx = new Map((base?.transactions ?? []).map((t) => [txKey(t), t]));
  const unmatched = new Set(existing.transactions);
  const matchOf = new Map<Transaction, Transaction>();
  for (const inc of incoming.transactions) {
    const ex = existing.transactions.find((t) => unmatched.has(t) && txKey(t) === txKey(inc)) ?? existing.transactions.find((t) => unmatched.has(t) && t.name === inc.name && !(t as Rec).operation);
    if (ex) {
      unmatched.delete(ex);
      matchOf.set(ex, inc);
    }
  }
  const taken = new Set(existing.transactions.map((t) => t.name));
  const transactions: Transaction[] = [];
  for (const ex of existing.transactions) {
    const inc = matchOf.get(ex);
    if (!inc && partial) {
      transactions.push(ex);
      continue;
    }
    if (!inc) {
      if (!(ex as Rec).removed) diff.removed.push(ex.name);
      transactions.push({ ...ex, removed: true } as Transaction);
      continue;
    }
    names.set(inc.name, ex.name);
    const b = baseTx.get(txKey(inc));
    const out: Rec = { ...ex };
    for (const k of TX_FIELDS) {
      const { value, conflict } = choose((ex as Rec)[k], (inc as Rec)[k], (b as Rec | undefined)?.[k], hasBase, DEV_OWNED.has(k));
      if (conflict) warnings.push({ code: 'merge-conflict', message: `${file}: transaction ${ex.name}: ${k} was changed in the project and in the WSDL; the project's value is kept`, file, operation: String((inc as Rec).operation) });
      if (value === undefined) delete out[k];
      else out[k] = value;
    }
    delete out.removed;
    out.variables = mergeVariables(ex.variables, inc.variables, b?.variables);
    const merged = out as Transaction;
    if (same(merged, ex)) diff.unchanged++;
    else diff.updated.push(ex.name);
    transactions.push(merged);
  }
  for (const inc of incoming.transactions) {
    if (names.has(inc.name)) continue;
    const name = uniqueName(inc.name, taken);
    taken.add(name);
    names.set(inc.name, name);
    diff.added.push(name);
    transactions.push({ ...inc, name });
  }
  const description = choose(existing.description, incoming.description, base?.description, hasBase, true).value as string | undefined;
  const connector: Connector = { ...existing, ...(description !== undefined ? { description } : {}), config, transactions };
  if (description !== existing.description) diff.config.push('description');
  return { connector, diff, warnings, names };
}
