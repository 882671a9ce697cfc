import { useCallback, useEffect, useRef, useState } from 'react';
import { useStudio } from '../../state/context.js';
import { newTaskId, useTaskProgress, type RunningTask } from '../wizards/import-openapi/TaskProgress.js';
import type { UnsavedPolicy } from './UnsavedChoice.js';

/**
 * Runs one bundle task (export or deploy) for a dialog: saves first when the person chose to, gives the call a
 * taskId so its task.progress events drive the bar, and cancels it if the dialog closes while it runs.
 */
export function useBundleTask<T>(project: string, title: string) {
  const studio = useStudio();
  const [task, setTask] = useState<RunningTask | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const progress = useTaskProgress(studio.onEvent, task);
  const running = useRef<RunningTask | null>(null);

  useEffect(
    () => () => {
      const t = running.current;
      if (t) void studio.api['task.cancel']({ taskId: t.taskId }).catch(() => {});
    },
    [studio],
  );

  const cancel = useCallback(() => {
    const t = running.current;
    if (!t) return;
    setCancelling(true);
    void studio.api['task.cancel']({ taskId: t.taskId }).catch(() => {});
  }, [studio]);

  /** Resolves to the call's result; throws its error. `dirty` and `policy` decide whether to save first. */
  const run = useCallback(
    async (dirty: boolean, policy: UnsavedPolicy, call: (taskId: string, unsaved: 'refuse' | 'saved') => Promise<T>): Promise<T> => {
      if (dirty && policy === 'save') {
        await studio.save(project);
        if (studio.state.projects[project]?.dirty) throw new Error('The project could not be saved (see the message bottom right); nothing was exported.');
      }
      const t: RunningTask = { taskId: newTaskId('bundle'), title, startedAt: Date.now() };
      running.current = t;
      setCancelling(false);
      setTask(t);
      try {
        return await call(t.taskId, dirty && policy === 'saved' ? 'saved' : 'refuse');
      } finally {
        running.current = null;
        setTask(null);
      }
    },
    [studio, project, title],
  );

  return { task, progress, cancelling, cancel, run };
}
