import type { OpenApiPreview } from '../../../../src/contract/index.js';

export type PreviewOperation = OpenApiPreview['operations'][number];

/** Operations without a tag go in this group (last). */
export const UNTAGGED = '(no tag)';

export interface OperationGroup {
  tag: string;
  operations: PreviewOperation[];
}

/**
 * Operations grouped by their first tag, groups in the order the spec first uses them, untagged ones
 * last. An operation is listed once (under its first tag) so the counts add up to the whole spec.
 */
export function groupByTag(operations: readonly PreviewOperation[]): OperationGroup[] {
  const groups = new Map<string, PreviewOperation[]>();
  for (const op of operations) {
    const tag = op.tags.find((t) => t.trim()) ?? UNTAGGED;
    let list = groups.get(tag);
    if (!list) groups.set(tag, (list = []));
    list.push(op);
  }
  const untagged = groups.get(UNTAGGED);
  groups.delete(UNTAGGED);
  const out = [...groups].map(([tag, ops]) => ({ tag, operations: ops }));
  if (untagged) out.push({ tag: UNTAGGED, operations: untagged });
  return out;
}

export type ListRow =
  | { type: 'group'; key: string; group: OperationGroup; shown: PreviewOperation[]; expanded: boolean }
  | { type: 'operation'; key: string; op: PreviewOperation; group: OperationGroup };

/** Lower-cased text an operation is found by (name, method, path, summary, tags). */
function haystack(op: PreviewOperation): string {
  return `${op.name} ${op.method} ${op.path} ${op.summary ?? ''} ${op.tags.join(' ')}`.toLowerCase();
}

/**
 * The flat rows of the virtualized list: a header per group, then its operations when expanded.
 * With a filter, groups show only their matching operations (and open by themselves).
 */
export function buildRows(groups: readonly OperationGroup[], expanded: ReadonlySet<string>, filter: string): ListRow[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const rows: ListRow[] = [];
  for (const group of groups) {
    const shown = words.length ? group.operations.filter((op) => words.every((w) => haystack(op).includes(w))) : group.operations;
    if (words.length && shown.length === 0) continue;
    const open = words.length > 0 || expanded.has(group.tag);
    rows.push({ type: 'group', key: `g:${group.tag}`, group, shown, expanded: open });
    if (open) for (const op of shown) rows.push({ type: 'operation', key: `o:${op.name}`, op, group });
  }
  return rows;
}

/** How many operations of a list are selected. */
export function countSelected(operations: readonly PreviewOperation[], selected: ReadonlySet<string>): number {
  let n = 0;
  for (const op of operations) if (selected.has(op.name)) n++;
  return n;
}

/** Counts of the change statuses against an existing connector. */
export function changeCounts(operations: readonly PreviewOperation[]): { added: number; updated: number; unchanged: number } {
  const counts = { added: 0, updated: 0, unchanged: 0 };
  for (const op of operations) if (op.change) counts[op.change]++;
  return counts;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}
