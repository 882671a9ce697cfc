import type { DatabaseSchemaDto, DbTableDto } from '../../../src/contract/index.js';
import { sqlPlaceholders } from '../../../src/model/index.js';

/**
 * Completion in the SQL editor (pure): table and view names, the columns of the tables the statement names
 * (or, after `alias.` / `table.`, that table's columns), `{variable}` names after `{`, and SQL keywords.
 */

export type SqlCompletionKind = 'table' | 'view' | 'column' | 'variable' | 'keyword';

export interface SqlCompletion {
  label: string;
  kind: SqlCompletionKind;
  /** the column's type, the table's column count, the variable's type */
  detail: string;
  /** what is inserted (quoted when the name needs it; `name}` after `{`) */
  insertText: string;
  /** lower sorts first */
  rank: number;
}

/** What the editor knows besides the text: the database and the transaction's variables. */
export interface SqlCompletionContext {
  schema: DatabaseSchemaDto | null;
  variables: readonly { name: string; type?: string }[];
}

const KEYWORDS = [
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'NULL', 'IS', 'IN', 'LIKE', 'BETWEEN', 'EXISTS', 'JOIN', 'LEFT JOIN', 'INNER JOIN', 'ON', 'AS',
  'GROUP BY', 'ORDER BY', 'HAVING', 'LIMIT', 'OFFSET', 'DISTINCT', 'COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END',
  'INSERT INTO', 'VALUES', 'UPDATE', 'SET', 'DELETE FROM', 'RETURNING', 'WITH', 'RECURSIVE', 'UNION', 'UNION ALL', 'ASC', 'DESC', 'COALESCE',
];

const RESERVED = new Set(KEYWORDS.flatMap((k) => k.split(' ')).concat(['TABLE', 'ORDER', 'GROUP', 'USER', 'INDEX', 'KEY', 'PRIMARY', 'DEFAULT', 'CHECK']));

/** A name as SQL text: bare when it can be, else in double quotes. */
export function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name.toUpperCase()) ? name : `"${name.replace(/"/g, '""')}"`;
}

function unquote(name: string): string {
  const m = /^(?:"((?:[^"]|"")*)"|`([^`]*)`|\[([^\]]*)\])$/.exec(name);
  if (!m) return name;
  return m[1] !== undefined ? m[1].replace(/""/g, '"') : (m[2] ?? m[3] ?? name);
}

const IDENT = String.raw`(?:"(?:[^"]|"")*"|\x60[^\x60]*\x60|\[[^\]]*\]|[A-Za-z_][\w$]*)`;
/** `FROM a`, `JOIN s.b AS x`, `UPDATE c`, `INTO d`, and `, e f` inside a FROM list. */
const TABLE_REF = new RegExp(String.raw`\b(?:FROM|JOIN|UPDATE|INTO)\s+((?:${IDENT}\s*\.\s*)?${IDENT})(?:\s+(?:AS\s+)?(${IDENT}))?((?:\s*,\s*(?:${IDENT}\s*\.\s*)?${IDENT}(?:\s+(?:AS\s+)?${IDENT})?)*)`, 'gi');
const LIST_ITEM = new RegExp(String.raw`,\s*((?:${IDENT}\s*\.\s*)?${IDENT})(?:\s+(?:AS\s+)?(${IDENT}))?`, 'gi');
const NOT_ALIAS = new Set(['WHERE', 'ON', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'OUTER', 'CROSS', 'FULL', 'GROUP', 'ORDER', 'LIMIT', 'SET', 'VALUES', 'USING', 'HAVING', 'UNION', 'RETURNING', 'NATURAL', 'OFFSET', 'WINDOW', 'SELECT', 'DEFAULT']);

export interface TableReference {
  table: DbTableDto;
  /** the alias, or the table's own name */
  alias: string;
}

function allTables(schema: DatabaseSchemaDto | null): DbTableDto[] {
  return schema ? [...schema.tables, ...schema.views] : [];
}

function findTable(schema: DatabaseSchemaDto | null, written: string): DbTableDto | undefined {
  const parts = written.split(/\s*\.\s*/).map(unquote);
  const name = parts[parts.length - 1]!;
  const schemaName = parts.length > 1 ? parts[0] : undefined;
  const tables = allTables(schema).filter((t) => schemaName === undefined || t.schema.toLowerCase() === schemaName.toLowerCase());
  return tables.find((t) => t.name === name) ?? tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
}

/** The tables the statement names (FROM, JOIN, UPDATE, INTO), with their aliases. Strings and comments are blanked first. */
export function tableReferences(sql: string, schema: DatabaseSchemaDto | null): TableReference[] {
  const text = blankLiterals(sql);
  const refs: TableReference[] = [];
  const add = (written: string, alias: string | undefined) => {
    const table = findTable(schema, written);
    if (!table) return;
    const a = alias && !NOT_ALIAS.has(alias.toUpperCase()) ? unquote(alias) : table.name;
    if (!refs.some((r) => r.table === table && r.alias === a)) refs.push({ table, alias: a });
  };
  for (const m of text.matchAll(TABLE_REF)) {
    add(m[1]!, m[2]);
    for (const item of (m[3] ?? '').matchAll(LIST_ITEM)) add(item[1]!, item[2]);
  }
  return refs;
}

