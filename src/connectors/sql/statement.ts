import type { Dialect } from './driver.js';

/**
 * SQL text handling: splitting a script into statements and finding `{name}` placeholders, both while
 * skipping string literals, quoted identifiers, dollar quotes and comments; then compiling a statement into
 * the driver's bound-parameter form (`?` or `$n`). Values are never written into the SQL text.
 */

/** `{name}` where name is a variable name (letters, digits, _ . -, not starting with a digit). */
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_.-]/;
const IDENT_CHAR = /[A-Za-z0-9_$]/;

export interface Placeholder {
  name: string;
  /** offsets of `{` and just after `}` in the statement text */
  start: number;
  end: number;
}

export interface SqlStatement {
  /** the statement text, without the separating `;` */
  text: string;
  /** where the statement starts in the whole script */
  offset: number;
  placeholders: Placeholder[];
}

/** A lexer that knows every quoting form of both built-in dialects; used when the driver is not known. */
export const GENERIC_DIALECT: Dialect = {
  name: 'generic',
  parameter: () => '?',
  reuseParameters: false,
  typedParameters: false,
  dollarQuotes: true,
  escapeStrings: true,
  bracketIdentifiers: false,
  backtickIdentifiers: true,
  nestedComments: true,
  quoteIdentifier: (name) => `"${name.replace(/"/g, '""')}"`,
};

function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && IDENT_CHAR.test(c);
}

/** End offset of a quoted run that starts at i with `quote`, where a doubled quote stands for itself. */
function skipQuoted(text: string, i: number, quote: string, backslash = false): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (backslash && c === '\\') {
      j += 2;
      continue;
    }
    if (c === quote) {
      if (text[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return text.length;
}

function skipBlockComment(text: string, i: number, nested: boolean): number {
  let depth = 1;
  let j = i + 2;
  while (j < text.length) {
    if (text[j] === '*' && text[j + 1] === '/') {
      depth--;
      j += 2;
      if (depth === 0 || !nested) return j;
      continue;
    }
    if (nested && text[j] === '/' && text[j + 1] === '*') {
      depth++;
      j += 2;
      continue;
    }
    j++;
  }
  return text.length;
}

/** `$tag$` at i (PostgreSQL dollar quoting): returns the tag with its dollars, or undefined. */
function dollarTag(text: string, i: number): string | undefined {
  if (isIdentChar(text[i - 1])) return undefined; // a$b$ is an identifier
  let j = i + 1;
  if (text[j] === '$') return '$$';
  if (!text[j] || !/[A-Za-z_\u0080-\uffff]/.test(text[j]!)) return undefined; // $1 is a parameter
  while (j < text.length && /[A-Za-z0-9_\u0080-\uffff]/.test(text[j]!)) j++;
  return text[j] === '$' ? text.slice(i, j + 1) : undefined;
}

interface Scan {
  statements: SqlStatement[];
}

/**
 * Splits a script into statements on top-level `;`, collecting the placeholders of each. Statements that hold
 * nothing but whitespace and comments are dropped. A `CREATE` statement is not split inside its
 * `BEGIN ... END` body (SQLite triggers, PostgreSQL `BEGIN ATOMIC` functions); CASE ... END is balanced there.
 */
export function splitStatements(script: string, dialect: Dialect = GENERIC_DIALECT): SqlStatement[] {
  const scan: Scan = { statements: [] };
  let start = 0;
  let placeholders: Placeholder[] = [];
  let hasCode = false;
  let firstWord: string | undefined;
  let depth = 0; // BEGIN/CASE ... END nesting inside CREATE statements
  const text = script;
  const n = text.length;
  let i = 0;

  const finish = (end: number) => {
    if (hasCode) {
      const stmtText = text.slice(start, end);
      scan.statements.push({
        text: stmtText,
        offset: start,
        placeholders: placeholders.map((p) => ({ name: p.name, start: p.start - start, end: p.end - start })),
      });
    }
    start = end + 1;
    placeholders = [];
    hasCode = false;
    firstWord = undefined;
    depth = 0;
  };

  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const eol = text.indexOf('\n', i + 2);
      i = eol < 0 ? n : eol + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      i = skipBlockComment(text, i, dialect.nestedComments);
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === ';' && depth === 0) {
      finish(i);
      i++;
      continue;
    }
    hasCode = true;
    if (c === "'") {
      const escaped = dialect.escapeStrings && (text[i - 1] === 'E' || text[i - 1] === 'e') && !isIdentChar(text[i - 2]);
      i = skipQuoted(text, i, "'", escaped);
      continue;
    }
    if (c === '"') {
      i = skipQuoted(text, i, '"');
      continue;
    }
    if (c === '`' && dialect.backtickIdentifiers) {
      i = skipQuoted(text, i, '`');
      continue;
    }
    if (c === '[' && dialect.bracketIdentifiers) {
      const close = text.indexOf(']', i + 1);
      i = close < 0 ? n : close + 1;
      continue;
    }
    if (c === '$' && dialect.dollarQuotes) {
      const tag = dollarTag(text, i);
      if (tag) {
        const close = text.indexOf(tag, i + tag.length);
        i = close < 0 ? n : close + tag.length;
        continue;
      }
    }
    if (c === '{' && next !== undefined && NAME_START.test(next)) {
      let j = i + 2;
      while (j < n && NAME_CHAR.test(text[j]!)) j++;
      if (text[j] === '}') {
        placeholders.push({ name: text.slice(i + 1, j), start: i, end: j + 1 });
        i = j + 1;
        continue;
      }
    }
    if (/[A-Za-z_]/.test(c) && !isIdentChar(text[i - 1])) {
      let j = i + 1;
      while (j < n && isIdentChar(text[j])) j++;
      const word = text.slice(i, j).toUpperCase();
      if (firstWord === undefined) firstWord = word;
      else if (firstWord === 'CREATE') {
        if (word === 'BEGIN' || word === 'CASE') depth++;
        else if (word === 'END' && depth > 0) depth--;
      }
      i = j;
      continue;
    }
    i++;
  }
  finish(n);
  return scan.statements;
}

