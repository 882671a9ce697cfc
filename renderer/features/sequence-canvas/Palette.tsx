import { useMemo, useRef, useState } from 'react';
import type { JSX, KeyboardEvent } from 'react';
import type { StepKindInfo } from '../../../src/contract/index.js';
import { StepIcon } from '../../icons/icons.js';

/** HTML5 drag data of a palette kind. */
export const KIND_MIME = 'application/x-trellis-step-kind';

const CATEGORIES: { id: StepKindInfo['category']; label: string }[] = [
  { id: 'call', label: 'Calls' },
  { id: 'flow', label: 'Flow' },
  { id: 'data', label: 'Data' },
  { id: 'file', label: 'Files' },
  { id: 'session', label: 'Session' },
  { id: 'misc', label: 'Misc' },
];

export interface PaletteProps {
  kinds: readonly StepKindInfo[] | null;
  /** Enter or a click: insert into the selected container or after the selected step (Shift: always after) */
  onInsert(kind: StepKindInfo, after: boolean): void;
}

/**
 * The step kinds, grouped by category, on the canvas' left edge. Each is a button: drag it onto the
 * canvas or into a container, or press Enter (click) to insert it at the selection. Up/Down move
 * between kinds; typing filters.
 */
export function Palette({ kinds, onInsert }: PaletteProps): JSX.Element {
  const [filter, setFilter] = useState('');
  const listRef = useRef<HTMLDivElement>(null);
  const groups = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const shown = (kinds ?? []).filter((k) => !needle || k.title.toLowerCase().includes(needle) || k.kind.toLowerCase().includes(needle));
    return CATEGORIES.map((c) => ({ ...c, kinds: shown.filter((k) => k.category === c.id) })).filter((g) => g.kinds.length > 0);
  }, [kinds, filter]);

  const move = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    const buttons = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button.seq-palette-item') ?? [])];
    if (!buttons.length) return;
    e.preventDefault();
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : e.key === 'ArrowDown' ? Math.min(buttons.length - 1, i + 1) : Math.max(0, i - 1);
    buttons[next]?.focus();
  };

  return (
    <aside className="seq-palette" aria-label="Step palette">
      <input
        type="search"
        className="seq-palette-filter"
        placeholder="Filter steps"
        aria-label="Filter step kinds"
        value={filter}
        spellCheck={false}
        onChange={(e) => setFilter(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            listRef.current?.querySelector<HTMLButtonElement>('button.seq-palette-item')?.focus();
          }
        }}
      />
      <div ref={listRef} className="seq-palette-list" onKeyDown={move}>
        {kinds === null ? <p className="seq-palette-note">Loading step kinds…</p> : null}
        {groups.map((g) => (
          <div key={g.id} className="seq-palette-group" role="group" aria-label={g.label}>
            <div className="seq-palette-category" aria-hidden="true">
              {g.label}
            </div>
            {g.kinds.map((k) => (
              <button
                key={k.kind}
                type="button"
                className={`seq-palette-item cat-${k.category}`}
                draggable
                title={`${k.description}\n\nDrag onto the canvas, or press Enter to insert at the selection (Shift+Enter: after it).`}
                aria-label={`${k.title}${k.container ? ' (container)' : ''}`}
                data-kind={k.kind}
                onDragStart={(e) => {
                  e.dataTransfer.effectAllowed = 'copy';
                  e.dataTransfer.setData(KIND_MIME, k.kind);
                  e.dataTransfer.setData('text/plain', k.kind);
                }}
                onClick={(e) => onInsert(k, e.shiftKey)}
              >
                <StepIcon icon={k.icon} />
                <span className="seq-palette-label">{k.title}</span>
              </button>
            ))}
          </div>
        ))}
        {kinds !== null && groups.length === 0 ? <p className="seq-palette-note">No step kind matches “{filter}”.</p> : null}
      </div>
    </aside>
  );
}