/** The text with string literals and comments replaced by spaces (offsets kept). Placeholders stay. */
export function blankLiterals(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const eol = sql.indexOf('\n', i);
      const end = eol < 0 ? sql.length : eol;
      out += ' '.repeat(end - i);
      i = end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      const end = close < 0 ? sql.length : close + 2;
      out += sql.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
    } else if (c === "'") {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      const end = Math.min(sql.length, j + 1);
      out += sql.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Where the cursor is, lexically: in a string or comment (no completion), after `{`, after `x.`, or anywhere else. */
export type CursorPlace = { at: 'none' } | { at: 'variable'; prefix: string } | { at: 'member'; qualifier: string; prefix: string } | { at: 'word'; prefix: string };

export function cursorPlace(textBefore: string): CursorPlace {
  // a string or comment still open at the cursor swallows one more character
  const probe = blankLiterals(`${textBefore}x`);
  if (probe.endsWith(' ')) return { at: 'none' };
  const blanked = probe.slice(0, -1);
  const variable = /\{([A-Za-z_][A-Za-z0-9_.-]*)?$/.exec(blanked);
  if (variable) return { at: 'variable', prefix: variable[1] ?? '' };
  const member = new RegExp(String.raw`(${IDENT})\s*\.\s*([A-Za-z_][\w$]*)?$`).exec(blanked);
  if (member) return { at: 'member', qualifier: unquote(member[1]!), prefix: member[2] ?? '' };
  const word = /([A-Za-z_][\w$]*)?$/.exec(blanked);
  return { at: 'word', prefix: word?.[1] ?? '' };
}

function columnItems(table: DbTableDto, rank: number): SqlCompletion[] {
  return table.columns.map((c) => ({
    label: c.name,
    kind: 'column' as const,
    detail: `${c.type || 'any'}${table.primaryKey.includes(c.name) ? ' · primary key' : ''}${c.nullable ? '' : ' · not null'} — ${table.name}`,
    insertText: quoteName(c.name),
    rank,
  }));
}

function tableItem(t: DbTableDto, rank: number): SqlCompletion {
  const qualified = t.schema === 'main' || t.schema === 'public' ? quoteName(t.name) : `${quoteName(t.schema)}.${quoteName(t.name)}`;
  return { label: t.name, kind: t.kind === 'view' ? 'view' : 'table', detail: `${t.kind} · ${t.columns.length} columns`, insertText: qualified, rank };
}

/**
 * The completions at the cursor. `text` is the whole statement (aliases may be declared after the cursor,
 * as in `SELECT t.| FROM Track t`), `offset` the cursor's offset in it. `null`: no completion here.
 */
export function sqlCompletions(text: string, offset: number, context: SqlCompletionContext): SqlCompletion[] | null {
  const place = cursorPlace(text.slice(0, offset));
  if (place.at === 'none') return null;
  if (place.at === 'variable') {
    const declared = context.variables.map((v) => ({ name: v.name, type: v.type ?? 'string' }));
    // placeholders already written elsewhere in the statement count as variables too
    for (const p of sqlPlaceholders(text)) if (!declared.some((d) => d.name === p.name) && p.end !== offset + 1) declared.push({ name: p.name, type: 'string' });
    const closed = text[offset] === '}';
    return declared.map((v) => ({ label: v.name, kind: 'variable', detail: v.type, insertText: closed ? v.name : `${v.name}}`, rank: 0 }));
  }
  const refs = tableReferences(text, context.schema);
  if (place.at === 'member') {
    const byAlias = refs.find((r) => r.alias.toLowerCase() === place.qualifier.toLowerCase());
    const table = byAlias?.table ?? findTable(context.schema, place.qualifier);
    if (table) return columnItems(table, 0);
    // `schema.` lists that schema's tables
    const inSchema = allTables(context.schema).filter((t) => t.schema.toLowerCase() === place.qualifier.toLowerCase());
    return inSchema.map((t) => ({ ...tableItem(t, 0), insertText: quoteName(t.name) }));
  }
  const out: SqlCompletion[] = [];
  const seen = new Set<string>();
  for (const r of refs) {
    for (const c of columnItems(r.table, 0)) {
      if (seen.has(c.label)) continue;
      seen.add(c.label);
      out.push(c);
    }
  }
  for (const t of allTables(context.schema)) out.push(tableItem(t, 1));
  for (const k of KEYWORDS) out.push({ label: k, kind: 'keyword', detail: 'keyword', insertText: k, rank: 2 });
  return out;
}
