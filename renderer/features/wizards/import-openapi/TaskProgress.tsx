import { useEffect, useRef, useState } from 'react';
import type { EventPayload } from '../../../../src/contract/index.js';
import type { EventListener } from '../../../api/client.js';

export type TaskProgressEvent = EventPayload<'task.progress'>;

export interface RunningTask {
  taskId: string;
  /** what the person waits for, e.g. "Reading the spec" */
  title: string;
  startedAt: number;
}

/** A task id the engine reports progress under (crypto.randomUUID needs a secure context). */
export function newTaskId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

const PHASES: Record<string, { label: string; unit: string }> = {
  load: { label: 'Loading files and their $refs', unit: 'files' },
  map: { label: 'Mapping operations to transactions', unit: 'operations' },
  merge: { label: 'Comparing with the existing connector', unit: 'operations' },
  write: { label: 'Writing output schemas', unit: 'files' },
  // Export bundle / Deploy to server (src/service/bundle.ts)
  check: { label: 'Checking the project', unit: 'files' },
  copy: { label: 'Copying and hashing files', unit: 'files' },
  archive: { label: 'Writing the archive', unit: 'files' },
  upload: { label: 'Uploading the bundle', unit: 'bytes' },
  deploy: { label: 'The server verifies and loads it', unit: 'bytes' },
};

export function phaseLabel(phase: string | undefined): string {
  if (!phase) return 'Starting';
  return PHASES[phase]?.label ?? phase.charAt(0).toUpperCase() + phase.slice(1);
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.floor((ms % 60_000) / 1000)} s`;
}

/**
 * Follows a task's `task.progress` events. Events may come by the hundred per second: they only land
 * in a ref, and the view is refreshed on a 100 ms tick (which also advances the elapsed time), so a
 * big import never floods React with renders.
 */
export function useTaskProgress(onEvent: (listener: EventListener) => () => void, task: RunningTask | null): { event: TaskProgressEvent | null; elapsedMs: number } {
  const latest = useRef<TaskProgressEvent | null>(null);
  const [view, setView] = useState<{ event: TaskProgressEvent | null; elapsedMs: number }>({ event: null, elapsedMs: 0 });
  const taskId = task?.taskId ?? null;
  const startedAt = task?.startedAt ?? 0;

  useEffect(() => {
    latest.current = null;
    setView({ event: null, elapsedMs: 0 });
    if (!taskId) return;
    const off = onEvent((event, payload) => {
      if (event !== 'task.progress') return;
      const p = payload as TaskProgressEvent;
      if (p?.taskId === taskId) latest.current = p;
    });
    const timer = setInterval(() => setView({ event: latest.current, elapsedMs: Date.now() - startedAt }), 100);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [onEvent, taskId, startedAt]);

  return view;
}

/** Phase, a bar (determinate when the engine knows the total), done of total, elapsed time, Cancel. */
export function TaskProgress(props: { task: RunningTask; event: TaskProgressEvent | null; elapsedMs: number; onCancel: () => void; cancelling?: boolean }) {
  const { event } = props;
  const known = event && typeof event.total === 'number' && event.total > 0 && typeof event.done === 'number';
  const ratio = known ? Math.max(0, Math.min(1, event.done! / event.total!)) : null;
  const unit = (event && PHASES[event.phase]?.unit) ?? 'items';
  const label = phaseLabel(event?.phase);
  return (
    <div className="import-progress" role="status" aria-live="polite" aria-label={props.task.title}>
      <div className="import-progress-head">
        <strong>{props.task.title}</strong>
        <span className="import-progress-phase">{props.cancelling ? 'Cancelling…' : `${label}…`}</span>
        <span className="import-progress-elapsed" aria-label="Elapsed time">
          {seconds(props.elapsedMs)}
        </span>
      </div>
      <div
        className={`import-progress-bar${ratio === null ? ' indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? event.total : undefined}
        aria-valuenow={known ? event.done : undefined}
        aria-valuetext={known ? `${event.done!.toLocaleString('en-US')} of ${event.total!.toLocaleString('en-US')} ${unit}` : label}
      >
        <span style={ratio === null ? undefined : { width: `${(ratio * 100).toFixed(1)}%` }} />
      </div>
      <div className="import-progress-foot">
        <span className="import-progress-count">{known ? `${event.done!.toLocaleString('en-US')} of ${event.total!.toLocaleString('en-US')} ${unit}` : 'Waiting for the engine…'}</span>
        <button type="button" className="small-button" aria-label={`Cancel ${props.task.title.charAt(0).toLowerCase()}${props.task.title.slice(1)}`} onClick={props.onCancel} disabled={props.cancelling}>
          Cancel
        </button>
      </div>
    </div>
  );
}
