import * as YAML from 'yaml';
import type { CST, Parser, parseDocument } from 'yaml';
import { TrellisError } from '../engine/errors.js';
import type { TimeSlicer } from './slice.js';
import type { ImportWarning } from './types.js';

/** What parsing one file gives: a value, or an error; duplicate keys are reported but not fatal. */
export interface ParseOutcome {
  value?: unknown;
  error?: { message: string; line?: number; col?: number };
  duplicates?: Array<{ message: string; line?: number; col?: number }>;
}

/**
 * Parses one spec file. JSON goes through JSON.parse (fast); YAML, and JSON that JSON.parse refuses, through
 * `yaml` with the YAML 1.2 core schema, merge keys allowed. Duplicate keys are a warning (the last one wins);
 * any other syntax error fails with file:line:col.
 *
 * Self-contained (only its arguments), because worker threads run its source text.
 */
export interface YamlModule {
  parseDocument: typeof parseDocument;
  Parser: typeof Parser;
  CST: typeof CST;
}

export function parseCore(text: string, yaml: YamlModule, tokens?: Iterable<CST.Token>): ParseOutcome {
  if (/^\s*[{[]/.test(text)) {
    try {
      return { value: JSON.parse(text) };
    } catch {}
  }
  // Fast path: build the value straight from yaml's concrete syntax tree for the plain subset that specs use
  // (block and flow collections, plain/quoted/block scalars, comments); anything else — anchors, aliases,
  // tags, merge keys, explicit or non-string keys, duplicate keys, several documents, any error — goes the
  // full way below, which gives the same value (checked on the whole corpus by test/openapi/parse.test.ts).
  const FALLBACK = {};
  type Tok = CST.Token;
  type Src = CST.SourceToken;
  const give: () => never = () => {
    throw FALLBACK;
  };
  const clean = (list: readonly Src[] | undefined): void => {
    if (list) for (const t of list) if (t.type === 'anchor' || t.type === 'tag' || t.type === 'explicit-key-ind' || t.type === 'flow-error-end' || (t.type as string) === 'error') give();
  };
  const scalar = (tok: Tok, key: boolean): unknown => {
    let failed = false;
    const r = yaml.CST.resolveAsScalar(tok, true, () => {
      failed = true;
    });
    if (failed || !r) give();
    const src = r.value;
    if (r.type !== 'PLAIN') return src;
    let v: unknown = src;
    if (/^(?:~|[Nn]ull|NULL)?$/.test(src)) v = null;
    else if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(src)) v = src[0] === 't' || src[0] === 'T';
    else if (/^0o[0-7]+$/.test(src)) v = parseInt(src.slice(2), 8);
    else if (/^[-+]?[0-9]+$/.test(src)) v = parseInt(src, 10);
    else if (/^0x[0-9a-fA-F]+$/.test(src)) v = parseInt(src.slice(2), 16);
    else if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(src)) v = src.endsWith('nan') || src.endsWith('NaN') || src.endsWith('NAN') ? NaN : src[0] === '-' ? -Infinity : Infinity;
    else if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(src) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(src)) v = parseFloat(src);
    if (key && (typeof v !== 'string' || src === '<<') && !(typeof v === 'number' && Number.isInteger(v) && String(v) === src)) give();
    return key ? String(v) : v;
  };
  const node = (tok: Tok | null | undefined): unknown => {
    if (tok === undefined || tok === null) return null;
    switch (tok.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        clean(tok.end);
        return scalar(tok, false);
      case 'block-scalar':
        clean(tok.props as Src[]);
        return scalar(tok, false);
      case 'block-map':
      case 'flow-collection': {
        const flowSeq = tok.type === 'flow-collection' && tok.start.type === 'flow-seq-start';
        if (tok.type === 'flow-collection') {
          clean(tok.end);
          if (!tok.end.some((t) => t.type === 'flow-map-end' || t.type === 'flow-seq-end')) give();
        }
        if (flowSeq) {
          const list: unknown[] = [];
          tok.items.forEach((item, i) => {
            clean(item.start);
            if (item.key !== undefined || item.sep !== undefined) give();
            // `[a, b,]`: the trailing comma opens no item
            if (item.value === undefined && i === tok.items.length - 1 && i > 0) return;
            list.push(node(item.value));
          });
          return list;
        }
        const map: Record<string, unknown> = {};
        for (const [i, item] of tok.items.entries()) {
          clean(item.start);
          clean(item.sep);
          if (tok.type === 'flow-collection' && i === tok.items.length - 1 && i > 0 && item.key === undefined && item.sep === undefined && item.value === undefined) continue;
          const k = item.key;
          if (!k || !item.sep?.some((t) => t.type === 'map-value-ind')) give();
          if (k!.type !== 'scalar' && k!.type !== 'single-quoted-scalar' && k!.type !== 'double-quoted-scalar') give();
          clean((k as CST.FlowScalar).end);
          // yaml refuses what its syntax tree still holds: multi-line implicit keys, `a: b: c`
          if ((k as CST.FlowScalar).source.includes('\n')) give();
          const v = item.value;
          if (tok.type === 'block-map' && (v?.type === 'block-map' || v?.type === 'block-seq') && !item.sep!.some((t) => t.type === 'newline')) give();
          const name = scalar(k!, true) as string;
          if (Object.prototype.hasOwnProperty.call(map, name) || name === '__proto__') give();
          map[name] = node(item.value);
        }
        return map;
      }
      case 'block-seq': {
        const list: unknown[] = [];
        for (const item of tok.items) {
          clean(item.start);
          list.push(node(item.value));
        }
        return list;
      }
      default:
        return give();
    }
  };
  try {
    if (text.includes('\t')) give();
    let doc: CST.Document | undefined;
    // `tokens`: the syntax tree of `text`, already built (in time slices: parseSpecTextSliced)
    for (const tok of tokens ?? new yaml.Parser().parse(text)) {
      if (tok.type === 'document') {
        if (doc) give();
        doc = tok;
      } else if (tok.type !== 'comment' && tok.type !== 'newline' && tok.type !== 'space' && tok.type !== 'byte-order-mark' && tok.type !== 'doc-end') give();
    }
    if (doc) {
      clean(doc.start);
      for (const t of doc.start) if (t.type !== 'doc-start' && t.type !== 'space' && t.type !== 'newline' && t.type !== 'comment') give();
      clean(doc.end);
      return { value: node(doc.value) };
    }
  } catch (e) {
    if (e !== FALLBACK) throw e;
  }
  const firstLine = (m: string): string =>
    m
      .split('\n')[0]!
      .trim()
      .replace(/ at line \d+, column \d+:?$/, '');
  const options = { merge: true, strict: false, prettyErrors: true, uniqueKeys: true } as const;
  let doc = yaml.parseDocument(text, options);
  let duplicates: ParseOutcome['duplicates'];
  if (doc.errors.length && doc.errors.every((e) => e.code === 'DUPLICATE_KEY')) {
    duplicates = doc.errors.slice(0, 5).map((e) => ({ message: firstLine(e.message), line: e.linePos?.[0]?.line, col: e.linePos?.[0]?.col }));
    doc = yaml.parseDocument(text, { ...options, uniqueKeys: false });
  }
  const error = doc.errors[0];
  if (error) return { error: { message: firstLine(error.message), line: error.linePos?.[0]?.line, col: error.linePos?.[0]?.col } };
  return { value: doc.toJS({ maxAliasCount: 10_000 }), duplicates };
}

