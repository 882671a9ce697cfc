import type { ObjectRef, ProjectState } from '../../../src/contract/index.js';
import type { Step } from '../../../src/model/index.js';
import { folderKey, mappingsKey, refKey } from '../../state/keys.js';
import type { FolderName } from '../../state/keys.js';
import { projectOf, txMethod } from '../../state/model.js';

export type RowKind = 'project' | 'folder' | 'connector' | 'transaction' | 'variable' | 'sequence' | 'step' | 'mappings';

/** One visible row of the Projects tree (the tree is flattened, then virtualized). */
export interface TreeRow {
  key: string;
  project: string;
  /** the object; for a folder, the project that holds it */
  ref: ObjectRef;
  kind: RowKind;
  folder?: FolderName;
  label: string;
  /** dim text after the label: the HTTP method, the variable type, the connector kind */
  detail?: string;
  /** 1-based */
  level: number;
  setsize: number;
  posinset: number;
  hasChildren: boolean;
  expanded: boolean;
  parentKey: string | null;
  dirty: boolean;
  /** transactions and variables reorder by drag and drop */
  draggable: boolean;
  /** index among its siblings in the model (object.move) */
  index: number;
  /** a step row: its kind, whose icon the row shows */
  stepKind?: string;
}

interface Node {
  key: string;
  project: string;
  ref: ObjectRef;
  kind: RowKind;
  folder?: FolderName;
  label: string;
  detail?: string;
  dirty?: boolean;
  draggable?: boolean;
  index: number;
  stepKind?: string;
  /** how many children (without building them) */
  count: number;
  children?: () => Node[];
}

function stepNodes(project: string, sequence: string, steps: readonly Step[] | undefined): Node[] {
  return (steps ?? []).map((step, index) => ({
    key: refKey(project, { type: 'step', sequence, step: step.id }),
    project,
    ref: { type: 'step', sequence, step: step.id },
    kind: 'step' as const,
    label: step.id,
    detail: step.kind,
    stepKind: step.kind,
    index,
    count: step.steps?.length ?? 0,
    children: step.steps && step.steps.length > 0 ? () => stepNodes(project, sequence, step.steps) : undefined,
  }));
}

function projectNode(state: ProjectState): Node {
  const dir = state.project.dir;
  const model = projectOf(state);
  return {
    key: refKey(dir, { type: 'project' }),
    project: dir,
    ref: { type: 'project' },
    kind: 'project',
    label: model.name,
    dirty: state.dirty,
    index: 0,
    count: 3,
    children: () => [
      {
        key: folderKey(dir, 'connectors'),
        project: dir,
        ref: { type: 'project' },
        kind: 'folder',
        folder: 'connectors',
        label: 'Connectors',
        index: 0,
        count: model.connectors.length,
        children: () =>
          model.connectors.map((c, ci) => ({
            key: refKey(dir, { type: 'connector', connector: c.name }),
            project: dir,
            ref: { type: 'connector', connector: c.name },
            kind: 'connector' as const,
            label: c.name,
            detail: c.kind,
            index: ci,
            count: c.transactions?.length ?? 0,
            children: () =>
              (c.transactions ?? []).map((t, ti) => ({
                key: refKey(dir, { type: 'transaction', connector: c.name, transaction: t.name }),
                project: dir,
                ref: { type: 'transaction', connector: c.name, transaction: t.name },
                kind: 'transaction' as const,
                label: t.name,
                detail: txMethod(t),
                draggable: true,
                index: ti,
                count: t.variables?.length ?? 0,
                children: () =>
                  (t.variables ?? []).map((v, vi) => ({
                    key: refKey(dir, { type: 'variable', connector: c.name, transaction: t.name, variable: v.name }),
                    project: dir,
                    ref: { type: 'variable', connector: c.name, transaction: t.name, variable: v.name },
                    kind: 'variable' as const,
                    label: v.name,
                    detail: v.type ?? 'string',
                    draggable: true,
                    index: vi,
                    count: 0,
                  })),
              })),
          })),
      },
      {
        key: folderKey(dir, 'sequences'),
        project: dir,
        ref: { type: 'project' },
        kind: 'folder',
        folder: 'sequences',
        label: 'Sequences',
        index: 1,
        count: model.sequences.length,
        children: () =>
          model.sequences.map((s, si) => ({
            key: refKey(dir, { type: 'sequence', sequence: s.name }),
            project: dir,
            ref: { type: 'sequence', sequence: s.name },
            kind: 'sequence' as const,
            label: s.name,
            index: si,
            count: s.steps?.length ?? 0,
            children: () => stepNodes(dir, s.name, s.steps),
          })),
      },
      // mappings.yaml: the REST routes the runtime serves; Enter or a click opens its editor
      { key: mappingsKey(dir), project: dir, ref: { type: 'project' }, kind: 'mappings', label: 'Mappings', index: 2, count: 0 },
    ],
  };
}

/**
 * Flattens the open projects into the visible rows. With a filter, a row shows when its name or a
 * descendant's name holds the text (ancestors are kept and opened).
 */
export function buildRows(order: readonly string[], projects: Readonly<Record<string, ProjectState>>, expanded: ReadonlySet<string>, filter: string): TreeRow[] {
  const out: TreeRow[] = [];
  const needle = filter.trim().toLowerCase();
  const matchMemo = new Map<string, boolean>();
  const childMemo = new Map<string, Node[]>();

  const childrenOf = (node: Node): Node[] => {
    if (!node.children) return [];
    let list = childMemo.get(node.key);
    if (!list) {
      list = node.children();
      childMemo.set(node.key, list);
    }
    return list;
  };
  const matches = (node: Node): boolean => {
    let m = matchMemo.get(node.key);
    if (m === undefined) {
      m = node.label.toLowerCase().includes(needle) || childrenOf(node).some(matches);
      matchMemo.set(node.key, m);
    }
    return m;
  };

  const walk = (nodes: Node[], level: number, parentKey: string | null) => {
    const visible = needle ? nodes.filter(matches) : nodes;
    visible.forEach((node, i) => {
      let hasChildren: boolean;
      let isExpanded: boolean;
      if (needle) {
        const kids = childrenOf(node).filter(matches);
        hasChildren = kids.length > 0;
        isExpanded = hasChildren;
      } else {
        // children are only built when a row is open (2,000 transactions under a closed connector cost nothing)
        isExpanded = expanded.has(node.key);
        hasChildren = node.count > 0;
      }
      out.push({
        key: node.key,
        project: node.project,
        ref: node.ref,
        kind: node.kind,
        folder: node.folder,
        label: node.label,
        detail: node.detail,
        level,
        setsize: visible.length,
        posinset: i + 1,
        hasChildren,
        expanded: hasChildren && isExpanded,
        parentKey,
        dirty: node.dirty ?? false,
        draggable: node.draggable ?? false,
        index: node.index,
        ...(node.stepKind === undefined ? {} : { stepKind: node.stepKind }),
      });
      if (hasChildren && isExpanded) walk(childrenOf(node), level + 1, node.key);
    });
  };

  walk(
    order.flatMap((dir) => {
      const state = projects[dir];
      return state ? [projectNode(state)] : [];
    }),
    1,
    null,
  );
  return out;
}

/** The icon id of a step row's kind (steps.list `icon`); undefined until the kinds are loaded or for an unknown kind. */
export function stepRowIcon(row: Pick<TreeRow, 'stepKind'>, kinds: readonly { kind: string; icon: string }[] | null | undefined): string | undefined {
  return row.stepKind === undefined ? undefined : kinds?.find((k) => k.kind === row.stepKind)?.icon;
}
