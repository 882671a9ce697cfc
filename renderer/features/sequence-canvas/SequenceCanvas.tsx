import { Background, BackgroundVariant, ControlButton, Controls, MiniMap, Panel, ReactFlow, ReactFlowProvider, ViewportPortal, useReactFlow } from '@xyflow/react';
import type { NodeChange, OnNodeDrag } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DragEvent, JSX, KeyboardEvent } from 'react';
import type { ObjectRef, ProjectState, StepKindInfo } from '../../../src/contract/index.js';
import { objectRefSchema } from '../../../src/contract/index.js';
import type { Sequence } from '../../../src/model/index.js';
import { Icon } from '../../icons/icons.js';
import { useStudioState } from '../../state/context.js';
import { findSequence, projectOf } from '../../state/model.js';
import { effectiveTheme } from '../../state/studio.js';
import type { Studio } from '../../state/studio.js';
import type { SequenceTrace } from '../../state/trace.js';
import { CanvasContext } from './canvas-context.js';
import type { CanvasContextValue } from './canvas-context.js';
import { CONTAINER_HEADER, START_ID, absoluteRect, layoutSequence } from './layout.js';
import type { CanvasNode } from './layout.js';
import { KIND_MIME, Palette } from './Palette.js';
import { copyToClipboard, hasClipboard, insertCall, insertKind, moveStep, paste } from './step-actions.js';
import { childrenOf, indexSteps, insertTargetFor, isWithin, kindInfo } from './step-model.js';
import type { InsertTarget, StepIndex } from './step-model.js';
import { nodeDomId, nodeTypes } from './StepNodes.js';
import { problemsByStep, useSequenceProblems, useSequenceTrace } from './use-sequence-data.js';
import { VariablesStrip } from './VariablesStrip.js';
import { DebugCanvasContext } from '../debugger/debug-canvas.js';
import { DebugPane } from '../debugger/DebugPane.js';
import { debuggerOf } from '../debugger/debug-store.js';
import { DEBUG_KEYS } from '../debugger/debug-keys.js';
import '../../styles/canvas.css';

/** HTML5 drag data of an object dragged from the Projects tree: its ObjectRef as JSON. */
export const OBJECT_MIME = 'application/x-trellis-object';
/** ... and the project it belongs to. */
export const PROJECT_MIME = 'application/x-trellis-project';

type Rect = { x: number; y: number; width: number; height: number };

interface DropPlan {
  target: InsertTarget;
  /** where the insertion line goes, in flow coordinates */
  line: { x: number; y: number; width: number };
}

/** Where a drop at `point` (flow coordinates) goes: the innermost container under it, at the index its y gives. */
function planDrop(point: { x: number; y: number }, sequence: Sequence, index: StepIndex, nodes: readonly CanvasNode[], dragged: string | null): DropPlan {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const rects = new Map<string, Rect>(nodes.map((n) => [n.id, absoluteRect(n, byId)]));
  let parent: string | null = null;
  let depth = -1;
  for (const n of nodes) {
    if (n.type !== 'container') continue;
    if (dragged && isWithin(index, n.id, dragged)) continue;
    const r = rects.get(n.id)!;
    if (point.x < r.x || point.x > r.x + r.width || point.y < r.y || point.y > r.y + r.height) continue;
    const d = index.byId.get(n.id)?.depth ?? 0;
    if (d > depth) {
      depth = d;
      parent = n.id;
    }
  }
  const siblings = childrenOf(sequence, parent, index).filter((s) => s.id !== dragged);
  let i = 0;
  for (const s of siblings) {
    const r = rects.get(s.id);
    if (r && r.y + r.height / 2 < point.y) i++;
  }
  const box = parent ? rects.get(parent)! : rects.get(START_ID) ?? { x: 0, y: 0, width: 240, height: 36 };
  const before = siblings[i - 1] ? rects.get(siblings[i - 1]!.id) : undefined;
  const after = siblings[i] ? rects.get(siblings[i]!.id) : undefined;
  const y = after && before ? (before.y + before.height + after.y) / 2 : after ? after.y - 14 : before ? before.y + before.height + 14 : parent ? box.y + CONTAINER_HEADER + 20 : box.y + box.height + 14;
  const ref = after ?? before ?? (parent ? { x: box.x + 18, y: 0, width: box.width - 36, height: 0 } : box);
  return { target: { parent, index: i }, line: { x: ref.x, y, width: ref.width } };
}

