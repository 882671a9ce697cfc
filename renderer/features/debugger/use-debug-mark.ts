import { useDebugCanvas } from './debug-canvas.js';
import { useDebugState } from './use-debug.js';

/**
 * The class a step node gets from the debugger: ' debug-paused' on the step a run is paused before,
 * ' debug-frame' on a Call Sequence step of the call stack that leads there, '' otherwise.
 */
export function useDebugMark(path: string): string {
  const where = useDebugCanvas();
  return useDebugState((s) => {
    const snap = s.session?.paused;
    if (!where || !snap || s.session?.project !== where.project) return '';
    if (snap.sequence === where.sequence && snap.step.path === path) return ' debug-paused';
    const callers = snap.callStack.slice(0, -1);
    return callers.some((f) => f.sequence === where.sequence && f.step === path) ? ' debug-frame' : '';
  });
}
