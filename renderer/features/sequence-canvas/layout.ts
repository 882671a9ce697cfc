import dagre from '@dagrejs/dagre';
import type { Edge, Node } from '@xyflow/react';
import { MarkerType } from '@xyflow/react';
import type { StepKindInfo } from '../../../src/contract/index.js';
import type { Sequence, Step } from '../../../src/model/index.js';
import { isContainer } from './step-model.js';

/**
 * The canvas layout: one node per step, containers drawn as group nodes around their children, laid
 * out top-down with dagre. Each container's children are laid out first (a chain, in order), which
 * sizes the container; then its parent lays it out as one box. Pure.
 */

export const LEAF_WIDTH = 240;
export const LEAF_HEIGHT = 58;
export const START_ID = '__start';
export const CONTAINER_HEADER = 42;
const START_WIDTH = 200;
const START_HEIGHT = 36;
const PAD_X = 18;
const PAD_BOTTOM = 18;
const EMPTY_HEIGHT = 44;
const RANK_GAP = 28;

export interface StepNodeData extends Record<string, unknown> {
  step: Step;
  /** the trace's step path: ids from the top, joined by '/' */
  path: string;
  container: boolean;
  /** position among siblings, 1-based, and how many siblings (for screen readers) */
  position: number;
  siblings: number;
  parentId: string | null;
}

export interface StartNodeData extends Record<string, unknown> {
  sequence: Sequence;
}

export type StepFlowNode = Node<StepNodeData, 'step' | 'container'>;
export type StartFlowNode = Node<StartNodeData, 'start'>;
export type CanvasNode = StepFlowNode | StartFlowNode;

interface Box {
  width: number;
  height: number;
}

interface Sized {
  id: string;
  step?: Step;
  box: Box;
  /** for containers: children placed relative to the container's top-left */
  inner?: Placed[];
}

interface Placed extends Sized {
  x: number;
  y: number;
}

/** Lays out a chain of boxes top-down; returns top-left positions from (0, 0) and the bounding size. */
function chain(items: Sized[]): { placed: Placed[]; width: number; height: number } {
  if (items.length === 0) return { placed: [], width: 0, height: 0 };
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', ranksep: RANK_GAP, nodesep: 24, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  items.forEach((item, i) => {
    g.setNode(item.id, { width: item.box.width, height: item.box.height });
    if (i > 0) g.setEdge(items[i - 1]!.id, item.id);
  });
  dagre.layout(g);
  const raw = items.map((item) => {
    const n = g.node(item.id) as { x: number; y: number };
    return { ...item, x: n.x - item.box.width / 2, y: n.y - item.box.height / 2 };
  });
  const minX = Math.min(...raw.map((p) => p.x));
  const minY = Math.min(...raw.map((p) => p.y));
  const placed = raw.map((p) => ({ ...p, x: p.x - minX, y: p.y - minY }));
  return {
    placed,
    width: Math.max(...placed.map((p) => p.x + p.box.width)),
    height: Math.max(...placed.map((p) => p.y + p.box.height)),
  };
}

function size(step: Step, kinds: readonly StepKindInfo[] | null): Sized {
  if (!isContainer(kinds, step)) return { id: step.id, step, box: { width: LEAF_WIDTH, height: LEAF_HEIGHT } };
  const children = (step.steps ?? []).map((s) => size(s, kinds));
  const inner = chain(children);
  const contentWidth = Math.max(LEAF_WIDTH, inner.width);
  const width = contentWidth + PAD_X * 2;
  const height = CONTAINER_HEADER + (children.length ? inner.height : EMPTY_HEIGHT) + PAD_BOTTOM;
  const offsetX = PAD_X + (contentWidth - inner.width) / 2;
  return { id: step.id, step, box: { width, height }, inner: inner.placed.map((p) => ({ ...p, x: p.x + offsetX, y: p.y + CONTAINER_HEADER })) };
}

function edge(source: string, target: string, parent: string | null, disabled: boolean): Edge {
  return {
    id: `e:${source}>${target}`,
    source,
    target,
    type: 'smoothstep',
    selectable: false,
    focusable: false,
    markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
    className: `seq-edge${disabled ? ' seq-edge-disabled' : ''}`,
    data: { parent },
  };
}

/** Nodes (parents before their children) and edges (each step to the next sibling) of a sequence. */
export function layoutSequence(sequence: Sequence, kinds: readonly StepKindInfo[] | null): { nodes: CanvasNode[]; edges: Edge[] } {
  const top = (sequence.steps ?? []).map((s) => size(s, kinds));
  const start: Sized = { id: START_ID, box: { width: START_WIDTH, height: START_HEIGHT } };
  const laid = chain([start, ...top]);
  const nodes: CanvasNode[] = [];
  const edges: Edge[] = [];

  const emit = (items: Placed[], parent: string | null, trail: string[]) => {
    const steps = items.filter((p) => p.step);
    steps.forEach((p, i) => {
      if (!p.step) return;
      const container = p.inner !== undefined;
      const path = [...trail, p.step.id];
      nodes.push({
        id: p.step.id,
        type: container ? 'container' : 'step',
        position: { x: p.x, y: p.y },
        width: p.box.width,
        height: p.box.height,
        ...(parent ? { parentId: parent } : {}),
        data: { step: p.step, path: path.join('/'), container, position: i + 1, siblings: steps.length, parentId: parent },
        className: container ? 'seq-node-container' : 'seq-node-leaf',
        style: { width: p.box.width, height: p.box.height },
      });
      if (p.inner) emit(p.inner, p.step.id, path);
    });
    for (let i = 1; i < items.length; i++) {
      const a = items[i - 1]!;
      const b = items[i]!;
      edges.push(edge(a.id, b.id, parent, a.step?.disabled === true || b.step?.disabled === true));
    }
  };

  const [startPlaced, ...rest] = laid.placed;
  nodes.push({
    id: START_ID,
    type: 'start',
    position: { x: startPlaced!.x, y: startPlaced!.y },
    width: START_WIDTH,
    height: START_HEIGHT,
    draggable: false,
    selectable: false,
    data: { sequence },
    style: { width: START_WIDTH, height: START_HEIGHT },
  });
  emit([startPlaced!, ...rest], null, []);
  return { nodes, edges };
}

/** A node's absolute rectangle (parents' positions added). */
export function absoluteRect(node: CanvasNode, byId: ReadonlyMap<string, CanvasNode>): { x: number; y: number; width: number; height: number } {
  let x = node.position.x;
  let y = node.position.y;
  let parent = node.parentId ? byId.get(node.parentId) : undefined;
  while (parent) {
    x += parent.position.x;
    y += parent.position.y;
    parent = parent.parentId ? byId.get(parent.parentId) : undefined;
  }
  return { x, y, width: node.width ?? LEAF_WIDTH, height: node.height ?? LEAF_HEIGHT };
}
