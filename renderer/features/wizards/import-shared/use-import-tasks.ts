import { useCallback, useEffect, useRef, useState } from 'react';
import type { Studio } from '../../../state/studio.js';
import { refKey } from '../../../state/keys.js';
import { useTaskProgress, type RunningTask } from '../import-openapi/TaskProgress.js';

export interface ImportTask extends RunningTask {
  kind: 'preview' | 'import';
}

/**
 * What both import wizards (OpenAPI, WSDL) share around their engine tasks: the running task and its progress,
 * the sequence number that drops answers of superseded tasks, Cancel (a preview is dropped at once; an import
 * waits for the engine to say whether it stopped), cancel on leaving the wizard, and focus handling (the first
 * field of each page; the field an error names).
 */
export function useImportTasks<T extends ImportTask>(studio: Studio, page: number, cancelledPreview: string) {
  const [task, setTask] = useState<T | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState<{ field: string; n: number } | null>(null);
  const pageRef = useRef<HTMLDivElement>(null);
  const seq = useRef(0);
  const taskRef = useRef<T | null>(null);
  taskRef.current = task;
  const advanceRef = useRef(false);
  const progress = useTaskProgress(studio.onEvent, task);

  // the first field of each page takes the focus
  useEffect(() => {
    const root = pageRef.current;
    if (!root) return;
    if (page === 2) root.ownerDocument.querySelector<HTMLElement>('.import-wizard .modal-footer .primary')?.focus();
    else root.querySelector<HTMLElement>('input, select')?.focus();
  }, [page]);

  // an error focuses the field that fixes it (after the page that holds it is drawn)
  useEffect(() => {
    if (!focusRequest) return;
    const el = pageRef.current?.querySelector<HTMLElement>(`[data-field="${focusRequest.field}"]`);
    el?.focus();
    if (el instanceof HTMLInputElement) el.select();
  }, [focusRequest]);

  const focusField = useCallback((field: string) => setFocusRequest((f) => ({ field, n: (f?.n ?? 0) + 1 })), []);

  // leaving the wizard stops whatever it started
  useEffect(
    () => () => {
      const t = taskRef.current;
      if (t) void studio.api['task.cancel']({ taskId: t.taskId }).catch(() => {});
    },
    [studio],
  );

  const cancelTask = useCallback(
    (t: T | null, silent = false) => {
      if (!t) return;
      void studio.api['task.cancel']({ taskId: t.taskId }).catch(() => {});
      if (t.kind === 'preview') {
        // reading has no effect on the project: drop it at once
        seq.current++;
        advanceRef.current = false;
        setTask(null);
        if (!silent) {
          setNotice(cancelledPreview);
          // the Cancel button is gone with the progress: the focus goes back to the source
          focusField('source');
        }
      } else {
        // an import may be past the point of no return: wait for the engine to say which
        setCancelling(true);
      }
    },
    [studio, cancelledPreview, focusField],
  );

  return { task, setTask, taskRef, seq, advanceRef, progress, cancelling, setCancelling, notice, setNotice, pageRef, focusField, cancelTask };
}

/** After an import: the wizard closes and the connector is selected, expanded and revealed in the tree. */
export function revealConnector(studio: Studio, project: string, connector: string): void {
  const ref = { type: 'connector' as const, connector };
  studio.closeDialog();
  studio.setExpanded(refKey(project, ref), true);
  studio.select(project, ref, { reveal: true, pin: true, focusTree: true });
}
