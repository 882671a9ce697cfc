import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { STRINGIFY_OPTIONS } from './yaml-io.js';

/**
 * Lays the canonical document `next` over a file's current text, keeping what a person wrote that
 * the model does not hold: comments, blank lines, quoting, flow or block style and key order.
 * Values the model changed take the new value; keys and list items it dropped go; new ones come in
 * at their canonical place. Returns candidate texts, best first, for the caller to check that they
 * read back as the model; none when the current text is not a YAML map.
 *
 * `doc` is `currentText` parsed; both `doc` and `next` are consumed.
 */
export function mergeOnto(currentText: string, doc: Document, next: Document): string[] {
  if (doc.errors.length || !isMap(doc.contents) || !isMap(next.contents)) return [];
  doc.contents = mergeNode(doc.contents, next.contents, false) as typeof doc.contents;
  const text = doc.toString(STRINGIFY_OPTIONS);
  const candidates = [...new Set([alignCommentsLike(currentText, text), text])];
  return currentText.includes('\r\n') ? candidates.map((t) => t.replace(/\r?\n/g, '\r\n')) : candidates;
}

/**
 * yaml writes one space before a trailing comment; people often align them in a column. A line
 * that differs from a line of the current text only by that spacing takes the current line back.
 */
function alignCommentsLike(currentText: string, text: string): string {
  const collapse = (line: string) => line.replace(/(\S)[ \t]+#/g, '$1 #');
  const aligned = new Map<string, string>();
  for (const line of currentText.split(/\r?\n/)) if (/\S[ \t]{2,}#/.test(line) && !aligned.has(collapse(line))) aligned.set(collapse(line), line);
  if (!aligned.size) return text;
  return text
    .split('\n')
    .map((line) => aligned.get(line) ?? line)
    .join('\n');
}

/** `inFlow`: `next` sits inside a flow collection of the canonical layout, so its own style says nothing. */
function mergeNode(current: unknown, next: Node, inFlow: boolean): Node {
  if (isScalar(current) && isScalar(next)) return mergeScalar(current, next);
  if (isMap(current) && isMap(next)) return mergeCollection(current, next, inFlow, mergeMapItems);
  if (isSeq(current) && isSeq(next)) return mergeCollection(current, next, inFlow, mergeSeqItems);
  return withCommentsOf(current, next);
}

/**
 * The collection keeps its flow or block style, except a flow collection whose content changed
 * while the canonical layout wants it in block (it grew too long, or holds a multi-line string).
 * A block one is never folded into flow: it never becomes hard to read by growing.
 */
function mergeCollection<C extends YAMLMap | YAMLSeq>(current: C, next: C, inFlow: boolean, mergeItems: (current: C, next: C, inFlow: boolean) => void): Node {
  const expand = current.flow && !inFlow && next.flow === false && !isDeepStrictEqual(current.toJSON(), next.toJSON());
  mergeItems(current, next, inFlow || next.flow === true);
  if (expand) current.flow = false;
  return current;
}

function mergeScalar(current: Scalar, next: Scalar): Node {
  if (Object.is(current.value, next.value)) return current;
  // Same type: the node keeps its quoting and number format; yaml still quotes a plain string
  // whose new value would otherwise read as another type.
  if (typeof current.value === typeof next.value && current.value !== null && next.value !== null) {
    current.value = next.value;
    return current;
  }
  return withCommentsOf(current, next);
}

function mergeMapItems(current: YAMLMap, next: YAMLMap, inFlow: boolean): void {
  const nextPairs = new Map(next.items.map((p) => [keyOf(p), p]));
  const kept = current.items.filter((p) => nextPairs.has(keyOf(p)));
  for (const pair of kept) pair.value = mergeNode(pair.value, nextPairs.get(keyOf(pair))!.value as Node, inFlow);
  const order = kept.map(keyOf);
  let after = -1;
  for (const pair of next.items) {
    const key = keyOf(pair);
    const at = order.indexOf(key);
    if (at >= 0) {
      after = at;
      continue;
    }
    kept.splice(after + 1, 0, pair);
    order.splice(after + 1, 0, key);
    after++;
  }
  current.items = kept;
}

/** Lists of named things (transactions, variables, steps) match by name, so comments follow their item. */
function mergeSeqItems(current: YAMLSeq, next: YAMLSeq, inFlow: boolean): void {
  const currentIds = current.items.map(identity);
  const nextIds = next.items.map(identity);
  const byName = [...currentIds, ...nextIds].every((id) => id !== undefined);
  const used = new Set<number>();
  current.items = next.items.map((item, i) => {
    let match = -1;
    if (byName) match = currentIds.findIndex((id, j) => id === nextIds[i] && !used.has(j));
    else if (i < current.items.length) match = i;
    if (match < 0) return item;
    used.add(match);
    return mergeNode(current.items[match], item as Node, inFlow);
  });
}

function identity(item: unknown): string | undefined {
  if (!isMap(item)) return undefined;
  const id = item.get('id') ?? item.get('name');
  return typeof id === 'string' ? id : undefined;
}

function keyOf(pair: Pair): string {
  return String(isScalar(pair.key) ? pair.key.value : pair.key);
}

function withCommentsOf(current: unknown, next: Node): Node {
  if (isScalar(current) || isMap(current) || isSeq(current)) {
    next.commentBefore = current.commentBefore;
    next.spaceBefore = current.spaceBefore;
    if (isScalar(next) || !current.comment) next.comment = current.comment;
  }
  return next;
}
