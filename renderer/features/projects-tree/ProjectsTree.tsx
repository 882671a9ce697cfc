import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { DragEvent, KeyboardEvent, MouseEvent } from 'react';
import { flushSync } from 'react-dom';
import type { ObjectRef } from '../../../src/contract/index.js';
import { Icon } from '../../icons/icons.js';
import { useStudio, useStudioState } from '../../state/context.js';
import type { Studio } from '../../state/studio.js';
import { PopupMenu } from '../shell/Menu.js';
import { RowIcon } from './RowIcon.js';
import { buildRows } from './tree-model.js';
import type { TreeRow } from './tree-model.js';
import { RenameField } from './RenameField.js';
import { contextMenuItems } from './tree-menu.js';

export const ROW_HEIGHT = 22;
const OVERSCAN = 8;

interface DragState {
  key: string;
  project: string;
  ref: ObjectRef;
  parentKey: string | null;
  index: number;
}

/** Rows that share a parent in the model reorder among themselves. */
function canDrop(drag: DragState | null, row: TreeRow): boolean {
  return !!drag && row.draggable && row.key !== drag.key && row.parentKey === drag.parentKey && row.project === drag.project;
}

interface RowActions {
  dragStart(e: DragEvent, row: TreeRow): void;
  dragOver(e: DragEvent, row: TreeRow): void;
  dragLeave(row: TreeRow): void;
  drop(e: DragEvent, row: TreeRow): void;
  dragEnd(): void;
  mouseDown(e: MouseEvent, row: TreeRow): void;
  click(e: MouseEvent, row: TreeRow): void;
  doubleClick(row: TreeRow): void;
  contextMenu(e: MouseEvent, row: TreeRow): void;
  twisty(e: MouseEvent, row: TreeRow): void;
}

const TreeRowView = memo(function TreeRowView(props: {
  row: TreeRow;
  index: number;
  selected: boolean;
  drop: 'before' | 'after' | null;
  dragging: boolean;
  renaming: boolean;
  actions: RowActions;
  studio: Studio;
}) {
  const { row, index, selected, actions } = props;
  return (
    <div
      id={`tree-row-${index}`}
      role="treeitem"
      aria-level={row.level}
      aria-setsize={row.setsize}
      aria-posinset={row.posinset}
      aria-expanded={row.hasChildren ? row.expanded : undefined}
      aria-selected={selected}
      aria-label={row.dirty ? `${row.label}, unsaved changes` : row.label}
      className={`tree-row kind-${row.kind}${selected ? ' selected' : ''}${props.drop ? ` drop-${props.drop}` : ''}${props.dragging ? ' dragging' : ''}`}
      style={{ top: index * ROW_HEIGHT, paddingLeft: 4 + (row.level - 1) * 14 }}
      draggable={(row.draggable || row.kind === 'sequence') && !props.renaming}
      onDragStart={(e) => actions.dragStart(e, row)}
      onDragOver={(e) => actions.dragOver(e, row)}
      onDragLeave={() => actions.dragLeave(row)}
      onDrop={(e) => actions.drop(e, row)}
      onDragEnd={() => actions.dragEnd()}
      onMouseDown={(e) => actions.mouseDown(e, row)}
      onClick={(e) => actions.click(e, row)}
      onDoubleClick={() => actions.doubleClick(row)}
      onContextMenu={(e) => actions.contextMenu(e, row)}
    >
      <span className="twisty" onMouseDown={(e) => actions.twisty(e, row)}>
        {row.hasChildren ? <Icon name={row.expanded ? 'chevronDown' : 'chevronRight'} /> : null}
      </span>
      <RowIcon row={row} />
      {props.renaming ? (
        <RenameField row={row} studio={props.studio} />
      ) : (
        <>
          <span className="tree-label">{row.label}</span>
          {row.detail ? <span className={`tree-detail detail-${row.kind}`}>{row.detail}</span> : null}
          {row.dirty ? (
            <span className="dirty-marker" title="Unsaved changes (Ctrl+S saves)" aria-hidden="true">
              ●
            </span>
          ) : null}
        </>
      )}
    </div>
  );
});

