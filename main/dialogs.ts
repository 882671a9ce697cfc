import { dialog, type BrowserWindow } from 'electron';

export type UnsavedChoice = 'save' | 'discard' | 'cancel';

/** Asked when the window closes with unsaved projects; the folder picker is the renderer's (served by fs.list in both modes). */
export async function confirmUnsaved(win: BrowserWindow, projects: Array<{ name: string }>): Promise<UnsavedChoice> {
  const names = projects.map((p) => p.name).join(', ');
  const { response } = await dialog.showMessageBox(win, {
    type: 'warning',
    buttons: ['Save All', "Don't Save", 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
    message: projects.length === 1 ? `Save the changes to ${names}?` : `Save the changes to ${projects.length} projects?`,
    detail: `${projects.length === 1 ? '' : `${names}\n\n`}Your changes are lost if you don't save them.`,
  });
  return response === 0 ? 'save' : response === 1 ? 'discard' : 'cancel';
}

export function showSaveFailed(win: BrowserWindow, name: string, message: string): Promise<unknown> {
  return dialog.showMessageBox(win, { type: 'error', message: `${name} could not be saved`, detail: message });
}