/** Turns a parse outcome into the value, warnings for duplicate keys, or an INVALID_SPEC error. */
export function takeOutcome(outcome: ParseOutcome, name: string, warnings: ImportWarning[]): unknown {
  for (const d of outcome.duplicates ?? []) {
    warnings.push({
      code: 'duplicate-key',
      message: `${name}${d.line ? `:${d.line}:${d.col}` : ''}: ${d.message}; the last value is used (YAML: keys of a mapping are unique)`,
      file: name,
      rule: 'YAML: keys of a mapping are unique',
    });
  }
  if (outcome.error) {
    const { line, col, message } = outcome.error;
    throw new TrellisError('INVALID_SPEC', `${name}${line ? `:${line}:${col}` : ''}: not valid YAML or JSON: ${message}`, {
      path: name,
      details: { file: name, line, col },
    });
  }
  return outcome.value;
}

export function parseSpecText(text: string, name: string, warnings: ImportWarning[]): unknown {
  return takeOutcome(parseCore(text, YAML), name, warnings);
}

/** Characters from which parseSpecTextSliced builds the syntax tree in time slices (below, one parse is a few ms). */
export const SLICED_FROM = 32 * 1024;

/**
 * parseSpecText for the calling thread of a busy process: a big YAML document's syntax tree (lexing and
 * parsing, most of the time) is built within the slicer's time slices; the value is then read from it in
 * one go (DigitalOcean's 112 KB entry: 20-35 ms, the first time in a process 50-170 ms; in one go, the
 * whole parse took 150-500 ms the first time).
 */
export async function parseSpecTextSliced(text: string, name: string, warnings: ImportWarning[], slicer: TimeSlicer): Promise<unknown> {
  // JSON (JSON.parse is fast), a small document, or one the fast path refuses anyway (tabs): in one go
  if (text.length < SLICED_FROM || /^\s*[{[]/.test(text) || text.includes('\t')) return slicer.run(() => parseSpecText(text, name, warnings));
  const parser = new YAML.Parser();
  const lexemes = new YAML.Lexer().lex(text);
  const tokens: CST.Token[] = [];
  let finished = false;
  const some = (): void => {
    for (let i = 1; ; i++) {
      const next = lexemes.next();
      if (next.done) {
        for (const token of parser.end()) tokens.push(token);
        finished = true;
        return;
      }
      for (const token of parser.next(next.value)) tokens.push(token);
      if ((i & 255) === 0 && slicer.due()) return;
    }
  };
  while (!finished) await slicer.run(some);
  return slicer.run(() => takeOutcome(parseCore(text, YAML, tokens), name, warnings));
}