/**
 * The Projects view: projects > Connectors > connector > transaction > variables, and Sequences >
 * sequence > steps. An ARIA tree, virtualized (fixed row height, only the visible rows are in the DOM),
 * with keyboard navigation, inline rename, context menu, drag to reorder and a filter.
 */
export function ProjectsTree() {
  const studio = useStudio();
  const order = useStudioState((s) => s.order);
  const projects = useStudioState((s) => s.projects);
  const expanded = useStudioState((s) => s.expanded);
  const selection = useStudioState((s) => s.selection);
  const renaming = useStudioState((s) => s.renaming);
  const focusRequest = useStudioState((s) => s.treeFocusRequest);
  const ready = useStudioState((s) => s.ready);

  const [filter, setFilter] = useState('');
  const rows = useMemo(() => buildRows(order, projects, expanded, filter), [order, projects, expanded, filter]);
  const activeIndex = useMemo(() => (selection ? rows.findIndex((r) => r.key === selection.key) : -1), [rows, selection]);

  const treeRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(400);
  const [menu, setMenu] = useState<{ x: number; y: number; row: TreeRow } | null>(null);
  const [drag, setDrag] = useState<DragState | null>(null);
  const [dropTarget, setDropTarget] = useState<{ key: string; after: boolean } | null>(null);
  const typeahead = useRef({ text: '', at: 0 });

  useLayoutEffect(() => {
    const el = treeRef.current;
    if (!el) return;
    setViewport(el.clientHeight);
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, [rows.length === 0]);

  useEffect(() => {
    if (focusRequest > 0) treeRef.current?.focus({ preventScroll: true });
  }, [focusRequest]);

  // keep the active row in view
  useLayoutEffect(() => {
    const el = treeRef.current;
    if (!el || activeIndex < 0) return;
    const top = activeIndex * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  }, [activeIndex]);

  const selectRow = useCallback(
    (row: TreeRow) => {
      if (row.kind === 'folder') studio.selectFolder(row.project, row.key);
      else if (row.kind === 'mappings') studio.openMappings(row.project, { pin: false });
      else studio.select(row.project, row.ref, { key: row.key });
    },
    [studio],
  );

  const openRow = (row: TreeRow) => {
    if (row.kind === 'folder') studio.setExpanded(row.key, !row.expanded);
    else if (row.kind === 'mappings') studio.openMappings(row.project);
    else studio.select(row.project, row.ref, { key: row.key, pin: true });
  };

  const showMenu = (row: TreeRow, x: number, y: number) => {
    const items = contextMenuItems(studio, row);
    if (items.length) setMenu({ x, y, row });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== treeRef.current) return;
    const row = activeIndex >= 0 ? rows[activeIndex] : undefined;
    const go = (index: number) => {
      const target = rows[Math.max(0, Math.min(rows.length - 1, index))];
      if (target) selectRow(target);
    };
    const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        go(activeIndex < 0 ? 0 : activeIndex + 1);
        break;
      case 'ArrowUp':
        go(activeIndex < 0 ? 0 : activeIndex - 1);
        break;
      case 'PageDown':
        go(activeIndex + page);
        break;
      case 'PageUp':
        go(activeIndex - page);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'ArrowRight':
        if (!row) go(0);
        else if (row.hasChildren && !row.expanded) studio.setExpanded(row.key, true);
        else if (row.hasChildren) go(activeIndex + 1);
        break;
      case 'ArrowLeft':
        if (!row) break;
        if (row.expanded) studio.setExpanded(row.key, false);
        else if (row.parentKey) {
          const parent = rows.findIndex((r) => r.key === row.parentKey);
          if (parent >= 0) go(parent);
        }
        break;
      case 'Enter':
        if (row) openRow(row);
        break;
      case 'F2':
        if (row && row.kind !== 'folder' && row.kind !== 'project' && row.kind !== 'mappings') studio.startRename(row.key);
        break;
      case 'Delete':
        if (row && row.kind !== 'folder' && row.kind !== 'mappings') studio.requestDelete(row.project, row.ref);
        break;
      case 'ContextMenu':
        if (row) {
          const rect = treeRef.current!.getBoundingClientRect();
          showMenu(row, rect.left + 24 + row.level * 12, rect.top + (activeIndex + 1) * ROW_HEIGHT - treeRef.current!.scrollTop);
        }
        break;
      default:
        if (e.key === 'F10' && e.shiftKey && row) {
          const rect = treeRef.current!.getBoundingClientRect();
          showMenu(row, rect.left + 24 + row.level * 12, rect.top + (activeIndex + 1) * ROW_HEIGHT - treeRef.current!.scrollTop);
        } else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && /\S/.test(e.key)) {
          // type-ahead: jump to the next row whose name starts with the typed text
          const now = Date.now();
          const t = typeahead.current;
          t.text = now - t.at < 700 ? t.text + e.key.toLowerCase() : e.key.toLowerCase();
          t.at = now;
          const start = t.text.length > 1 ? Math.max(0, activeIndex) : activeIndex + 1;
          for (let i = 0; i < rows.length; i++) {
            const index = (start + i) % rows.length;
            if (rows[index]!.label.toLowerCase().startsWith(t.text)) {
              go(index);
              break;
            }
          }
        } else handled = false;
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  const onDragStart = (e: DragEvent, row: TreeRow) => {
    if (!row.draggable && row.kind !== 'sequence') return;
    // the ref travels as JSON: Ctrl+drop on a sequence canvas makes a Call Transaction / Call Sequence step
    e.dataTransfer.effectAllowed = 'copyMove';
    e.dataTransfer.setData('application/x-trellis-object', JSON.stringify(row.ref));
    e.dataTransfer.setData('application/x-trellis-project', row.project);
    if (row.draggable) setDrag({ key: row.key, project: row.project, ref: row.ref, parentKey: row.parentKey, index: row.index });
  };
  const onDragOver = (e: DragEvent, row: TreeRow) => {
    if (!canDrop(drag, row)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const after = e.clientY > rect.top + rect.height / 2;
    if (dropTarget?.key !== row.key || dropTarget.after !== after) setDropTarget({ key: row.key, after });
  };
  const onDrop = (e: DragEvent, row: TreeRow) => {
    if (!drag || !canDrop(drag, row)) return;
    e.preventDefault();
    const after = dropTarget?.key === row.key ? dropTarget.after : false;
    let index = after ? row.index + 1 : row.index;
    if (drag.index < index) index -= 1;
    const moved = drag;
    setDrag(null);
    setDropTarget(null);
    if (index !== moved.index) void studio.move(moved.project, moved.ref, index);
  };
  const endDrag = () => {
    setDrag(null);
    setDropTarget(null);
  };

  // one stable object for every row (rows are memoized: a selection change re-renders two rows, not all)
  const handlers: RowActions = {
    dragStart: onDragStart,
    dragOver: onDragOver,
    dragLeave: (row) => dropTarget?.key === row.key && setDropTarget(null),
    drop: onDrop,
    dragEnd: endDrag,
    mouseDown: (e, row) => {
      // the tree itself takes the focus (rows are not focusable: aria-activedescendant); rows that can be
      // dragged onto a canvas are selected on click, so a drag does not replace the editor it goes to
      if (e.button === 0 && (row.draggable || row.kind === 'sequence')) return;
      if ((e.button === 0 || e.button === 2) && !(e.target as HTMLElement).closest('input')) selectRow(row);
    },
    click: (e, row) => {
      if (e.button === 0 && (row.draggable || row.kind === 'sequence') && !(e.target as HTMLElement).closest('input, .twisty')) selectRow(row);
    },
    doubleClick: openRow,
    contextMenu: (e, row) => {
      e.preventDefault();
      showMenu(row, e.clientX, e.clientY);
    },
    twisty: (e, row) => {
      if (row.hasChildren && e.button === 0) {
        e.stopPropagation();
        e.preventDefault();
        studio.setExpanded(row.key, !row.expanded);
        treeRef.current?.focus({ preventScroll: true });
      }
    },
  };
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const actions = useMemo<RowActions>(
    () => ({
      dragStart: (e, row) => handlersRef.current.dragStart(e, row),
      dragOver: (e, row) => handlersRef.current.dragOver(e, row),
      dragLeave: (row) => handlersRef.current.dragLeave(row),
      drop: (e, row) => handlersRef.current.drop(e, row),
      dragEnd: () => handlersRef.current.dragEnd(),
      mouseDown: (e, row) => handlersRef.current.mouseDown(e, row),
      click: (e, row) => handlersRef.current.click(e, row),
      doubleClick: (row) => handlersRef.current.doubleClick(row),
      contextMenu: (e, row) => handlersRef.current.contextMenu(e, row),
      twisty: (e, row) => handlersRef.current.twisty(e, row),
    }),
    [],
  );

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);
  const activeId = activeIndex >= first && activeIndex < last ? `tree-row-${activeIndex}` : undefined;

  return (
    <section className="projects-view" aria-label="Projects view">
      <div className="view-header">
        <h2 className="view-title">Projects</h2>
      </div>
      <div className="tree-filter">
        <Icon name="search" />
        <input
          type="search"
          aria-label="Filter projects"
          placeholder="Filter by name"
          value={filter}
          spellCheck={false}
          onChange={(e) => setFilter(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              if (activeIndex < 0 && rows[0]) selectRow(rows[0]);
              treeRef.current?.focus();
            } else if (e.key === 'Escape' && filter) {
              e.preventDefault();
              e.stopPropagation();
              setFilter('');
            }
          }}
        />
      </div>
      {order.length === 0 ? (
        <div className="empty-state tree-empty">
          {ready ? (
            <>
              <p>No project open.</p>
              <p>
                <button type="button" className="link-button" onClick={() => studio.newProject()}>
                  New project
                </button>{' '}
                (Ctrl+N) or{' '}
                <button type="button" className="link-button" onClick={() => studio.openProject()}>
                  Open
                </button>{' '}
                (Ctrl+O)
              </p>
            </>
          ) : (
            <p>Loading…</p>
          )}
        </div>
      ) : (
        <div
          ref={treeRef}
          className="tree"
          role="tree"
          aria-label="Projects"
          tabIndex={0}
          aria-activedescendant={activeId}
          onKeyDown={onKeyDown}
          onScroll={(e) => {
            // render the rows that scrolled in before the browser paints (no blank frame)
            const top = e.currentTarget.scrollTop;
            flushSync(() => setScrollTop(top));
          }}
          onFocus={(e) => {
            // the first row when nothing is selected (a selection the tree does not list, such as a
            // sequence variable chosen on the canvas, stays: a drag from the tree must not replace its editor)
            if (e.target === treeRef.current && activeIndex < 0 && !selection && rows[0]) selectRow(rows[0]);
          }}
        >
          <div className="tree-spacer" role="none" style={{ height: rows.length * ROW_HEIGHT }}>
            {visible.map((row, i) => {
              const index = first + i;
              return (
                <TreeRowView
                  key={row.key}
                  row={row}
                  index={index}
                  selected={index === activeIndex}
                  drop={dropTarget?.key === row.key ? (dropTarget.after ? 'after' : 'before') : null}
                  dragging={drag?.key === row.key}
                  renaming={renaming === row.key}
                  actions={actions}
                  studio={studio}
                />
              );
            })}
          </div>
          {rows.length === 0 && filter ? <div className="empty-state">Nothing matches “{filter}”.</div> : null}
        </div>
      )}
      {menu ? <PopupMenu label={`${menu.row.label} actions`} items={contextMenuItems(studio, menu.row)} x={menu.x} y={menu.y} onClose={() => setMenu(null)} /> : null}
    </section>
  );
}
