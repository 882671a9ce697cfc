import type { DbTableDto, ObjectRef } from '../../../src/contract/index.js';

/** How connector.generateCrud names a table: by name, or `schema.name` outside the default schema. */
export function tableArgument(table: Pick<DbTableDto, 'schema' | 'name'>): string {
  return table.schema === 'main' || table.schema === 'public' ? table.name : `${table.schema}.${table.name}`;
}

/** Counts of the created labels (`transaction db.Album.list`, `sequence Album.list`, `route GET /Album`) by kind. */
export function crudCounts(created: readonly string[]): { transaction: number; sequence: number; route: number } {
  const counts = { transaction: 0, sequence: 0, route: 0 };
  for (const label of created) {
    const kind = label.slice(0, label.indexOf(' '));
    if (kind === 'transaction' || kind === 'sequence' || kind === 'route') counts[kind]++;
  }
  return counts;
}

/** The objects a generation created, sequences first (what the Projects view selects afterwards). */
export function createdRefs(created: readonly string[]): ObjectRef[] {
  const sequences: ObjectRef[] = [];
  const transactions: ObjectRef[] = [];
  for (const label of created) {
    const space = label.indexOf(' ');
    const kind = label.slice(0, space);
    const name = label.slice(space + 1);
    if (kind === 'sequence') sequences.push({ type: 'sequence', sequence: name });
    else if (kind === 'transaction') {
      const dot = name.indexOf('.');
      if (dot > 0) transactions.push({ type: 'transaction', connector: name.slice(0, dot), transaction: name.slice(dot + 1) });
    }
  }
  return [...sequences, ...transactions];
}
