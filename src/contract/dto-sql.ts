import { z } from 'zod';

/** A database's structure as a SQL connector reports it (connector.introspect); mirrors src/connectors/sql/introspect.ts. */
export const dbColumnSchema = z.object({
  name: z.string(),
  /** the declared type as the database spells it */
  type: z.string(),
  nullable: z.boolean(),
  /** the default expression as SQL text, or null */
  default: z.string().nullable(),
  /** the database fills it by itself (SQLite INTEGER PRIMARY KEY, serial, identity) */
  generated: z.boolean(),
});

export const dbForeignKeySchema = z.object({
  name: z.string().nullable(),
  columns: z.array(z.string()),
  references: z.object({ schema: z.string(), table: z.string(), columns: z.array(z.string()) }),
  onUpdate: z.string(),
  onDelete: z.string(),
});

export const dbTableSchema = z.object({
  schema: z.string(),
  name: z.string(),
  kind: z.enum(['table', 'view']),
  columns: z.array(dbColumnSchema),
  primaryKey: z.array(z.string()),
  foreignKeys: z.array(dbForeignKeySchema),
});
export type DbTableDto = z.infer<typeof dbTableSchema>;

export const databaseSchemaSchema = z.object({ driver: z.string(), tables: z.array(dbTableSchema), views: z.array(dbTableSchema) });
export type DatabaseSchemaDto = z.infer<typeof databaseSchemaSchema>;

/** A SQL execution's result set shape: the grid draws it (the rows themselves travel in the body). */
export const resultTableSchema = z.object({
  /** the result's columns with the database's type names */
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  /** rows returned (for result `count`: rows changed) */
  rows: z.number(),
  /** the result was cut at the row limit */
  truncated: z.boolean(),
});
export type ResultTable = z.infer<typeof resultTableSchema>;