/** The distinct placeholder names of a script, in order of first use. */
export function placeholderNames(script: string, dialect: Dialect = GENERIC_DIALECT): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const s of splitStatements(script, dialect)) {
    for (const p of s.placeholders) {
      if (!seen.has(p.name)) {
        seen.add(p.name);
        names.push(p.name);
      }
    }
  }
  return names;
}

/** One statement in the driver's form: SQL with `?`/`$n` and the variable each parameter comes from (in order). */
export interface CompiledStatement {
  sql: string;
  /** per bound parameter: the variable name and, for an expanded list, the item index */
  params: Array<{ name: string; item?: number }>;
  /** maps an offset in `sql` back to an offset in the statement text (for error positions) */
  sourceOffset(compiledOffset: number): number;
}

/**
 * Compiles a statement. `arity` gives, for a list variable (a multivalued variable used as `IN ({ids})`), how many
 * items it has now: each item becomes its own bound parameter; an empty list becomes `NULL` (so `IN (NULL)`
 * matches nothing).
 */
export function compileStatement(statement: SqlStatement, dialect: Dialect, arity?: ReadonlyMap<string, number>): CompiledStatement {
  const { text, placeholders } = statement;
  let sql = '';
  const params: CompiledStatement['params'] = [];
  // [compiledStart, compiledEnd, sourceStart, sourceEnd] of each placeholder
  const spans: Array<[number, number, number, number]> = [];
  let last = 0;
  const numbered = new Map<string, number>();
  const parameter = (name: string, item?: number): string => {
    if (!dialect.reuseParameters) {
      params.push(item === undefined ? { name } : { name, item });
      return dialect.parameter(params.length - 1);
    }
    const key = item === undefined ? name : `${name}\u0000${item}`;
    let index = numbered.get(key);
    if (index === undefined) {
      index = params.length;
      numbered.set(key, index);
      params.push(item === undefined ? { name } : { name, item });
    }
    return dialect.parameter(index);
  };
  for (const p of placeholders) {
    sql += text.slice(last, p.start);
    const compiledStart = sql.length;
    const count = arity?.get(p.name);
    if (count === undefined) {
      sql += parameter(p.name);
    } else if (count === 0) {
      sql += 'NULL';
    } else {
      for (let k = 0; k < count; k++) {
        if (k > 0) sql += ', ';
        sql += parameter(p.name, k);
      }
    }
    spans.push([compiledStart, sql.length, p.start, p.end]);
    last = p.end;
  }
  sql += text.slice(last);
  return {
    sql,
    params,
    sourceOffset(offset) {
      let shift = 0;
      for (const [cs, ce, ss, se] of spans) {
        if (offset < cs) break;
        if (offset < ce) return ss;
        shift = se - ce;
      }
      return offset + shift;
    },
  };
}

/** 1-based line and column of an offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
