/**
 * `{name}` placeholders of a SQL statement (isomorphic, for the studio's SQL editor): the names in order of
 * first use, skipping string literals, quoted identifiers, dollar quotes and comments. It lexes like the SQL
 * connector's generic dialect (src/connectors/sql/statement.ts), and a test holds the two to the same answers.
 */

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_.-]/;
const IDENT_CHAR = /[A-Za-z0-9_$]/;

function isIdent(c: string | undefined): boolean {
  return c !== undefined && IDENT_CHAR.test(c);
}

/** End of a quoted run starting at i, where a doubled quote stands for itself (and `\x` too, when backslash). */
function skipQuoted(text: string, i: number, quote: string, backslash: boolean): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (backslash && c === '\\') j += 2;
    else if (c === quote && text[j + 1] === quote) j += 2;
    else if (c === quote) return j + 1;
    else j++;
  }
  return text.length;
}

/** Block comments nest (PostgreSQL); an unclosed one runs to the end. */
function skipComment(text: string, i: number): number {
  let depth = 1;
  let j = i + 2;
  while (j < text.length) {
    if (text[j] === '*' && text[j + 1] === '/') {
      j += 2;
      if (--depth === 0) return j;
    } else if (text[j] === '/' && text[j + 1] === '*') {
      depth++;
      j += 2;
    } else j++;
  }
  return text.length;
}

function dollarTag(text: string, i: number): string | undefined {
  if (isIdent(text[i - 1])) return undefined;
  let j = i + 1;
  if (text[j] === '$') return '$$';
  if (!text[j] || !/[A-Za-z_\u0080-\uffff]/.test(text[j]!)) return undefined;
  while (j < text.length && /[A-Za-z0-9_\u0080-\uffff]/.test(text[j]!)) j++;
  return text[j] === '$' ? text.slice(i, j + 1) : undefined;
}

export interface SqlPlaceholder {
  name: string;
  /** offsets of `{` and just after `}` */
  start: number;
  end: number;
}

/** Every `{name}` placeholder with its offsets, in text order. */
export function sqlPlaceholders(sql: string): SqlPlaceholder[] {
  const out: SqlPlaceholder[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const eol = sql.indexOf('\n', i + 2);
      i = eol < 0 ? n : eol + 1;
    } else if (c === '/' && next === '*') i = skipComment(sql, i);
    else if (c === "'") i = skipQuoted(sql, i, "'", (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !isIdent(sql[i - 2]));
    else if (c === '"' || c === '`') i = skipQuoted(sql, i, c, false);
    else if (c === '$' && dollarTag(sql, i)) {
      const tag = dollarTag(sql, i)!;
      const close = sql.indexOf(tag, i + tag.length);
      i = close < 0 ? n : close + tag.length;
    } else if (c === '{' && next !== undefined && NAME_START.test(next)) {
      let j = i + 2;
      while (j < n && NAME_CHAR.test(sql[j]!)) j++;
      if (sql[j] === '}') {
        out.push({ name: sql.slice(i + 1, j), start: i, end: j + 1 });
        i = j + 1;
      } else i++;
    } else if (/[A-Za-z_]/.test(c) && !isIdent(sql[i - 1])) {
      let j = i + 1;
      while (j < n && isIdent(sql[j])) j++;
      i = j;
    } else i++;
  }
  return out;
}

/** The distinct placeholder names, in order of first use. */
export function sqlPlaceholderNames(sql: string): string[] {
  return [...new Set(sqlPlaceholders(sql).map((p) => p.name))];
}