function failingSteps(trace: SequenceTrace | undefined): Set<string> {
  const out = new Set<string>();
  if (!trace) return out;
  const errors = Object.entries(trace.steps).filter(([, t]) => t.state === 'error');
  for (const [path] of errors) {
    // an error that only passed through (a child failed) is not highlighted with the message
    if (errors.some(([other]) => other !== path && other.startsWith(`${path}/`))) continue;
    out.add(path.split('/').pop() ?? path);
  }
  return out;
}

function readDraggedRef(e: DragEvent): { ref: ObjectRef; project: string | null } | null {
  try {
    const parsed = objectRefSchema.safeParse(JSON.parse(e.dataTransfer.getData(OBJECT_MIME)));
    return parsed.success ? { ref: parsed.data, project: e.dataTransfer.getData(PROJECT_MIME) || null } : null;
  } catch {
    return null;
  }
}

interface CanvasProps {
  studio: Studio;
  state: ProjectState;
  sequence: string;
}

function Canvas({ studio, state, sequence: name }: CanvasProps): JSX.Element {
  const project = state.project.dir;
  const model = projectOf(state);
  const sequence = findSequence(model, name)!;
  const kinds = useStudioState((s) => s.stepKinds);
  const theme = useStudioState(effectiveTheme);
  const selection = useStudioState((s) => s.selection);
  const running = useStudioState((s) => s.run.running && s.run.targetType === 'sequence' && s.run.target === name && s.run.project === project);
  const trace = useSequenceTrace(studio, project, name);
  const problems = useSequenceProblems(studio, project, sequence);
  const rf = useReactFlow<CanvasNode>();
  const wrapperRef = useRef<HTMLDivElement>(null);
  // the minimap (bottom right) can be hidden from the controls; fitting keeps the steps clear of it
  const [showMiniMap, setShowMiniMap] = useState(true);
  const fitPadding = useMemo(() => ({ top: '24px', bottom: '24px', left: '60px', right: showMiniMap ? '170px' : '28px' }) as const, [showMiniMap]);

  const index = useMemo(() => indexSteps(sequence.steps), [sequence]);
  const layout = useMemo(() => layoutSequence(sequence, kinds), [sequence, kinds]);
  const [nodes, setNodes] = useState<CanvasNode[]>(layout.nodes);
  useEffect(() => setNodes(layout.nodes), [layout]);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;

  const selected = selection && selection.project === project && selection.ref.type === 'step' && selection.ref.sequence === name && index.byId.has(selection.ref.step) ? selection.ref.step : null;
  const [drop, setDrop] = useState<DropPlan | null>(null);

  const select = useCallback((id: string | null) => studio.select(project, id ? { type: 'step', sequence: name, step: id } : { type: 'sequence', sequence: name }, { reveal: true }), [studio, project, name]);

  const context = useMemo<CanvasContextValue>(
    () => ({ kinds, trace, problems: problemsByStep(problems), selected, dropTarget: drop ? (drop.target.parent ?? '') : null, failing: failingSteps(trace), onSelect: (id) => select(id) }),
    [kinds, trace, problems, selected, drop, select],
  );

  // the view fits the sequence when it opens and when steps come or go; other edits (and a move
  // inside the sequence) keep the viewport where the user put it
  const fit = useRef({ count: -1, pending: false, first: true });
  useEffect(() => {
    const f = fit.current;
    if (f.count !== layout.nodes.length) {
      f.count = layout.nodes.length;
      f.pending = true;
    }
    if (!f.pending) return;
    // once React Flow holds the new nodes (they reach it an effect later)
    const timer = setTimeout(() => {
      f.pending = false;
      void rf.fitView({ padding: fitPadding, maxZoom: 1, duration: f.first ? 0 : 200 });
      f.first = false;
    }, 30);
    return () => clearTimeout(timer);
  }, [layout, rf, fitPadding]);

  /** Keeps a node in view (keyboard selection). */
  const reveal = useCallback(
    (id: string) => {
      const node = layout.nodes.find((n) => n.id === id);
      const el = wrapperRef.current?.querySelector('.react-flow');
      if (!node || !el) return;
      const r = absoluteRect(node, new Map(layout.nodes.map((n) => [n.id, n])));
      const { x, y, zoom } = rf.getViewport();
      const { width, height } = el.getBoundingClientRect();
      const left = r.x * zoom + x;
      const top = r.y * zoom + y;
      const visible = left >= 0 && top >= 0 && left + Math.min(r.width, 300) * zoom <= width && top + Math.min(r.height, 120) * zoom <= height;
      if (!visible) void rf.setCenter(r.x + Math.min(r.width, 300) / 2, r.y + Math.min(r.height, 120) / 2, { zoom, duration: 150 });
    },
    [layout, rf],
  );

  useEffect(() => {
    if (selected) reveal(selected);
  }, [selected, reveal]);

  const insertAtSelection = useCallback(
    (info: StepKindInfo, after: boolean) => {
      void insertKind(studio, project, name, info, insertTargetFor(sequence, index, kinds, selected, after)).then(() => wrapperRef.current?.focus());
    },
    [studio, project, name, sequence, index, kinds, selected],
  );

  // ---- keyboard ----------------------------------------------------------------------------------

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const el = e.target as HTMLElement;
    if (el.closest('input, textarea, select, .seq-palette, .seq-inspector') && el !== wrapperRef.current) return;
    const ctrl = e.ctrlKey || e.metaKey;
    const loc = selected ? index.byId.get(selected) : undefined;
    const order = index.order;
    const go = (id: string | undefined) => {
      if (id) select(id);
    };
    let handled = true;
    if (ctrl && !e.altKey && e.key.toLowerCase() === 'c') {
      if (selected && copyToClipboard(studio, project, name, selected)) studio.notify('info', `Copied ${selected}: Ctrl+V pastes a copy after the selected step.`);
    } else if (ctrl && !e.altKey && e.key.toLowerCase() === 'v') {
      if (hasClipboard()) void paste(studio, project, name, insertTargetFor(sequence, index, kinds, selected, true));
    } else if (ctrl && !e.altKey && e.key.toLowerCase() === 'd') {
      if (selected) void studio.duplicate(project, { type: 'step', sequence: name, step: selected }).then(() => wrapperRef.current?.focus());
    } else if (e.altKey && loc && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      // Alt+Up/Down: reorder among siblings
      const siblings = childrenOf(sequence, loc.parent, index);
      const to = loc.index + (e.key === 'ArrowUp' ? -1 : 1);
      if (to >= 0 && to < siblings.length) void moveStep(studio, project, name, loc.step.id, loc.parent, to);
    } else if (e.altKey && loc && e.key === 'ArrowLeft') {
      // Alt+Left: out of the container, right after it
      const parent = loc.parent ? index.byId.get(loc.parent) : undefined;
      if (parent) void moveStep(studio, project, name, loc.step.id, parent.parent, parent.index + 1);
    } else if (e.altKey && loc && e.key === 'ArrowRight') {
      // Alt+Right: into the container just above, as its last step
      const prev = childrenOf(sequence, loc.parent, index)[loc.index - 1];
      if (prev && kindInfo(kinds, prev.kind)?.container) void moveStep(studio, project, name, loc.step.id, prev.id, prev.steps?.length ?? 0);
    } else if (ctrl || e.altKey) {
      handled = false;
    } else {
      switch (e.key) {
        case 'ArrowDown': {
          const i = loc ? order.indexOf(loc) : -1;
          go(order[Math.min(order.length - 1, i + 1)]?.step.id);
          break;
        }
        case 'ArrowUp': {
          const i = loc ? order.indexOf(loc) : order.length;
          go(order[Math.max(0, i - 1)]?.step.id);
          break;
        }
        case 'ArrowRight':
          if (!loc) go(order[0]?.step.id);
          else go(loc.step.steps?.[0]?.id ?? childrenOf(sequence, loc.parent, index)[loc.index + 1]?.id);
          break;
        case 'ArrowLeft':
          if (loc?.parent) go(loc.parent);
          else if (loc) go(childrenOf(sequence, null, index)[loc.index - 1]?.id);
          break;
        case 'Home':
          go(order[0]?.step.id);
          break;
        case 'End':
          go(order[order.length - 1]?.step.id);
          break;
        case 'Escape':
          if (selected) select(null);
          else handled = false;
          break;
        case 'Enter':
          // Enter: edit the selected step in Properties
          if (selected) document.querySelector<HTMLElement>('.properties-view .pe-form input, .properties-view .pe-form select, .properties-view .pe-form textarea')?.focus();
          else handled = false;
          break;
        default:
          handled = false;
      }
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  // ---- drag and drop from the palette and the tree -----------------------------------------------

  const flowPoint = (e: { clientX: number; clientY: number } | TouchEvent) => {
    const p = 'touches' in e ? (e.changedTouches[0] ?? e.touches[0]) : e;
    return rf.screenToFlowPosition({ x: p?.clientX ?? 0, y: p?.clientY ?? 0 });
  };

  const onDragOver = (e: DragEvent<HTMLDivElement>) => {
    const types = e.dataTransfer.types;
    if (!types.includes(KIND_MIME) && !types.includes(OBJECT_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = types.includes(KIND_MIME) || e.ctrlKey || e.metaKey ? 'copy' : 'move';
    const plan = planDrop(flowPoint(e), sequence, index, layout.nodes, null);
    setDrop((d) => (d && d.target.parent === plan.target.parent && d.target.index === plan.target.index ? d : plan));
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    const types = e.dataTransfer.types;
    if (!types.includes(KIND_MIME) && !types.includes(OBJECT_MIME)) return;
    e.preventDefault();
    setDrop(null);
    const plan = planDrop(flowPoint(e), sequence, index, layout.nodes, null);
    wrapperRef.current?.focus();
    if (types.includes(KIND_MIME)) {
      const info = kindInfo(kinds, e.dataTransfer.getData(KIND_MIME));
      if (info) void insertKind(studio, project, name, info, plan.target);
      return;
    }
    const dragged = readDraggedRef(e);
    if (!dragged) return;
    if (dragged.project && dragged.project !== project) {
      studio.notify('info', 'Only transactions and sequences of the same project can be called from this sequence.');
      return;
    }
    if (!(e.ctrlKey || e.metaKey)) {
      const what = dragged.ref.type === 'sequence' ? 'Call Sequence' : 'Call Transaction';
      studio.notify('info', `Hold Ctrl while dropping to add a ${what} step with its variables mapped by name.`);
      return;
    }
    void insertCall(studio, project, name, dragged.ref, plan.target);
  };

  // ---- dragging nodes: reorder, move into or out of containers ------------------------------------

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    const moves = changes.filter((c) => c.type === 'position');
    if (!moves.length) return;
    setNodes((list) =>
      list.map((n) => {
        const c = moves.find((m) => m.type === 'position' && m.id === n.id);
        return c && c.type === 'position' && c.position ? { ...n, position: c.position } : n;
      }),
    );
  }, []);

  const onNodeDrag: OnNodeDrag<CanvasNode> = (event, node) => {
    if (node.id === START_ID) return;
    const plan = planDrop(flowPoint(event), sequence, index, layout.nodes, node.id);
    setDrop((d) => (d && d.target.parent === plan.target.parent && d.target.index === plan.target.index ? d : plan));
  };

  const onNodeDragStop: OnNodeDrag<CanvasNode> = (event, node) => {
    setDrop(null);
    const loc = index.byId.get(node.id);
    if (!loc) return setNodes(layout.nodes);
    const plan = planDrop(flowPoint(event), sequence, index, layout.nodes, node.id);
    if (plan.target.parent === loc.parent && plan.target.index === loc.index) {
      setNodes(layout.nodes);
      return;
    }
    // the new layout replaces the dragged positions; a refused move puts the node back
    void moveStep(studio, project, name, node.id, plan.target.parent, plan.target.index).then(() => setNodes(layoutRef.current.nodes));
  };

  const stepCount = index.order.length;

  return (
    <CanvasContext.Provider value={context}>
      <div className="seq-editor">
        <Palette kinds={kinds} onInsert={insertAtSelection} />
        <div className="seq-main">
          <div className="seq-bar">
            <Icon name="sequence" className="kind-icon-sequence" />
            <strong className="seq-bar-name">{name}</strong>
            <span className="dim">
              {stepCount} step{stepCount === 1 ? '' : 's'}
              {problems.length ? ` · ${problems.length} problem${problems.length === 1 ? '' : 's'}` : ''}
            </span>
            <VariablesStrip studio={studio} project={project} sequence={sequence} selected={selection?.project === project && selection.ref.type === 'sequenceVariable' && selection.ref.sequence === name ? selection.ref.variable : null} />
            <span className="seq-bar-spacer" />
            {trace && !trace.running ? (
              <button type="button" className="small-button" onClick={() => studio.traces.clear(project, name)} title="Hide the states of the last run on the canvas" aria-label="Clear the trace">
                Clear
              </button>
            ) : null}
            <button type="button" className="small-button primary seq-execute" onClick={() => studio.execute(project, { type: 'sequence', sequence: name })} disabled={running} title="Execute the sequence (F5; it stops at breakpoints when there are some)">
              <Icon name="play" /> Execute
            </button>
            <button type="button" className="small-button seq-debug" onClick={() => debuggerOf(studio).debug(project, name)} disabled={running} title={`Debug the sequence: stop at its breakpoints, or at its first step when it has none (${DEBUG_KEYS.debug})`}>
              <span aria-hidden="true" className="seq-debug-glyph">●</span> Debug
            </button>
          </div>
          <div
            ref={wrapperRef}
            className="seq-canvas"
            role="listbox"
            aria-label={`Steps of ${name}`}
            aria-activedescendant={selected ? nodeDomId(selected) : undefined}
            aria-describedby="seq-canvas-help"
            tabIndex={0}
            onKeyDown={onKeyDown}
            onDragOver={onDragOver}
            onDragLeave={(e) => {
              if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDrop(null);
            }}
            onDrop={onDrop}
          >
            <ReactFlow<CanvasNode>
              nodes={nodes}
              edges={layout.edges}
              nodeTypes={nodeTypes}
              onNodesChange={onNodesChange}
              onNodeClick={(_, node) => {
                if (node.id !== START_ID) select(node.id);
                wrapperRef.current?.focus({ preventScroll: true });
              }}
              onPaneClick={() => {
                select(null);
                wrapperRef.current?.focus({ preventScroll: true });
              }}
              onNodeDrag={onNodeDrag}
              onNodeDragStop={onNodeDragStop}
              nodesConnectable={false}
              elementsSelectable={false}
              nodesFocusable={false}
              edgesFocusable={false}
              disableKeyboardA11y
              deleteKeyCode={null}
              selectionKeyCode={null}
              multiSelectionKeyCode={null}
              panActivationKeyCode={null}
              nodeDragThreshold={4}
              minZoom={0.2}
              maxZoom={2}
              colorMode={theme}
              proOptions={{ hideAttribution: true }}
            >
              <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
              {stepCount > 0 && showMiniMap ? <MiniMap pannable zoomable ariaLabel={`Overview of ${name}`} className="seq-minimap" nodeStrokeWidth={2} style={{ width: 140, height: 90 }} /> : null}
              <Controls showInteractive={false} position="bottom-left" fitViewOptions={{ padding: fitPadding, maxZoom: 1 }}>
                <ControlButton onClick={() => setShowMiniMap((v) => !v)} title={showMiniMap ? 'Hide the minimap' : 'Show the minimap'} aria-label={showMiniMap ? 'Hide the minimap' : 'Show the minimap'} aria-pressed={showMiniMap}>
                  <svg viewBox="0 0 16 16" width="12" height="12" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
                    <rect x="1.5" y="2.5" width="13" height="11" rx="1" />
                    <rect x="8" y="8" width="5" height="4" fill="currentColor" stroke="none" />
                  </svg>
                </ControlButton>
              </Controls>
              {drop ? (
                <ViewportPortal>
                  <div className="seq-drop-line" style={{ transform: `translate(${drop.line.x}px, ${drop.line.y - 2}px)`, width: drop.line.width }} />
                </ViewportPortal>
              ) : null}
              {stepCount === 0 ? (
                <Panel position="top-center" className="seq-empty-hint">
                  Drag a step kind from the palette onto the canvas (or select one and press Enter). Hold Ctrl and drag a transaction or a sequence from Projects to call it.
                </Panel>
              ) : null}
            </ReactFlow>
          </div>
          <p id="seq-canvas-help" className="visually-hidden">
            Arrows move between steps, Alt+arrows move the selected step, Delete deletes it, Ctrl+C and Ctrl+V copy and paste, Ctrl+Z undoes, F5 executes, F9 sets a breakpoint on the selected step, Ctrl+F5 debugs.
          </p>
          <div className="visually-hidden" aria-live="polite">
            {selected ? `${selected} selected` : ''}
          </div>
        </div>
        <DebugPane project={project} />
      </div>
    </CanvasContext.Provider>
  );
}

/** The sequence editor tab: the palette, the canvas (@xyflow/react) with minimap and controls, the live trace. */
export function SequenceCanvas(props: CanvasProps): JSX.Element {
  const dir = props.state.project.dir;
  const debugWhere = useMemo(() => ({ project: dir, sequence: props.sequence }), [dir, props.sequence]);
  const exists = !!findSequence(projectOf(props.state), props.sequence);
  if (!exists) return <div className="empty-state">The sequence {props.sequence} no longer exists.</div>;
  return (
    <ReactFlowProvider key={`${props.state.project.dir}\u0001${props.sequence}`}>
      <DebugCanvasContext.Provider value={debugWhere}>
        <Canvas {...props} />
      </DebugCanvasContext.Provider>
    </ReactFlowProvider>
  );
}
