import type { SourceNodeDto, StepKindInfo } from '../../../src/contract/index.js';
import type { Project, Step, Variable } from '../../../src/model/index.js';
import { effectiveVariables, findSequence, findTransaction } from '../../state/model.js';
import type { JsonSchema } from '../editors/schema-form/schema.js';
import { isDynamicRecordSchema, isDynamicSchema, sourceOf } from '../editors/step-props/dynamic.js';
import type { SourceValue } from '../editors/step-props/dynamic.js';

/** The source picker's pure parts: which properties take a source, the visible rows, matching a value. */

export interface PickableProperty {
  /** path inside the step: ['props', 'over'], ['props', 'variables', 'id'] */
  path: string[];
  label: string;
}

/** Variables of the transaction or sequence a call step targets (for its `variables` record). */
export function calleeVariables(project: Project, step: Step): Variable[] {
  const props = step.props ?? {};
  if (typeof props.transaction === 'string') {
    const dot = props.transaction.indexOf('.');
    if (dot > 0) return effectiveVariables(findTransaction(project, props.transaction.slice(0, dot), props.transaction.slice(dot + 1)));
  }
  if (typeof props.sequence === 'string') return (findSequence(project, props.sequence)?.variables ?? []) as Variable[];
  return [];
}

/** Every property of a step that takes a source, in schema order; records list their entries (and a call's variables). */
export function pickableProperties(project: Project, step: Step, info: StepKindInfo | undefined): PickableProperty[] {
  const schema = (info?.propsSchema ?? {}) as JsonSchema;
  const out: PickableProperty[] = [];
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (isDynamicSchema(prop)) out.push({ path: ['props', key], label: key });
    else if (isDynamicRecordSchema(prop)) {
      const current = step.props?.[key];
      const names = new Set<string>(key === 'variables' ? calleeVariables(project, step).map((v) => v.name) : []);
      if (current && typeof current === 'object' && !Array.isArray(current)) for (const k of Object.keys(current)) names.add(k);
      for (const name of names) out.push({ path: ['props', key, name], label: `${key}.${name}` });
    }
  }
  return out;
}

export function valueAt(step: Step, path: readonly string[]): unknown {
  let v: unknown = step;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

export function nodeKey(node: Pick<SourceNodeDto, 'from' | 'path' | 'meta'>): string {
  return `${node.from}\u0001${node.meta ? 'm' : ''}\u0001${node.path}`;
}

export function sourceKey(source: SourceValue): string {
  return nodeKey({ from: source.from, path: source.path, meta: source.meta ? true : undefined });
}

export interface SourceRow {
  node: SourceNodeDto;
  key: string;
  level: number;
  parentKey: string | null;
  expanded: boolean;
  hasChildren: boolean;
  posinset: number;
  setsize: number;
}

/** The visible rows of the source tree; with a filter, the matching nodes and their ancestors, opened. */
export function sourceRows(tree: readonly SourceNodeDto[], expanded: ReadonlySet<string>, filter: string): SourceRow[] {
  const rows: SourceRow[] = [];
  const needle = filter.trim().toLowerCase();
  const memo = new Map<SourceNodeDto, boolean>();
  const matches = (n: SourceNodeDto): boolean => {
    let m = memo.get(n);
    if (m === undefined) {
      m = n.label.toLowerCase().includes(needle) || n.children.some(matches);
      memo.set(n, m);
    }
    return m;
  };
  const walk = (nodes: readonly SourceNodeDto[], level: number, parentKey: string | null) => {
    const shown = needle ? nodes.filter(matches) : nodes;
    shown.forEach((node, i) => {
      const key = nodeKey(node);
      const hasChildren = node.children.length > 0;
      const open = hasChildren && (needle ? node.children.some(matches) : expanded.has(key));
      rows.push({ node, key, level, parentKey, expanded: open, hasChildren, posinset: i + 1, setsize: shown.length });
      if (open) walk(node.children, level + 1, key);
    });
  };
  walk(tree, 1, null);
  return rows;
}

/** Keys of the nodes down to `depth` (what opens by default), plus the ancestors of `target`. */
export function defaultExpanded(tree: readonly SourceNodeDto[], depth: number, target?: string): Set<string> {
  const out = new Set<string>();
  const walk = (nodes: readonly SourceNodeDto[], level: number, trail: string[]): boolean => {
    let found = false;
    for (const n of nodes) {
      const key = nodeKey(n);
      // a call's meta (status, headers, ms) is rarely what a property reads: it starts closed
      if (level < depth && n.children.length && !n.meta) out.add(key);
      if (target && key === target) {
        for (const k of trail) out.add(k);
        found = true;
      }
      if (walk(n.children, level + 1, [...trail, key])) found = true;
    }
    return found;
  };
  walk(tree, 0, []);
  return out;
}

export function findNode(tree: readonly SourceNodeDto[], key: string): SourceNodeDto | undefined {
  for (const n of tree) {
    if (nodeKey(n) === key) return n;
    const inner = findNode(n.children, key);
    if (inner) return inner;
  }
  return undefined;
}

/** The source a property holds, or undefined for constants and expressions. */
export function currentSource(step: Step, path: readonly string[]): SourceValue | undefined {
  return sourceOf(valueAt(step, path));
}

/** A sample value as one short line. */
export function sampleText(sample: unknown): string {
  if (sample === undefined) return '';
  const text = typeof sample === 'string' ? JSON.stringify(sample) : JSON.stringify(sample);
  return text && text.length > 80 ? `${text.slice(0, 77)}…` : (text ?? '');
}
