import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type ToStringOptions } from 'yaml';
import type { Problem } from '../model/index.js';

/** One way to write YAML everywhere, so that saving twice gives the same bytes. */
export const STRINGIFY_OPTIONS: ToStringOptions = {
  indent: 2,
  indentSeq: true,
  // Folding long strings over several lines makes diffs noisy and flow lines unstable.
  lineWidth: 0,
  flowCollectionPadding: true,
};

export type PathSegment = string | number;

/** A parsed file: its JS value plus what is needed to point problems at lines and columns. */
export interface ParsedYaml {
  file: string;
  doc: Document;
  lines: LineCounter;
  /** undefined when the file could not be read as a YAML map; `problems` then says why */
  value: Record<string, unknown> | undefined;
  problems: Problem[];
}

export function parseYaml(file: string, text: string, expected: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const parsed: ParsedYaml = { file, doc, lines, value: undefined, problems: [] };
  const at = (offset: number) => lines.linePos(offset);
  for (const e of doc.errors) parsed.problems.push({ file, ...at(e.pos[0]), message: `YAML syntax: ${e.message}`, severity: 'error' });
  for (const w of doc.warnings) parsed.problems.push({ file, ...at(w.pos[0]), message: `YAML: ${w.message}`, severity: 'warning' });
  if (doc.errors.length) return parsed;
  if (doc.contents === null) {
    parsed.problems.push({ file, line: 0, col: 0, message: `the file is empty; expected ${expected}`, severity: 'error' });
    return parsed;
  }
  if (!isMap(doc.contents)) {
    const pos = doc.contents.range ? at(doc.contents.range[0]) : { line: 1, col: 1 };
    parsed.problems.push({ file, ...pos, message: `expected ${expected}, got ${nodeKind(doc.contents)}`, severity: 'error' });
    return parsed;
  }
  try {
    // A cap on alias expansion keeps a hostile file (billion laughs) from eating the memory.
    parsed.value = doc.toJS({ maxAliasCount: 1000 }) as Record<string, unknown>;
  } catch (e) {
    parsed.problems.push({ file, line: 1, col: 1, message: `YAML: ${e instanceof Error ? e.message : String(e)}`, severity: 'error' });
  }
  return parsed;
}

function nodeKind(node: Node): string {
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'null' : `a ${typeof node.value}`;
  return 'something else';
}

export type Target = 'value' | 'key' | 'parent';

/**
 * The line and column of what a path names: its value, its key (for an unknown key) or the map
 * that holds it (for a missing key). When the path leads nowhere in the document, the deepest node
 * on the way stands in, so a problem always points somewhere useful.
 */
export function positionOf(parsed: ParsedYaml, path: readonly PathSegment[], target: Target = 'value'): { line: number; col: number } {
  const steps = target === 'parent' ? path.slice(0, -1) : path;
  let node: unknown = parsed.doc.contents;
  let found: Node | undefined = isNode(node) ? node : undefined;
  for (let i = 0; i < steps.length; i++) {
    const seg = steps[i]!;
    const last = i === steps.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
      if (!pair) break;
      if (last && target === 'key' && isNode(pair.key)) {
        found = pair.key;
        break;
      }
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else break;
    if (!isNode(node)) break;
    found = node;
  }
  const offset = found?.range?.[0];
  return offset === undefined ? { line: 1, col: 1 } : parsed.lines.linePos(offset);
}

function isNode(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value);
}

/** `transactions[0].variables[1].type` */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}
