import type { ConnectorHandle } from '../connector-kind.js';
import { TrellisError } from '../../engine/errors.js';

/**
 * What a SQL connector can tell about its database: tables and views with their columns, primary keys and
 * foreign keys. The studio uses it for completion and "Generate database services"; the CLI prints it with
 * `trellis introspect`.
 */

export interface DbColumn {
  name: string;
  /** the declared type as the database spells it: `INTEGER`, `NVARCHAR(200)`, `character varying(200)` */
  type: string;
  nullable: boolean;
  /** the default expression as SQL text, or null */
  default: string | null;
  /** the database fills it by itself (SQLite INTEGER PRIMARY KEY, PostgreSQL serial/identity) */
  generated: boolean;
}

export interface DbForeignKey {
  /** the constraint name (PostgreSQL); SQLite foreign keys have none */
  name: string | null;
  columns: string[];
  references: { schema: string; table: string; columns: string[] };
  onUpdate: string;
  onDelete: string;
}

export interface DbTable {
  /** `main` (SQLite) or the PostgreSQL schema (`public`) */
  schema: string;
  name: string;
  kind: 'table' | 'view';
  columns: DbColumn[];
  /** primary key columns in key order; empty for views and tables without one */
  primaryKey: string[];
  foreignKeys: DbForeignKey[];
}

export interface DatabaseSchema {
  driver: string;
  tables: DbTable[];
  views: DbTable[];
}

/** A handle of the sql kind exposes its database's structure. */
export interface IntrospectableHandle extends ConnectorHandle {
  introspect(): Promise<DatabaseSchema>;
}

export function isIntrospectable(handle: ConnectorHandle): handle is IntrospectableHandle {
  return typeof (handle as Partial<IntrospectableHandle>).introspect === 'function';
}

/** Introspects the database behind an open SQL connector handle. */
export async function introspect(handle: ConnectorHandle): Promise<DatabaseSchema> {
  if (!isIntrospectable(handle)) throw new TrellisError('INVALID_CONFIG', 'introspection needs a SQL connector (kind: sql)');
  return handle.introspect();
}

/** Sorts by schema then name, so output is stable across runs and drivers. */
export function sortTables(tables: DbTable[]): DbTable[] {
  return tables.sort((a, b) => (a.schema === b.schema ? a.name.localeCompare(b.name) : a.schema.localeCompare(b.schema)));
}

/** A readable outline: one line per table, indented columns with type, key and nullability. */
export function formatSchema(schema: DatabaseSchema): string {
  const lines: string[] = [];
  const qualified = (schemaName: string, name: string) => (schemaName === 'main' || schemaName === 'public' ? name : `${schemaName}.${name}`);
  for (const t of [...schema.tables, ...schema.views]) {
    lines.push(`${t.kind} ${qualified(t.schema, t.name)}`);
    for (const c of t.columns) {
      const flags = [
        t.primaryKey.includes(c.name) ? 'primary key' : '',
        c.nullable ? '' : 'not null',
        c.generated ? 'generated' : '',
        c.default !== null ? `default ${c.default}` : '',
      ].filter(Boolean);
      lines.push(`  ${c.name} ${c.type}${flags.length ? ` (${flags.join(', ')})` : ''}`);
    }
    for (const fk of t.foreignKeys) {
      lines.push(`  foreign key (${fk.columns.join(', ')}) → ${qualified(fk.references.schema, fk.references.table)}(${fk.references.columns.join(', ')})${fk.name ? ` [${fk.name}]` : ''}`);
    }
  }
  return lines.join('\n');
}
