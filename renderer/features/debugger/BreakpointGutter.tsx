import { useState } from 'react';
import type { JSX, MouseEvent } from 'react';
import { PopupMenu } from '../shell/Menu.js';
import { useDebugCanvas } from './debug-canvas.js';
import { DEBUG_KEYS } from './debug-keys.js';
import { useDebugger, useDebugState } from './use-debug.js';
import { bpKey } from './debug-store.js';

/**
 * The dot at the left of a step node: click sets or removes a breakpoint (F9 on the selected step);
 * right-click offers Edit condition… (Shift+F9). A conditional breakpoint shows a ring with "?".
 */
export function BreakpointGutter({ step }: { step: string }): JSX.Element | null {
  const where = useDebugCanvas();
  const dbg = useDebugger();
  const breakpoint = useDebugState((s) => (where ? s.breakpoints[bpKey(where.project, where.sequence)]?.find((b) => b.step === step) : undefined));
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  if (!where) return null;
  const { project, sequence } = where;
  const label = breakpoint
    ? `Remove the breakpoint on ${step}${breakpoint.condition ? ` (when ${breakpoint.condition})` : ''} (${DEBUG_KEYS.toggleBreakpoint})`
    : `Set a breakpoint on ${step} (${DEBUG_KEYS.toggleBreakpoint})`;
  const stop = (e: MouseEvent) => {
    e.stopPropagation();
    e.preventDefault();
  };
  return (
    <>
      <button
        type="button"
        className={`seq-bp nodrag nopan${breakpoint ? ' set' : ''}${breakpoint?.condition ? ' conditional' : ''}`}
        aria-label={label}
        aria-pressed={!!breakpoint}
        title={`${label}; right-click: Edit condition…`}
        data-breakpoint={breakpoint ? (breakpoint.condition ? 'conditional' : 'set') : 'none'}
        tabIndex={-1}
        onMouseDown={(e) => e.stopPropagation()}
        onClick={(e) => {
          stop(e);
          dbg.toggle(project, sequence, step);
        }}
        onContextMenu={(e) => {
          stop(e);
          setMenu({ x: e.clientX, y: e.clientY });
        }}
      >
        {breakpoint?.condition ? <span aria-hidden="true">?</span> : null}
      </button>
      {menu ? (
        <PopupMenu
          label={`Breakpoint on ${step}`}
          x={menu.x}
          y={menu.y}
          onClose={() => setMenu(null)}
          items={[
            { label: 'Edit condition…', shortcut: DEBUG_KEYS.editCondition, onSelect: () => dbg.requestConditionEdit(project, sequence, step) },
            { label: breakpoint ? 'Remove breakpoint' : 'Add breakpoint', shortcut: DEBUG_KEYS.toggleBreakpoint, onSelect: () => dbg.toggle(project, sequence, step) },
          ]}
        />
      ) : null}
    </>
  );
}
