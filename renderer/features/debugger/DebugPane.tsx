import type { JSX } from 'react';
import { ConditionDialog } from './ConditionDialog.js';
import { DebugInspector } from './DebugInspector.js';
import { DebugToolbar } from './DebugToolbar.js';
import { useDebugState } from './use-debug.js';
import '../../styles/debugger.css';

/** Beside a sequence canvas while a debug run of its project is active: the debug toolbar and the inspector. */
export function DebugPane({ project }: { project: string }): JSX.Element {
  const active = useDebugState((s) => s.session?.project === project);
  return (
    <>
      {active ? (
        <aside className="dbg-pane" aria-label="Debugger">
          <DebugToolbar />
          <DebugInspector project={project} />
        </aside>
      ) : null}
      <ConditionDialog />
    </>
  );
}
