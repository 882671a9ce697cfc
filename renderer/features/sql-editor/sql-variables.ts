import { sqlPlaceholderNames } from '../../../src/model/index.js';
import type { Variable } from '../../../src/model/index.js';

/**
 * Typing `{name}` in a SQL statement declares the variable `name` (a required string, as
 * `trellis add transaction --sql` does). Variables this editor declared that the statement no longer names
 * are dropped again, so the half-typed names of `{n}`, `{na}`, `{name}` do not pile up; variables declared
 * any other way are never removed here.
 */
export interface VariableSync {
  variables: Variable[];
  created: string[];
  removed: string[];
}

export function syncVariables(sql: string, declared: readonly Variable[], createdHere: ReadonlySet<string>): VariableSync {
  const names = sqlPlaceholderNames(sql);
  const used = new Set(names);
  const removed = declared.filter((v) => createdHere.has(v.name) && !used.has(v.name)).map((v) => v.name);
  const kept = declared.filter((v) => !removed.includes(v.name));
  const have = new Set(kept.map((v) => v.name));
  const created = names.filter((n) => !have.has(n));
  return { variables: [...kept, ...created.map((name): Variable => ({ name, type: 'string', required: true }))], created, removed };
}
