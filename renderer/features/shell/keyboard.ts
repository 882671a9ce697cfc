import type { Studio } from '../../state/studio.js';
import { handleDebugKey } from '../debugger/debug-keys.js';

function isTextField(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(el.type);
  return (el as HTMLElement).isContentEditable || !!el.closest('.monaco-editor');
}

/** Focus on the page itself or in the editor area: F2 and Delete mean the selected object. */
function onObjects(el: Element | null): boolean {
  if (!el || el === document.body) return true;
  if (el.closest('[role="tree"]')) return false;
  return !!el.closest('.editor-area');
}

function modalOpen(): boolean {
  return document.querySelector('[aria-modal="true"]') !== null;
}

/**
 * The studio's keys, on the window in the capture phase so the browser never reloads (F5), saves the
 * page (Ctrl+S), opens a window (Ctrl+N) or its own dialogs (Ctrl+O, Ctrl+P). Returns the disposer.
 */
export function installShortcuts(studio: Studio): () => void {
  const onKeyDown = (e: KeyboardEvent) => {
    const ctrl = e.ctrlKey || e.metaKey;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const inField = isTextField(document.activeElement);
    const modal = modalOpen();
    // F8-F11, Ctrl+F5, and F5 while a debug run is paused
    if (handleDebugKey(studio, e, inField, modal)) return;
    let action: (() => void) | null = null;
    let swallow = false;

    if (key === 'F5' && !ctrl) {
      swallow = true; // never reload the page
      if (!modal) action = e.shiftKey ? () => studio.stop() : () => studio.execute();
    } else if (ctrl && !e.altKey) {
      switch (key) {
        case 's':
          swallow = true;
          if (!modal) action = () => void studio.save();
          break;
        case 'n':
          swallow = true;
          if (!modal) action = () => studio.newProject();
          break;
        case 'o':
          swallow = true;
          if (!modal) action = () => studio.openProject();
          break;
        case 'p':
          swallow = true;
          if (!modal) action = () => studio.quickOpen();
          break;
        case 'r':
          swallow = true; // Ctrl+R would reload and drop unsaved edits
          break;
        case 'z':
          // in a text field the field's own undo applies
          if (!inField && !modal) {
            swallow = true;
            action = e.shiftKey ? () => void studio.redo() : () => void studio.undo();
          }
          break;
        case 'y':
          if (!inField && !modal) {
            swallow = true;
            action = () => void studio.redo();
          }
          break;
      }
    } else if (!modal && !inField && !e.altKey && !e.shiftKey && onObjects(document.activeElement)) {
      // F2 and Delete act on the selection when the tree (which handles them itself) does not have the focus
      if (key === 'F2') action = () => studio.startRename();
      else if (key === 'Delete') action = () => studio.requestDelete();
      if (action) swallow = true;
    }

    if (swallow) {
      e.preventDefault();
      e.stopPropagation();
    }
    action?.();
  };
  window.addEventListener('keydown', onKeyDown, true);
  // Ctrl+S / F5 reach Electron's menu accelerators first; in the browser, a last guard against a reload
  return () => window.removeEventListener('keydown', onKeyDown, true);
}
