import { Icon } from '../../icons/icons.js';
import { useStudio, useStudioState } from '../../state/context.js';
import { projectOf } from '../../state/model.js';

function ago(at: number): string {
  const s = Math.round((Date.now() - at) / 1000);
  return s < 60 ? 'just now' : s < 3600 ? `${Math.round(s / 60)} min ago` : new Date(at).toLocaleTimeString();
}

/** project · last execution · problems · connection. */
export function StatusBar() {
  const studio = useStudio();
  const dir = useStudioState((s) => s.selection?.project ?? s.order[0] ?? null);
  const state = useStudioState((s) => (dir ? s.projects[dir] : undefined));
  const last = useStudioState((s) => s.run.last);
  const running = useStudioState((s) => s.run.running);
  const errors = useStudioState((s) => s.order.reduce((n, d) => n + (s.projects[d]?.problems.filter((p) => p.severity === 'error').length ?? 0), 0));
  const warnings = useStudioState((s) => s.order.reduce((n, d) => n + (s.projects[d]?.problems.filter((p) => p.severity === 'warning').length ?? 0), 0));
  const connected = useStudioState((s) => s.connected);
  const mode = studio.mode;
  return (
    <footer className="status-bar" aria-label="Status bar">
      <span className="status-item" title={state?.project.dir}>
        <Icon name="project" />
        {state ? (
          <>
            {projectOf(state).name}
            {state.dirty ? ' ●' : ''}
          </>
        ) : (
          'No project'
        )}
      </span>
      <span className="status-item" aria-live="polite">
        {running ? (
          'Executing…'
        ) : last ? (
          <span title={`${last.target}, ${ago(last.at)}`}>
            {last.target}: {last.ok ? (last.status !== undefined ? `${last.status} · ` : '') : 'failed · '}
            {Math.round(last.ms)} ms
          </span>
        ) : (
          'No execution yet'
        )}
      </span>
      <button type="button" className="status-item status-button" onClick={() => studio.setBottomTab('problems')} title="Show the Problems panel">
        <Icon name="error" /> {errors} <Icon name="warning" /> {warnings}
      </button>
      <span className="toolbar-spacer" />
      {mode === 'web' ? (
        <span className={`status-item${connected ? '' : ' status-warning'}`} role={connected ? undefined : 'status'}>
          {connected ? 'Web mode' : 'Disconnected from the studio server — reconnecting…'}
        </span>
      ) : null}
    </footer>
  );
}
