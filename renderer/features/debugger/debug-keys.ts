import type { Studio } from '../../state/studio.js';
import { debuggerOf } from './debug-store.js';

/** The debugger's keys, as the toolbar and README list them. */
export const DEBUG_KEYS = {
  debug: 'Ctrl+F5',
  continue: 'F8 / F5',
  stepOver: 'F10',
  stepInto: 'F11',
  stepOut: 'Shift+F11',
  stop: 'Shift+F5',
  toggleBreakpoint: 'F9',
  editCondition: 'Shift+F9',
} as const;

/** The step selected on a canvas: F9 sets a breakpoint there. */
function selectedStep(studio: Studio): { project: string; sequence: string; step: string } | null {
  const sel = studio.state.selection;
  return sel?.ref.type === 'step' ? { project: sel.project, sequence: sel.ref.sequence, step: sel.ref.step } : null;
}

/**
 * Called first by the studio's key handler (shell/keyboard.ts): true when the key was a debugger key and
 * was handled. While a debug run is paused, F5 continues (as in other IDEs) instead of starting a run;
 * Shift+F5 stops it through the run panel as for any run.
 */
export function handleDebugKey(studio: Studio, e: KeyboardEvent, inField: boolean, modal: boolean): boolean {
  if (modal || e.altKey) return false;
  const ctrl = e.ctrlKey || e.metaKey;
  const dbg = debuggerOf(studio);
  const session = dbg.state.session;
  const paused = !!session?.paused;
  let action: (() => void) | null = null;
  if (e.key === 'F5' && ctrl && !e.shiftKey) action = () => dbg.debug();
  else if (ctrl) return false;
  else if (paused && !e.shiftKey && (e.key === 'F5' || e.key === 'F8')) action = () => dbg.command('continue');
  else if (paused && !e.shiftKey && e.key === 'F10') action = () => dbg.command('stepOver');
  else if (paused && !e.shiftKey && e.key === 'F11') action = () => dbg.command('stepInto');
  else if (paused && e.shiftKey && e.key === 'F11') action = () => dbg.command('stepOut');
  else if (e.key === 'F9' && !inField) {
    const at = selectedStep(studio);
    if (!at) return false;
    action = e.shiftKey ? () => dbg.requestConditionEdit(at.project, at.sequence, at.step) : () => dbg.toggle(at.project, at.sequence, at.step);
  } else if (session && (e.key === 'F10' || e.key === 'F11')) {
    // running between pauses: the keys do nothing, but the browser must not take them (F11: full screen)
    action = () => {};
  }
  if (!action) return false;
  e.preventDefault();
  e.stopPropagation();
  action();
  return true;
}
