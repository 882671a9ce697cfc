import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { Icon } from '../../../icons/icons.js';
import { buildRows, countSelected } from './operations-model.js';
import type { ListRow, OperationGroup, PreviewOperation } from './operations-model.js';

export const OP_ROW_HEIGHT = 26;
const OVERSCAN = 6;

/** A checkbox that can also show "some" (indeterminate is a DOM property, not an attribute). */
function TriCheckbox(props: { checked: boolean; mixed: boolean; label: string; onChange: (checked: boolean) => void; tabIndex?: number }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = props.mixed;
  }, [props.mixed]);
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label={props.label}
      aria-checked={props.mixed ? 'mixed' : props.checked}
      checked={props.checked}
      tabIndex={props.tabIndex}
      onChange={(e) => props.onChange(e.target.checked)}
    />
  );
}

const CHANGE_TEXT = { added: 'new', updated: 'updated', unchanged: 'unchanged' } as const;

const OperationRow = memo(function OperationRow(props: { op: PreviewOperation; index: number; checked: boolean; showChange: boolean; tabbable: boolean; onToggle: (name: string, checked: boolean) => void }) {
  const { op } = props;
  return (
    <label className={`op-row${op.deprecated ? ' deprecated' : ''}`} data-row={props.index} style={{ top: props.index * OP_ROW_HEIGHT }} title={`${op.method.toUpperCase()} ${op.path}${op.summary ? ` — ${op.summary}` : ''}`}>
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onToggle(op.name, e.target.checked)} tabIndex={props.tabbable ? 0 : -1} />
      <span className={`method method-${op.method.toLowerCase()}`}>{op.method.toUpperCase()}</span>
      <span className="op-path">{op.path}</span>
      <span className="op-name">{op.name}</span>
      {op.summary ? <span className="op-summary">{op.summary}</span> : <span className="op-summary" />}
      {op.deprecated ? <span className="badge op-badge-deprecated">deprecated</span> : null}
      {props.showChange && op.change ? <span className={`badge op-change op-change-${op.change}`}>{CHANGE_TEXT[op.change]}</span> : null}
    </label>
  );
});

const GroupRow = memo(function GroupRow(props: {
  group: OperationGroup;
  shown: number;
  selected: number;
  expanded: boolean;
  filtered: boolean;
  index: number;
  tabbable: boolean;
  onExpand: (tag: string, expanded: boolean) => void;
  onToggleGroup: (group: OperationGroup, checked: boolean) => void;
}) {
  const { group } = props;
  const total = group.operations.length;
  return (
    <div className="op-group-row" data-row={props.index} style={{ top: props.index * OP_ROW_HEIGHT }}>
      <button type="button" className="op-group-toggle" aria-expanded={props.expanded} disabled={props.filtered} onClick={() => props.onExpand(group.tag, !props.expanded)} tabIndex={-1} aria-label={`${props.expanded ? 'Collapse' : 'Expand'} ${group.tag}`}>
        <Icon name={props.expanded ? 'chevronDown' : 'chevronRight'} />
      </button>
      <TriCheckbox
        checked={props.selected === total}
        mixed={props.selected > 0 && props.selected < total}
        label={`All operations tagged ${group.tag}`}
        tabIndex={props.tabbable ? 0 : -1}
        onChange={(checked) => props.onToggleGroup(group, checked)}
      />
      <span className="op-group-tag" onClick={() => !props.filtered && props.onExpand(group.tag, !props.expanded)}>
        {group.tag}
      </span>
      <span className="op-group-count">
        {props.selected.toLocaleString('en-US')} of {total.toLocaleString('en-US')} selected{props.filtered && props.shown !== total ? ` · ${props.shown} match` : ''}
      </span>
    </div>
  );
});

/**
 * The preview's operations, grouped by tag: collapsible groups with a checkbox per group and per
 * operation. Virtualized (fixed row height; only the rows in view are in the DOM), so a spec with
 * thousands of operations opens at once. Up/Down move between rows, Left/Right close and open a
 * group, Space toggles.
 */
export function OperationsList(props: {
  groups: readonly OperationGroup[];
  selected: ReadonlySet<string>;
  expanded: ReadonlySet<string>;
  filter: string;
  showChange: boolean;
  onToggle: (name: string, checked: boolean) => void;
  onToggleGroup: (group: OperationGroup, checked: boolean) => void;
  onExpand: (tag: string, expanded: boolean) => void;
}) {
  const rows = useMemo(() => buildRows(props.groups, props.expanded, props.filter), [props.groups, props.expanded, props.filter]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(300);
  // roving tabindex: one row of the list is in the Tab order, the arrows move between rows
  const [activeRow, setActiveRow] = useState(0);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    setViewport(el.clientHeight || 300);
    const observer = new ResizeObserver(() => setViewport(el.clientHeight || 300));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / OP_ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / OP_ROW_HEIGHT) + OVERSCAN);
  const tabbable = activeRow >= first && activeRow < last ? activeRow : first;

  const moveTo = (index: number) => {
    const el = scrollRef.current;
    if (!el || rows.length === 0) return;
    const i = Math.max(0, Math.min(rows.length - 1, index));
    const top = i * OP_ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + OP_ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + OP_ROW_HEIGHT - el.clientHeight;
    // render the target row now, then focus it
    flushSync(() => {
      setScrollTop(el.scrollTop);
      setActiveRow(i);
    });
    el.querySelector<HTMLInputElement>(`[data-row="${i}"] input[type="checkbox"]`)?.focus({ preventScroll: true });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const rowEl = (e.target as HTMLElement).closest<HTMLElement>('[data-row]');
    const index = rowEl ? Number(rowEl.dataset.row) : -1;
    const row: ListRow | undefined = rows[index];
    const page = Math.max(1, Math.floor(viewport / OP_ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        moveTo(index + 1);
        break;
      case 'ArrowUp':
        moveTo(index - 1);
        break;
      case 'PageDown':
        moveTo(index + page);
        break;
      case 'PageUp':
        moveTo(index - page);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rows.length - 1);
        break;
      case 'ArrowRight':
        if (row?.type === 'group' && !row.expanded && !props.filter) props.onExpand(row.group.tag, true);
        break;
      case 'ArrowLeft':
        if (row?.type === 'group' && row.expanded && !props.filter) props.onExpand(row.group.tag, false);
        else if (row?.type === 'operation') moveTo(rows.findIndex((r) => r.type === 'group' && r.group === row.group));
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div
      ref={scrollRef}
      className="op-list"
      role="group"
      aria-label="Operations by tag"
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        const rowEl = (e.target as HTMLElement).closest<HTMLElement>('[data-row]');
        if (rowEl) setActiveRow(Number(rowEl.dataset.row));
      }}
      onScroll={(e) => {
        const top = e.currentTarget.scrollTop;
        flushSync(() => setScrollTop(top));
      }}
    >
      <div className="op-list-spacer" style={{ height: rows.length * OP_ROW_HEIGHT }}>
        {rows.slice(first, last).map((row, i) => {
          const index = first + i;
          return row.type === 'group' ? (
            <GroupRow
              key={row.key}
              group={row.group}
              shown={row.shown.length}
              selected={countSelected(row.group.operations, props.selected)}
              expanded={row.expanded}
              filtered={!!props.filter.trim()}
              index={index}
              tabbable={index === tabbable}
              onExpand={props.onExpand}
              onToggleGroup={props.onToggleGroup}
            />
          ) : (
            <OperationRow key={row.key} op={row.op} index={index} checked={props.selected.has(row.op.name)} showChange={props.showChange} tabbable={index === tabbable} onToggle={props.onToggle} />
          );
        })}
      </div>
      {rows.length === 0 ? <div className="empty-state op-list-empty">{props.filter.trim() ? `No operation matches “${props.filter.trim()}”.` : 'The spec has no operations to import.'}</div> : null}
    </div>
  );
}
